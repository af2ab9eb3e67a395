package studio.matting.segment;

import org.junit.jupiter.api.Test;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.task.TaskContext;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class ColourRefinedSegmenterTest {
    static final int W = 120, H = 80;
    static final ColourRefinedSegmenter.Options OPTIONS = new ColourRefinedSegmenter.Options(0.15, 0.95, 3, 480);

    /** Red "person" left of x = 60, blue "background" right of it, with a little noise so the mixtures are not flat. */
    static ByteImage photo() {
        ByteImage img = new ByteImage(W, H, 3);
        Random r = new Random(3);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                boolean red = x < 60;
                img.set(x, y, 0, (red ? 200 : 40) + r.nextInt(20));
                img.set(x, y, 1, (red ? 40 : 60) + r.nextInt(20));
                img.set(x, y, 2, (red ? 40 : 200) + r.nextInt(20));
            }
        return img;
    }

    /**
     * What a network unsure of the edge says: sure person for x < 40, sure background for x ≥ 80, and in between
     * the wrong side — 0.4 over red (person called background), 0.65 over blue (background called person).
     */
    static FloatImage unsureMask() {
        FloatImage p = new FloatImage(W, H, 1);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) p.set(x, y, 0, x < 40 ? 0.99f : x < 60 ? 0.4f : x < 80 ? 0.65f : 0.01f);
        return p;
    }

    @Test
    void theColoursMoveTheUnsurePixelsAndTheMaskStaysSoft() {
        FloatImage p = unsureMask();
        FloatImage out = ColourRefinedSegmenter.refine(photo(), p, OPTIONS);
        for (int y = 0; y < H; y += 7) {
            assertEquals(0.99f, out.get(10, y, 0), "sure person kept");
            assertEquals(0.01f, out.get(100, y, 0), "sure background kept");
            assertEquals(0.6f, out.get(50, y, 0), 1e-6, "red called background: mirrored to the person side");
            assertEquals(0.35f, out.get(70, y, 0), 1e-6, "blue called person: mirrored to the background side");
        }
        assertEquals(0.4f, p.get(50, 5, 0), "the input is not touched");
    }

    @Test
    void aReducedWorkingCopyGivesTheSameAnswerAwayFromTheEdge() {
        FloatImage out = ColourRefinedSegmenter.refine(photo(), unsureMask(),
                new ColourRefinedSegmenter.Options(0.15, 0.95, 3, 40));
        for (int y = 0; y < H; y += 7) {
            for (int x = 42; x < 57; x++) assertTrue(out.get(x, y, 0) > 0.5f, "person at " + x + "," + y);
            for (int x = 63; x < 78; x++) assertTrue(out.get(x, y, 0) <= 0.5f, "background at " + x + "," + y);
        }
    }

    @Test
    void nothingToLearnFromLeavesTheMaskAlone() {
        // no sure background: GrabCut would have no background colours
        FloatImage p = new FloatImage(W, H, 1);
        for (int i = 0; i < p.data.length; i++) p.data[i] = i % W < 60 ? 0.99f : 0.6f;
        assertSame(p, ColourRefinedSegmenter.refine(photo(), p, OPTIONS));
        // all sure: nothing to decide
        FloatImage sure = new FloatImage(W, H, 1);
        for (int i = 0; i < sure.data.length; i++) sure.data[i] = i % W < 60 ? 1f : 0f;
        assertSame(sure, ColourRefinedSegmenter.refine(photo(), sure, OPTIONS));
        // a mask of another size is not this photo's
        FloatImage other = new FloatImage(W / 2, H, 1);
        assertSame(other, ColourRefinedSegmenter.refine(photo(), other, OPTIONS));
    }

    @Test
    void theSamePhotoGivesTheSameMask() {
        // a photo whose colours overlap, so GrabCut's k-means start matters
        ByteImage img = new ByteImage(W, H, 3);
        Random r = new Random(5);
        for (int i = 0; i < img.data.length; i++) img.data[i] = (byte) r.nextInt(256);
        FloatImage p = new FloatImage(W, H, 1);
        for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) p.set(x, y, 0, x < 30 ? 0.99f : x < 90 ? 0.3f + 0.4f * r.nextFloat() : 0f);
        FloatImage a = ColourRefinedSegmenter.refine(img, p, OPTIONS);
        ColourRefinedSegmenter.refine(photo(), unsureMask(), OPTIONS); // the generator moves on in between
        FloatImage b = ColourRefinedSegmenter.refine(img, p, OPTIONS);
        assertArrayEquals(a.data, b.data);
    }

    @Test
    void mirroringNeverLandsOnTheThreshold() {
        assertTrue(ColourRefinedSegmenter.mirror(0.5f, true) > 0.5f);
        assertTrue(ColourRefinedSegmenter.mirror(0.5f, false) <= 0.5f);
        assertEquals(0.3f, ColourRefinedSegmenter.mirror(0.7f, false), 1e-6);
    }

    @Test
    void theDecoratorRefinesWhatItsSegmenterSays() throws Exception {
        Segmenter inner = new Segmenter() {
            @Override public String id() { return "inner"; }
            @Override public String displayName() { return "Inner"; }
            @Override public FloatImage segment(ByteImage rgb, TaskContext ctx) { return unsureMask(); }
        };
        ColourRefinedSegmenter s = new ColourRefinedSegmenter(inner, OPTIONS);
        assertEquals("inner", s.id());
        assertEquals("Inner", s.displayName());
        FloatImage out = s.segment(photo(), TaskContext.NONE);
        assertEquals(0.6f, out.get(50, 40, 0), 1e-6);
        assertEquals(0.35f, out.get(70, 40, 0), 1e-6);
    }

    @Test
    void optionsRefuseThresholdsOnTheWrongSide() {
        assertThrows(IllegalArgumentException.class, () -> new ColourRefinedSegmenter.Options(0.6, 0.9, 3, 480));
        assertThrows(IllegalArgumentException.class, () -> new ColourRefinedSegmenter.Options(0.1, 0.5, 3, 480));
        assertThrows(IllegalArgumentException.class, () -> new ColourRefinedSegmenter.Options(0.1, 0.9, 0, 480));
        assertThrows(IllegalArgumentException.class, () -> new ColourRefinedSegmenter.Options(0.1, 0.9, 3, 8));
    }
}
