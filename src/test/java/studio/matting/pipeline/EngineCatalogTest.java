package studio.matting.pipeline;

import org.junit.jupiter.api.Test;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.inference.Device;
import studio.matting.inference.InferenceRuntime;
import studio.matting.inference.ModelRepository;
import studio.matting.matting.MattingEngine;
import studio.matting.segment.ColourRefinedSegmenter;
import studio.matting.segment.PortraitDetailSegmenter;
import studio.matting.segment.ReducedInputSegmenter;
import studio.matting.segment.Segmenter;
import studio.matting.segment.ZoomSegmenter;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The one engine registry: classical engines always, models from a folder, the {@code mnet} alias, clear misses. */
class EngineCatalogTest {
    private static Engines.Catalog catalog(List<ModelRepository.Entry> models) {
        return new Engines.Catalog(models, new InferenceRuntime(Device.CPU));
    }

    private static Path testModels() throws Exception {
        return Path.of(EngineCatalogTest.class.getResource("/models/tiny-unet.json").toURI()).getParent();
    }

    @Test
    void withoutModelsOnlyClosedFormAndAClearMiss() {
        Engines.Catalog c = catalog(List.of());
        assertEquals(List.of("closed-form"), c.mattingIds());
        assertEquals("closed-form", c.matting("closed-form").id());
        assertNotSame(c.matting("closed-form"), c.matting("closed-form"), "each lookup makes its own engine");
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> c.matting("nope"));
        assertTrue(ex.getMessage().contains("closed-form"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.matting(Engines.MNET_ALIAS), "no model: the alias names nothing");
        assertTrue(c.segmenters().isEmpty());
        assertTrue(c.segmenter(null).isEmpty());
    }

    @Test
    void modelsFromAFolderRegisterByCardNameAndMnetPicksTheFirstMattingModel() throws Exception {
        Engines.Catalog c = catalog(ModelRepository.scan(testModels()));
        assertEquals(List.of("closed-form", "tiny-mnet"), c.mattingIds());
        assertEquals("tiny-mnet", c.matting("tiny-mnet").id());
        assertEquals("tiny-mnet", c.matting(Engines.MNET_ALIAS).id());
        assertEquals(List.of("tiny-unet"), c.segmenterIds());
        assertEquals("tiny-unet", c.segmenter(null).orElseThrow().id());
        assertEquals("tiny-unet", c.segmenter("tiny-unet").orElseThrow().id());
        assertTrue(c.segmenter("other").isEmpty());
        assertEquals(2, c.mattingEngines().size());
        assertTrue(c.modelProblems().isEmpty());
    }

    @Test
    void catalogueSegmentersTakeALargePhotoReducedAndASmallOneAsItIs() throws Exception {
        Engines.Catalog c = catalog(ModelRepository.scan(testModels()));
        Segmenter s = c.segmenter(null).orElseThrow();
        assertTrue(s instanceof ReducedInputSegmenter, s.getClass().getName());
        ReducedInputSegmenter r = (ReducedInputSegmenter) s;
        assertEquals(1, r.factor(1200, 1600), "a 1200 x 1600 photo goes in whole");
        assertEquals(3, r.factor(3000, 4000), "12 MP: 1/3, the long side stays >= 1024");
        // the mask still comes back at the photo's size
        ByteImage photo = new ByteImage(2100, 3000, 3);
        FloatImage m = s.segment(photo, TaskContext.NONE);
        assertTrue(m.sameSize(2100, 3000) && m.channels == 1);
    }

    @TempDir Path tmp;

    /** A card with input.base_alpha registers under its name as closed-form followed by the model's correction. */
    @Test
    void aRefinerCardRunsClosedFormFirst() throws Exception {
        Path refine = testModels().resolve("refine");
        for (String f : new String[] {"tiny-refine.json", "tiny-refine.onnx"}) Files.copy(refine.resolve(f), tmp.resolve(f));
        Engines.Catalog c = catalog(ModelRepository.scan(tmp));
        assertEquals(List.of("closed-form", "tiny-refine"), c.mattingIds());
        MattingEngine r = c.matting("tiny-refine");
        assertEquals("tiny-refine", r.id());
        assertTrue(r.displayName().startsWith(c.matting("closed-form").displayName() + " + refiner"), r.displayName());
        ByteImage photo = new ByteImage(64, 64, 3);
        for (int i = 0; i < photo.data.length; i++) photo.data[i] = (byte) (i * 31 % 251);
        Trimap t = new Trimap(64, 64);
        for (int y = 0; y < 64; y++)
            for (int x = 0; x < 64; x++) t.data[y * 64 + x] = (byte) (x < 20 ? Trimap.BACKGROUND : x < 44 ? Trimap.UNKNOWN : Trimap.FOREGROUND);
        FloatImage a = r.matte(photo, t, TaskContext.NONE);
        assertEquals(0f, a.data[10], "known background");
        assertEquals(1f, a.data[50], "known foreground");
        for (float v : a.data) assertTrue(v >= 0f && v <= 1f, "alpha in [0, 1]: " + v);
    }

    /** tiny-unet under another card name, with the given inference block. */
    private void installTinyUnet(String name, ObjectNode inference) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode card = (ObjectNode) json.readTree(Files.readString(testModels().resolve("tiny-unet.json")));
        card.put("name", name).put("file", name + ".onnx");
        if (inference != null) card.set("inference", inference);
        Files.copy(testModels().resolve("tiny-unet.onnx"), tmp.resolve(name + ".onnx"));
        Files.writeString(tmp.resolve(name + ".json"), json.writeValueAsString(card));
    }

    @Test
    void theColourRefinementSettlesTheScenePassOrTheWholeMaskWithoutASpecialist() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode withSpecialist = (ObjectNode) json.readTree("""
            {"portrait_detail": {"model": "spec", "scene_size": 96},
             "zoom": {"max_area": 0.6},
             "colour_refine": {"low": 0.15, "high": 0.95, "iterations": 2, "max_side": 100}}""");
        installTinyUnet("general", withSpecialist);
        installTinyUnet("spec", null);
        installTinyUnet("alone", (ObjectNode) json.readTree("{\"colour_refine\": {}}"));
        installTinyUnet("plain", null);
        Engines.Catalog c = catalog(ModelRepository.scan(tmp));
        assertTrue(c.modelProblems().isEmpty(), c.modelProblems().toString());

        Segmenter general = ((ReducedInputSegmenter) c.segmenter("general").orElseThrow()).inner();
        PortraitDetailSegmenter pd = assertInstanceOf(PortraitDetailSegmenter.class, general);
        ColourRefinedSegmenter scene = assertInstanceOf(ColourRefinedSegmenter.class, pd.scene(),
                "whole bodies and scenes are settled by colour");
        assertInstanceOf(ZoomSegmenter.class, scene.inner(), "after a second look at small people");
        // busts keep the specialist's edge: the chain itself is not refined

        Segmenter alone = ((ReducedInputSegmenter) c.segmenter("alone").orElseThrow()).inner();
        ColourRefinedSegmenter refined = assertInstanceOf(ColourRefinedSegmenter.class, alone, "no specialist: every mask");
        assertFalse(refined.inner() instanceof ZoomSegmenter, "no zoom unless the card asks");
        Segmenter plain = ((ReducedInputSegmenter) c.segmenter("plain").orElseThrow()).inner();
        assertFalse(plain instanceof ColourRefinedSegmenter, "off unless the card asks");

        // and it runs: a mask of the photo's size comes back
        ByteImage photo = new ByteImage(90, 120, 3);
        for (int i = 0; i < photo.data.length; i++) photo.data[i] = (byte) (i * 31 % 251);
        FloatImage m = c.segmenter("general").orElseThrow().segment(photo, TaskContext.NONE);
        assertTrue(m.sameSize(90, 120) && m.channels == 1);
    }
}
