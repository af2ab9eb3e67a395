package studio.matting.inference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ModelCardTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    private ObjectNode validCard() throws Exception {
        return (ObjectNode) JSON.readTree("""
            {"format":"matting-studio-model-card/1","name":"demo","version":"1.0.0","task":"segmentation",
             "file":"demo.onnx","sha256":"%s","parameters":1234,
             "input":{"name":"input","layout":"NCHW","channels":3,"channel_order":"RGB",
                      "size":{"rule":"multiple","multiple":32,"working_size":320,"max_side":1024},
                      "normalisation":{"scale":255.0,"mean":[0.485,0.456,0.406],"std":[0.229,0.224,0.225]}},
             "output":{"name":"output","channels":1,"meaning":"person probability","activation":"sigmoid"},
             "training":{},"metrics":{},"created":"2026-11-21","commit":"unknown"}
            """.formatted("ab".repeat(32)));
    }

    private Path write(String name, Object json) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, json instanceof String s ? s : JSON.writeValueAsString(json));
        return p;
    }

    @Test
    void parsesValidCard() throws Exception {
        ModelCard c = ModelCard.read(write("demo.json", validCard()));
        assertEquals("demo", c.name());
        assertEquals(ModelCard.Task.SEGMENTATION, c.task());
        assertEquals(3, c.input().channels());
        assertEquals(320, c.input().size().workingSize());
        assertEquals(32, c.input().size().unit());
        assertEquals(0.229f, c.input().normalisation().std()[0], 1e-6);
        assertEquals(tmp.resolve("demo.onnx").toAbsolutePath(), c.modelPath());
        assertFalse(c.flipAverage(), "flip averaging is off unless the card asks for it");
    }

    @Test
    void readsThePortraitSpecialistAndRefusesBadValues() throws Exception {
        ObjectNode card = validCard();
        assertTrue(ModelCard.read(write("demo.json", card)).portraitDetail().isEmpty());
        ObjectNode d = card.putObject("inference").putObject("portrait_detail");
        d.put("model", "portrait-unet").put("weight", 0.7).put("min_agreement", 0.6);
        ModelCard.PortraitDetail p = ModelCard.read(write("demo.json", card)).portraitDetail().orElseThrow();
        assertEquals("portrait-unet", p.model());
        assertEquals(0.7, p.weight());
        assertEquals(0.6, p.minAgreement());
        assertEquals(0.3, p.minBottom(), "defaults for what the card leaves out");
        assertEquals(0, p.sceneSize(), "no scene pass unless the card asks for it");
        d.put("scene_size", 480);
        assertEquals(480, ModelCard.read(write("demo.json", card)).portraitDetail().orElseThrow().sceneSize());
        d.put("scene_size", 12.5);
        ModelException bad = assertThrows(ModelException.class, () -> ModelCard.read(write("demo.json", card)));
        assertTrue(bad.getMessage().contains("scene_size must be a whole number"), bad.getMessage());
        d.remove("scene_size");
        d.put("weight", 1.5);
        ModelException e = assertThrows(ModelException.class, () -> ModelCard.read(write("demo.json", card)));
        assertTrue(e.getMessage().contains("portrait_detail.weight must be a number in [0, 1]"), e.getMessage());
        d.remove("model");
        d.put("weight", 0.5);
        e = assertThrows(ModelException.class, () -> ModelCard.read(write("demo.json", card)));
        assertTrue(e.getMessage().contains("needs a 'model' name"), e.getMessage());
    }

    @Test
    void readsTheColourRefinementAndRefusesBadValues() throws Exception {
        ObjectNode card = validCard();
        assertTrue(ModelCard.read(write("demo.json", card)).colourRefine().isEmpty(), "off unless the card asks");
        ObjectNode r = card.putObject("inference").putObject("colour_refine");
        r.put("low", 0.2);
        ModelCard.ColourRefine c = ModelCard.read(write("demo.json", card)).colourRefine().orElseThrow();
        assertEquals(0.2, c.low());
        assertEquals(0.95, c.high(), "defaults for what the card leaves out");
        assertEquals(3, c.iterations());
        assertEquals(480, c.maxSide());
        r.put("high", 0.4);
        ModelException e = assertThrows(ModelException.class, () -> ModelCard.read(write("demo.json", card)));
        assertTrue(e.getMessage().contains("0 <= low < 0.5 < high <= 1"), e.getMessage());
        r.put("high", 0.95).put("iterations", 0);
        e = assertThrows(ModelException.class, () -> ModelCard.read(write("demo.json", card)));
        assertTrue(e.getMessage().contains("colour_refine.iterations must be a whole number in [1, 20]"), e.getMessage());
        r.put("iterations", 2).put("max_side", 8);
        e = assertThrows(ModelException.class, () -> ModelCard.read(write("demo.json", card)));
        assertTrue(e.getMessage().contains("colour_refine.max_side must be a whole number"), e.getMessage());
        r.put("max_side", 400).put("low", "a lot");
        e = assertThrows(ModelException.class, () -> ModelCard.read(write("demo.json", card)));
        assertTrue(e.getMessage().contains("colour_refine.low must be a number"), e.getMessage());
        r.put("low", 0.1);
        ModelCard.ColourRefine ok = ModelCard.read(write("demo.json", card)).colourRefine().orElseThrow();
        assertEquals(new ModelCard.ColourRefine(0.1, 0.95, 2, 400), ok);
        card.putObject("inference").put("colour_refine", 1);
        e = assertThrows(ModelException.class, () -> ModelCard.read(write("demo.json", card)));
        assertTrue(e.getMessage().contains("colour_refine must be an object"), e.getMessage());
    }

    @Test
    void readsTheZoomPassAndRefusesBadValues() throws Exception {
        ObjectNode card = validCard();
        assertTrue(ModelCard.read(write("demo.json", card)).zoom().isEmpty(), "off unless the card asks");
        ObjectNode z = card.putObject("inference").putObject("zoom");
        z.put("margin", 0.3);
        assertEquals(new ModelCard.Zoom(0.7, 0.3, 0.02), ModelCard.read(write("demo.json", card)).zoom().orElseThrow());
        z.put("max_area", 0);
        ModelException e = assertThrows(ModelException.class, () -> ModelCard.read(write("demo.json", card)));
        assertTrue(e.getMessage().contains("zoom.max_area must be a number in (0, 1]"), e.getMessage());
        z.put("max_area", 0.5).put("margin", "wide");
        e = assertThrows(ModelException.class, () -> ModelCard.read(write("demo.json", card)));
        assertTrue(e.getMessage().contains("zoom.margin must be a number in [0, 2]"), e.getMessage());
        z.put("margin", 0.2).put("min_component", -0.5);
        e = assertThrows(ModelException.class, () -> ModelCard.read(write("demo.json", card)));
        assertTrue(e.getMessage().contains("zoom.min_component must be a number in [0, 1]"), e.getMessage());
    }

    @Test
    void readsFlipAverageAndRefusesNonBoolean() throws Exception {
        ObjectNode card = validCard();
        card.putObject("inference").put("flip_average", true);
        assertTrue(ModelCard.read(write("demo.json", card)).flipAverage());
        card.putObject("inference").put("flip_average", "yes");
        ModelException e = assertThrows(ModelException.class, () -> ModelCard.read(write("demo.json", card)));
        assertTrue(e.getMessage().contains("inference.flip_average must be true or false"), e.getMessage());
        card.put("inference", 3);
        e = assertThrows(ModelException.class, () -> ModelCard.read(write("demo.json", card)));
        assertTrue(e.getMessage().contains("'inference' must be an object"), e.getMessage());
    }

    @Test
    void parsesShippedTinyCards() throws Exception {
        ModelCard u = TestModels.unet(), m = TestModels.mnet();
        assertEquals(ModelCard.Task.SEGMENTATION, u.task());
        assertEquals(ModelCard.Task.TRIMAP_MATTING, m.task());
        assertEquals(6, m.input().channels());
        assertEquals("one-hot-3", m.input().trimapEncoding());
    }

    @Test
    void listsEveryMissingField() throws Exception {
        ObjectNode card = validCard();
        card.remove("sha256");
        ((ObjectNode) card.get("input")).remove("name");
        ModelException e = assertThrows(ModelException.class, () -> ModelCard.read(write("demo.json", card)));
        assertTrue(e.getMessage().contains("missing field 'sha256'"), e.getMessage());
        assertTrue(e.getMessage().contains("missing field 'name'"), e.getMessage());
        assertTrue(e.getMessage().startsWith("Model card demo.json: "), e.getMessage());
    }

    @Test
    void refusesUnknownTask() throws Exception {
        ObjectNode card = validCard();
        card.put("task", "depth");
        ModelException e = assertThrows(ModelException.class, () -> ModelCard.read(write("demo.json", card)));
        assertTrue(e.getMessage().contains("unknown task 'depth'"), e.getMessage());
    }

    @Test
    void refusesChannelsThatDoNotFitTheTask() throws Exception {
        ObjectNode card = validCard();
        ((ObjectNode) card.get("input")).put("channels", 4);
        ModelException e = assertThrows(ModelException.class, () -> ModelCard.read(write("demo.json", card)));
        assertTrue(e.getMessage().contains("input.channels is 4 but task segmentation needs 3"), e.getMessage());

        ObjectNode matting = validCard();
        matting.put("task", "trimap-matting");
        ModelException e2 = assertThrows(ModelException.class, () -> ModelCard.read(write("m.json", matting)));
        assertTrue(e2.getMessage().contains("needs 6"), e2.getMessage());
        assertTrue(e2.getMessage().contains("trimap_encoding"), e2.getMessage());
    }

    /** A refiner of another engine's α reads it as a seventh plane; only closed-form can be that engine. */
    @Test
    void readsABaseAlphaAndRefusesOneThatDoesNotFit() throws Exception {
        ModelCard r = TestModels.refiner();
        assertEquals(ModelCard.Task.TRIMAP_MATTING, r.task());
        assertEquals(7, r.input().channels());
        assertEquals("closed-form", r.input().baseAlpha());
        assertNull(TestModels.mnet().input().baseAlpha());

        ObjectNode m = validCard();
        m.put("task", "trimap-matting");
        ObjectNode in = (ObjectNode) m.get("input");
        in.put("channels", 7).put("trimap_encoding", "one-hot-3").put("base_alpha", "closed-form");
        assertEquals("closed-form", ModelCard.read(write("m.json", m)).input().baseAlpha());

        in.put("channels", 6);
        ModelException six = assertThrows(ModelException.class, () -> ModelCard.read(write("m.json", m)));
        assertTrue(six.getMessage().contains("with a base alpha needs 7"), six.getMessage());
        in.put("channels", 7).put("base_alpha", "guided-filter");
        ModelException other = assertThrows(ModelException.class, () -> ModelCard.read(write("m.json", m)));
        assertTrue(other.getMessage().contains("input.base_alpha must be closed-form, got 'guided-filter'"), other.getMessage());

        ObjectNode seg = validCard();
        ((ObjectNode) seg.get("input")).put("base_alpha", "closed-form");
        ModelException s = assertThrows(ModelException.class, () -> ModelCard.read(write("s.json", seg)));
        assertTrue(s.getMessage().contains("input.base_alpha is only for trimap-matting models"), s.getMessage());
    }

    @Test
    void refusesBadValues() throws Exception {
        ObjectNode card = validCard();
        card.put("format", "something-else/2");
        card.put("sha256", "ABC");
        card.put("file", "../evil.onnx");
        ((ObjectNode) card.get("input").get("size")).put("working_size", 300);
        ((ObjectNode) card.get("output")).put("channels", 3);
        ModelException e = assertThrows(ModelException.class, () -> ModelCard.read(write("demo.json", card)));
        for (String s : List.of("unsupported format", "sha256 must be 64", "plain file name", "not a multiple of 32", "output.channels must be 1"))
            assertTrue(e.getMessage().contains(s), s + " not in: " + e.getMessage());
    }

    @Test
    void refusesBrokenJsonAndMissingCard() throws Exception {
        ModelException e = assertThrows(ModelException.class, () -> ModelCard.read(write("bad.json", "{\"name\": ")));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        ModelException e2 = assertThrows(ModelException.class, () -> ModelCard.read(tmp.resolve("none.json")));
        assertTrue(e2.getMessage().contains("missing file"), e2.getMessage());
    }

    @Test
    void fixedSizeRule() throws Exception {
        ObjectNode card = validCard();
        ObjectNode size = JSON.createObjectNode().put("rule", "fixed").put("width", 320).put("height", 256);
        ((ObjectNode) card.get("input")).set("size", size);
        ModelCard c = ModelCard.read(write("demo.json", card));
        assertTrue(c.input().size().fixed());
        assertEquals(320, c.input().size().width());
        assertEquals(256, c.input().size().height());
        assertEquals(1, c.input().size().unit());
    }

    @Test
    void scanListsCardsWithTheirProblems() throws Exception {
        write("a-good.json", validCard());
        Files.write(tmp.resolve("demo.onnx"), new byte[] {1, 2, 3});
        ObjectNode noFile = validCard();
        noFile.put("name", "lost").put("file", "lost.onnx");
        write("b-lost.json", noFile);
        write("c-broken.json", "not json");
        write("a-good.check.json", "{}"); // check files are not cards
        List<ModelRepository.Entry> entries = ModelRepository.scan(tmp);
        assertEquals(3, entries.size());
        assertTrue(entries.get(0).ok());
        assertEquals("demo", entries.get(0).name());
        assertFalse(entries.get(1).ok());
        assertTrue(entries.get(1).problem().contains("lost.onnx: missing file"), entries.get(1).problem());
        assertFalse(entries.get(2).ok());
        assertTrue(ModelRepository.find(entries, ModelCard.Task.SEGMENTATION, null).isPresent());
        assertTrue(ModelRepository.find(entries, ModelCard.Task.TRIMAP_MATTING, null).isEmpty());
        assertTrue(ModelRepository.scan(tmp.resolve("nowhere")).isEmpty());
        assertFalse(ModelRepository.defaultDirs().isEmpty());
    }

    @Test
    void deviceParsing() {
        assertEquals(Device.CPU, Device.parse("CPU"));
        assertEquals(Device.CUDA, Device.parse("gpu"));
        assertEquals(Device.AUTO, Device.parse(null));
        assertThrows(IllegalArgumentException.class, () -> Device.parse("tpu"));
    }

    @Test
    void tileStartsCoverWithOverlapAndAlignment() {
        int[] s = Tensors.tileStarts(1000, 256, 64, 32);
        assertEquals(0, s[0]);
        for (int i = 1; i < s.length; i++) {
            assertEquals(0, s[i] % 32);
            assertTrue(s[i - 1] + 256 - s[i] >= 64, "overlap too small");
        }
        assertTrue(s[s.length - 1] + 256 >= 1000);
        assertArrayEquals(new int[] {0}, Tensors.tileStarts(200, 256, 64, 32));
        // weights of two overlapping tiles sum to one across the overlap
        float[] a = Tensors.axisWeights(0, 256, 1000, 64), b = Tensors.axisWeights(192, 256, 1000, 64);
        for (int x = 192; x < 256; x++) assertEquals(1f, a[x] + b[x - 192], 1e-5f, "x=" + x);
    }
}
