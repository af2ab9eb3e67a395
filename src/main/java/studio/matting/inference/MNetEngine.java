package studio.matting.inference;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
import studio.matting.image.Rect;
import studio.matting.matting.MattingEngine;
import studio.matting.matting.MattingException;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;

import java.nio.FloatBuffer;

/**
 * Learned trimap matting (MNet) with an ONNX model described by a "trimap-matting" card. The model runs at native
 * resolution on the bounding box of the unknown band plus a context margin; when that box is larger than the card's
 * {@code max_side} it is split into overlapping tiles whose seams are blended, so a 12-megapixel photo never needs a
 * 12-megapixel tensor. Known trimap pixels are copied to α exactly; the model's α is used only where the trimap is
 * unknown.
 *
 * <p>A card with {@code input.base_alpha} describes a refiner: the model reads another engine's α (closed-form) as a
 * seventh plane and corrects it, so that engine runs first over the same trimap and the model's α replaces its
 * unknown pixels.
 */
public final class MNetEngine implements MattingEngine {
    private final InferenceRuntime runtime;
    private final ModelCard card;
    private final int maxTile;
    private final int overlap;
    private final int margin;
    private final MattingEngine base;
    /** The share of a refiner's progress bar its base engine takes (closed-form's solve is most of the time). */
    private static final double BASE_SHARE = 0.8;

    public MNetEngine(InferenceRuntime runtime, ModelCard card) {
        this(runtime, card, null);
    }

    /** @param base the engine whose α the card's model refines; required exactly when the card names a base alpha */
    public MNetEngine(InferenceRuntime runtime, ModelCard card, MattingEngine base) {
        this(runtime, card, card.input().size().maxSide(), 64, 32, base);
    }

    public MNetEngine(InferenceRuntime runtime, ModelCard card, int maxTile, int overlap, int margin) {
        this(runtime, card, maxTile, overlap, margin, null);
    }

    /**
     * @param maxTile largest tile side (multiple rule; ignored for fixed sizes, whose tiles are the fixed size)
     * @param overlap minimum overlap between neighbouring tiles; its outer quarters are discarded as lacking context
     * @param margin  context added around the unknown band's bounding box
     */
    public MNetEngine(InferenceRuntime runtime, ModelCard card, int maxTile, int overlap, int margin, MattingEngine base) {
        if (card.task() != ModelCard.Task.TRIMAP_MATTING)
            throw new IllegalArgumentException("model " + card.name() + " is a " + card.task().id + " model, not trimap-matting");
        String wanted = card.input().baseAlpha();
        if (wanted == null && base != null)
            throw new IllegalArgumentException("model " + card.name() + " mattes on its own; it takes no base engine");
        if (wanted != null && (base == null || !wanted.equals(base.id())))
            throw new IllegalArgumentException("model " + card.name() + " refines the " + wanted + " engine's alpha"
                    + (base == null ? " but none was given" : ", not " + base.id() + "'s"));
        this.base = base;
        ModelCard.Size size = card.input().size();
        int unit = size.unit();
        this.runtime = runtime;
        this.card = card;
        this.maxTile = size.fixed() ? Math.min(size.width(), size.height()) : Math.max(unit, Tensors.floorTo(maxTile, unit));
        this.overlap = Math.max(0, Math.min(overlap, this.maxTile / 2));
        this.margin = Math.max(0, margin);
    }

    public ModelCard card() { return card; }

    /** The card's name, e.g. "mnet"; the CLI's --engine and project files use it. */
    @Override public String id() { return card.name(); }

    @Override public String displayName() {
        return (base == null ? "MNet (" : base.displayName() + " + refiner (") + card.name() + " " + card.version() + ")";
    }

    @Override
    public FloatImage matte(ByteImage image, Trimap trimap, TaskContext ctx) throws MattingException {
        ByteImage rgb = checkInputs(image, trimap);
        FloatImage alpha = known(trimap);
        Rect unknown = trimap.unknownBounds();
        if (unknown.isEmpty()) { ctx.progress(1, "No unknown pixels"); return alpha; }
        FloatImage baseAlpha = base == null ? null : base.matte(image, trimap, ctx.sub(0, BASE_SHARE));
        Rect region = regionAround(unknown, rgb);
        FloatImage pred = predict(rgb, trimap, baseAlpha, region, base == null ? ctx : ctx.sub(BASE_SHARE, 1));
        paste(alpha, pred, region, trimap, region);
        return alpha;
    }

    @Override
    public FloatImage matteRegion(ByteImage image, Trimap trimap, Rect roi, FloatImage previous, TaskContext ctx) throws MattingException {
        if (previous == null || !previous.sameSize(image.width, image.height) || previous.channels != 1) return matte(image, trimap, ctx);
        ByteImage rgb = checkInputs(image, trimap);
        FloatImage alpha = previous.copy();
        Rect target = roi.intersect(Rect.of(rgb.width, rgb.height));
        if (target.isEmpty()) return alpha;
        // Known pixels inside the touched area follow the (edited) trimap even when no model run is needed.
        Rect region = regionAround(target, rgb);
        FloatImage pred = null;
        if (hasUnknown(trimap, target)) {
            // the base re-solves the touched area from the previous result; the model then refines that
            FloatImage baseAlpha = base == null ? null : base.matteRegion(image, trimap, roi, previous, ctx.sub(0, BASE_SHARE));
            pred = predict(rgb, trimap, baseAlpha, region, base == null ? ctx : ctx.sub(BASE_SHARE, 1));
        }
        paste(alpha, pred, region, trimap, target);
        return alpha;
    }

    private ByteImage checkInputs(ByteImage image, Trimap trimap) throws MattingException {
        if (trimap == null) throw new MattingException("MNet needs a trimap");
        if (!image.sameSize(trimap.width, trimap.height))
            throw new MattingException("trimap is " + trimap.width + "x" + trimap.height + " but the image is " + image.width + "x" + image.height);
        return ImageOps.toRgb(image);
    }

    private Rect regionAround(Rect r, ByteImage rgb) {
        Rect g = r.expand(margin).intersect(Rect.of(rgb.width, rgb.height));
        return Tensors.alignOrigin(g, card.input().size().unit());
    }

    private static boolean hasUnknown(Trimap t, Rect r) {
        byte u = (byte) Trimap.UNKNOWN;
        for (int y = r.y(); y < r.bottom(); y++)
            for (int x = r.x(); x < r.right(); x++) if (t.data[y * t.width + x] == u) return true;
        return false;
    }

    /** α from the trimap alone: 1 for foreground, 0 elsewhere (unknown pixels are overwritten by the model). */
    private static FloatImage known(Trimap t) {
        FloatImage a = new FloatImage(t.width, t.height, 1);
        byte fg = (byte) Trimap.FOREGROUND;
        for (int i = 0; i < t.data.length; i++) a.data[i] = t.data[i] == fg ? 1f : 0f;
        return a;
    }

    /** Writes α over {@code target}: exact 0/1 for known trimap pixels, the prediction (region coords) for unknown. */
    private static void paste(FloatImage alpha, FloatImage pred, Rect region, Trimap t, Rect target) {
        byte fg = (byte) Trimap.FOREGROUND, bg = (byte) Trimap.BACKGROUND;
        for (int y = target.y(); y < target.bottom(); y++) {
            for (int x = target.x(); x < target.right(); x++) {
                int i = y * t.width + x;
                byte v = t.data[i];
                if (v == fg) alpha.data[i] = 1f;
                else if (v == bg) alpha.data[i] = 0f;
                else if (pred != null) alpha.data[i] = pred.data[(y - region.y()) * pred.width + (x - region.x())];
            }
        }
    }

    /**
     * The model's α over {@code region} (image coordinates), one pass when it fits in a tile, else overlapping tiles
     * blended with {@link Tensors#axisWeights}. Cancellation is checked between tiles.
     */
    FloatImage predict(ByteImage rgb, Trimap trimap, FloatImage baseAlpha, Rect region, TaskContext ctx) throws MattingException {
        ctx.checkCancelled();
        ctx.progress(0, "Loading " + card.name());
        InferenceRuntime.LoadedModel model = runtime.load(card);
        ModelCard.Size size = card.input().size();
        int unit = size.unit();
        int rw = region.width(), rh = region.height();
        int tileW = size.fixed() ? size.width() : maxTile, tileH = size.fixed() ? size.height() : maxTile;
        int[] xs = Tensors.tileStarts(rw, tileW, overlap, unit), ys = Tensors.tileStarts(rh, tileH, overlap, unit);
        int inW = size.fixed() ? size.width() : xs.length == 1 ? Tensors.ceilTo(rw, unit) : tileW;
        int inH = size.fixed() ? size.height() : ys.length == 1 ? Tensors.ceilTo(rh, unit) : tileH;
        float[] lut = Tensors.lut(card.input().normalisation());
        boolean logits = "none".equals(card.output().activation());
        int channels = card.input().channels();
        FloatBuffer fb = InferenceRuntime.reusable(channels * inW * inH); // every tile writes all its planes
        FloatImage out = new FloatImage(rw, rh, 1);
        boolean single = xs.length == 1 && ys.length == 1;
        float[] wsum = single ? null : new float[rw * rh];
        int tiles = xs.length * ys.length, done = 0;
        for (int ty : ys) {
            for (int tx : xs) {
                ctx.checkCancelled();
                ctx.progress((double) done / tiles, tiles == 1 ? "Matting on " + model.device()
                        : "Matting tile " + (done + 1) + "/" + tiles + " on " + model.device());
                int x0 = region.x() + tx, y0 = region.y() + ty;
                Tensors.putRgb(fb, rgb, x0, y0, inW, inH, lut);
                Tensors.putTrimapOneHot(fb, trimap, x0, y0, inW, inH);
                if (baseAlpha != null) Tensors.putPlane(fb, 6, baseAlpha, x0, y0, inW, inH);
                InferenceRuntime.Output o = model.run(fb, new long[] {1, channels, inH, inW});
                float[] a = o.data();
                int cw = Math.min(inW, rw - tx), chh = Math.min(inH, rh - ty);
                if (single) {
                    for (int y = 0; y < chh; y++)
                        for (int x = 0; x < cw; x++) out.data[y * rw + x] = Tensors.activate(a[y * inW + x], logits);
                } else {
                    float[] wx = Tensors.axisWeights(tx, inW, rw, overlap), wy = Tensors.axisWeights(ty, inH, rh, overlap);
                    for (int y = 0; y < chh; y++) {
                        int d = (ty + y) * rw + tx;
                        for (int x = 0; x < cw; x++) {
                            float wgt = wx[x] * wy[y];
                            if (wgt == 0f) continue;
                            out.data[d + x] += wgt * Tensors.activate(a[y * inW + x], logits);
                            wsum[d + x] += wgt;
                        }
                    }
                }
                done++;
            }
        }
        if (!single) for (int i = 0; i < wsum.length; i++) out.data[i] = wsum[i] > 0 ? out.data[i] / wsum[i] : 0f;
        ctx.progress(1, "Matted");
        return out;
    }
}
