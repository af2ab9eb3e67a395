package studio.matting.inference;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
import studio.matting.matting.MattingException;
import studio.matting.segment.Segmenter;
import studio.matting.task.TaskContext;

import java.nio.FloatBuffer;

/**
 * Person segmentation with an ONNX model described by a "segmentation" card: the image is resized by the card's size
 * rule ({@link #geometry}: long side to the working size, letterboxed or squashed into a fixed size, or MODNet's
 * reference size), padded by edge replication where the rule pads, normalised, packed NCHW or NHWC and run; the card's
 * output is turned into a probability (sigmoid for logits, min-max rescaling as rembg does), cropped and resized back
 * to the image. A card with {@code inference.flip_average} also runs the mirrored image and averages the two maps.
 */
public final class SegmentationEngine implements Segmenter {
    private final InferenceRuntime runtime;
    private final ModelCard card;
    private final ModelCard.Size size;

    public SegmentationEngine(InferenceRuntime runtime, ModelCard card) {
        this(runtime, card, 0);
    }

    /**
     * @param workingSize the long side to run at instead of the card's (0: the card's); only for the "multiple" rule,
     *                    whose graph takes any size
     */
    public SegmentationEngine(InferenceRuntime runtime, ModelCard card, int workingSize) {
        if (card.task() != ModelCard.Task.SEGMENTATION)
            throw new IllegalArgumentException("model " + card.name() + " is a " + card.task().id + " model, not segmentation");
        ModelCard.Size s = card.input().size();
        if (workingSize > 0 && !s.anySize())
            throw new IllegalArgumentException("model " + card.name() + " has a " + s.rule() + " size: its working size is fixed");
        this.runtime = runtime;
        this.card = card;
        this.size = workingSize > 0 ? s.withWorkingSize(workingSize) : s;
    }

    public ModelCard card() { return card; }

    @Override public String id() { return card.name(); }

    @Override public String displayName() { return "Segmentation model " + card.name() + " " + card.version(); }

    /**
     * How an image of w x h goes into the graph: resized to nw x nh (the content), placed at the top-left of a tw x th
     * tensor whose rest is edge-replicated padding (none for squash and reference rules).
     */
    public record Geometry(int nw, int nh, int tw, int th) { }

    /** The card's size rule applied to a w x h image. */
    public static Geometry geometry(int w, int h, ModelCard.Size size) {
        if (size.fixed()) {
            int fw = size.width(), fh = size.height();
            if (size.squash()) return new Geometry(fw, fh, fw, fh);
            double scale = Math.min((double) fw / w, (double) fh / h);
            int nw = Math.min(fw, Math.max(1, (int) Math.round(w * scale))), nh = Math.min(fh, Math.max(1, (int) Math.round(h * scale)));
            return new Geometry(nw, nh, fw, fh);
        }
        if (size.reference()) {
            // MODNet's onnx/inference_onnx.py get_scale_factor, including its truncations, so results match its own.
            int ref = size.workingSize(), m = size.multiple();
            int rw = w, rh = h;
            if (Math.max(w, h) < ref || Math.min(w, h) > ref) {
                if (w >= h) { rh = ref; rw = (int) ((double) w / h * ref); }
                else { rw = ref; rh = (int) ((double) h / w * ref); }
            }
            // A side below the multiple would round down to nothing (MODNet itself fails there): keep one unit.
            rw = Math.max(m, rw - rw % m);
            rh = Math.max(m, rh - rh % m);
            return new Geometry(rw, rh, rw, rh);
        }
        double scale = (double) size.workingSize() / Math.max(w, h);
        int nw = Math.max(1, (int) Math.round(w * scale)), nh = Math.max(1, (int) Math.round(h * scale));
        return new Geometry(nw, nh, Tensors.ceilTo(nw, size.multiple()), Tensors.ceilTo(nh, size.multiple()));
    }

    @Override
    public FloatImage segment(ByteImage image, TaskContext ctx) throws MattingException {
        FloatImage full = Segmenter.resizeToImage(maskAtWorkingSize(image, ctx), image.width, image.height);
        ctx.progress(1, "Segmented");
        return full;
    }

    /** The network's map at its working size (the content, without the tensor's padding), in [0, 1]. */
    @Override
    public FloatImage maskAtWorkingSize(ByteImage image, TaskContext ctx) throws MattingException {
        ctx.checkCancelled();
        ctx.progress(0, "Loading " + card.name());
        InferenceRuntime.LoadedModel model = runtime.load(card);
        ctx.checkCancelled();
        ctx.progress(0.2, "Segmenting on " + model.device());
        ByteImage rgb = ImageOps.toRgb(image);
        int w = rgb.width, h = rgb.height;
        Geometry g = geometry(w, h, size);
        int nw = g.nw(), nh = g.nh(), tw = g.tw(), th = g.th();

        int k = Math.min(w / nw, h / nh);
        ByteImage reduced = k >= 2 ? studio.matting.image.ImageOps.boxReduce(rgb, k) : rgb;
        FloatImage small = ImageOps.resize(ImageOps.toFloat(reduced), nw, nh);
        ModelCard.Normalisation norm = card.input().normalisation();
        if (norm.imageMax()) // rembg: x / max(x) over the resized image, so 255 becomes the image's brightest value
            norm = new ModelCard.Normalisation(255f * Math.max(Tensors.max(small), 1e-6f), norm.mean(), norm.std());
        boolean nhwc = card.input().nhwc();
        // flip_average: the mirrored image goes in as a second batch item, so one run serves both
        boolean flip = card.flipAverage();
        int batch = flip ? 2 : 1, plane = tw * th;
        FloatBuffer fb = InferenceRuntime.reusable(batch * 3 * plane); // putRgb writes every value, padding included
        Tensors.putRgb(fb, small, norm, tw, th, nhwc);
        if (flip) {
            FloatBuffer second = fb.position(3 * plane).slice();
            fb.position(0);
            Tensors.putRgb(second, ImageOps.flipHorizontal(small), norm, tw, th, nhwc);
        }
        ctx.checkCancelled();
        long[] shape = nhwc ? new long[] {batch, th, tw, 3} : new long[] {batch, 3, th, tw};
        InferenceRuntime.RawOutput out = model.runOutput(fb, shape);
        float[] o = out.data();
        if (o.length != (long) batch * plane)
            throw new ModelException("Model " + card.file() + ": output '" + card.output().name() + "' has shape "
                    + java.util.Arrays.toString(out.shape()) + ", expected one channel of " + tw + "x" + th + " for input " + java.util.Arrays.toString(shape));
        ctx.progress(0.8, "Resizing mask");

        boolean logits = card.output().logits();
        FloatImage mask = new FloatImage(nw, nh, 1);
        for (int y = 0; y < nh; y++)
            for (int x = 0; x < nw; x++) {
                float p = Tensors.activate(o[y * tw + x], logits);
                if (flip) p = 0.5f * (p + Tensors.activate(o[plane + y * tw + (nw - 1 - x)], logits));
                mask.data[y * nw + x] = p;
            }
        // rembg stretches every map to [0,1] before resizing it back; over the image only, not a letterbox's padding
        if (card.output().minMax()) Tensors.minMax(mask.data);
        for (int i = 0; i < mask.data.length; i++) mask.data[i] = Math.max(0f, Math.min(1f, mask.data[i]));
        return mask;
    }
}
