package studio.matting.refine;

import studio.matting.image.Parallel;

/**
 * Grey-level dilation of a flat float plane (stride = width). A window of length L = 2b + 1 is the max of two
 * overlapping power-of-two windows P ≤ L, and the power-of-two maxima are built by doubling (max of x[i] and
 * x[i + s] for s = 1, 2, 4 …): ⌈log₂ L⌉ + 1 element-wise passes, each a contiguous loop the JIT vectorises, and
 * vertical passes run on whole rows instead of gathering columns. A sub-pixel half-width b + f is the max over b
 * blended with the max over b + 1 by f, which moves a ramp by exactly b + f. {@link #disc} approximates a round
 * structuring element by the union of three rectangles.
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
        for (int i = 0; i < 3; i++) {
            rows(input, t1, w, h, r * COS[i]);
            columns(t1, dst, t2, t3, w, h, r * COS[2 - i], i > 0);
        }
    }

    /** Windows up to this length are maxed directly (L loads a pixel beat log₂ L passes with intermediate planes). */
    static final int DIRECT_MAX_LENGTH = 9;

    /** Horizontal max filter of half-width {@code half} (fractional allowed) on every row; src may be dst. */
    public static void rows(float[] src, float[] dst, int w, int h, double half) {
        final int b = (int) Math.floor(half);
        final float f = (float) (half - b);
        final int len = 2 * b + 1, p = Integer.highestOneBit(len), pad = b + 1;
        Parallel.rows(h, w * 4, (y0, y1) -> {
            // pad with the edge values: for a max, that is the same as clipping the window
            float[] in = new float[w + 2 * pad], t = len > DIRECT_MAX_LENGTH ? new float[w + 2 * pad] : null;
            for (int y = y0; y < y1; y++) {
                int off = y * w;
                System.arraycopy(src, off, in, pad, w);
                float first = src[off], last = src[off + w - 1];
                for (int i = 0; i < pad; i++) {
                    in[i] = first;
                    in[pad + w + i] = last;
                }
                if (t != null) {
                    int m = w + 2 * pad;
                    System.arraycopy(in, 0, t, 0, m);
                    for (int s = 1; s < p; s <<= 1)
                        for (int j = 0, e = m - s; j < e; j++) t[j] = Math.max(t[j], t[j + s]);
                }
                int shift = len - p;
                for (int x = 0; x < w; x++) {
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
        });
    }

    /**
     * Vertical max filter of half-width {@code half}; {@code t1}, {@code t2} are scratch planes (used only for long
     * windows), src must differ from dst and from them.
     */
    public static void columns(float[] src, float[] dst, float[] t1, float[] t2, int w, int h, double half) {
        columns(src, dst, t1, t2, w, h, half, false);
    }

    /**
     * @param merge store max(dst, result) instead of the result — the union of structuring elements
     */
    static void columns(float[] src, float[] dst, float[] t1, float[] t2, int w, int h, double half, boolean merge) {
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
        Parallel.rows(h, w * Math.min(len, DIRECT_MAX_LENGTH), (y0, y1) -> {
            float[] line = new float[w];
            for (int y = y0; y < y1; y++) {
                int lo = y - b, hi = y + b;
                if (tab != null && lo >= 0 && hi < h) {
                    int a = lo * w, c = (lo + shift) * w;
                    for (int x = 0; x < w; x++) line[x] = Math.max(tab[a + x], tab[c + x]);
                } else {
                    // short window, or clipped by the top or bottom: plain max over the rows it has
                    int r0 = Math.max(0, lo), r1 = Math.min(h - 1, hi);
                    System.arraycopy(src, r0 * w, line, 0, w);
                    for (int r = r0 + 1; r <= r1; r++) {
                        int o = r * w;
                        for (int x = 0; x < w; x++) line[x] = Math.max(line[x], src[o + x]);
                    }
                }
                if (f > 0) {
                    // the b + 1 window adds rows y − b − 1 and y + b + 1 (clipped: a missing row adds nothing)
                    int u = Math.max(0, lo - 1) * w, d = Math.min(h - 1, hi + 1) * w;
                    for (int x = 0; x < w; x++) {
                        float c = line[x];
                        line[x] = c + f * (Math.max(c, Math.max(src[u + x], src[d + x])) - c);
                    }
                }
                int o = y * w;
                if (merge) for (int x = 0; x < w; x++) dst[o + x] = Math.max(dst[o + x], line[x]);
                else System.arraycopy(line, 0, dst, o, w);
            }
        });
    }
}
