package studio.matting.refine;

import studio.matting.image.Parallel;

/**
 * Grey-level dilation of a flat float plane (stride = width). Lines use the van Herk / Gil–Werman algorithm (block
 * prefix and suffix maxima: three comparisons a pixel whatever the window), so the cost does not grow with the
 * radius. A sub-pixel half-width b + f is the max over b blended with the max over b + 1 by f, which moves a ramp by
 * exactly b + f. {@link #disc} approximates a round structuring element by the union of three rectangles.
 */
public final class MaxFilter {
    private static final int STRIP = 64;
    /**
     * Corners of the three rectangles on the circle (15°, 45°, 75°). A straight edge of normal φ moves by
     * R·max cos(φ − θᵢ), between cos 15° and 1; scaling R by 2/(1 + cos 15°) centres the error at ±1.7 %.
     */
    private static final double[] COS = {Math.cos(Math.toRadians(15)), Math.cos(Math.toRadians(45)), Math.cos(Math.toRadians(75))};
    private static final double ROUND = 2 / (1 + Math.cos(Math.toRadians(15)));

    private MaxFilter() { }

    /**
     * Dilates src into dst by a disc of radius {@code radius} px (≥ 0). {@code t1}, {@code t2} are scratch planes;
     * none of the four arrays may be the same except src == dst.
     */
    public static void disc(float[] src, float[] dst, float[] t1, float[] t2, int w, int h, double radius) {
        int n = w * h;
        if (!(radius > 0)) {
            if (src != dst) System.arraycopy(src, 0, dst, 0, n);
            return;
        }
        double r = radius * ROUND;
        // dst accumulates the maximum over the three rectangles, so the input must live elsewhere while it does.
        float[] input = src;
        if (src == dst) {
            System.arraycopy(src, 0, t2, 0, n);
            input = t2;
        }
        for (int i = 0; i < 3; i++) {
            rows(input, t1, w, h, r * COS[i]);
            if (i == 0) columns(t1, dst, w, h, r * COS[2 - i]);
            else columnsMax(t1, dst, w, h, r * COS[2 - i]);
        }
    }

    /** Horizontal max filter of half-width {@code half} (fractional allowed) on every row. */
    public static void rows(float[] src, float[] dst, int w, int h, double half) {
        final int b = (int) Math.floor(half);
        final float f = (float) (half - b);
        Parallel.rows(h, w * 3, (y0, y1) -> {
            Line line = new Line(w, b);
            for (int y = y0; y < y1; y++) {
                int o = y * w;
                System.arraycopy(src, o, line.in, 0, w);
                line.run(w, b, f);
                System.arraycopy(line.out, 0, dst, o, w);
            }
        });
    }

    /** Vertical max filter of half-width {@code half} on every column. */
    public static void columns(float[] src, float[] dst, int w, int h, double half) {
        columns(src, dst, w, h, half, false);
    }

    /** Like {@link #columns} but stores max(dst, result) — the union of structuring elements. */
    static void columnsMax(float[] src, float[] dst, int w, int h, double half) {
        columns(src, dst, w, h, half, true);
    }

    private static void columns(float[] src, float[] dst, int w, int h, double half, boolean merge) {
        final int b = (int) Math.floor(half);
        final float f = (float) (half - b);
        int strips = (w + STRIP - 1) / STRIP;
        Parallel.rows(strips, STRIP * h * 3, (s0, s1) -> {
            Line line = new Line(h, b);
            for (int s = s0; s < s1; s++) {
                int x1 = Math.min(w, (s + 1) * STRIP);
                for (int x = s * STRIP; x < x1; x++) {
                    for (int y = 0, o = x; y < h; y++, o += w) line.in[y] = src[o];
                    line.run(h, b, f);
                    if (merge) {
                        for (int y = 0, o = x; y < h; y++, o += w) {
                            float v = line.out[y];
                            if (v > dst[o]) dst[o] = v;
                        }
                    } else {
                        for (int y = 0, o = x; y < h; y++, o += w) dst[o] = line.out[y];
                    }
                }
            }
        });
    }

    /** Per-thread buffers for one line: input, output, and the padded van Herk arrays. */
    static final class Line {
        final float[] in, out, g, hh;

        Line(int n, int b) {
            in = new float[n];
            out = new float[n];
            g = new float[n + 2 * b + 1];
            hh = new float[n + 2 * b + 1];
        }

        /**
         * out[i] = max(in[i − b … i + b]) (window clipped to the line), blended towards the window b + 1 by f.
         * Padded index j = i + b; pad values are −∞ so clipped windows need no special case.
         */
        void run(int n, int b, float f) {
            int k = 2 * b + 1, m = n + 2 * b;
            float ninf = Float.NEGATIVE_INFINITY;
            for (int start = 0; start < m; start += k) {
                int end = Math.min(m, start + k);
                float run = ninf;
                for (int j = start; j < end; j++) {
                    int i = j - b;
                    float v = (i >= 0 && i < n) ? in[i] : ninf;
                    run = v > run ? v : run;
                    g[j] = run;
                }
                run = ninf;
                for (int j = end - 1; j >= start; j--) {
                    int i = j - b;
                    float v = (i >= 0 && i < n) ? in[i] : ninf;
                    run = v > run ? v : run;
                    hh[j] = run;
                }
            }
            for (int i = 0; i < n; i++) {
                // window in padded coordinates [i, i + k − 1]
                int hi = i + k - 1;
                float gv = hi < m ? g[hi] : ninf, hv = hh[i];
                out[i] = gv > hv ? gv : hv;
            }
            if (f > 0) {
                // max over b + 1 = max of the b-windows centred at i − 1, i, i + 1; written in place left to right,
                // so keep the previous unblended value.
                float prev = out[0];
                for (int i = 0; i < n; i++) {
                    float c = out[i], next = i + 1 < n ? out[i + 1] : c;
                    float wide = Math.max(prev, Math.max(c, next));
                    out[i] = c + f * (wide - c);
                    prev = c;
                }
            }
        }
    }
}
