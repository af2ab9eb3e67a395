package studio.matting.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import studio.matting.image.AtomicFiles;
import studio.matting.image.ByteImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageOps;
import studio.matting.inference.InferenceRuntime;
import studio.matting.pipeline.Engines;
import studio.matting.sample.SyntheticPortrait;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The batch command against hostile input and interruptions (issue 15): every file here is made by the test. The
 * kill -9 and SIGTERM cases run the real launcher in a child JVM.
 */
class HostileBatchTest {
    @TempDir
    static Path dir;
    static Path masks;
    static ByteImage image, mask;

    @BeforeAll
    static void files() throws Exception {
        masks = Files.createDirectories(dir.resolve("masks"));
        SyntheticPortrait p = SyntheticPortrait.render(64, 80, 3);
        image = ImageOps.toByte(p.image);
        mask = SyntheticPortrait.coarseMask(p.alpha);
    }

    record Run(int code, String out, String err) {
        String all() { return out + err; }
    }

    static Run matte(String... args) {
        return run(new MatteCommand(), args);
    }

    static Run run(Object command, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(o, true, StandardCharsets.UTF_8), err = new PrintStream(e, true, StandardCharsets.UTF_8);
        if (command instanceof MatteCommand m) { m.out = out; m.err = err; }
        if (command instanceof IdPhotoCommand c) c.out = out;
        CommandLine cl = MattingCli.configure(new CommandLine(command));
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    /** A folder of n images (img1.png …) with masks of the same names in {@link #masks}. */
    static Path batch(String name, int n) throws IOException {
        Path in = Files.createDirectories(dir.resolve(name));
        for (int i = 1; i <= n; i++) {
            ImageFiles.writePng(image, in.resolve("img" + i + ".png"));
            ImageFiles.writePng(mask, masks.resolve("img" + i + ".png"));
        }
        return in;
    }

    static List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static List<String> allNames(Path folder) throws IOException {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(p -> !p.equals(folder)).map(p -> folder.relativize(p).toString()).sorted().toList();
        }
    }

    static void assertWholeSet(Path out, String stem) {
        for (String suffix : new String[] {"-alpha.png", "-cutout.png"})
            assertTrue(ImageFiles.isComplete(out.resolve(stem + suffix), image.width, image.height), stem + suffix);
    }

    // ---------------------------------------------------------------- point 1: ONNX Runtime cannot load

    @Test
    void anOnnxRuntimeThatCannotLoadFailsEachImageClearlyAndTheRestStillWorks() throws Exception {
        Assumptions.assumeFalse(Engines.segmenterIds().isEmpty(), "no segmentation model in models/");
        Path in = batch("ort", 2);
        System.setProperty(InferenceRuntime.SIMULATE_LOAD_FAILURE, "true");
        try {
            Run r = matte(in.toString(), "-o", dir.resolve("ort-out").toString());
            assertEquals(1, r.code(), r.all());
            assertTrue(r.out().contains("0 done, 0 skipped, 2 failed"), r.out());
            assertTrue(r.err().contains("ONNX Runtime could not load its native library"), r.err());
            assertFalse(r.all().contains("\tat ") || r.all().contains("UnsatisfiedLinkError:"), "no stack trace: " + r.all());
            // What needs no model still works in the same process.
            Run withMask = matte(in.toString(), "-o", dir.resolve("ort-mask").toString(), "--mask", masks.toString());
            assertEquals(0, withMask.code(), withMask.all());
            assertTrue(withMask.out().contains("2 done"), withMask.out());
        } finally {
            System.clearProperty(InferenceRuntime.SIMULATE_LOAD_FAILURE);
        }
    }

    // ---------------------------------------------------------------- point 2: sets, kill -9, SIGTERM, full disk

    static Process child(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Djava.awt.headless=true", "-Dmatting.test.commitPauseMs=1500"));
        cmd.add("studio.matting.Launcher");
        cmd.addAll(Arrays.asList(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until the first file of a set is in place (the pause then holds the second back). */
    static void awaitFirstOutput(Path out, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(out)) {
                try (Stream<Path> s = Files.list(out)) {
                    if (s.anyMatch(f -> f.getFileName().toString().endsWith("-alpha.png"))) return;
                }
            }
            if (!p.isAlive()) fail("child ended early: " + Files.readString(log));
            Thread.sleep(50);
        }
        p.destroyForcibly();
        fail("no output within 120 s: " + Files.readString(log));
    }

    @Test
    void killMinus9MidSetThenRerunCompletesEverySetAndCleansUp() throws Exception {
        Path in = batch("kill", 3), out = dir.resolve("kill-out"), log = dir.resolve("kill.log");
        Process p = child(log, "matte", in.toString(), "-o", out.toString(), "--mask", masks.toString(), "-j", "1");
        awaitFirstOutput(out, p, log);
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no hook runs
        assertTrue(Files.exists(out.resolve("img1-alpha.png")));
        assertFalse(Files.exists(out.resolve("img1-cutout.png")), "killed between the two files of img1's set: " + names(out));
        assertTrue(names(out).stream().anyMatch(n -> n.endsWith(".part")), "the killed run left its staging folder: " + names(out));

        Run again = matte(in.toString(), "-o", out.toString(), "--mask", masks.toString());
        assertEquals(0, again.code(), again.all());
        assertTrue(again.out().contains("3 done, 0 skipped, 0 failed"), again.all());
        assertTrue(again.err().contains("img1.png: 2 file(s)") && again.err().contains("incomplete"), again.err());
        assertTrue(again.err().contains("removed"), "stale staging folder reported: " + again.err());
        for (String s : new String[] {"img1", "img2", "img3"}) assertWholeSet(out, s);
        assertEquals(List.of("img1-alpha.png", "img1-cutout.png", "img2-alpha.png", "img2-cutout.png", "img3-alpha.png", "img3-cutout.png"),
                names(out), "no .part left");
        Run third = matte(in.toString(), "-o", out.toString(), "--mask", masks.toString());
        assertTrue(third.out().contains("0 done, 3 skipped"), third.all());
    }

    @Test
    void sigtermFinishesTheImageInProgressAndPrintsTheSummary() throws Exception {
        Path in = batch("term", 3), out = dir.resolve("term-out"), log = dir.resolve("term.log");
        Process p = child(log, "matte", in.toString(), "-o", out.toString(), "--mask", masks.toString(), "-j", "1");
        awaitFirstOutput(out, p, log);
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String text = Files.readString(log);
        assertEquals(143, p.exitValue(), text);
        assertTrue(text.contains("interrupted: 1 done, 0 skipped, 0 failed, 2 not started"), text);
        assertWholeSet(out, "img1");
        assertEquals(List.of("img1-alpha.png", "img1-cutout.png"), names(out), "nothing of the images not started, no .part");
    }

    @Test
    void aFullDiskMidSetLeavesNoHalfSetAndSaysWhichFile() throws Exception {
        Path in = batch("full", 1), out = dir.resolve("full-out");
        AtomicInteger files = new AtomicInteger();
        // The first file of the set fits, the second does not.
        AtomicFiles.setStreamFilterForTests(o -> files.incrementAndGet() == 1 ? o : failing(o));
        Run r;
        try {
            r = matte(in.toString(), "-o", out.toString(), "--mask", masks.toString());
        } finally {
            AtomicFiles.setStreamFilterForTests(null);
        }
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("the disk is full") && r.err().contains("img1-cutout.png"), r.err());
        assertTrue(r.out().contains("0 done, 0 skipped, 1 failed"), r.out());
        assertEquals(List.of(), names(out), "no alpha without its cut-out, no .part: " + names(out));
        Run again = matte(in.toString(), "-o", out.toString(), "--mask", masks.toString());
        assertEquals(0, again.code(), again.all());
        assertWholeSet(out, "img1");
    }

    static OutputStream failing(OutputStream o) {
        return new FilterOutputStream(o) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
    }

    @Test
    void aDamagedOrMissingMemberMakesTheImageRedoneNotSkipped() throws Exception {
        Path in = batch("damaged", 1), out = dir.resolve("damaged-out");
        assertEquals(0, matte(in.toString(), "-o", out.toString(), "--mask", masks.toString()).code());
        byte[] cut = Files.readAllBytes(out.resolve("img1-cutout.png"));
        Files.write(out.resolve("img1-cutout.png"), Arrays.copyOf(cut, cut.length / 2));
        Run r = matte(in.toString(), "-o", out.toString(), "--mask", masks.toString());
        assertTrue(r.out().contains("1 done, 0 skipped"), r.all());
        assertWholeSet(out, "img1");
        // Asking for one more output than was written also redoes the image.
        Run more = matte(in.toString(), "-o", out.toString(), "--mask", masks.toString(), "--save-trimap");
        assertTrue(more.out().contains("1 done, 0 skipped"), more.all());
        assertTrue(ImageFiles.isComplete(out.resolve("img1-trimap.png"), image.width, image.height));
    }

    // ---------------------------------------------------------------- point 3: name collisions

    @Test
    void collidingNamesGetDistinctOutputsSaidInTheOutput() throws Exception {
        Path in = Files.createDirectories(dir.resolve("collide")), out = dir.resolve("collide-out");
        ByteImage small = ImageOps.resize(image, 48, 60);
        ImageFiles.writeJpeg(image, in.resolve("photo.jpg"), 0.95f, 300, true);
        ImageFiles.writePng(small, in.resolve("photo.png"));
        ImageFiles.writePng(ImageOps.resize(mask, 48, 60), masks.resolve("photo.png")); // a mask of another size is resampled
        ImageFiles.writeJpeg(image, in.resolve("trunc.jpg"), 0.95f, 300, true);
        byte[] png = Files.readAllBytes(in.resolve("photo.png"));
        Files.write(in.resolve("trunc.png"), Arrays.copyOf(png, png.length / 2));
        ImageFiles.writePng(mask, masks.resolve("trunc.png"));

        Run r = matte(in.toString(), "-o", out.toString(), "--mask", masks.toString());
        assertEquals(1, r.code(), r.all());
        assertTrue(r.out().contains("3 done, 0 skipped, 1 failed"), r.all());
        assertTrue(r.err().contains("photo.png-*") && r.err().contains("trunc.png"), r.err());
        assertTrue(r.err().contains("truncated"), r.err());
        assertTrue(ImageFiles.isComplete(out.resolve("photo-alpha.png"), 64, 80), "photo.jpg's own outputs");
        assertTrue(ImageFiles.isComplete(out.resolve("photo.png-alpha.png"), 48, 60), "photo.png's own outputs");
        assertFalse(Files.exists(out.resolve("trunc.png-alpha.png")));

        Run again = matte(in.toString(), "-o", out.toString(), "--mask", masks.toString());
        assertTrue(again.out().contains("0 done, 3 skipped, 1 failed"), again.all());
        Run over = matte(in.toString(), "-o", out.toString(), "--mask", masks.toString(), "--overwrite");
        assertTrue(over.out().contains("3 done, 0 skipped, 1 failed"), over.all());
        assertTrue(ImageFiles.isComplete(out.resolve("photo-alpha.png"), 64, 80));
        assertTrue(ImageFiles.isComplete(out.resolve("photo.png-alpha.png"), 48, 60));
    }

    // ---------------------------------------------------------------- point 4: truncated JPEG through the CLI

    @Test
    void aTruncatedJpegIsRefusedWithExitOne() throws Exception {
        Path in = Files.createDirectories(dir.resolve("cutjpg")), out = dir.resolve("cutjpg-out");
        byte[] jpeg = ImageFiles.encodeJpeg(image, 0.9f, 300);
        Files.write(in.resolve("half.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        ImageFiles.writePng(mask, masks.resolve("half.png"));
        Run r = matte(in.resolve("half.jpg").toString(), "-o", out.toString(), "--mask", masks.toString());
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("half.jpg") && r.err().contains("truncated"), r.err());
        assertTrue(r.out().contains("0 done, 0 skipped, 1 failed"), r.out());
        assertFalse(Files.exists(out.resolve("half-alpha.png")));
    }

    // ---------------------------------------------------------------- point 7 and 10: refused before any work

    @Test
    void badArgumentsAreExitTwoBeforeAnyWork() throws Exception {
        Path in = batch("args", 1);
        Path file = Files.writeString(dir.resolve("a-file.txt"), "x");
        String[][] bad = {
                {"--mask", dir.resolve("no-such-masks").toString()},
                {"--trimap", dir.resolve("no-such-trimap.png").toString()},
                {"--dpi", "-1"}, {"--dpi", "NaN"}, {"--dpi", "0"},
                {"--quality", "2"}, {"--quality", "0"},
                {"--kernel", "0"}, {"--iterations", "-1"}, {"--kernel", "100000"},
        };
        for (String[] extra : bad) {
            Path out = dir.resolve("args-out-" + extra[0].replace("-", "") + "-" + Math.abs(Arrays.hashCode(extra)));
            List<String> args = new ArrayList<>(List.of(in.toString(), "-o", out.toString()));
            if (!extra[0].equals("--mask") && !extra[0].equals("--trimap")) args.addAll(List.of("--mask", masks.toString()));
            args.addAll(Arrays.asList(extra));
            Run r = matte(args.toArray(String[]::new));
            assertEquals(2, r.code(), Arrays.toString(extra) + ": " + r.all());
            assertTrue(r.err().contains(extra[0]), Arrays.toString(extra) + " named: " + r.err());
            assertFalse(Files.exists(out), Arrays.toString(extra) + ": nothing written");
        }
        for (String o : new String[] {"", file.toString(), file.resolve("sub").toString()}) {
            Run r = matte(in.toString(), "-o", o, "--mask", masks.toString());
            assertEquals(2, r.code(), "-o '" + o + "': " + r.all());
            assertTrue(r.err().contains("-o"), r.err());
        }
        // A background image that cannot be read is a bad argument too.
        byte[] png = Files.readAllBytes(in.resolve("img1.png"));
        Path badBg = Files.write(dir.resolve("bad-bg.png"), Arrays.copyOf(png, png.length / 2));
        Run bg = matte(in.toString(), "-o", dir.resolve("args-bg").toString(), "--mask", masks.toString(), "--composite", "--bg", badBg.toString());
        assertEquals(2, bg.code(), bg.all());
        assertTrue(bg.err().contains("truncated"), bg.err());
        assertFalse(Files.exists(dir.resolve("args-bg")));
        // idphoto: a missing --mask / --trimap is exit 2 too, nothing written
        Path id = dir.resolve("id.jpg");
        Run idRun = run(new IdPhotoCommand(), in.resolve("img1.png").toString(), "-o", id.toString(), "--mask", dir.resolve("none.png").toString());
        assertEquals(2, idRun.code(), idRun.all());
        assertFalse(Files.exists(id));
        Run idQ = run(new IdPhotoCommand(), in.resolve("img1.png").toString(), "-o", id.toString(), "--quality", "7");
        assertEquals(2, idQ.code(), idQ.all());
    }

    @Test
    void anImageWithoutItsMaskInTheMaskFolderFailsInsteadOfUsingTheModel() throws Exception {
        Path in = batch("nomask", 1);
        ImageFiles.writePng(image, in.resolve("orphan.png"));
        Run r = matte(in.toString(), "-o", dir.resolve("nomask-out").toString(), "--mask", masks.toString());
        assertEquals(1, r.code(), r.all());
        assertTrue(r.out().contains("1 done, 0 skipped, 1 failed"), r.all());
        assertTrue(r.err().contains("orphan.png: no mask for this image"), r.err());
    }

    @Test
    void aGradientGivenAsTrimapIsWarnedAbout() throws Exception {
        Path in = batch("grad", 1), trimaps = Files.createDirectories(dir.resolve("grad-trimaps"));
        ByteImage ramp = new ByteImage(image.width, image.height, 1);
        for (int y = 0; y < ramp.height; y++) for (int x = 0; x < ramp.width; x++) ramp.set(x, y, 0, x * 255 / (ramp.width - 1));
        ImageFiles.writePng(ramp, trimaps.resolve("img1.png"));
        Run r = matte(in.toString(), "-o", dir.resolve("grad-out").toString(), "--trimap", trimaps.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.err().contains("warning: trimap img1.png") && r.err().contains("gradient"), r.err());
    }

    // ---------------------------------------------------------------- point 8 and 10: what a folder scan takes

    @Test
    void outputInsideTheInputIsNeverTakenAsInput() throws Exception {
        Path in = batch("nest", 2);
        Path out = in.resolve("out");
        for (int i = 0; i < 2; i++) {
            Run r = matte(in.toString(), "-r", "-o", out.toString(), "--mask", masks.toString());
            assertEquals(0, r.code(), r.all());
            assertTrue(r.out().contains(i == 0 ? "2 done, 0 skipped" : "0 done, 2 skipped"), r.all());
        }
        assertEquals(List.of("img1-alpha.png", "img1-cutout.png", "img2-alpha.png", "img2-cutout.png"), allNames(out));
        // Output folder = input folder: our own outputs are not inputs on the next run either.
        Path same = batch("same", 1);
        for (int i = 0; i < 2; i++) assertEquals(0, matte(same.toString(), "-r", "-o", same.toString(), "--mask", masks.toString()).code());
        assertEquals(List.of("img1-alpha.png", "img1-cutout.png", "img1.png"), allNames(same));
    }

    @Test
    void folderScansTakeTiffAndReportSymlinkLoops() throws Exception {
        Path in = Files.createDirectories(dir.resolve("scan/sub")).getParent(), out = dir.resolve("scan-out");
        assertTrue(ImageIO.write(ImageFiles.toBufferedImage(image), "tiff", in.resolve("t.tif").toFile()));
        ImageFiles.writePng(mask, masks.resolve("t.png"));
        Files.createSymbolicLink(in.resolve("loop.jpg"), in.resolve("loop.jpg"));
        Files.createSymbolicLink(in.resolve("sub/up"), in); // a folder loop under -r
        Run r = matte(in.toString(), "-r", "-o", out.toString(), "--mask", masks.toString());
        assertEquals(1, r.code(), r.all());
        assertTrue(r.out().contains("1 done, 0 skipped, 1 failed"), r.all());
        assertTrue(r.err().contains("loop.jpg") && r.err().contains("symbolic link loop"), r.err());
        assertTrue(r.err().contains("sub/up") || r.err().contains("sub" + java.io.File.separator + "up"), "the folder loop is reported: " + r.err());
        assertWholeSet(out, "t");
    }

    // ---------------------------------------------------------------- point 9: a broken model card is named

    @Test
    void anInvalidModelCardIsNamedWithItsParseError() throws Exception {
        Path work = Files.createDirectories(dir.resolve("cardwork/models"));
        Files.writeString(work.resolve("portrait-unet.json"), "{ \"name\": \"portrait-unet\", \"task\": ");
        Path in = batch("card", 1), log = dir.resolve("card.log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                "-Djava.awt.headless=true", "studio.matting.Launcher", "matte", in.toString(), "-o", dir.resolve("card-out").toString());
        // Run in a folder whose models/ holds only the broken card (the process scans models/ once, so a child JVM).
        Process p = new ProcessBuilder(cmd).directory(work.getParent().toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String text = Files.readString(log);
        assertEquals(1, p.exitValue(), text);
        assertTrue(text.contains("portrait-unet.json") && text.contains("not valid JSON") && text.contains("line 1"), text);
    }

    // ---------------------------------------------------------------- point 10: eval goes on

    @Test
    void evalReportsABadImageAndScoresTheRest() throws Exception {
        Path images = Files.createDirectories(dir.resolve("ev/images")), trimaps = Files.createDirectories(dir.resolve("ev/trimaps")),
                gt = Files.createDirectories(dir.resolve("ev/gt"));
        SyntheticPortrait p = SyntheticPortrait.render(48, 60, 5);
        ByteImage img = ImageOps.toByte(p.image);
        ByteImage t = studio.matting.trimap.TrimapGenerator.fromMask(SyntheticPortrait.coarseMask(p.alpha), 5, 2).asGray();
        for (String n : new String[] {"a", "b", "c"}) {
            ImageFiles.writePng(img, images.resolve(n + ".png"));
            ImageFiles.writePng(t, trimaps.resolve(n + ".png"));
            ImageFiles.writePng(ImageOps.toByte(p.alpha), gt.resolve(n + ".png"));
        }
        byte[] b = Files.readAllBytes(images.resolve("b.png"));
        Files.write(images.resolve("b.png"), Arrays.copyOf(b, b.length / 3));
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            code = MattingCli.run("eval", "--images", images.toString(), "--trimaps", trimaps.toString(), "--gt", gt.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        String out = o.toString(StandardCharsets.UTF_8), err = e.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, out + err);
        assertTrue(err.contains("b (trimaps)") && err.contains("truncated"), err);
        assertTrue(out.contains("mean(2)"), "a and c still scored: " + out);
    }

    @Test
    void portraitMasksOfTheSameAspectAreResampledOthersRefused() throws Exception {
        ByteImage img = new ByteImage(80, 60, 3);
        var half = new studio.matting.image.FloatImage(40, 30, 1);
        assertEquals(80, SegmentationEval.matchSize(half, img, "x").width);
        var other = new studio.matting.image.FloatImage(40, 40, 1);
        assertThrows(IOException.class, () -> SegmentationEval.matchSize(other, img, "x"));
    }
}
