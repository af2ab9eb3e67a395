package studio.matting.matting;

import org.junit.jupiter.api.Test;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** {@link CoarseToFine#guidedUpsample}: against a plain re-implementation, and what it is for (edges below the coarse grid). */
class CoarseToFineTest {

    /** Box colours of a w × h RGB array halved, as {@link CoarseToFine} builds its coarse level. */
    private static float[] halve(float[] c, int w, int h) {
        int w2 = (w + 1) / 2, h2 = (h + 1) / 2;
        float[] c2 = new float[w2 * h2 * 3];
        for (int y = 0; y < h2; y++)
            for (int x = 0; x < w2; x++)
                for (int k = 0; k < 3; k++) {
                    float s = 0;
                    int n = 0;
                    for (int dy = 0; dy < 2; dy++)
                        for (int dx = 0; dx < 2; dx++) {
                            int yy = Math.min(h - 1, 2 * y + dy), xx = Math.min(w - 1, 2 * x + dx);
                            s += c[(yy * w + xx) * 3 + k];
                            n++;
                        }
                    c2[(y * w2 + x) * 3 + k] = s / n;
                }
        return c2;
    }

    /**
     * The guided filter written out directly: per coarse window (clipped) the ridge regression of α on the colours,
     * solved with a general 3×3 elimination, the window means of a and b, then bilinear taps at each fine pixel.
     */
    private static double[] naive(float[] c2, float[] a2, int w2, int h2, float[] fine, int w, int h, double eps, int r) {
        double[][] coef = windowFits(c2, a2, w2, h2, eps, r);
        double[][] mean = new double[w2 * h2][4];
        for (int y = 0; y < h2; y++)
            for (int x = 0; x < w2; x++) {
                int n = 0;
                for (int yy = Math.max(0, y - r); yy <= Math.min(h2 - 1, y + r); yy++)
                    for (int xx = Math.max(0, x - r); xx <= Math.min(w2 - 1, x + r); xx++) {
                        for (int k = 0; k < 4; k++) mean[y * w2 + x][k] += coef[yy * w2 + xx][k];
                        n++;
                    }
                for (int k = 0; k < 4; k++) mean[y * w2 + x][k] /= n;
            }
        double[] out = new double[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double fx = Math.max(0, Math.min(w2 - 1, (x + 0.5) / 2 - 0.5)), fy = Math.max(0, Math.min(h2 - 1, (y + 0.5) / 2 - 0.5));
                int xa = (int) fx, ya = (int) fy, xb = Math.min(w2 - 1, xa + 1), yb = Math.min(h2 - 1, ya + 1);
                double tx = fx - xa, ty = fy - ya, v = 0;
                for (int k = 0; k < 4; k++) {
                    double c = (mean[ya * w2 + xa][k] * (1 - tx) + mean[ya * w2 + xb][k] * tx) * (1 - ty)
                            + (mean[yb * w2 + xa][k] * (1 - tx) + mean[yb * w2 + xb][k] * tx) * ty;
                    v += k < 3 ? c * fine[(y * w + x) * 3 + k] : c;
                }
                out[y * w + x] = v;
            }
        return out;
    }

    @Test
    void matchesThePlainGuidedFilterWhereverItWrites() {
        int w = 37, h = 29, w2 = (w + 1) / 2, h2 = (h + 1) / 2;
        Random rnd = new Random(7);
        float[] fine = new float[w * h * 3];
        for (int i = 0; i < fine.length; i++) fine[i] = rnd.nextFloat();
        float[] c2 = halve(fine, w, h), a2 = new float[w2 * h2];
        for (int i = 0; i < a2.length; i++) a2[i] = rnd.nextFloat();
        boolean[] where = new boolean[w * h], u2 = new boolean[w2 * h2];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if (Math.abs(x - y) < 6 || rnd.nextInt(20) == 0) {
                    where[y * w + x] = true;
                    u2[(y / 2) * w2 + x / 2] = true; // as CoarseToFine marks a coarse pixel with any unknown child
                }
        for (int r = 1; r <= 2; r++) {
            double eps = r == 1 ? 1e-5 : 1e-3;
            float[] got = CoarseToFine.guidedUpsample(c2, a2, w2, h2, u2, CoarseToFine.Colours.of(fine, w), w, h, where, eps, r);
            double[] want = naive(c2, a2, w2, h2, fine, w, h, eps, r);
            double worst = 0;
            for (int i = 0; i < w * h; i++) {
                if (where[i]) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
                else assertEquals(0f, got[i], "only the unknown pixels are written");
            }
            assertTrue(worst < 1e-3, "radius " + r + ": worst relative difference " + worst);
        }
    }

    /** The ridge-regression coefficients a (3), b of every clipped coarse window, with a general 3×3 elimination. */
    private static double[][] windowFits(float[] c2, float[] a2, int w2, int h2, double eps, int r) {
        double[][] coef = new double[w2 * h2][];
        for (int y = 0; y < h2; y++)
            for (int x = 0; x < w2; x++) {
                double[] mu = new double[3], cov = new double[9], v = new double[3];
                double ma = 0;
                int n = 0;
                for (int yy = Math.max(0, y - r); yy <= Math.min(h2 - 1, y + r); yy++)
                    for (int xx = Math.max(0, x - r); xx <= Math.min(w2 - 1, x + r); xx++) {
                        int q = yy * w2 + xx;
                        for (int i = 0; i < 3; i++) {
                            mu[i] += c2[3 * q + i];
                            v[i] += c2[3 * q + i] * a2[q];
                            for (int j = 0; j < 3; j++) cov[3 * i + j] += c2[3 * q + i] * c2[3 * q + j];
                        }
                        ma += a2[q];
                        n++;
                    }
                for (int i = 0; i < 3; i++) mu[i] /= n;
                ma /= n;
                double[][] m = new double[3][4];
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) m[i][j] = cov[3 * i + j] / n - mu[i] * mu[j] + (i == j ? eps : 0);
                    m[i][3] = v[i] / n - mu[i] * ma;
                }
                for (int p = 0; p < 3; p++)
                    for (int i = p + 1; i < 3; i++) {
                        double f = m[i][p] / m[p][p];
                        for (int j = p; j < 4; j++) m[i][j] -= f * m[p][j];
                    }
                double[] a = new double[3];
                for (int i = 2; i >= 0; i--) {
                    double s = m[i][3];
                    for (int j = i + 1; j < 3; j++) s -= m[i][j] * a[j];
                    a[i] = s / m[i][i];
                }
                coef[y * w2 + x] = new double[]{a[0], a[1], a[2], ma - a[0] * mu[0] - a[1] * mu[1] - a[2] * mu[2]};
            }
        return coef;
    }

    /** The worst window residual mean (a·I + b − α)² over the windows that hold each coarse pixel, summed directly. */
    private static double[] naiveFitError(float[] c2, float[] a2, int w2, int h2, double eps, int r) {
        double[][] coef = windowFits(c2, a2, w2, h2, eps, r);
        double[] res = new double[w2 * h2], worst = new double[w2 * h2];
        for (int y = 0; y < h2; y++)
            for (int x = 0; x < w2; x++) {
                double[] k = coef[y * w2 + x];
                double s = 0;
                int n = 0;
                for (int yy = Math.max(0, y - r); yy <= Math.min(h2 - 1, y + r); yy++)
                    for (int xx = Math.max(0, x - r); xx <= Math.min(w2 - 1, x + r); xx++) {
                        int q = yy * w2 + xx;
                        double d = k[0] * c2[3 * q] + k[1] * c2[3 * q + 1] + k[2] * c2[3 * q + 2] + k[3] - a2[q];
                        s += d * d;
                        n++;
                    }
                res[y * w2 + x] = s / n;
            }
        for (int y = 0; y < h2; y++)
            for (int x = 0; x < w2; x++)
                for (int yy = Math.max(0, y - r); yy <= Math.min(h2 - 1, y + r); yy++)
                    for (int xx = Math.max(0, x - r); xx <= Math.min(w2 - 1, x + r); xx++)
                        worst[y * w2 + x] = Math.max(worst[y * w2 + x], res[yy * w2 + xx]);
        return worst;
    }

    @Test
    void fitErrorIsTheWorstWindowResidualAndZeroWhereAlphaIsAffineInTheColours() {
        int w = 40, h = 34, w2 = w / 2, h2 = h / 2;
        Random rnd = new Random(11);
        float[] fine = new float[w * h * 3];
        for (int i = 0; i < fine.length; i++) fine[i] = rnd.nextFloat();
        float[] c2 = halve(fine, w, h);
        // left half: α an affine function of the colours (a colour line, what closed-form's α is locally);
        // right half: α unrelated to the colours
        float[] a2 = new float[w2 * h2];
        for (int y = 0; y < h2; y++)
            for (int x = 0; x < w2; x++) {
                int q = y * w2 + x;
                a2[q] = x < w2 / 2 ? 0.2f + 0.3f * c2[3 * q] - 0.2f * c2[3 * q + 1] + 0.4f * c2[3 * q + 2] : rnd.nextFloat();
            }
        boolean[] where = new boolean[w * h], u2 = new boolean[w2 * h2];
        java.util.Arrays.fill(where, true);
        java.util.Arrays.fill(u2, true);
        float[] fit = new float[w2 * h2];
        float[] got = CoarseToFine.guidedUpsample(c2, a2, w2, h2, u2, CoarseToFine.Colours.of(fine, w), w, h, where,
                CoarseToFine.GUIDED_EPSILON, CoarseToFine.GUIDED_RADIUS, fit);
        float[] plain = CoarseToFine.guidedUpsample(c2, a2, w2, h2, u2, CoarseToFine.Colours.of(fine, w), w, h, where,
                CoarseToFine.GUIDED_EPSILON, CoarseToFine.GUIDED_RADIUS);
        assertArrayEquals(plain, got, "asking for the fit error does not change α");
        double[] want = naiveFitError(c2, a2, w2, h2, CoarseToFine.GUIDED_EPSILON, CoarseToFine.GUIDED_RADIUS);
        for (int y = 0; y < h2; y++)
            for (int x = 0; x < w2; x++) {
                int q = y * w2 + x;
                assertEquals(want[q], fit[q], 1e-5 + 1e-3 * want[q], "fit error at " + x + "," + y);
                if (x < w2 / 2 - 2) assertTrue(fit[q] < 1e-3 * CoarseToFine.FIT_TAU, "an exact colour line fits: " + fit[q]);
                if (x > w2 / 2 + 1) assertTrue(fit[q] > CoarseToFine.FIT_TAU, "random α does not fit: " + fit[q]);
            }
    }

    @Test
    void reSolvesTheMiddleOfTheEdgeAlwaysAndItsTailsOnlyWhereTheCoarseModelFitsBadly() {
        assertTrue(CoarseToFine.resolves(0.5f, 0f));
        assertTrue(CoarseToFine.resolves(0.75f, 0f));
        assertFalse(CoarseToFine.resolves(0.15f, 0f), "a tail the colour line explains keeps the upsampled α");
        assertFalse(CoarseToFine.resolves(0.85f, CoarseToFine.FIT_TAU / 2));
        assertTrue(CoarseToFine.resolves(0.15f, 2 * CoarseToFine.FIT_TAU), "a tail the coarse model missed is re-solved");
        assertFalse(CoarseToFine.resolves(0.05f, 1f), "nearly 0 or 1 is never soft");
        assertFalse(CoarseToFine.resolves(0.95f, 1f));
    }

    @Test
    void putsAnEdgeThatFallsBetweenCoarsePixelsWhereThePhotoHasIt() {
        // A dark/light boundary at an odd column: the coarse pixel across it is a mix of both, and the coarse α there
        // is ½. Bilinear upsampling smears that over several fine columns; the colour model puts it on the boundary.
        int w = 64, h = 48, w2 = w / 2, h2 = h / 2, edge = 33;
        float[] fine = new float[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                float v = x < edge ? 0.9f : 0.1f;
                fine[(y * w + x) * 3] = v;
                fine[(y * w + x) * 3 + 1] = 0.8f * v + 0.05f;
                fine[(y * w + x) * 3 + 2] = 0.5f;
            }
        float[] c2 = halve(fine, w, h), a2 = new float[w2 * h2];
        // the coarse α a closed-form solve gives here: 1 left of the edge, 0 right of it, ½ on the mixed column
        for (int y = 0; y < h2; y++) for (int x = 0; x < w2; x++) a2[y * w2 + x] = x < edge / 2 ? 1f : x == edge / 2 ? 0.5f : 0f;
        boolean[] where = new boolean[w * h], u2 = new boolean[w2 * h2];
        for (int y = 0; y < h; y++) for (int x = edge - 8; x < edge + 8; x++) { where[y * w + x] = true; u2[(y / 2) * w2 + x / 2] = true; }
        float[] guided = CoarseToFine.guidedUpsample(c2, a2, w2, h2, u2, CoarseToFine.Colours.of(fine, w), w, h, where,
                CoarseToFine.GUIDED_EPSILON, CoarseToFine.GUIDED_RADIUS);
        float[] bilinear = ImageOps.upsample(new FloatImage(w2, h2, 1, a2, w2), 2, w, h, where).data;
        double sadGuided = 0, sadBilinear = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (!where[i]) continue;
                float truth = x < edge ? 1f : 0f;
                sadGuided += Math.abs(Math.max(0, Math.min(1, guided[i])) - truth);
                sadBilinear += Math.abs(bilinear[i] - truth);
            }
        assertTrue(sadGuided < 0.1 * sadBilinear, "guided " + sadGuided + " vs bilinear " + sadBilinear);
        for (int y = 4; y < h - 4; y++) {
            assertTrue(guided[y * w + edge - 1] > 0.95f, "the light side of the boundary is foreground");
            assertTrue(guided[y * w + edge] < 0.05f, "the dark side is background");
        }
    }
}
