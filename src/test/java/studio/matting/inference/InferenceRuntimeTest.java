package studio.matting.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class InferenceRuntimeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    /** Copies a tiny model and its card into tmp, letting the test edit the card (and optionally replace the .onnx). */
    private Path copyModel(String name, java.util.function.Consumer<ObjectNode> edit) throws Exception {
        Files.copy(TestModels.dir().resolve(name + ".onnx"), tmp.resolve(name + ".onnx"));
        ObjectNode card = (ObjectNode) JSON.readTree(TestModels.dir().resolve(name + ".json").toFile());
        edit.accept(card);
        Path p = tmp.resolve(name + ".json");
        Files.writeString(p, JSON.writeValueAsString(card));
        return p;
    }

    @Test
    void reusableBufferIsDirectSizedAndTheThreadsOwn() throws Exception {
        FloatBuffer a = InferenceRuntime.reusable(1000);
        assertTrue(a.isDirect());
        assertEquals(1000, a.capacity());
        a.put(999, 7f);
        FloatBuffer b = InferenceRuntime.reusable(500); // smaller: the same memory again
        assertEquals(500, b.capacity());
        a.put(0, 3f);
        assertEquals(3f, b.get(0), "same memory");
        FloatBuffer c = InferenceRuntime.reusable(5000); // larger: grown
        assertEquals(5000, c.capacity());
        FloatBuffer[] other = new FloatBuffer[1];
        Thread t = new Thread(() -> other[0] = InferenceRuntime.reusable(5000));
        t.start();
        t.join();
        c.put(0, 1f);
        other[0].put(0, 2f);
        assertEquals(1f, c.get(0), "another thread has its own buffer");
        assertEquals(java.nio.ByteOrder.nativeOrder(), c.order());
        // a fork/join worker may be handed other work while it waits, so it never shares one
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(1);
        try {
            boolean shared = pool.submit(() -> {
                FloatBuffer x = InferenceRuntime.reusable(100), y = InferenceRuntime.reusable(100);
                x.put(0, 1f);
                y.put(0, 2f);
                return x.get(0) == 2f;
            }).get();
            assertFalse(shared, "a pool worker gets its own buffer per call");
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void checkJsonMatchesPyTorchForBothModels() throws Exception {
        for (String name : new String[] {"tiny-unet", "tiny-mnet"})
            assertMatchesPyTorch(TestModels.dir(), name);
        assertMatchesPyTorch(TestModels.dir().resolve("refine"), "tiny-refine"); // seven input planes
    }

    /** The models the editor ships: their cards verify (SHA-256, graph) and ONNX Runtime reproduces PyTorch. */
    @Test
    void bundledModelsMatchTheirPyTorchReference() throws Exception {
        Path models = Path.of("models");
        Assumptions.assumeTrue(Files.isDirectory(models), "no models/ in " + Path.of("").toAbsolutePath());
        for (String name : new String[] {"person-unet", "portrait-unet", "mnet", "mnet-refine"})
            assertMatchesPyTorch(models, name);
    }

    /** Replays NAME.check.json (written by training/export.py from PyTorch) through ONNX Runtime. */
    private static void assertMatchesPyTorch(Path dir, String name) throws Exception {
        ModelCard card = ModelCard.read(dir.resolve(name + ".json"));
        JsonNode check = JSON.readTree(dir.resolve(name + ".check.json").toFile());
        int n = check.get("input_shape").get(0).asInt(), c = check.get("input_shape").get(1).asInt();
        int h = check.get("input_shape").get(2).asInt(), w = check.get("input_shape").get(3).asInt();
        assertEquals(card.input().channels(), c);
        FloatBuffer fb = InferenceRuntime.allocate(n * c * h * w);
        for (int in = 0; in < n; in++)
            for (int ic = 0; ic < c; ic++)
                for (int ih = 0; ih < h; ih++)
                    for (int iw = 0; iw < w; iw++)
                        fb.put((float) (0.5 * Math.sin(0.1 * (ic + 1) * (ih + 1) + 0.05 * (iw + 1))));
        InferenceRuntime.Output out = TestModels.RUNTIME.load(card).run(fb, new long[] {n, c, h, w});
        assertEquals(1, out.c());
        assertEquals(h, out.h());
        assertEquals(w, out.w());
        double tol = check.get("tolerance").asDouble();
        assertTrue(check.get("samples").size() > 0);
        for (JsonNode s : check.get("samples")) {
            int sn = s.get(0).asInt(), sc = s.get(1).asInt(), sh = s.get(2).asInt(), sw = s.get(3).asInt();
            float got = out.data()[((sn * out.c() + sc) * h + sh) * w + sw];
            assertEquals(s.get(4).asDouble(), got, tol, name + " at " + s);
        }
    }

    @Test
    void sessionsAreCachedAndDescribed() throws Exception {
        InferenceRuntime.LoadedModel a = TestModels.RUNTIME.load(TestModels.unet());
        InferenceRuntime.LoadedModel b = TestModels.RUNTIME.load(TestModels.unet());
        assertSame(a, b);
        assertEquals("CPU (requested)", TestModels.RUNTIME.deviceDescription());
        assertTrue(a.device().startsWith("CPU"));
    }

    @Test
    void refusesWrongHash() throws Exception {
        Path card = copyModel("tiny-unet", c -> c.put("sha256", "0".repeat(64)));
        ModelException e = assertThrows(ModelException.class, () -> TestModels.RUNTIME.load(card));
        assertTrue(e.getMessage().startsWith("Model tiny-unet.onnx: SHA-256 mismatch (card says 0000"), e.getMessage());
        assertTrue(e.getMessage().contains("file is " + ModelCard.read(TestModels.dir().resolve("tiny-unet.json")).sha256()), e.getMessage());
    }

    @Test
    void refusesChannelCountThatDiffersFromTheGraph() throws Exception {
        // A consistent card (matting, 6 channels) pointing at the 3-channel segmentation graph.
        Path card = copyModel("tiny-unet", c -> {
            c.put("task", "trimap-matting");
            ((ObjectNode) c.get("input")).put("channels", 6).put("trimap_encoding", "one-hot-3");
        });
        ModelException e = assertThrows(ModelException.class, () -> TestModels.RUNTIME.load(card));
        assertEquals("Model tiny-unet.onnx: the graph takes 3 input channels, the card says 6", e.getMessage());
    }

    @Test
    void refusesWrongInputName() throws Exception {
        Path card = copyModel("tiny-mnet", c -> ((ObjectNode) c.get("input")).put("name", "image"));
        ModelException e = assertThrows(ModelException.class, () -> TestModels.RUNTIME.load(card));
        assertTrue(e.getMessage().contains("has no input 'image'"), e.getMessage());
    }

    @Test
    void refusesMissingOnnx() throws Exception {
        Path card = copyModel("tiny-unet", c -> { });
        Files.delete(tmp.resolve("tiny-unet.onnx"));
        ModelException e = assertThrows(ModelException.class, () -> TestModels.RUNTIME.load(card));
        assertTrue(e.getMessage().startsWith("Model tiny-unet.onnx: missing file"), e.getMessage());
    }

    @Test
    void refusesTextFileRenamedOnnx() throws Exception {
        byte[] text = "this is not a model\n".repeat(10).getBytes(StandardCharsets.UTF_8);
        Path card = copyModel("tiny-unet", c -> c.put("sha256", InferenceRuntime.sha256(text)));
        Files.write(tmp.resolve("tiny-unet.onnx"), text);
        ModelException e = assertThrows(ModelException.class, () -> TestModels.RUNTIME.load(card));
        assertTrue(e.getMessage().startsWith("Model tiny-unet.onnx: not an ONNX file"), e.getMessage());
    }

    @Test
    void forcedCudaFallsBackToCpuWithReason() throws Exception {
        Assumptions.assumeTrue(CudaLibraries.missing().isPresent(), "CUDA libraries present: fallback not testable here");
        try (InferenceRuntime rt = new InferenceRuntime(Device.CUDA)) {
            assertTrue(rt.deviceDescription().startsWith("CPU (CUDA not found: "), rt.deviceDescription());
            InferenceRuntime.LoadedModel m = rt.load(TestModels.unet());
            assertFalse(rt.usingCuda());
            assertTrue(m.device().startsWith("CPU (CUDA not found: "), m.device());
            assertTrue(m.device().contains("missing"), m.device());
            FloatBuffer fb = InferenceRuntime.allocate(3 * 32 * 32);
            InferenceRuntime.Output o = m.run(fb, new long[] {1, 3, 32, 32});
            assertEquals(32 * 32, o.data().length);
            rt.setDevice(Device.CPU);
            assertEquals("CPU (requested)", rt.deviceDescription());
        }
    }

    @Test
    void closedRuntimeRefusesWork() throws Exception {
        InferenceRuntime rt = new InferenceRuntime(Device.CPU);
        InferenceRuntime.LoadedModel m = rt.load(TestModels.unet());
        rt.close();
        assertThrows(ModelException.class, () -> m.run(InferenceRuntime.allocate(3 * 32 * 32), new long[] {1, 3, 32, 32}));
        assertThrows(ModelException.class, () -> rt.load(TestModels.unet()));
    }

    @Test
    void cudaLibraryCheckNamesWhatIsMissing() {
        assertEquals("libfoo.so.1 missing",
                CudaLibraries.missing(java.util.List.of("libfoo.so.1"), java.util.Set.of(tmp)).orElseThrow());
    }

    @Test
    void loadAsyncReturnsTheCachedSession() throws Exception {
        assertSame(TestModels.RUNTIME.load(TestModels.mnet()),
                TestModels.RUNTIME.loadAsync(TestModels.mnet()).get(60, java.util.concurrent.TimeUnit.SECONDS));
    }
}
