package studio.matting.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.matting.inference.ModelRepository;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ModelsCommandTest {
    @TempDir Path tmp;
    private String oldProp;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    @BeforeEach
    void userFolder() {
        oldProp = System.getProperty(ModelRepository.USER_PROPERTY);
        System.setProperty(ModelRepository.USER_PROPERTY, tmp.resolve("user").toString());
    }

    @AfterEach
    void restore() {
        if (oldProp == null) System.clearProperty(ModelRepository.USER_PROPERTY);
        else System.setProperty(ModelRepository.USER_PROPERTY, oldProp);
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        PrintStream o = System.out, e = System.err;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            return MattingCli.run(args);
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }

    private static Path resource(String name) throws Exception {
        return Path.of(ModelsCommandTest.class.getResource("/models/families/" + name).toURI());
    }

    @Test
    void importListRemove() throws Exception {
        assertTrue(MattingCli.isCliInvocation(new String[] {"models", "list"}));
        Path src = Files.copy(resource("tiny-birefnet.onnx"), tmp.resolve("BiRefNet-general-epoch_244.onnx"));
        assertEquals(0, run("models", "import", src.toString(), "--name", "birefnet-general"), err.toString());
        String o = out.toString(StandardCharsets.UTF_8);
        assertTrue(o.contains("Imported birefnet-general as birefnet (from the file name)"), o);
        assertTrue(o.contains("output  output_image float32 [1,1,320,320]   <- used"), o);
        assertTrue(o.contains("fixed 320x320 squash, NCHW, /max, logits, min-max"), o);
        assertTrue(Files.isRegularFile(tmp.resolve("user/birefnet-general.onnx")));
        assertTrue(Files.isRegularFile(tmp.resolve("user/birefnet-general.json")));

        assertEquals(0, run("models", "list"));
        String list = out.toString(StandardCharsets.UTF_8);
        String row = list.lines().filter(l -> l.startsWith("birefnet-general ")).findFirst().orElseThrow(() -> new AssertionError(list));
        assertTrue(row.contains("birefnet") && row.contains("segmentation") && row.endsWith("(user)"), row);

        assertEquals(0, run("models", "remove", "birefnet-general"), err.toString());
        assertFalse(Files.exists(tmp.resolve("user/birefnet-general.onnx")));
        assertFalse(Files.exists(tmp.resolve("user/birefnet-general.json")));
        assertEquals(1, run("models", "remove", "birefnet-general"));
        assertTrue(err.toString().startsWith("error: No model named 'birefnet-general'"), err.toString());
    }

    @Test
    void refusalSaysWhyAndCopiesNothing() throws Exception {
        Path src = Files.copy(resource("tiny-two-inputs.onnx"), tmp.resolve("u2net_human_seg.onnx"));
        assertEquals(1, run("models", "import", src.toString()));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.startsWith("error: Model u2net_human_seg.onnx does not fit family u2net: u2net expects one float32 RGB image input"), e);
        assertTrue(e.contains("Nothing was imported."), e);
        assertFalse(Files.exists(tmp.resolve("user")));
        assertEquals(2, run("models", "import", src.toString(), "--family", "sam"));
        assertTrue(err.toString().contains("unknown family 'sam'"), err.toString());
    }
}
