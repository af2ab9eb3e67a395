package studio.matting.trimap;

import org.junit.jupiter.api.Test;
import studio.matting.image.FloatImage;

import static org.junit.jupiter.api.Assertions.*;

class AutoTrimapTest {
    /** A hard-edged disc of radius r at the image centre. */
    private static FloatImage disc(int w, int h, double r, float inside) {
        FloatImage m = new FloatImage(w, h, 1);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                m.set(x, y, 0, Math.hypot(x + 0.5 - w / 2.0, y + 0.5 - h / 2.0) <= r ? inside : 0f);
        return m;
    }

    private static int unknownRun(Trimap t, int y) {
        int n = 0;
        for (int x = 0; x < t.width / 2; x++) if (t.get(x, y) == Trimap.UNKNOWN) n++;
        return n;
    }

    @Test
    void defaultsAreKeptAt800AndScaleWithTheLongSide() {
        assertEquals(TrimapGenerator.DEFAULT_ITERATIONS, TrimapGenerator.autoIterations(600, 800, TrimapGenerator.DEFAULT_KERNEL));
        // half band 18 px × √(long side / 800), in steps of the kernel's 3 px
        assertEquals(8, TrimapGenerator.autoIterations(1200, 1600, TrimapGenerator.DEFAULT_KERNEL));
        assertEquals(13, TrimapGenerator.autoIterations(4000, 3000, TrimapGenerator.DEFAULT_KERNEL));
        assertEquals(TrimapGenerator.DEFAULT_ITERATIONS, TrimapGenerator.autoIterations(300, 200, TrimapGenerator.DEFAULT_KERNEL),
                "never narrower than the defaults");
        assertEquals(11, TrimapGenerator.autoIterations(1600, 2667, TrimapGenerator.DEFAULT_KERNEL));
        assertEquals(20, TrimapGenerator.autoIterations(9000, 6000, TrimapGenerator.DEFAULT_KERNEL));
        assertEquals(TrimapGenerator.MAX_AUTO_ITERATIONS, TrimapGenerator.autoIterations(30000, 20000, TrimapGenerator.DEFAULT_KERNEL));
    }

    @Test
    void bandIsTwiceTheScaledHalfWidthAcrossTheEdgeOfAMaskWithoutGrades() {
        // a binary mask: 1600 px long side, 8 iterations, half band 24 px, so ~48 unknown pixels across the disc's left edge
        Trimap t = TrimapGenerator.fromMaskAuto(disc(1600, 1200, 400, 1f));
        assertEquals(48, unknownRun(t, 600), 3);
        assertEquals(Trimap.FOREGROUND, t.get(800, 600));
        assertEquals(Trimap.BACKGROUND, t.get(5, 5));
        // same shape at 400 px: the default band (18 px each side), not narrower
        Trimap small = TrimapGenerator.fromMaskAuto(disc(400, 300, 100, 1f));
        assertEquals(36, unknownRun(small, 150), 3);
    }

    /** 800 × 600, foreground left of x = 400: a step above y = 300, below it a linear ramp {@code ramp} px wide. */
    private static FloatImage stepAboveRampBelow(int ramp) {
        FloatImage m = new FloatImage(800, 600, 1);
        for (int y = 0; y < 600; y++)
            for (int x = 0; x < 800; x++) {
                float v = y < 300 ? (x < 400 ? 1f : 0f) : (float) Math.min(1, Math.max(0, 0.5 - (x + 0.5 - 400) / ramp));
                m.set(x, y, 0, v);
            }
        return m;
    }

    private static int unknownInRow(Trimap t, int y) {
        int n = 0;
        for (int x = 0; x < t.width; x++) if (t.get(x, y) == Trimap.UNKNOWN) n++;
        return n;
    }

    @Test
    void theBandIsNarrowWhereTheMaskIsSureAndWholeWhereItHesitates() {
        // 800 px: half band 18, so 9 px each side of a sure edge and up to 18 where the level is within (0.05, 0.95);
        // the 80 px ramp is unsure over ±36 px, so the band there is cut at ±18
        Trimap t = TrimapGenerator.fromMaskAuto(stepAboveRampBelow(80));
        assertEquals(18, unknownInRow(t, 150), 2, "sure edge");
        assertEquals(36, unknownInRow(t, 450), 2, "hesitant edge");
        assertEquals(Trimap.FOREGROUND, t.get(300, 450));
        assertEquals(Trimap.BACKGROUND, t.get(500, 450));
        // a ramp narrower than the band: only its unsure part (±10 px) is widened beyond the sure 9 px
        Trimap narrow = TrimapGenerator.fromMaskAuto(stepAboveRampBelow(22));
        assertEquals(20, unknownInRow(narrow, 450), 2);
        assertEquals(18, unknownInRow(narrow, 150), 2);
    }

    @Test
    void unsureMaskLevelsFarFromTheEdgeAreNotWidened() {
        FloatImage m = disc(800, 600, 200, 1f);
        // a hesitant blob (level 0.4) far outside the disc: thresholded away like the fixed generator does
        for (int y = 40; y < 80; y++) for (int x = 40; x < 80; x++) m.set(x, y, 0, 0.4f);
        Trimap t = TrimapGenerator.fromMaskAuto(m);
        assertEquals(Trimap.BACKGROUND, t.get(60, 60));
        assertEquals(TrimapGenerator.fromMask(m, 7, 6).get(60, 60), t.get(60, 60));
    }

    @Test
    void personCutByTheFrameStaysForegroundAtTheEdge() {
        FloatImage m = new FloatImage(400, 600, 1);
        for (int y = 300; y < 600; y++) for (int x = 100; x < 300; x++) m.set(x, y, 0, 1f);
        Trimap t = TrimapGenerator.fromMaskAuto(m);
        assertEquals(Trimap.FOREGROUND, t.get(200, 599), "the bottom edge is not a boundary");
        assertEquals(Trimap.UNKNOWN, t.get(100, 450));
    }

    @Test
    void tiledBandIsTheWholePhotosBand() {
        // blobs of every size, a one-pixel line, holes, a person cut by the frame: tiles of several sides (smaller and
        // larger than the half band) against one tile, i.e. the whole photo's two distance transforms
        int w = 700, h = 530;
        studio.matting.image.ByteImage m = new studio.matting.image.ByteImage(w, h, 1);
        java.util.Random rnd = new java.util.Random(7);
        for (int k = 0; k < 25; k++) {
            int cx = rnd.nextInt(w), cy = rnd.nextInt(h), r = 2 + rnd.nextInt(90);
            byte v = (byte) (k % 5 == 4 ? 0 : 200 + rnd.nextInt(56));
            for (int y = Math.max(0, cy - r); y < Math.min(h, cy + r); y++)
                for (int x = Math.max(0, cx - r); x < Math.min(w, cx + r); x++)
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) m.data[y * w + x] = v;
        }
        for (int x = 0; x < w; x++) m.data[300 * w + x] = (byte) 255;
        for (int y = 400; y < h; y++) for (int x = 0; x < 60; x++) m.data[y * w + x] = (byte) 255;
        for (int half : new int[] {3, 24, 40}) {
            Trimap whole = TrimapGenerator.band(m, half, half, Math.max(w, h));
            long unknown = whole.count(Trimap.UNKNOWN);
            assertTrue(unknown > 1000 && whole.count(Trimap.FOREGROUND) > 500 && whole.count(Trimap.BACKGROUND) > 500, "a real band: " + unknown);
            for (int tile : new int[] {17, 64, TrimapGenerator.BAND_TILE})
                assertArrayEquals(whole.data, TrimapGenerator.band(m, half, half, tile).data, "half " + half + ", tile " + tile);
        }
        // the confidence-shaped band (with an unsure part wider than half): levels 200–241 unsure, 242–255 sure
        for (int half : new int[] {6, 24}) {
            Trimap whole = TrimapGenerator.band(m, half / 2, half * 3 / 2, Math.max(w, h));
            assertNotEquals(TrimapGenerator.band(m, half, half, Math.max(w, h)).count(Trimap.UNKNOWN), whole.count(Trimap.UNKNOWN),
                    "the mask has grades, so the band is shaped");
            for (int tile : new int[] {17, 64, TrimapGenerator.BAND_TILE})
                assertArrayEquals(whole.data, TrimapGenerator.band(m, half / 2, half * 3 / 2, tile).data, "adaptive half " + half + ", tile " + tile);
        }
    }
}
