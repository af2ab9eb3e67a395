package studio.matting.refine;

import studio.matting.image.FloatImage;
import studio.matting.image.Parallel;

/**
 * Live refinement for the editor: α is reduced once to the compositor's preview size (same whole factor k, so the
 * result lines up with {@code Compositor.compositePreview}) and cached by identity; each slider move then refines the
 * small copy with pixel quantities divided by k. The export path refines the full-resolution α instead
 * ({@link AlphaRefiner#apply(FloatImage, Refinements, double)}).
 */
public final class RefinePreview {
    private final AlphaRefiner refiner = new AlphaRefiner();
    private FloatImage source, small;
    private int factor, cachedMaxSide;

    /** The refined preview α (size {@code Compositor.previewSize}); {@code bandWidth} in full-resolution px. */
    public synchronized FloatImage refine(FloatImage alpha, Refinements r, double bandWidth, int maxSide) {
        if (maxSide <= 0) throw new IllegalArgumentException("maxSide must be positive");
        if (alpha != source || maxSide != cachedMaxSide) {
            // Compositor.previewSize's factor: the smallest whole k that brings the long side to <= maxSide.
            factor = Math.max(1, (Math.max(alpha.width, alpha.height) + maxSide - 1) / maxSide);
            small = factor == 1 ? alpha : reduce(alpha, factor);
            source = alpha;
            cachedMaxSide = maxSide;
        }
        return refiner.apply(small, r, bandWidth, 1.0 / factor);
    }

    /** The reduction factor of the last preview. */
    public synchronized int factor() {
        return factor;
    }

    /** Forget the cached reduction (after α was edited in place). */
    public synchronized void invalidate() {
        source = null;
        small = null;
    }

    /** k×k box average; blocks cut short by the border average the pixels they have. */
    static FloatImage reduce(FloatImage src, int k) {
        int ow = (src.width + k - 1) / k, oh = (src.height + k - 1) / k;
        FloatImage out = new FloatImage(ow, oh, 1);
        Parallel.rows(oh, ow * k * k, (y0, y1) -> {
            for (int oy = y0; oy < y1; oy++) {
                int sy0 = oy * k, sy1 = Math.min(src.height, sy0 + k), d = oy * ow;
                for (int sy = sy0; sy < sy1; sy++) {
                    int so = sy * src.stride;
                    for (int ox = 0; ox < ow; ox++) {
                        int sx0 = ox * k, sx1 = Math.min(src.width, sx0 + k);
                        float s = 0;
                        for (int sx = sx0; sx < sx1; sx++) s += src.data[so + sx];
                        out.data[d + ox] += s;
                    }
                }
                int rows = sy1 - sy0;
                for (int ox = 0; ox < ow; ox++) out.data[d + ox] /= rows * (Math.min(src.width, ox * k + k) - ox * k);
            }
        });
        return out;
    }
}
