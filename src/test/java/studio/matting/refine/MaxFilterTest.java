package studio.matting.refine;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The line max filters against brute force (clipped windows, fractional half-widths, short and long windows). */
class MaxFilterTest {
    static float brute(float[] a, int w, int h, int x, int y, int b, boolean horizontal) {
        float m = Float.NEGATIVE_INFINITY;
        for (int k = -b; k <= b; k++) {
            int xx = horizontal ? x + k : x, yy = horizontal ? y : y + k;
            if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
            m = Math.max(m, a[yy * w + xx]);
        }
        return m;
    }

    @Test
    void rowsAndColumnsMatchBruteForce() {
        int w = 53, h = 41;
        float[] a = new float[w * h];
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextDouble();
        float[] out = new float[w * h], t1 = new float[w * h], t2 = new float[w * h];
        for (double half : new double[]{0, 0.4, 1, 2.5, 4, 6.75, 11, 30}) {
            int b = (int) Math.floor(half);
            float f = (float) (half - b);
            MaxFilter.rows(a, out, w, h, half);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    float c = brute(a, w, h, x, y, b, true), e = brute(a, w, h, x, y, b + 1, true);
                    assertEquals(c + f * (e - c), out[y * w + x], 1e-6f, "rows half=" + half + " at " + x + "," + y);
                }
            MaxFilter.columns(a, out, t1, t2, w, h, half);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    float c = brute(a, w, h, x, y, b, false), e = brute(a, w, h, x, y, b + 1, false);
                    assertEquals(c + f * (e - c), out[y * w + x], 1e-6f, "columns half=" + half + " at " + x + "," + y);
                }
        }
    }
}
