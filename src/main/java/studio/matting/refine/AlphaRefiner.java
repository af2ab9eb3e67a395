package studio.matting.refine;

import studio.matting.image.FloatImage;
import studio.matting.image.Parallel;
import studio.matting.trimap.Trimap;

/**
 * Applies {@link Refinements} to an α matte: Smooth, then Feather, Contrast and Shift Edge (Select and Mask's order).
 * The input is never changed; the result is a new one-channel image. Every step is a row-parallel pass over flat
 * planes without allocation inside the loops; an instance keeps its scratch planes between calls, so the editor's
 * preview (same size every time) allocates only the result. Not thread-safe: one instance per worker.
 *
 * <p>Pixel quantities (smooth scale, feather σ, shift distance, band width) are given for the full-resolution image;
 * {@code scale} (preview pixels per full-resolution pixel, ≤ 1) converts them, so a preview looks like the export.
 */
public final class AlphaRefiner {
    /** Smooth's σ in px per unit (smooth 100 → σ = 10 px). */
    public static final double SMOOTH_SIGMA_PER_UNIT = 0.1;
    /** Local edge softness G_σ*(α(1−α)) below V_HARD counts as a hard boundary, above V_SOFT as soft detail. */
    static final float V_HARD = 0.08f, V_SOFT = 0.16f;

    private float[] t1 = new float[0], t2 = new float[0], t3 = new float[0], t4 = new float[0];

    /**
     * One full-resolution refinement with a fresh instance (export, batch): {@code alpha} itself when the settings
     * leave α alone; Shift Edge's band is measured on {@code trimap}.
     */
    public static FloatImage refineOnce(FloatImage alpha, Refinements r, Trimap trimap) {
        return r.alphaIdentity() ? alpha : new AlphaRefiner().apply(alpha, r, EdgeBand.width(trimap));
    }

    /** Full-resolution refinement (export). {@code bandWidth}: unknown band width in px (see {@link EdgeBand}). */
    public FloatImage apply(FloatImage alpha, Refinements r, double bandWidth) {
        return apply(alpha, r, bandWidth, 1.0);
    }

    public synchronized FloatImage apply(FloatImage alpha, Refinements r, double bandWidth, double scale) {
        if (alpha.channels != 1) throw new IllegalArgumentException("alpha must have one channel");
        if (!(scale > 0 && scale <= 1)) throw new IllegalArgumentException("scale must be in (0, 1]: " + scale);
        int w = alpha.width, h = alpha.height;
        float[] a = new float[w * h];
        Parallel.rows(h, w, (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                int s = y * alpha.stride, d = y * w;
                for (int x = 0; x < w; x++) {
                    float v = alpha.data[s + x];
                    a[d + x] = v < 0f ? 0f : (v > 1f ? 1f : v);
                }
            }
        });
        FloatImage out = new FloatImage(w, h, 1, a, w);
        if (r.alphaIdentity()) return out;
        ensure(w * h);
        if (r.smooth() > 0) smooth(a, w, h, r.smooth() * SMOOTH_SIGMA_PER_UNIT * scale);
        if (r.feather() > 0) {
            double sigma = r.feather() * scale;
            GaussianBlur.blur(a, a, t1, w, h, sigma, ActiveTiles.of(a, w, h, GaussianBlur.reach(sigma)));
        }
        if (r.contrast() > 0) contrast(a, w, h, r.contrast());
        if (r.shiftEdge() != 0) shift(a, w, h, shiftDistance(r.shiftEdge(), bandWidth) * scale);
        return out;
    }

    /** Shift Edge in px: ±100 % moves the edge by half the band, i.e. to the band's outer (inner) border. */
    public static double shiftDistance(double shiftPercent, double bandWidth) {
        return shiftPercent / 100.0 * Math.max(0, bandWidth) / 2.0;
    }

    private void ensure(int n) {
        if (t1.length < n) {
            t1 = new float[n];
            t2 = new float[n];
            t3 = new float[n];
            t4 = new float[n];
        }
    }

    // ------------------------------------------------------------------ the four refinements, in place on a plane

    /**
     * Smooth: blur at σ, re-cut at ½ with the slope of a 1 px anti-aliased edge (so a straight edge stays where and how
     * sharp it was while bumps and notches narrower than ~σ disappear), applied only where the boundary is hard. Soft
     * detail (hair, veils: G_σ*(α(1−α)) high) is left alone, as "jagged bits of the hard boundary" are the target.
     */
    void smooth(float[] a, int w, int h, double sigma) {
        if (!(sigma > 0)) return;
        ensure(w * h);
        // a² is 0 and 1 where a is, so both blurs share the active tiles; outside them the result below is a again
        ActiveTiles m = ActiveTiles.of(a, w, h, GaussianBlur.reach(sigma));
        GaussianBlur.blur(a, t1, t3, w, h, sigma, m);
        Parallel.rows(h, w, (y0, y1) -> {
            for (int i = y0 * w, e = y1 * w; i < e; i++) t2[i] = a[i] * a[i];
        });
        GaussianBlur.blur(t2, t2, t3, w, h, sigma, m);
        final float gain = (float) Math.max(1.0, sigma * Math.sqrt(2 * Math.PI));
        final float invSpan = 1f / (V_SOFT - V_HARD);
        Parallel.rows(h, w, (y0, y1) -> {
            for (int i = y0 * w, e = y1 * w; i < e; i++) {
                float b = t1[i], v = b - t2[i];
                float hard = clamp01(0.5f + (b - 0.5f) * gain);
                float k = clamp01((V_SOFT - v) * invSpan);
                a[i] += k * (hard - a[i]);
            }
        });
    }

    /**
     * Contrast c %: a levels stretch about α = ½ with slope s = 1 / (1 − c/100), clamped to [0, 1] — the soft
     * transition becomes s times narrower, 0 and 1 (and everything within ½/s of them) stay put, and a symmetric
     * edge keeps its position and area. 100 % is the hard threshold at ½.
     */
    static void contrast(float[] a, int w, int h, double percent) {
        if (percent >= 100) {
            Parallel.rows(h, w, (y0, y1) -> {
                for (int i = y0 * w, e = y1 * w; i < e; i++) a[i] = a[i] >= 0.5f ? 1f : 0f;
            });
            return;
        }
        final float s = (float) (1.0 / (1.0 - percent / 100.0));
        Parallel.rows(h, w, (y0, y1) -> {
            for (int i = y0 * w, e = y1 * w; i < e; i++) a[i] = clamp01(0.5f + (a[i] - 0.5f) * s);
        });
    }

    /** The contrast curve for a percentage (for tests and the documentation). */
    public static double contrastCurve(double alpha, double percent) {
        if (percent >= 100) return alpha >= 0.5 ? 1 : 0;
        return clamp01(0.5f + ((float) alpha - 0.5f) * (float) (1.0 / (1.0 - percent / 100.0)));
    }

    /** Shift Edge by d px: grey dilation (d &gt; 0) or erosion (d &lt; 0) by a disc, which moves a soft edge and keeps its profile. */
    void shift(float[] a, int w, int h, double d) {
        if (d == 0 || Double.isNaN(d)) return;
        ensure(w * h);
        ActiveTiles m = ActiveTiles.of(a, w, h, MaxFilter.reach(Math.abs(d))); // the same tiles for 1 − a
        if (d > 0) {
            MaxFilter.disc(a, a, t1, t2, t3, t4, w, h, d, m);
            return;
        }
        invert(a, w, h);
        MaxFilter.disc(a, a, t1, t2, t3, t4, w, h, -d, m);
        invert(a, w, h);
    }

    private static void invert(float[] a, int w, int h) {
        Parallel.rows(h, w, (y0, y1) -> {
            for (int i = y0 * w, e = y1 * w; i < e; i++) a[i] = 1f - a[i];
        });
    }

    private static float clamp01(float v) {
        return v < 0f ? 0f : (v > 1f ? 1f : v);
    }
}
