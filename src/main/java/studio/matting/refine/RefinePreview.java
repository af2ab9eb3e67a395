package studio.matting.refine;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;

/**
 * Live refinement for the editor: α is reduced once to the compositor's preview size (same whole factor k, so the
 * result lines up with {@code Compositor.compositePreview}) and cached by identity; each slider move then refines the
 * small copy with pixel quantities divided by k. The export path refines the full-resolution α instead
 * ({@link AlphaRefiner#apply(FloatImage, Refinements, double)}).
 */
public final class RefinePreview {
    /** The editor's preview size: long side at most this (a larger photo is previewed box-reduced by a whole factor). */
    public static final int EDITOR_MAX_SIDE = 1600;

    private final AlphaRefiner refiner = new AlphaRefiner();
    private FloatImage source, small;
    private int factor, cachedMaxSide;
    private ByteImage imageSource, imageSmall;
    private FloatImage fgSource, fgSmall;
    private int layersFactor;

    /** Preview-sized layers to composite ({@code Compositor.composite(image, alpha, foreground, background)}). */
    public record Layers(ByteImage image, FloatImage alpha, FloatImage foreground) { }

    /**
     * Everything a composite preview of the refined matte needs: the photo and F reduced once (cached by identity),
     * α refined, and the colours decontaminated by the settings' amount. {@code foreground} may be null.
     */
    public synchronized Layers layers(ByteImage image, FloatImage alpha, FloatImage foreground, Refinements r, double bandWidth, int maxSide) {
        if (!alpha.sameSize(image.width, image.height)) throw new IllegalArgumentException("alpha does not match the image");
        FloatImage a = refine(alpha, r, bandWidth, maxSide);
        if (image != imageSource || layersFactor != factor) {
            imageSmall = factor == 1 ? image : ImageOps.boxReduce(image, factor);
            imageSource = image;
        }
        if (foreground != fgSource || layersFactor != factor) {
            fgSmall = foreground == null || factor == 1 ? foreground : ImageOps.boxReduce(foreground, factor);
            fgSource = foreground;
        }
        layersFactor = factor;
        return new Layers(imageSmall, a, Decontamination.blend(imageSmall, fgSmall, r.decontaminate()));
    }

    /** The refined preview α (size {@code Compositor.previewSize}); {@code bandWidth} in full-resolution px. */
    public synchronized FloatImage refine(FloatImage alpha, Refinements r, double bandWidth, int maxSide) {
        if (maxSide <= 0) throw new IllegalArgumentException("maxSide must be positive");
        if (alpha != source || maxSide != cachedMaxSide) {
            // Compositor.previewSize's factor: the smallest whole k that brings the long side to <= maxSide.
            factor = Math.max(1, (Math.max(alpha.width, alpha.height) + maxSide - 1) / maxSide);
            small = factor == 1 ? alpha : ImageOps.boxReduce(alpha, factor);
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
        imageSource = null;
        imageSmall = null;
        fgSource = null;
        fgSmall = null;
    }
}
