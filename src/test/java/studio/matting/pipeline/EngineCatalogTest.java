package studio.matting.pipeline;

import org.junit.jupiter.api.Test;
import studio.matting.inference.Device;
import studio.matting.inference.InferenceRuntime;
import studio.matting.inference.ModelRepository;

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
}
