package studio.matting.refine;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The sparse passes (active tiles only, the input copied elsewhere) against the dense ones on mattes that are mostly 0
 * and 1: a soft disc, an island, a hole, a semi-transparent patch, hard edges on tile borders and at the image border.
 */
class ActiveTilesTest {
    static final int W = 403, H = 317;

    /** A matte with every kind of content the refinements meet, leaving most tiles all 0 or all 1. */
    static float[] matte() {
        float[] a = new float[W * H];
        SplittableRandom rnd = new SplittableRandom(11);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                double d = Math.hypot(x - 80, y - 70) - 45 + 0.8 * Math.sin(x * 0.7) * Math.cos(y * 0.5);
                float v = (float) Math.max(0, Math.min(1, 0.5 - d / 3));
                if (x >= 160 && x < 176 && y >= 16 && y < 48) v = 1; // hard square, edges on tile borders
                if (x >= W - 50 && y >= H - 40) v = 0.5f + 0.3f * (float) rnd.nextDouble(); // soft patch at the corner
                if (x < 3 && y > 100 && y < 130) v = 1; // touches the image border
                if (Math.hypot(x - 80, y - 70) < 6) v = 0; // a hole inside
                a[y * W + x] = v;
            }
        return a;
    }

    @Test
    void mostlyConstantMatteHasFewActiveTilesAndNoiseIsDense() {
        ActiveTiles m = ActiveTiles.of(matte(), W, H, 3);
        assertNotNull(m);
        assertTrue(m.activeShare() < 0.6 && m.activeShare() > 0.05, "share " + m.activeShare());
        float[] noise = new float[W * H];
        SplittableRandom rnd = new SplittableRandom(2);
        for (int i = 0; i < noise.length; i++) noise[i] = (float) rnd.nextDouble();
        assertNull(ActiveTiles.of(noise, W, H, 3), "all tiles active: the dense passes are cheaper");
        assertEquals(0, ActiveTiles.of(new float[W * H], W, H, 50).activeShare(), "a constant plane has no active tile");
    }

    @Test
    void anEdgeOnATileBorderIsActive() {
        float[] a = new float[W * H];
        for (int y = 0; y < H; y++)
            for (int x = 4 * ActiveTiles.TILE; x < W; x++) a[y * W + x] = 1;
        ActiveTiles m = ActiveTiles.of(a, W, H, 0);
        assertTrue(m.active(3, 5) && m.active(4, 5), "both tiles beside the border");
        assertFalse(m.active(1, 5) || m.active(8, 5));
    }

    @Test
    void sparseBlurEqualsDenseBlur() {
        float[] a = matte();
        for (double sigma : new double[]{0.7, 1.67, 2.5, 6, 20}) {
            float[] dense = new float[W * H], sparse = new float[W * H], scratch = new float[W * H];
            GaussianBlur.blur(a, dense, scratch, W, H, sigma);
            ActiveTiles m = ActiveTiles.of(a, W, H, GaussianBlur.reach(sigma));
            if (m == null) continue;
            GaussianBlur.blur(a, sparse, scratch, W, H, sigma, m);
            for (int i = 0; i < a.length; i++)
                assertEquals(dense[i], sparse[i], 2e-6f, "σ=" + sigma + " at " + (i % W) + "," + (i / W));
        }
    }

    @Test
    void sparseDiscEqualsDenseDisc() {
        float[] a = matte();
        int n = W * H;
        for (double r : new double[]{0.6, 2.3, 4, 9.5}) {
            for (boolean inPlace : new boolean[]{false, true}) {
                float[] dense = inPlace ? a.clone() : new float[n], sparse = inPlace ? a.clone() : new float[n];
                MaxFilter.disc(inPlace ? dense : a, dense, new float[n], new float[n], new float[n], new float[n], W, H, r);
                ActiveTiles m = ActiveTiles.of(a, W, H, MaxFilter.reach(r));
                assertNotNull(m, "r=" + r);
                MaxFilter.disc(inPlace ? sparse : a, sparse, new float[n], new float[n], new float[n], new float[n], W, H, r, m);
                for (int i = 0; i < n; i++)
                    assertEquals(dense[i], sparse[i], 0f, "r=" + r + " at " + (i % W) + "," + (i / W));
            }
        }
    }
}
