package studio.matting.refine;

import studio.matting.image.Parallel;

/**
 * Grey-level dilation of a flat float plane (stride = width). A window of length L = 2b + 1 is the max of two
 * overlapping power-of-two windows P ≤ L, and the power-of-two maxima are built by doubling (max of x[i] and
 * x[i + s] for s = 1, 2, 4 …): ⌈log₂ L⌉ + 1 element-wise passes, each a contiguous loop the JIT vectorises, and
 * vertical passes run on whole rows instead of gathering columns. A sub-pixel half-width b + f is the max over b
 * blended with the max over b + 1 by f, which moves a ramp by exactly b + f. {@link #disc} approximates a round
 * structuring element by the union of three rectangles. Given {@link ActiveTiles}, the disc copies its input once and
 * the passes compute only the active runs (the doubling tables of long vertical windows stay whole-plane).
 */
public final class MaxFilter {
    /**
     * Corners of the three rectangles on the circle (15°, 45°, 75°). A straight edge of normal φ moves by
     * R·max cos(φ − θᵢ), between cos 15° and 1; scaling R by 2/(1 + cos 15°) centres the error at ±1.7 %.
     */
    private static final double[] COS = {Math.cos(Math.toRadians(15)), Math.cos(Math.toRadians(45)), Math.cos(Math.toRadians(75))};
    private static final double ROUND = 2 / (1 + Math.cos(Math.toRadians(15)));

    private MaxFilter() { }

    /**
     * Dilates src into dst by a disc of radius {@code radius} px (≥ 0). {@code t1} … {@code t4} are scratch planes;
     * src may be dst, the others must all differ.
     */
    public static void disc(float[] src, float[] dst, float[] t1, float[] t2, float[] t3, float[] t4, int w, int h, double radius) {
        disc(src, dst, t1, t2, t3, t4, w, h, radius, null);
    }

    /** How far (px, per axis) a disc of this radius reads. */
    static int reach(double radius) {
        return radius > 0 ? (int) Math.ceil(radius * ROUND) + 1 : 0;
    }

    static void disc(float[] src, float[] dst, float[] t1, float[] t2, float[] t3, float[] t4, int w, int h, double radius,
                     ActiveTiles m) {
        int n = w * h;
        if (!(radius > 0)) {
            if (src != dst) System.arraycopy(src, 0, dst, 0, n);
            return;
        }
        double r = radius * ROUND;
        // dst accumulates the maximum over the three rectangles, so the input must live elsewhere while it does.
        float[] input = src;
        if (src == dst) {
            System.arraycopy(src, 0, t4, 0, n);
            input = t4;
        }
        if (m != null) {
            // outside the active runs every plane of the disc equals the input: copy it once into t1 and dst, and
            // the passes below write only the runs
            if (input != dst) System.arraycopy(input, 0, dst, 0, n);
            System.arraycopy(input, 0, t1, 0, n);
        }
        for (int i = 0; i < 3; i++) {
            rows(input, t1, w, h, r * COS[i], m);
            columns(t1, dst, t2, t3, w, h, r * COS[2 - i], i > 0, m);
        }
    }

    /** Windows up to this length are maxed directly (L loads a pixel beat log₂ L passes with intermediate planes). */
    static final int DIRECT_MAX_LENGTH = 9;

    /** Horizontal max filter of half-width {@code half} (fractional allowed) on every row; src may be dst. */
    public static void rows(float[] src, float[] dst, int w, int h, double half) {
        rows(src, dst, w, h, half, null);
    }

    /** With {@code m}, only its runs are written: dst must already hold src elsewhere ({@link #disc} copies it once). */
    private static void rows(float[] src, float[] dst, int w, int h, double half, ActiveTiles m) {
        final int b = (int) Math.floor(half);
        final float f = (float) (half - b);
        final int len = 2 * b + 1, p = Integer.highestOneBit(len), pad = b + 1;
        final int[] whole = {0, w};
        Parallel.rows(h, w * 4, (y0, y1) -> {
            // pad with the edge values: for a max, that is the same as clipping the window
            float[] in = new float[w + 2 * pad], t = len > DIRECT_MAX_LENGTH ? new float[w + 2 * pad] : null;
            for (int y = y0; y < y1; y++) {
                int off = y * w;
                int[] runs = m == null ? whole : m.runs(y);
                if (runs.length == 0) continue;
                System.arraycopy(src, off, in, pad, w);
                float first = src[off], last = src[off + w - 1];
                for (int i = 0; i < pad; i++) {
                    in[i] = first;
                    in[pad + w + i] = last;
                }
                int shift = len - p;
                for (int q = 0; q < runs.length; q += 2) {
                    int x0 = runs[q], x1 = runs[q + 1];
                    if (t != null) {
                        // t[j] = max(in[j … j + p − 1]) for the windows of x0 … x1 − 1: j from x0 + pad − b
                        int j0 = x0 + pad - b, e0 = x1 + pad + b;
                        System.arraycopy(in, j0, t, j0, e0 - j0);
                        for (int s = 1; s < p; s <<= 1)
                            for (int j = j0, e = e0 - s; j < e; j++) t[j] = Math.max(t[j], t[j + s]);
                    }
                    rowRun(in, t, dst, off, x0, x1, b, f, pad, shift);
                }
            }
        });
    }

    private static void rowRun(float[] in, float[] t, float[] dst, int off, int x0, int x1, int b, float f, int pad, int shift) {
        for (int x = x0; x < x1; x++) {
            int lo = x + pad - b; // window [lo, lo + 2b] in padded coordinates
            float c;
            if (t != null) {
                c = Math.max(t[lo], t[lo + shift]);
            } else {
                c = in[lo];
                for (int j = lo + 1; j <= lo + 2 * b; j++) c = Math.max(c, in[j]);
            }
            if (f > 0) c += f * (Math.max(c, Math.max(in[lo - 1], in[lo + 2 * b + 1])) - c);
            dst[off + x] = c;
        }
    }

    /**
     * Vertical max filter of half-width {@code half}; {@code t1}, {@code t2} are scratch planes (used only for long
     * windows), src must differ from dst and from them.
     */
    public static void columns(float[] src, float[] dst, float[] t1, float[] t2, int w, int h, double half) {
        columns(src, dst, t1, t2, w, h, half, false, null);
    }

    /**
     * @param merge store max(dst, result) instead of the result — the union of structuring elements
     * @param m     only its runs are written: dst must already hold src elsewhere ({@link #disc} copies it once)
     */
    private static void columns(float[] src, float[] dst, float[] t1, float[] t2, int w, int h, double half,
                                boolean merge, ActiveTiles m) {
        final int b = (int) Math.floor(half);
        final float f = (float) (half - b);
        final int len = 2 * b + 1, p = Integer.highestOneBit(len);
        // Long windows: table[y] = max(src[y … y + p − 1]) for y ≤ h − p by doubling on whole rows (ping-pong, so
        // bands may run in parallel: a pass only reads the previous pass's plane).
        float[] table = null;
        if (len > DIRECT_MAX_LENGTH) {
            table = src;
            for (int s = 1; s < p; s <<= 1) {
                final int step = s;
                final float[] in = table, out = (table == t1) ? t2 : t1;
                Parallel.rows(h, w, (y0, y1) -> {
                    for (int y = y0; y < y1; y++) {
                        int o = y * w;
                        if (y + step >= h) {
                            System.arraycopy(in, o, out, o, w);
                            continue;
                        }
                        int q = (y + step) * w;
                        for (int x = 0; x < w; x++) out[o + x] = Math.max(in[o + x], in[q + x]);
                    }
                });
                table = out;
            }
        }
        final float[] tab = table;
        final int shift = len - p;
        final int[] whole = {0, w};
        Parallel.rows(h, w * Math.min(len, DIRECT_MAX_LENGTH), (y0, y1) -> {
            float[] line = new float[w];
            for (int y = y0; y < y1; y++) {
                int lo = y - b, hi = y + b;
                int o = y * w;
                int[] runs = m == null ? whole : m.runs(y);
                for (int q = 0; q < runs.length; q += 2) {
                    int x0 = runs[q], x1 = runs[q + 1];
                    if (tab != null && lo >= 0 && hi < h) {
                        int a = lo * w, c = (lo + shift) * w;
                        for (int x = x0; x < x1; x++) line[x] = Math.max(tab[a + x], tab[c + x]);
                    } else {
                        // short window, or clipped by the top or bottom: plain max over the rows it has
                        int r0 = Math.max(0, lo), r1 = Math.min(h - 1, hi);
                        System.arraycopy(src, r0 * w + x0, line, x0, x1 - x0);
                        for (int r = r0 + 1; r <= r1; r++) {
                            int ro = r * w;
                            for (int x = x0; x < x1; x++) line[x] = Math.max(line[x], src[ro + x]);
                        }
                    }
                    if (f > 0) {
                        // the b + 1 window adds rows y − b − 1 and y + b + 1 (clipped: a missing row adds nothing)
                        int u = Math.max(0, lo - 1) * w, d = Math.min(h - 1, hi + 1) * w;
                        for (int x = x0; x < x1; x++) {
                            float c = line[x];
                            line[x] = c + f * (Math.max(c, Math.max(src[u + x], src[d + x])) - c);
                        }
                    }
                    if (merge) for (int x = x0; x < x1; x++) dst[o + x] = Math.max(dst[o + x], line[x]);
                    else System.arraycopy(line, x0, dst, o + x0, x1 - x0);
                }
            }
        });
    }
}
