package studio.matting.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import studio.matting.image.ByteImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageOps;
import studio.matting.sample.SyntheticPortrait;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapFiles;
import studio.matting.trimap.TrimapGenerator;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The batch CLI on a folder of good and bad files: right outputs, bad files reported, exit code says so. */
class MatteCommandTest {
    @TempDir
    static Path dir;
    static Path in, trimaps;
    static ByteImage image;
    static Trimap trimap;

    @BeforeAll
    static void folder() throws Exception {
        in = Files.createDirectories(dir.resolve("in"));
        trimaps = Files.createDirectories(dir.resolve("trimaps"));
        SyntheticPortrait p = SyntheticPortrait.render(96, 120, 7);
        image = ImageOps.toByte(p.image);
        trimap = TrimapGenerator.fromMask(SyntheticPortrait.coarseMask(p.alpha), 5, 2);
        ImageFiles.writePng(image, in.resolve("good.png"));
        // A PNG behind a .jpg name, and a WebP behind a .jpg name: content decides, not the extension.
        ImageFiles.writePng(image, in.resolve("png-named.jpg"));
        try (InputStream webp = MatteCommandTest.class.getResourceAsStream("/cli/portrait-small.webp")) {
            Files.write(in.resolve("webp-named.jpg"), webp.readAllBytes());
        }
        Files.write(in.resolve("corrupt.jpg"), new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3, 4, 5});
        Files.write(in.resolve("empty.png"), new byte[0]);
        Files.writeString(in.resolve("notes.txt"), "not an image, not picked up");
        for (String n : new String[]{"good", "png-named", "webp-named", "corrupt", "empty"}) TrimapFiles.write(trimap, trimaps.resolve(n + ".png"), true);
    }

    record Run(int code, String out, String err) { }

    static Run matte(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        MatteCommand cmd = new MatteCommand();
        cmd.out = new PrintStream(o, true, StandardCharsets.UTF_8);
        cmd.err = new PrintStream(e, true, StandardCharsets.UTF_8);
        CommandLine cl = MattingCli.configure(new CommandLine(cmd));
        cl.setOut(new java.io.PrintWriter(cmd.out, true));
        cl.setErr(new java.io.PrintWriter(cmd.err, true));
        int code = cl.execute(args);
        return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void goodFilesAreMattedBadOnesReportedAndExitCodeIsOne() throws Exception {
        Path out = dir.resolve("out1");
        Run r = matte(in.toString(), "-o", out.toString(), "--trimap", trimaps.toString(), "--composite", "--bg", "blue", "-j", "2");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("corrupt.jpg"), r.err());
        assertTrue(r.err().contains("empty.png"), r.err());
        assertTrue(r.out().contains("3 done, 0 skipped, 2 failed"), r.out());
        for (String n : new String[]{"good", "png-named", "webp-named"}) {
            assertTrue(Files.exists(out.resolve(n + "-alpha.png")), n);
            assertTrue(Files.exists(out.resolve(n + "-cutout.png")), n);
            assertTrue(Files.exists(out.resolve(n + "-composite.png")), n);
        }
        assertFalse(Files.exists(out.resolve("corrupt-alpha.png")));
        assertFalse(Files.exists(out.resolve("notes-alpha.png")));

        // α obeys the trimap: exactly 0 / 255 where the trimap is sure, soft values only in the band.
        ByteImage alpha = ImageFiles.readGray(out.resolve("good-alpha.png"));
        int soft = 0;
        for (int i = 0; i < trimap.data.length; i++) {
            int t = trimap.data[i] & 0xFF, a = alpha.data[i] & 0xFF;
            if (t == Trimap.FOREGROUND) assertEquals(255, a);
            else if (t == Trimap.BACKGROUND) assertEquals(0, a);
            else if (a > 0 && a < 255) soft++;
        }
        assertTrue(soft > 50, "soft edge pixels: " + soft);
        ByteImage cutout = ImageFiles.read(out.resolve("good-cutout.png"));
        assertEquals(4, cutout.channels);
        assertEquals(96, cutout.width);
    }

    @Test
    void existingOutputsAreSkippedUnlessOverwrite() {
        Path out = dir.resolve("out2");
        Path good = in.resolve("good.png");
        assertEquals(0, matte(good.toString(), "-o", out.toString(), "--trimap", trimaps.resolve("good.png").toString()).code());
        Run again = matte(good.toString(), "-o", out.toString(), "--trimap", trimaps.resolve("good.png").toString());
        assertEquals(0, again.code());
        assertTrue(again.out().contains("0 done, 1 skipped"), again.out());
        Run over = matte(good.toString(), "-o", out.toString(), "--trimap", trimaps.resolve("good.png").toString(), "--overwrite");
        assertTrue(over.out().contains("1 done"), over.out());
    }

    @Test
    void recursiveKeepsTheFolderStructure() throws Exception {
        Path nested = Files.createDirectories(dir.resolve("tree/a/b"));
        ImageFiles.writePng(image, nested.resolve("deep.png"));
        TrimapFiles.write(trimap, trimaps.resolve("deep.png"), true);
        Path out = dir.resolve("out3");
        Run flat = matte(dir.resolve("tree").toString(), "-o", out.toString(), "--trimap", trimaps.toString());
        assertEquals(1, flat.code(), "no images at the top level without -r: " + flat.err());
        Run r = matte(dir.resolve("tree").toString(), "-r", "-o", out.toString(), "--trimap", trimaps.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("a/b/deep-alpha.png")));
    }

    @Test
    void unknownEngineAndBadBackgroundAreUsageErrors() {
        Run r = matte(in.resolve("good.png").toString(), "-o", dir.resolve("o4").toString(), "--engine", "nope");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("unknown matting engine"), r.err());
        Run b = matte(in.resolve("good.png").toString(), "-o", dir.resolve("o5").toString(), "--bg", "#12345");
        assertNotEquals(0, b.code());
        Run none = matte(in.resolve("good.png").toString(), "-o", dir.resolve("o6").toString(), "--no-alpha", "--no-cutout");
        assertEquals(2, none.code(), none.err());
        assertTrue(none.err().contains("nothing to write"), none.err());
        assertFalse(Files.exists(dir.resolve("o6")));
    }
}
