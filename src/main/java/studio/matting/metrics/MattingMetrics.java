package studio.matting.metrics;

import studio.matting.image.FloatImage;
import studio.matting.trimap.Trimap;

/**
 * The four standard matting errors, computed as in the Deep Image Matting evaluation code (Xu et al. 2017, the
 * MATLAB scripts also used for alphamatting.com-style tables). All are restricted to the trimap's unknown pixels
 * (value 128) and take α in [0,1]:
 * <ul>
 *   <li>SAD = Σ|α_p − α_g| / 1000</li>
 *   <li>MSE = Σ(α_p − α_g)² / (number of unknown pixels) — papers often print it ×10³</li>
 *   <li>Grad = Σ(|∇α_p| − |∇α_g|)² / 1000, gradients by first-derivative-of-Gaussian filters with σ = 1.4 (kernel as
 *       in DIM's {@code gaussgradient}: half size ⌈σ√(−2 ln(√(2π)σ·0.01))⌉, L2-normalised, replicate borders), after
 *       min-max normalising each matte to [0,1] (MATLAB {@code mat2gray})</li>
 *   <li>Conn = Σ|φ_p − φ_g| / 1000 with thresholds 0, 0.1, …, 1: l(i) is the last threshold at which pixel i was still
 *       in the largest 4-connected component of {α_p ≥ t} ∩ {α_g ≥ t} (1 if it never left), d = α − l, and
 *       φ = 1 − d·[d ≥ 0.15]</li>
 * </ul>
 * The /1000 scaling follows DIM's published tables (its Python ports divide Grad and Conn by 1000 as well).
 */
public final class MattingMetrics {
    public record Scores(double sad, double mse, double grad, double conn, long unknownPixels) { }

    private MattingMetrics() { }

    public static Scores all(FloatImage pred, FloatImage gt, Trimap trimap) {
        float[] p = plane(pred), g = plane(gt);
        check(pred, gt, trimap);
        return new Scores(sad(p, g, trimap.data), mse(p, g, trimap.data), grad(p, g, trimap.data, pred.width, pred.height),
                conn(p, g, trimap.data, pred.width, pred.height), unknownCount(trimap.data));
    }

    private static void check(FloatImage pred, FloatImage gt, Trimap t) {
        if (!pred.sameSize(gt.width, gt.height) || !pred.sameSize(t.width, t.height))
            throw new IllegalArgumentException("prediction, ground truth and trimap sizes differ: " + pred + ", " + gt + ", " + t.width + "x" + t.height);
    }

    /** Channel 0 as a tight w·h array. */
    static float[] plane(FloatImage im) {
        float[] out = new float[im.width * im.height];
        for (int y = 0; y < im.height; y++)
            for (int x = 0; x < im.width; x++) out[y * im.width + x] = im.data[y * im.stride + x * im.channels];
        return out;
    }

    static boolean unknown(byte[] t, int i) { return (t[i] & 0xFF) == Trimap.UNKNOWN; }

    static long unknownCount(byte[] t) {
        long n = 0;
        for (int i = 0; i < t.length; i++) if (unknown(t, i)) n++;
        return n;
    }

    public static double sad(float[] p, float[] g, byte[] t) {
        double s = 0;
        for (int i = 0; i < p.length; i++) if (unknown(t, i)) s += Math.abs((double) p[i] - g[i]);
        return s / 1000.0;
    }

    /** 0 when there are no unknown pixels. */
    public static double mse(float[] p, float[] g, byte[] t) {
        double s = 0;
        long n = 0;
        for (int i = 0; i < p.length; i++) {
            if (unknown(t, i)) {
                double d = (double) p[i] - g[i];
                s += d * d;
                n++;
            }
        }
        return n == 0 ? 0 : s / n;
    }

    public static double grad(float[] p, float[] g, byte[] t, int w, int h) {
        double[] mp = gradientMagnitude(normalise(p), w, h, 1.4);
        double[] mg = gradientMagnitude(normalise(g), w, h, 1.4);
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            if (unknown(t, i)) {
                double d = mp[i] - mg[i];
                s += d * d;
            }
        }
        return s / 1000.0;
    }

    /** MATLAB mat2gray: (v − min) / (max − min); a constant image maps to 0. */
    static double[] normalise(float[] a) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (float v : a) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        double[] out = new double[a.length];
        if (hi > lo) for (int i = 0; i < a.length; i++) out[i] = (a[i] - lo) / (hi - lo);
        return out;
    }

    /** |∇a| with DIM's separable derivative-of-Gaussian kernel (gauss along one axis × dgauss along the other). */
    static double[] gradientMagnitude(double[] a, int w, int h, double sigma) {
        int half = (int) Math.ceil(sigma * Math.sqrt(-2 * Math.log(Math.sqrt(2 * Math.PI) * sigma * 0.01)));
        int size = 2 * half + 1;
        double[] gk = new double[size], dk = new double[size];
        double ng = 0, nd = 0;
        for (int i = 0; i < size; i++) {
            double u = i - half;
            double gauss = Math.exp(-u * u / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
            gk[i] = gauss;
            dk[i] = -u * gauss / (sigma * sigma);
            ng += gk[i] * gk[i];
            nd += dk[i] * dk[i];
        }
        // The 2-D kernel g(y)·d(x) is divided by its L2 norm, which is ‖g‖·‖d‖.
        double norm = Math.sqrt(ng * nd);
        for (int i = 0; i < size; i++) dk[i] /= norm;
        double[] gx = separable(separable(a, w, h, dk, true), w, h, gk, false);
        double[] gy = separable(separable(a, w, h, gk, true), w, h, dk, false);
        for (int i = 0; i < gx.length; i++) gx[i] = Math.sqrt(gx[i] * gx[i] + gy[i] * gy[i]);
        return gx;
    }

    /** 1-D convolution along x (horizontal) or y with replicated borders. */
    private static double[] separable(double[] a, int w, int h, double[] k, boolean horizontal) {
        int half = k.length / 2;
        double[] out = new double[a.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int i = 0; i < k.length; i++) {
                    int off = half - i; // convolution flips the kernel
                    int xx = horizontal ? Math.max(0, Math.min(w - 1, x + off)) : x;
                    int yy = horizontal ? y : Math.max(0, Math.min(h - 1, y + off));
                    s += k[i] * a[yy * w + xx];
                }
                out[y * w + x] = s;
            }
        }
        return out;
    }

    public static double conn(float[] p, float[] g, byte[] t, int w, int h) {
        int n = w * h;
        double[] level = new double[n];
        java.util.Arrays.fill(level, -1);
        int[] label = new int[n];
        int[] queue = new int[n];
        for (int step = 1; step <= 10; step++) {
            double th = step / 10.0;
            // Largest 4-connected component of {p ≥ th} ∩ {g ≥ th}, by breadth-first flood fill.
            java.util.Arrays.fill(label, 0);
            int best = 0, bestSize = 0, next = 0;
            for (int s = 0; s < n; s++) {
                if (label[s] != 0 || p[s] < th || g[s] < th) continue;
                next++;
                int head = 0, tail = 0, size = 0;
                queue[tail++] = s;
                label[s] = next;
                while (head < tail) {
                    int q = queue[head++];
                    size++;
                    int x = q % w, y = q / w;
                    if (x > 0) tail = visit(q - 1, next, p, g, th, label, queue, tail);
                    if (x < w - 1) tail = visit(q + 1, next, p, g, th, label, queue, tail);
                    if (y > 0) tail = visit(q - w, next, p, g, th, label, queue, tail);
                    if (y < h - 1) tail = visit(q + w, next, p, g, th, label, queue, tail);
                }
                if (size > bestSize) { bestSize = size; best = next; }
            }
            double prev = (step - 1) / 10.0;
            for (int i = 0; i < n; i++) if (level[i] == -1 && (best == 0 || label[i] != best)) level[i] = prev;
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            if (!unknown(t, i)) continue;
            double l = level[i] == -1 ? 1 : level[i];
            double dp = p[i] - l, dg = g[i] - l;
            double phiP = 1 - (dp >= 0.15 ? dp : 0), phiG = 1 - (dg >= 0.15 ? dg : 0);
            s += Math.abs(phiP - phiG);
        }
        return s / 1000.0;
    }

    private static int visit(int q, int id, float[] p, float[] g, double th, int[] label, int[] queue, int tail) {
        if (label[q] == 0 && p[q] >= th && g[q] >= th) {
            label[q] = id;
            queue[tail++] = q;
        }
        return tail;
    }
}
