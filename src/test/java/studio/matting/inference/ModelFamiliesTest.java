package studio.matting.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.task.TaskContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Importing the tiny models exported in other projects' conventions (training/make_family_test_models.py) and running
 * them through the segmentation engine: every family rule (size, normalisation, output choice, logits, min-max, NHWC)
 * must give the mask PyTorch computed for the same image.
 */
class ModelFamiliesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;
    private Path user, downloads;
    private String oldProp;

    @BeforeEach
    void userFolder() throws IOException {
        user = tmp.resolve("user-models");
        downloads = Files.createDirectories(tmp.resolve("downloads"));
        oldProp = System.getProperty(ModelRepository.USER_PROPERTY);
        System.setProperty(ModelRepository.USER_PROPERTY, user.toString());
    }

    @AfterEach
    void restore() {
        if (oldProp == null) System.clearProperty(ModelRepository.USER_PROPERTY);
        else System.setProperty(ModelRepository.USER_PROPERTY, oldProp);
    }

    static Path families() {
        return TestModels.dir().resolve("families");
    }

    /** The test model copied alone (no card beside it) under another file name, as a user's download would be. */
    private Path download(String model, String asFile) throws IOException {
        return Files.copy(families().resolve(model + ".onnx"), downloads.resolve(asFile));
    }

    /** training/make_family_test_models.py formula_image. */
    static ByteImage formulaImage(int w, int h) {
        ByteImage img = new ByteImage(w, h, 3);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int o = y * img.stride + x * 3;
                img.data[o] = (byte) ((3 * x + 5 * y) % 201);
                img.data[o + 1] = (byte) ((7 * x + 2 * y + 40) % 201);
                img.data[o + 2] = (byte) ((x + 11 * y + 90) % 201);
            }
        return img;
    }

    /** Every check of NAME.check.json against the engine run with the imported card. */
    private void assertMatchesPyTorch(ModelCard imported, String model) throws Exception {
        JsonNode checks = JSON.readTree(families().resolve(model + ".check.json").toFile()).get("checks");
        assertTrue(checks.size() > 0);
        for (JsonNode check : checks) {
            ModelCard card = imported;
            JsonNode changes = check.get("card_changes");
            if (changes != null) {
                ObjectNode raw = ((ObjectNode) imported.raw()).deepCopy();
                changes.fields().forEachRemaining(f -> {
                    String[] path = f.getKey().split("\\.");
                    ObjectNode node = raw;
                    for (int i = 0; i < path.length - 1; i++) node = (ObjectNode) node.get(path[i]);
                    node.set(path[path.length - 1], f.getValue());
                });
                card = ModelCard.parse(raw, imported.cardPath());
            }
            int w = check.get("width").asInt(), h = check.get("height").asInt();
            FloatImage mask = new SegmentationEngine(TestModels.RUNTIME, card).segment(formulaImage(w, h), TaskContext.NONE);
            assertTrue(mask.sameSize(w, h));
            double tol = check.get("tolerance").asDouble();
            String what = model + " " + check.get("name").asText();
            for (JsonNode s : check.get("samples"))
                assertEquals(s.get(2).asDouble(), mask.data[s.get(1).asInt() * w + s.get(0).asInt()], tol, what + " at " + s);
            double mean = 0;
            for (float v : mask.data) mean += v;
            assertEquals(check.get("mean").asDouble(), mean / mask.data.length, tol, what + " mean");
        }
    }

    private ModelImporter.Result importAuto(String model) throws Exception {
        return ModelImporter.importModel(download(model, model + ".onnx"), "auto", null);
    }

    @Test
    void u2netFixedSquareSevenOutputsMinMax() throws Exception {
        ModelImporter.Result r = importAuto("tiny-u2net");
        assertEquals(ModelFamily.U2NET, r.family());
        assertEquals("from the file name", r.why());
        ModelCard c = r.card();
        assertEquals(user.resolve("tiny-u2net.json"), c.cardPath());
        assertTrue(Files.isRegularFile(user.resolve("tiny-u2net.onnx")));
        assertEquals("input.1", c.input().name());
        assertEquals(7, r.graph().outputs().size());
        assertEquals("d0", c.output().name());
        assertTrue(c.input().size().squash());
        assertEquals(320, c.input().size().width());
        assertTrue(c.input().normalisation().imageMax());
        assertTrue(c.output().minMax());
        assertFalse(c.output().logits());
        assertEquals("u2net", c.family());
        assertEquals(ModelImporter.sha256(families().resolve("tiny-u2net.onnx")), c.sha256());
        assertMatchesPyTorch(c, "tiny-u2net");
    }

    @Test
    void isnetUsesTheFirstOutputInGraphOrderNotByName() throws Exception {
        ModelImporter.Result r = importAuto("tiny-isnet");
        assertEquals(ModelFamily.ISNET, r.family());
        assertEquals("mask", r.card().output().name());
        assertArrayEquals(new float[] {1f, 1f, 1f}, r.card().input().normalisation().std());
        assertMatchesPyTorch(r.card(), "tiny-isnet");
    }

    @Test
    void birefnetLogitsGetTheSigmoidThenMinMax() throws Exception {
        ModelImporter.Result r = importAuto("tiny-birefnet");
        assertEquals(ModelFamily.BIREFNET, r.family());
        assertTrue(r.card().output().logits());
        assertMatchesPyTorch(r.card(), "tiny-birefnet");
    }

    @Test
    void modnetDynamicSizeUsesTheReferenceRule() throws Exception {
        ModelImporter.Result r = importAuto("tiny-modnet");
        assertEquals(ModelFamily.MODNET, r.family());
        ModelCard.Size s = r.card().input().size();
        assertTrue(s.reference());
        assertEquals(512, s.workingSize());
        assertEquals(32, s.multiple());
        assertFalse(r.card().output().minMax());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, r.card().input().normalisation().mean());
        assertMatchesPyTorch(r.card(), "tiny-modnet");
    }

    @Test
    void nhwcGraphIsPackedChannelsLast() throws Exception {
        ModelImporter.Result r = importAuto("tiny-u2net-nhwc");
        assertEquals("NHWC", r.card().input().layout());
        assertTrue(r.card().input().nhwc());
        assertMatchesPyTorch(r.card(), "tiny-u2net-nhwc");
    }

    @Test
    void familyFromTheGraphWhenTheNameSaysNothing() throws Exception {
        ModelImporter.Result r = ModelImporter.importModel(download("tiny-isnet", "background.onnx"), null, null);
        assertEquals(ModelFamily.U2NET, r.family()); // a fixed 320 square: what every rembg u2net file has
        assertTrue(r.why().startsWith("from the graph"), r.why());
        assertEquals("background", r.card().name());
        // told otherwise, the same file is an isnet
        ModelImporter.Result told = ModelImporter.importModel(downloads.resolve("background.onnx"), "isnet", "bg-isnet");
        assertEquals(ModelFamily.ISNET, told.family());
        assertMatchesPyTorch(told.card(), "tiny-isnet");
    }

    @Test
    void ownExportKeepsItsCard() throws Exception {
        ModelImporter.Result r = ModelImporter.importModel(TestModels.dir().resolve("tiny-unet.onnx"), "auto", "my-unet");
        assertEquals(ModelFamily.MATTING_STUDIO, r.family());
        ModelCard original = TestModels.unet();
        ModelCard c = r.card();
        assertEquals("my-unet", c.name());
        assertEquals("my-unet.onnx", c.file());
        assertEquals(original.sha256(), c.sha256());
        assertEquals(original.input().size(), c.input().size());
        FloatImage a = new SegmentationEngine(TestModels.RUNTIME, original).segment(formulaImage(96, 64), TaskContext.NONE);
        FloatImage b = new SegmentationEngine(TestModels.RUNTIME, c).segment(formulaImage(96, 64), TaskContext.NONE);
        assertArrayEquals(a.data, b.data, 1e-6f);
    }

    private void assertNothingImported() throws IOException {
        if (!Files.exists(user)) return;
        try (Stream<Path> s = Files.list(user)) {
            assertEquals(0, s.count(), "files left in the user folder");
        }
    }

    @Test
    void twoInputsAreRefusedWithWhatWasExpected() throws Exception {
        Path f = download("tiny-two-inputs", "tiny-two-inputs.onnx");
        ModelException auto = assertThrows(ModelException.class, () -> ModelImporter.importModel(f, "auto", null));
        assertTrue(auto.getMessage().contains("cannot tell its family") && auto.getMessage().contains("inputs 2 ("), auto.getMessage());
        ModelException e = assertThrows(ModelException.class, () -> ModelImporter.importModel(f, "u2net", null));
        String m = e.getMessage();
        assertTrue(m.contains("does not fit family u2net"), m);
        assertTrue(m.contains("expects one float32 RGB image input, [1,3,H,W] or [1,H,W,3]"), m);
        assertTrue(m.contains("the file has 2 inputs"), m);
        assertTrue(m.contains("image float32 [1,3,320,320]") && m.contains("prior float32 [1,3,320,320]"), m);
        assertTrue(m.endsWith("Nothing was imported."), m);
        assertNothingImported();
    }

    @Test
    void notOnnxIsRefused() throws Exception {
        Path fake = Files.writeString(downloads.resolve("u2net.onnx"), "<html>404 Not Found</html>");
        ModelException e = assertThrows(ModelException.class, () -> ModelImporter.importModel(fake, "auto", null));
        assertTrue(e.getMessage().startsWith("Model u2net.onnx: not an ONNX file"), e.getMessage());
        assertNothingImported();
    }

    @Test
    void mattingGraphDoesNotFitAPortraitFamily() throws Exception {
        Path f = Files.copy(TestModels.dir().resolve("tiny-mnet.onnx"), downloads.resolve("tiny-mnet.onnx"));
        ModelException e = assertThrows(ModelException.class, () -> ModelImporter.importModel(f, "modnet", null));
        assertTrue(e.getMessage().contains("does not fit family modnet"), e.getMessage());
        assertTrue(e.getMessage().contains("its input is input float32 [batch,6,height,width]"), e.getMessage());
        assertNothingImported();
    }

    @Test
    void unknownDynamicGraphNeedsAFamily() throws Exception {
        Path f = download("tiny-modnet", "matte.onnx");
        ModelException e = assertThrows(ModelException.class, () -> ModelImporter.importModel(f, "auto", null));
        assertTrue(e.getMessage().contains("cannot tell its family"), e.getMessage());
        assertTrue(e.getMessage().contains("--family"), e.getMessage());
        assertNothingImported();
        assertThrows(IllegalArgumentException.class, () -> ModelImporter.importModel(f, "sam", null));
    }

    @Test
    void cardBesideADifferentFileIsRefused() throws Exception {
        Path f = download("tiny-modnet", "portrait.onnx");
        Files.copy(TestModels.dir().resolve("tiny-unet.json"), downloads.resolve("portrait.json"));
        ModelException e = assertThrows(ModelException.class, () -> ModelImporter.importModel(f, "auto", null));
        assertTrue(e.getMessage().contains("expects SHA-256"), e.getMessage());
        assertNothingImported();
    }

    @Test
    void namesAreUniqueAndRemoveOnlyTouchesTheUserFolder() throws Exception {
        AtomicInteger changes = new AtomicInteger();
        Runnable l = changes::incrementAndGet;
        ModelRepository.addChangeListener(l);
        try {
            importAuto("tiny-u2net");
            assertEquals(1, changes.get());
            ModelException dup = assertThrows(ModelException.class,
                    () -> ModelImporter.importModel(downloads.resolve("tiny-u2net.onnx"), "auto", null));
            assertTrue(dup.getMessage().contains("already exists"), dup.getMessage());
            assertThrows(ModelException.class, () -> ModelImporter.importModel(downloads.resolve("tiny-u2net.onnx"), "auto", "bad/name"));
            assertTrue(ModelRepository.defaultDirs().contains(user));
            assertTrue(ModelImporter.list().stream().anyMatch(x -> x.removable() && x.entry().name().equals("tiny-u2net")));
            assertTrue(ModelRepository.scanDefault().stream().anyMatch(x -> x.ok() && x.name().equals("tiny-u2net")));

            ModelImporter.remove("tiny-u2net");
            assertEquals(2, changes.get());
            assertNothingImported();
            ModelException gone = assertThrows(ModelException.class, () -> ModelImporter.remove("tiny-u2net"));
            assertTrue(gone.getMessage().startsWith("No model named 'tiny-u2net'"), gone.getMessage());
            String bundled = ModelRepository.scanDefault().stream().filter(x -> !user.equals(x.cardPath().getParent()))
                    .map(ModelRepository.Entry::name).findFirst().orElse(null);
            if (bundled != null) {
                ModelException other = assertThrows(ModelException.class, () -> ModelImporter.remove(bundled));
                assertTrue(other.getMessage().contains("only imported models are removed"), other.getMessage());
            }
        } finally {
            ModelRepository.removeChangeListener(l);
        }
    }

    @Test
    void geometryFollowsEachRule() throws Exception {
        ModelCard.Size ref = new ModelCard.Size("reference", 32, 512, 512, 0, 0, "squash");
        // MODNet get_scale_factor: both sides below 512 -> short side 512; both above -> short side 512; else kept
        assertEquals(new SegmentationEngine.Geometry(672, 512, 672, 512), SegmentationEngine.geometry(256, 192, ref));
        assertEquals(new SegmentationEngine.Geometry(672, 512, 672, 512), SegmentationEngine.geometry(4000, 3000, ref));
        assertEquals(new SegmentationEngine.Geometry(512, 672, 512, 672), SegmentationEngine.geometry(300, 400, ref));
        assertEquals(new SegmentationEngine.Geometry(992, 288, 992, 288), SegmentationEngine.geometry(1000, 300, ref));
        assertEquals(new SegmentationEngine.Geometry(512, 384, 512, 384), SegmentationEngine.geometry(512, 384, ref));
        assertEquals(new SegmentationEngine.Geometry(4000, 32, 4000, 32), SegmentationEngine.geometry(4000, 20, ref));
        ModelCard.Size squash = new ModelCard.Size("fixed", 1, 320, 320, 320, 320, "squash");
        assertEquals(new SegmentationEngine.Geometry(320, 320, 320, 320), SegmentationEngine.geometry(1000, 300, squash));
        ModelCard.Size box = new ModelCard.Size("fixed", 1, 320, 320, 320, 320, "letterbox");
        assertEquals(new SegmentationEngine.Geometry(320, 96, 320, 320), SegmentationEngine.geometry(1000, 300, box));
        assertEquals(new SegmentationEngine.Geometry(320, 160, 320, 320), SegmentationEngine.geometry(320, 160, box));
    }

    @Test
    void cardRefusesUnknownConventions() throws Exception {
        ModelImporter.Result r = importAuto("tiny-u2net");
        ObjectNode raw = ((ObjectNode) r.card().raw()).deepCopy();
        ((ObjectNode) raw.get("input")).put("layout", "CHWN");
        ((ObjectNode) raw.get("input").get("size")).put("resize", "crop");
        ((ObjectNode) raw.get("output")).put("rescale", "histogram");
        ((ObjectNode) raw.get("input").get("normalisation")).put("divide_by_image_max", "yes");
        ModelException e = assertThrows(ModelException.class, () -> ModelCard.parse(raw, r.card().cardPath()));
        String m = e.getMessage();
        assertTrue(m.contains("input.layout must be NCHW or NHWC, got 'CHWN'"), m);
        assertTrue(m.contains("input.size.resize must be letterbox or squash, got 'crop'"), m);
        assertTrue(m.contains("output.rescale must be none or min-max, got 'histogram'"), m);
        assertTrue(m.contains("divide_by_image_max must be true or false"), m);
    }

    @Test
    void loadRefusesACardWhoseLayoutDoesNotMatchTheGraph() throws Exception {
        ModelImporter.Result r = importAuto("tiny-u2net-nhwc");
        ObjectNode raw = ((ObjectNode) r.card().raw()).deepCopy();
        ((ObjectNode) raw.get("input")).put("layout", "NCHW");
        ModelCard wrong = ModelCard.parse(raw, r.card().cardPath());
        try (InferenceRuntime rt = new InferenceRuntime(Device.CPU)) { // a fresh one: the shared one caches sessions by file
            ModelException e = assertThrows(ModelException.class, () -> rt.load(wrong));
            assertTrue(e.getMessage().contains("the graph takes 320 input channels, the card says 3"), e.getMessage());
        }
    }
}
