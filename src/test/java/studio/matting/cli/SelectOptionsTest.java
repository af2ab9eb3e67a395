package studio.matting.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.Rect;
import studio.matting.metrics.SegmentationMetrics;
import studio.matting.select.SelectScene;
import studio.matting.select.SubjectSelectorTest;
import studio.matting.trimap.Trimap;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code matte --box / --scribbles}: parsing, refusals before any work, and the selection's result. */
class SelectOptionsTest {
    @TempDir
    static Path dir;
    static Path plain, decoy, decoy2, marks;
    static SelectScene plainScene, decoyScene;

    @BeforeAll
    static void images() throws Exception {
        plainScene = SelectScene.render(200, 150, false, 11);
        decoyScene = SelectScene.render(200, 150, true, 12);
        plain = dir.resolve("plain.png");
        decoy = Files.createDirectories(dir.resolve("two")).resolve("decoy.png");
        decoy2 = dir.resolve("two").resolve("decoy2.png");
        ImageFiles.writePng(plainScene.image, plain);
        ImageFiles.writePng(decoyScene.image, decoy);
        ImageFiles.writePng(decoyScene.image, decoy2);
        // scribble file: mid grey (no mark) with the black background stroke across the decoy
        Trimap stroke = SubjectSelectorTest.decoyStroke(decoyScene);
        marks = dir.resolve("marks.png");
        ImageFiles.writePng(stroke.asGray(), marks);
    }

    static String box(Rect r) { return r.x() + "," + r.y() + "," + r.width() + "," + r.height(); }

    static double iou(Path alpha, SelectScene s) throws Exception {
        FloatImage a = ImageFiles.readAlpha(alpha);
        return SegmentationMetrics.iou(a, s.truth).personIoU();
    }

    @Test
    void parsesFourIntegersAndRefusesAnythingElse() {
        assertEquals(new Rect(1, 2, 30, 40), SelectOptions.parseBox("1,2,30,40"));
        assertEquals(new Rect(-5, 2, 30, 40), SelectOptions.parseBox(" -5, 2 ,30,40"));
        for (String bad : new String[] {"1,2,3", "1,2,3,4,5", "a,b,c,d", "1.5,2,3,4", "", "1,,3,4"})
            assertThrows(IllegalArgumentException.class, () -> SelectOptions.parseBox(bad), bad);
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> SelectOptions.parseBox("1,2,0,4"));
        assertTrue(zero.getMessage().contains("positive"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SelectOptions.parseBox("1,2,-3,4"));
    }

    @Test
    void badBoxesExitWithTwoBeforeAnyOutputIsWritten() {
        String[][] cases = {
                {"1,2,3", "X,Y,W,H"},
                {"10,10,0,20", "positive"},
                {"500,10,20,20", "outside plain.png (200x150)"},
                {"-50,-50,40,40", "outside"},
        };
        for (String[] c : cases) {
            Path out = dir.resolve("bad-" + Math.abs(c[0].hashCode()));
            MatteCommandTest.Run r = MatteCommandTest.matte(plain.toString(), "-o", out.toString(), "--box", c[0], "--no-box-model");
            assertEquals(2, r.code(), c[0] + ": " + r.err());
            assertTrue(r.err().contains(c[1]), c[0] + ": " + r.err());
            assertFalse(Files.exists(out.resolve("plain-alpha.png")), c[0]);
        }
    }

    @Test
    void scribblesNeedABoxAndTheImageShapeAndBoxExcludesGivenTrimapsAndMasks() throws Exception {
        Path out = dir.resolve("refused");
        MatteCommandTest.Run r = MatteCommandTest.matte(plain.toString(), "-o", out.toString(), "--scribbles", marks.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--scribbles needs --box"), r.err());
        r = MatteCommandTest.matte(plain.toString(), "-o", out.toString(), "--box", "10,10,50,50", "--mask", marks.toString());
        assertEquals(2, r.code(), r.err());
        Path tall = dir.resolve("tall.png");
        ImageFiles.writePng(new ByteImage(50, 150, 1), tall);
        r = MatteCommandTest.matte(plain.toString(), "-o", out.toString(), "--box", "10,10,50,50", "--scribbles", tall.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("scribbles are 50x150"), r.err());
        r = MatteCommandTest.matte(plain.toString(), "-o", out.toString(), "--box", "10,10,50,50", "--scribbles", dir.resolve("none.png").toString());
        assertEquals(2, r.code(), r.err());
        assertFalse(Files.exists(out.resolve("plain-alpha.png")));
    }

    @Test
    void aBoxSelectsTheSubjectWithoutAModel() throws Exception {
        Path out = dir.resolve("ok");
        MatteCommandTest.Run r = MatteCommandTest.matte(plain.toString(), "-o", out.toString(), "--box", box(plainScene.box), "--no-box-model", "--save-trimap");
        assertEquals(0, r.code(), r.out() + r.err());
        double iou = iou(out.resolve("plain-alpha.png"), plainScene);
        assertTrue(iou > 0.9, "alpha IoU " + iou);
        assertTrue(Files.exists(out.resolve("plain-trimap.png")));
    }

    @Test
    void aBoxReachingPastTheFrameIsClipped() throws Exception {
        Path out = dir.resolve("clipped");
        Rect b = plainScene.box;
        MatteCommandTest.Run r = MatteCommandTest.matte(plain.toString(), "-o", out.toString(),
                "--box", (b.x() - 500) + "," + b.y() + "," + (b.width() + 500) + "," + b.height(), "--no-box-model");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(iou(out.resolve("plain-alpha.png"), plainScene) > 0.8);
    }

    @Test
    void scribblesApplyToEveryInputAndFixWhatTheBoxAloneGetsWrong() throws Exception {
        Path without = dir.resolve("without"), with = dir.resolve("with");
        MatteCommandTest.Run r = MatteCommandTest.matte(dir.resolve("two").toString(), "-o", without.toString(), "--box", box(decoyScene.box), "--no-box-model");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("apply to each of the 2 images"), r.err());
        r = MatteCommandTest.matte(dir.resolve("two").toString(), "-o", with.toString(), "--box", box(decoyScene.box), "--scribbles", marks.toString(), "--no-box-model");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("2 done"), r.out());
        double a = iou(without.resolve("decoy-alpha.png"), decoyScene), b = iou(with.resolve("decoy-alpha.png"), decoyScene);
        assertTrue(a < 0.85, "without scribbles " + a);
        assertTrue(b > 0.9, "with scribbles " + b + " (without " + a + ")");
        assertEquals(b, iou(with.resolve("decoy2-alpha.png"), decoyScene), 1e-6, "the same marks on the second image");
    }
}
