package studio.matting.matting;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.Rect;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;

/**
 * image + trimap → α. Implemented by the classical closed-form solver and by learned models (MNet); the editor and the
 * CLI only see this interface. Known trimap pixels are copied to α exactly (0 or 1); only unknown pixels are solved.
 * Implementations must be safe to call from a worker thread and must honour {@link TaskContext#checkCancelled()}.
 */
public interface MattingEngine {
    /** Stable id for settings, project files and the CLI's --engine, e.g. "closed-form", "mnet". */
    String id();

    /** Name shown in the editor. */
    String displayName();

    /**
     * @param rgb    3-channel image
     * @param trimap same size as rgb
     * @return one-channel α in [0,1], same size as rgb
     */
    FloatImage matte(ByteImage rgb, Trimap trimap, TaskContext ctx) throws MattingException;

    /**
     * Re-mattes only {@code roi} (the engine adds the context margin it needs) and returns a copy of {@code previous}
     * with that region replaced — for fast local touch-ups after a brush stroke. With no previous α the whole image is
     * matted.
     */
    default FloatImage matteRegion(ByteImage rgb, Trimap trimap, Rect roi, FloatImage previous, TaskContext ctx) throws MattingException {
        return matte(rgb, trimap, ctx);
    }

    /**
     * How far around a roi {@link #matteRegion} reads (px): a crop of the roi plus this margin, with the layers
     * around it, gives the same result as the whole image. {@link Integer#MAX_VALUE} (the default): it may read
     * anything, so region re-mattes hand it the whole image.
     */
    default int regionContext() {
        return Integer.MAX_VALUE;
    }

    /**
     * Re-mattes {@code roi} inside {@code alpha} itself, leaving the rest untouched: the call the editor's stroke
     * re-matte makes. Engines that can work on a crop override it so the cost follows the roi, not the image; this
     * default copies through {@link #matteRegion}.
     */
    default void matteRegionInto(ByteImage rgb, Trimap trimap, Rect roi, FloatImage alpha, TaskContext ctx) throws MattingException {
        FloatImage r = matteRegion(rgb, trimap, roi, alpha, ctx);
        Rect c = roi.intersect(Rect.of(alpha.width, alpha.height));
        for (int y = c.y(); y < c.bottom(); y++)
            System.arraycopy(r.data, y * r.stride + c.x(), alpha.data, y * alpha.stride + c.x(), c.width());
    }
}
