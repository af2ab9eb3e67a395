package studio.matting.pipeline;

import org.junit.jupiter.api.Test;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.inference.Device;
import studio.matting.inference.InferenceRuntime;
import studio.matting.inference.ModelRepository;
import studio.matting.segment.ReducedInputSegmenter;
import studio.matting.segment.Segmenter;
import studio.matting.task.TaskContext;

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
}
