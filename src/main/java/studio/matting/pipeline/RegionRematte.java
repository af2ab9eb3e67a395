package studio.matting.pipeline;

import studio.matting.compositor.Background;
import studio.matting.foreground.ForegroundEstimator;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
import studio.matting.image.Rect;
import studio.matting.matting.MattingEngine;
import studio.matting.matting.MattingException;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;

/**
 * A brush stroke's re-matte with a cost bounded by the stroke, not the photo: the layers are cropped to the roi plus
 * the context the engine and the foreground estimator read ({@link #context}), the crop runs through the one
 * {@link AutoPipeline} (region MATTE, then FOREGROUND), and only the roi comes back as a {@link Patch}. With the
 * closed-form engine the patch equals what the whole-image calls ({@code matteRegionInto}, {@code estimateRegion})
 * give; an engine that may read anything ({@link MattingEngine#regionContext} unknown) gets the whole image as its
 * crop.
 *
 * <p>{@link #crop} copies what the worker will read, so it runs where the layers are owned (the editor's UI thread)
 * and the worker never touches a layer the UI may change; {@link #run} is the worker's part.
 */
public final class RegionRematte {
    private RegionRematte() { }

    /** The layers' crop around a roi ({@code roi} in crop coordinates; {@code area}: where the crop sits in the image). */
    public record Crop(Rect roi, Rect area, ByteImage image, Trimap trimap, FloatImage alpha) {
        /** The roi in image coordinates. */
        public Rect imageRoi() { return new Rect(area.x() + roi.x(), area.y() + roi.y(), roi.width(), roi.height()); }
    }

    /** A re-matted roi: α (one channel) and F (three), both roi-sized, for {@code roi} in image coordinates. */
    public record Patch(Rect roi, FloatImage alpha, FloatImage foreground) {
        /** Writes the patch into image-sized α and F ({@code foreground} may be null: α only). */
        public void applyTo(FloatImage imageAlpha, FloatImage imageForeground) {
            ImageOps.paste(alpha, imageAlpha, roi.x(), roi.y());
            if (imageForeground != null) ImageOps.paste(foreground, imageForeground, roi.x(), roi.y());
        }
    }

    /** The margin a region re-matte with {@code engine} needs around the roi; MAX_VALUE: the whole image. */
    public static int context(MattingEngine engine) {
        int e = engine.regionContext();
        return e == Integer.MAX_VALUE ? e : Math.max(e, ForegroundEstimator.REGION_MARGIN);
    }

    /**
     * Copies the layers around {@code roi}; null when the roi misses the image. F needs no crop: the foreground stage
     * estimates it from the image and the new α alone.
     */
    public static Crop crop(ByteImage image, Trimap trimap, FloatImage alpha, Rect roi, MattingEngine engine) {
        Rect full = Rect.of(image.width, image.height);
        Rect r = roi.intersect(full);
        if (r.isEmpty()) return null;
        int m = context(engine);
        Rect c = m == Integer.MAX_VALUE ? full : r.expand(m).intersect(full);
        return new Crop(new Rect(r.x() - c.x(), r.y() - c.y(), r.width(), r.height()), c, ImageOps.crop(image, c),
                trimap.crop(c), ImageOps.crop(alpha, c));
    }

    /** The worker's part: region matte and foreground on the crop; the roi's α and F. */
    public static Patch run(Crop crop, MattingEngine engine, AutoPipeline.ForegroundStage foreground, TaskContext ctx) throws MattingException {
        AutoPipeline chain = new AutoPipeline(crop.image(), null, engine, foreground, Background.checker());
        chain.setTrimap(crop.trimap(), crop.roi(), crop.alpha());
        chain.run(AutoPipeline.Stage.FOREGROUND, ctx, null);
        Rect r = crop.roi();
        return new Patch(crop.imageRoi(), ImageOps.crop(chain.alpha(), r), ImageOps.crop(chain.foreground(), r));
    }
}
