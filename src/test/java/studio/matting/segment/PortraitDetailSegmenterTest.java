package studio.matting.segment;

import org.junit.jupiter.api.Test;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.task.TaskContext;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class PortraitDetailSegmenterTest {
    static final int W = 60, H = 80;

    /** A segmenter that returns a fixed mask: 1 inside [x0, x1) × [y0, y1), 0 elsewhere; counts its calls. */
    static final class Fixed implements Segmenter {
        final int x0, y0, x1, y1;
        final float inside;
        final AtomicInteger calls = new AtomicInteger();

        Fixed(int x0, int y0, int x1, int y1, float inside) {
            this.x0 = x0; this.y0 = y0; this.x1 = x1; this.y1 = y1; this.inside = inside;
        }

        @Override public String id() { return "fixed"; }
        @Override public String displayName() { return "Fixed"; }
        @Override public FloatImage segment(ByteImage rgb, TaskContext ctx) {
            calls.incrementAndGet();
            FloatImage m = new FloatImage(rgb.width, rgb.height, 1);
            for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) m.set(x, y, 0, inside);
            return m;
        }
    }

    private static final ByteImage RGB = new ByteImage(W, H, 3);

    @Test
    void aBustBlendsTheSpecialistWhenTheyAgree() throws Exception {
        Fixed general = new Fixed(10, 20, 50, H, 0.8f), specialist = new Fixed(12, 20, 50, H, 1f);
        PortraitDetailSegmenter s = new PortraitDetailSegmenter(general, specialist, 0.7, 0.6, 0.3, 0.1);
        FloatImage m = s.segment(RGB, TaskContext.NONE);
        assertTrue(s.lastUsedSpecialist());
        assertEquals(0.3f * 0.8f + 0.7f, m.get(30, 50, 0), 1e-6, "inside both");
        assertEquals(0.3f * 0.8f, m.get(11, 50, 0), 1e-6, "only the general model");
        assertEquals(0f, m.get(5, 5, 0));
        assertEquals("fixed", s.id(), "the general model's id");
    }

    @Test
    void aWholeBodyNeverRunsTheSpecialist() throws Exception {
        // the person ends above the bottom row: not a bust
        Fixed general = new Fixed(20, 5, 40, 70, 1f), specialist = new Fixed(0, 0, W, H, 1f);
        PortraitDetailSegmenter s = new PortraitDetailSegmenter(general, specialist, 0.7, 0.6, 0.3, 0.1);
        FloatImage m = s.segment(RGB, TaskContext.NONE);
        assertEquals(0, specialist.calls.get());
        assertFalse(s.lastUsedSpecialist());
        assertEquals(0f, m.get(5, 75, 0));
        // a narrow figure touching the bottom (less than 30 % of the row) is not a bust either
        Fixed narrow = new Fixed(25, 10, 35, H, 1f);
        new PortraitDetailSegmenter(narrow, specialist, 0.7, 0.6, 0.3, 0.1).segment(RGB, TaskContext.NONE);
        assertEquals(0, specialist.calls.get());
    }

    @Test
    void aSpecialistThatDisagreesIsIgnored() throws Exception {
        Fixed general = new Fixed(10, 20, 50, H, 1f), specialist = new Fixed(0, 0, W, 30, 1f);
        PortraitDetailSegmenter s = new PortraitDetailSegmenter(general, specialist, 0.7, 0.6, 0.3, 0.1);
        FloatImage m = s.segment(RGB, TaskContext.NONE);
        assertEquals(1, specialist.calls.get(), "it ran (a bust) ...");
        assertFalse(s.lastUsedSpecialist(), "... but overlapped too little to be trusted");
        assertEquals(1f, m.get(30, 70, 0));
        assertEquals(0f, m.get(5, 5, 0));
    }

    @Test
    void aWholeBodyIsSegmentedAgainAtTheSceneSizeAndABustIsNot() throws Exception {
        Fixed scene = new Fixed(18, 4, 42, 72, 1f), specialist = new Fixed(0, 0, W, H, 1f);
        Fixed body = new Fixed(20, 5, 40, 70, 1f);
        PortraitDetailSegmenter s = new PortraitDetailSegmenter(body, specialist, 0.7, 0.6, 0.3, 0.1, scene);
        FloatImage m = s.segment(RGB, TaskContext.NONE);
        assertTrue(s.lastUsedScene());
        assertEquals(1, scene.calls.get());
        assertEquals(1f, m.get(19, 71, 0), "the scene pass's mask, not the first one");
        Fixed bust = new Fixed(10, 20, 50, H, 0.8f), agreeing = new Fixed(12, 20, 50, H, 1f);
        PortraitDetailSegmenter b = new PortraitDetailSegmenter(bust, agreeing, 0.7, 0.6, 0.3, 0.1, scene);
        b.segment(RGB, TaskContext.NONE);
        assertTrue(b.lastUsedSpecialist());
        assertFalse(b.lastUsedScene());
        assertEquals(1, scene.calls.get(), "a bust blended with the specialist never runs the scene pass");
        // a bust whose specialist disagrees is not trusted as a bust: the scene pass decides
        PortraitDetailSegmenter d = new PortraitDetailSegmenter(bust, new Fixed(0, 0, W, 30, 1f), 0.7, 0.6, 0.3, 0.1, scene);
        d.segment(RGB, TaskContext.NONE);
        assertTrue(d.lastUsedScene());
        assertEquals(2, scene.calls.get());
    }

    /** A mask of value v inside each rectangle {x0, y0, x1, y1} (the bottom rows included: busts). */
    static final class Rects implements Segmenter {
        final int[][] rects;
        final float v;

        Rects(float v, int[]... rects) { this.v = v; this.rects = rects; }

        @Override public String id() { return "rects"; }
        @Override public String displayName() { return "Rects"; }
        @Override public FloatImage segment(ByteImage rgb, TaskContext ctx) {
            FloatImage m = new FloatImage(rgb.width, rgb.height, 1);
            for (int[] r : rects) for (int y = r[1]; y < r[3]; y++) for (int x = r[0]; x < r[2]; x++) m.set(x, y, 0, v);
            return m;
        }
    }

    @Test
    void aGroupShotKeepsThePeopleTheSpecialistMissedAndASinglePortraitIsBlendedAsBefore() throws Exception {
        ByteImage rgb = new ByteImage(120, 80, 3);
        // two busts side by side; the specialist finds only the left one
        Rects general = new Rects(0.9f, new int[]{10, 20, 50, 80}, new int[]{70, 20, 110, 80});
        Rects specialist = new Rects(1f, new int[]{10, 20, 50, 80});
        AtomicInteger counted = new AtomicInteger();
        PortraitDetailSegmenter group = new PortraitDetailSegmenter(general, specialist, 0.7, 0.3, 0.3, 0.1, null,
                (img, k) -> { counted.incrementAndGet(); return 2 >= k; });
        FloatImage m = group.segment(rgb, TaskContext.NONE);
        assertTrue(group.lastUsedSpecialist());
        assertTrue(group.lastWasGroup());
        assertEquals(0.9f, m.get(90, 60, 0), 1e-6, "the missed person keeps the general model's probability");
        assertEquals(0.3f * 0.9f + 0.7f, m.get(30, 60, 0), 1e-6, "the found one keeps the specialist's edge");
        assertEquals(1, counted.get());
        // one face: the plain blend, which loses the second person (what the rule is for)
        PortraitDetailSegmenter single = new PortraitDetailSegmenter(general, specialist, 0.7, 0.3, 0.3, 0.1, null, (img, k) -> 1 >= k);
        FloatImage s = single.segment(rgb, TaskContext.NONE);
        assertFalse(single.lastWasGroup());
        assertEquals(0.3f * 0.9f, s.get(90, 60, 0), 1e-6);
        assertTrue(s.get(90, 60, 0) < 0.5f);
        // the faces are counted only when the specialist missed a large region
        Rects agreeing = new Rects(1f, new int[]{12, 20, 50, 80}, new int[]{70, 20, 108, 80});
        new PortraitDetailSegmenter(general, agreeing, 0.7, 0.3, 0.3, 0.1, null, (img, k) -> { counted.incrementAndGet(); return 2 >= k; })
                .segment(rgb, TaskContext.NONE);
        assertEquals(1, counted.get(), "an edge moved by two pixels is not a missed person");
    }

    @Test
    void missWeightsFallOnlyInsideALargeMissedRegion() {
        int w = 100, h = 60;
        FloatImage a = new FloatImage(w, h, 1), b = new FloatImage(w, h, 1);
        for (int y = 10; y < 50; y++) for (int x = 10; x < 40; x++) { a.set(x, y, 0, 1); b.set(x + 2 < 40 ? x + 2 : x, y, 0, 1); }
        for (int y = 10; y < 50; y++) for (int x = 60; x < 90; x++) a.set(x, y, 0, 1);
        float[] q = PortraitDetailSegmenter.missWeights(a, b, 0.7f, 6, 0.3, 0.6);
        assertEquals(0f, q[30 * w + 75], 1e-6, "the centre of the missed block");
        assertEquals(0.7f, q[30 * w + 11], 1e-6, "beside a 2-px band the specialist moved");
        assertEquals(0.7f, q[5 * w + 50], 1e-6, "far from both");
        // a naive window count agrees everywhere
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int c = 0, n = 0;
                for (int yy = Math.max(0, y - 6); yy <= Math.min(h - 1, y + 6); yy++)
                    for (int xx = Math.max(0, x - 6); xx <= Math.min(w - 1, x + 6); xx++) {
                        n++;
                        if (a.get(xx, yy, 0) > 0.5f && b.get(xx, yy, 0) <= 0.5f) c++;
                    }
                double d = (double) c / n, t = d <= 0.3 ? 1 : d >= 0.6 ? 0 : (0.6 - d) / 0.3;
                assertEquals(0.7 * t, q[y * w + x], 1e-6, "at " + x + "," + y);
            }
    }

    @Test
    void theCheapMissTestAgreesWithTheWeightMap() {
        // blobs missed by the specialist at random sizes: "some window above low" must be exactly "some weight below
        // the specialist's", and the table the plain running sums
        java.util.Random rnd = new java.util.Random(12);
        int w = 333, h = 250; // tall enough for the table's passes to run in parallel
        int above = 0;
        for (int trial = 0; trial < 12; trial++) {
            FloatImage a = new FloatImage(w, h, 1), b = new FloatImage(w, h, 1);
            for (int i = 0; i < a.data.length; i++) { a.data[i] = rnd.nextFloat() < 0.5f ? 1f : 0f; b.data[i] = a.data[i]; }
            int bw = 1 + rnd.nextInt(30), bh = 1 + rnd.nextInt(30), bx = rnd.nextInt(w - bw), by = rnd.nextInt(h - bh);
            for (int y = by; y < by + bh; y++) for (int x = bx; x < bx + bw; x++) { a.set(x, y, 0, 1f); b.set(x, y, 0, 0f); }
            int[] sat = PortraitDetailSegmenter.missTable(a, b);
            for (int y = 0, sum; y <= h; y += 37) // spot rows of the table against a direct count
                for (int x = 0; x <= w; x += 41) {
                    sum = 0;
                    for (int yy = 0; yy < y; yy++) for (int xx = 0; xx < x; xx++) if (a.get(xx, yy, 0) > 0.5f && b.get(xx, yy, 0) <= 0.5f) sum++;
                    assertEquals(sum, sat[y * (w + 1) + x]);
                }
            int r = 4 + rnd.nextInt(12);
            float[] q = PortraitDetailSegmenter.missWeights(a, b, 0.7f, r, 0.3, 0.6);
            float least = 0.7f;
            for (float v : q) least = Math.min(least, v);
            boolean any = PortraitDetailSegmenter.anyShareAbove(sat, w, h, r, 0.3);
            assertEquals(least < 0.7f, any, "trial " + trial);
            if (any) above++;
        }
        assertTrue(above > 0 && above < 12, "both answers were tested: " + above + " of 12 above");
    }

    /** {@link Fixed} that computes its mask at 1/k of the image (a network's working size) and counts full-size calls. */
    static final class Small implements Segmenter {
        final Fixed inner;
        final int k;
        final AtomicInteger fullSize = new AtomicInteger();

        Small(Fixed inner, int k) { this.inner = inner; this.k = k; }

        @Override public String id() { return inner.id(); }
        @Override public String displayName() { return inner.displayName(); }
        @Override public FloatImage segment(ByteImage rgb, TaskContext ctx) {
            fullSize.incrementAndGet();
            return Segmenter.resizeToImage(maskAtWorkingSize(rgb, ctx), rgb.width, rgb.height);
        }
        @Override public FloatImage maskAtWorkingSize(ByteImage rgb, TaskContext ctx) {
            return inner.segment(new ByteImage(rgb.width / k, rgb.height / k, 3), ctx);
        }
    }

    @Test
    void theChainDecidesAndBlendsAtTheGeneralModelsWorkingSizeAndResizesOnce() throws Exception {
        // the general model works at 1/2 of the 60x80 image, the specialist at 1/4: its map is resized to the
        // general's, blended there, and only the blend comes back to the image's size
        Small general = new Small(new Fixed(5, 10, 25, 40, 0.8f), 2), specialist = new Small(new Fixed(3, 5, 12, 20, 1f), 4);
        PortraitDetailSegmenter s = new PortraitDetailSegmenter(general, specialist, 0.7, 0.5, 0.3, 0.1);
        FloatImage small = s.maskAtWorkingSize(RGB, TaskContext.NONE);
        assertTrue(s.lastUsedSpecialist());
        assertEquals(W / 2, small.width);
        assertEquals(H / 2, small.height);
        FloatImage b = studio.matting.image.ImageOps.resize(specialist.maskAtWorkingSize(RGB, TaskContext.NONE), W / 2, H / 2);
        FloatImage a = general.maskAtWorkingSize(RGB, TaskContext.NONE);
        for (int i = 0; i < small.data.length; i++) assertEquals(0.3f * a.data[i] + 0.7f * b.data[i], small.data[i], 1e-6f, "pixel " + i);
        FloatImage m = s.segment(RGB, TaskContext.NONE);
        assertTrue(m.sameSize(W, H));
        assertArrayEquals(Segmenter.resizeToImage(small, W, H).data, m.data);
        assertEquals(0, general.fullSize.get() + specialist.fullSize.get(), "no part was resized to the image on its own");
        assertEquals(0.3f * 0.8f + 0.7f, m.get(30, 50, 0), 1e-6, "inside both");
        assertEquals(0f, m.get(2, 2, 0));
    }
}
