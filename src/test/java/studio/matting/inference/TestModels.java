package studio.matting.inference;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The tiny random test models and one ONNX Runtime shared by all inference tests (session creation is slow). */
final class TestModels {
    static final InferenceRuntime RUNTIME = new InferenceRuntime(Device.CPU);

    private TestModels() { }

    static Path dir() {
        URL u = TestModels.class.getResource("/models/tiny-unet.json");
        if (u == null) throw new IllegalStateException("test models missing from src/test/resources/models");
        try {
            return Path.of(u.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static ModelCard unet() throws ModelException {
        return ModelCard.read(dir().resolve("tiny-unet.json"));
    }

    static ModelCard mnet() throws ModelException {
        return ModelCard.read(dir().resolve("tiny-mnet.json"));
    }

    /** A random refiner of closed-form's α (card input.base_alpha); in a folder of its own, so scans of dir() do not see it. */
    static ModelCard refiner() throws ModelException {
        return ModelCard.read(dir().resolve("refine/tiny-refine.json"));
    }
}
