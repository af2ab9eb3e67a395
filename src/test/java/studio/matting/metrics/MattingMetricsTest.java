package studio.matting.metrics;

import org.junit.jupiter.api.Test;
import studio.matting.image.FloatImage;
import studio.matting.trimap.Trimap;

import static org.junit.jupiter.api.Assertions.*;

class MattingMetricsTest {
    private static FloatImage img(int w, int h, float... v) {
        return new FloatImage(w, h, 1, v, w);
    }

    @Test
    void sadAndMseCountOnlyUnknownPixels() {
        FloatImage pred = img(2, 2, 0.5f, 0.25f, 1f, 0f);
        FloatImage gt = img(2, 2, 1f, 0.5f, 0f, 1f);
        Trimap t = new Trimap(2, 2, new byte[]{(byte) 128, (byte) 128, 0, (byte) 255});
        MattingMetrics.Scores s = MattingMetrics.all(pred, gt, t);
        assertEquals((0.5 + 0.25) / 1000, s.sad(), 1e-12);
        assertEquals((0.25 + 0.0625) / 2, s.mse(), 1e-12);
        assertEquals(2, s.unknownPixels());
    }

    @Test
    void perfectPredictionScoresZeroEverywhere() {
        int w = 20, h = 15;
        float[] a = new float[w * h];
        for (int i = 0; i < a.length; i++) a[i] = (float) Math.min(1, Math.max(0, (i % w - 5) / 10.0));
        Trimap t = Trimap.filled(w, h, Trimap.UNKNOWN);
        MattingMetrics.Scores s = MattingMetrics.all(img(w, h, a), img(w, h, a.clone()), t);
        assertEquals(0, s.sad());
        assertEquals(0, s.mse());
        assertEquals(0, s.grad(), 1e-12);
        assertEquals(0, s.conn(), 1e-12);
    }

    @Test
    void gradientErrorIsInvariantToTheMinMaxNormalisation() {
        int w = 16, h = 12;
        float[] g = new float[w * h], p = new float[w * h], step = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                g[y * w + x] = x / (float) (w - 1);
                p[y * w + x] = 0.2f + 0.5f * g[y * w + x]; // affine copy: identical after mat2gray
                step[y * w + x] = x < w / 2 ? 0f : 1f;
            }
        byte[] t = Trimap.filled(w, h, Trimap.UNKNOWN).data;
        assertEquals(0, MattingMetrics.grad(p, g, t, w, h), 1e-9);
        double e = MattingMetrics.grad(step, g, t, w, h);
        assertTrue(e > 0, "a hard step against a ramp has gradient error: " + e);
        // Constant mattes normalise to 0 and have no gradient.
        float[] c1 = new float[w * h], c2 = new float[w * h];
        java.util.Arrays.fill(c2, 0.7f);
        assertEquals(0, MattingMetrics.grad(c1, c2, t, w, h), 1e-12);
    }

    @Test
    void gradientOfAUnitRampMatchesTheNormalisedKernel() {
        // For a linear ramp of slope s the DoG response is s·Σ_u u·d(u)·Σ g(v) / (‖g‖‖d‖): check against that sum.
        int w = 40, h = 40;
        double[] a = new double[w * h];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) a[y * w + x] = x * 0.01;
        double[] m = MattingMetrics.gradientMagnitude(a, w, h, 1.4);
        double sigma = 1.4;
        int half = (int) Math.ceil(sigma * Math.sqrt(-2 * Math.log(Math.sqrt(2 * Math.PI) * sigma * 0.01)));
        double sg = 0, sg2 = 0, sd2 = 0, sud = 0;
        for (int u = -half; u <= half; u++) {
            double g = Math.exp(-u * u / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
            double d = -u * g / (sigma * sigma);
            sg += g; sg2 += g * g; sd2 += d * d; sud += u * d;
        }
        double expected = Math.abs(0.01 * sud * sg / Math.sqrt(sg2 * sd2));
        assertEquals(expected, m[20 * w + 20], 1e-9);
    }

    @Test
    void connectivityHandComputedCase() {
        // gt = [1 1 1], pred = [1 0 1]. Thresholds 0.1..1: the largest component of pred∩gt is {0} (ties go to the
        // first in scan order, like MATLAB's max), so l = [1, 0, 0]. d_pred = [0, 0, 1] → φ_pred = [1, 1, 0];
        // d_gt = [0, 1, 1] → φ_gt = [1, 0, 0]; Σ|Δφ| = 1 → 1/1000.
        Trimap t = Trimap.filled(3, 1, Trimap.UNKNOWN);
        assertEquals(1.0 / 1000, MattingMetrics.conn(new float[]{1, 0, 1}, new float[]{1, 1, 1}, t.data, 3, 1), 1e-12);
        // Small deviations below 0.15 above the level do not count: pred = gt − 0.1 everywhere in a connected blob.
        float[] g = {0.9f, 0.9f, 0.9f, 0.9f}, p = {0.8f, 0.8f, 0.8f, 0.8f};
        assertEquals(0, MattingMetrics.conn(p, g, Trimap.filled(2, 2, Trimap.UNKNOWN).data, 2, 2), 1e-12);
    }

    @Test
    void sizeMismatchIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> MattingMetrics.all(img(2, 1, 0, 0), img(1, 1, 0), new Trimap(2, 1)));
    }
}
