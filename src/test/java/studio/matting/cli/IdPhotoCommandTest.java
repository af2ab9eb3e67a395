package studio.matting.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import studio.matting.image.ByteImage;
import studio.matting.image.ImageFiles;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** `idphoto` on the bundled sample: exact preset pixel size, DPI in the file, background colour, print sheet. */
class IdPhotoCommandTest {
    static final Path SAMPLE = Path.of("assets/portrait.png"), MASK = Path.of("assets/portrait-mask.png");

    @TempDir
    Path dir;

    record Run(int code, String out) { }

    static Run idphoto(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        IdPhotoCommand cmd = new IdPhotoCommand();
        cmd.out = new PrintStream(o, true, StandardCharsets.UTF_8);
        CommandLine cl = MattingCli.configure(new CommandLine(cmd));
        cl.setOut(new PrintWriter(cmd.out, true));
        cl.setErr(new PrintWriter(cmd.out, true));
        return new Run(cl.execute(args), o.toString(StandardCharsets.UTF_8));
    }

    @Test
    void oneInchAt300DpiWithSheet() throws Exception {
        Path out = dir.resolve("id.jpg"), sheet = dir.resolve("sheet.png");
        Run r = idphoto(SAMPLE.toString(), "--mask", MASK.toString(), "--kernel", "5", "--iterations", "3",
                "--preset", "1inch", "--bg", "blue", "--dpi", "300", "-o", out.toString(), "--sheet", sheet.toString());
        assertEquals(0, r.code(), r.out());
        ByteImage photo = ImageFiles.readRgb(out);
        assertEquals(295, photo.width);
        assertEquals(413, photo.height);
        assertEquals(300, ImageFiles.readDpi(out), 0.5);
        // the top corners are background: the preset blue (JPEG tolerance)
        assertEquals(67, photo.get(3, 3, 0), 4);
        assertEquals(142, photo.get(3, 3, 1), 4);
        assertEquals(219, photo.get(3, 3, 2), 4);
        ByteImage sh = ImageFiles.readRgb(sheet);
        assertEquals(1200, sh.width);
        assertEquals(1800, sh.height);
        assertTrue(r.out().contains("copies on 4x6 in"), r.out());
    }

    @Test
    void maxKbIsRespectedAndUnknownPresetIsAUsageError() throws Exception {
        Path out = dir.resolve("small.jpg");
        Run r = idphoto(SAMPLE.toString(), "--mask", MASK.toString(), "--preset", "passport", "--dpi", "300", "--max-kb", "20", "-o", out.toString());
        assertEquals(0, r.code(), r.out());
        assertTrue(Files.size(out) <= 20 * 1024, "size " + Files.size(out));
        ByteImage photo = ImageFiles.readRgb(out);
        assertEquals(390, photo.width);
        assertEquals(567, photo.height);

        Run bad = idphoto(SAMPLE.toString(), "--mask", MASK.toString(), "--preset", "3inch", "-o", dir.resolve("x.jpg").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.out().contains("unknown ID-photo preset"), bad.out());
        assertFalse(Files.exists(dir.resolve("x.jpg")));
    }

    @Test
    void matteWithSizeWritesIdPhotosInBatch() throws Exception {
        Path out = dir.resolve("batch");
        MatteCommand cmd = new MatteCommand();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        cmd.out = new PrintStream(o, true, StandardCharsets.UTF_8);
        cmd.err = cmd.out;
        int code = MattingCli.configure(new CommandLine(cmd)).execute(SAMPLE.toString(), "--mask", MASK.toString(), "-o", out.toString(),
                "--size", "2inch", "--bg", "white", "--format", "jpg", "--dpi", "300");
        assertEquals(0, code, o.toString(StandardCharsets.UTF_8));
        ByteImage photo = ImageFiles.readRgb(out.resolve("portrait-composite.jpg"));
        assertEquals(413, photo.width);
        assertEquals(579, photo.height);
        assertTrue(Files.exists(out.resolve("portrait-alpha.png")));
    }
}
