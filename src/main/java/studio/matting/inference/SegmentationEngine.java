package studio.matting.inference;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
import studio.matting.matting.MattingException;
import studio.matting.segment.Segmenter;
import studio.matting.task.TaskContext;

import java.nio.FloatBuffer;

/**
 * Person segmentation with an ONNX model described by a "segmentation" card: the image is resized (aspect kept) so
 * its long side is the card's working size (or fitted into the fixed size), padded by edge replication, normalised,
 * run, and the probability map cropped and resized back to the image. A card with {@code inference.flip_average}
 * also runs the mirrored image and averages the two maps.
 */
public final class SegmentationEngine implements Segmenter {
    private final InferenceRuntime runtime;
    private final ModelCard card;

    public SegmentationEngine(InferenceRuntime runtime, ModelCard card) {
        if (card.task() != ModelCard.Task.SEGMENTATION)
            throw new IllegalArgumentException("model " + card.name() + " is a " + card.task().id + " model, not segmentation");
        this.runtime = runtime;
        this.card = card;
    }

    public ModelCard card() { return card; }

    @Override public String id() { return card.name(); }

    @Override public String displayName() { return "Segmentation model " + card.name() + " " + card.version(); }

    @Override
    public FloatImage segment(ByteImage image, TaskContext ctx) throws MattingException {
        ctx.checkCancelled();
        ctx.progress(0, "Loading " + card.name());
        InferenceRuntime.LoadedModel model = runtime.load(card);
        ctx.checkCancelled();
        ctx.progress(0.2, "Segmenting on " + model.device());
        ByteImage rgb = ImageOps.toRgb(image);
        int w = rgb.width, h = rgb.height;
        ModelCard.Size size = card.input().size();
        double scale = size.fixed() ? Math.min((double) size.width() / w, (double) size.height() / h)
                : (double) size.workingSize() / Math.max(w, h);
        int nw = Math.max(1, (int) Math.round(w * scale)), nh = Math.max(1, (int) Math.round(h * scale));
        int tw = size.fixed() ? size.width() : Tensors.ceilTo(nw, size.multiple());
        int th = size.fixed() ? size.height() : Tensors.ceilTo(nh, size.multiple());

        int k = Math.min(w / nw, h / nh);
        ByteImage reduced = k >= 2 ? studio.matting.image.ImageOps.boxReduce(rgb, k) : rgb;
        FloatImage small = ImageOps.resize(ImageOps.toFloat(reduced), nw, nh);
        // flip_average: the mirrored image goes in as a second batch item, so one run serves both
        boolean flip = card.flipAverage();
        int batch = flip ? 2 : 1, plane = tw * th;
        FloatBuffer fb = InferenceRuntime.allocate(batch * 3 * plane);
        Tensors.putRgb(fb, small, card.input().normalisation(), tw, th);
        if (flip) {
            FloatBuffer second = fb.position(3 * plane).slice();
            fb.position(0);
            Tensors.putRgb(second, ImageOps.flipHorizontal(small), card.input().normalisation(), tw, th);
        }
        ctx.checkCancelled();
        InferenceRuntime.Output out = model.run(fb, new long[] {batch, 3, th, tw});
        ctx.progress(0.8, "Resizing mask");

        boolean logits = "none".equals(card.output().activation());
        float[] o = out.data();
        FloatImage mask = new FloatImage(nw, nh, 1);
        for (int y = 0; y < nh; y++)
            for (int x = 0; x < nw; x++) {
                float p = Tensors.activate(o[y * tw + x], logits);
                if (flip) p = 0.5f * (p + Tensors.activate(o[plane + y * tw + (nw - 1 - x)], logits));
                mask.data[y * nw + x] = p;
            }
        FloatImage full = ImageOps.resize(mask, w, h);
        for (int i = 0; i < full.data.length; i++) full.data[i] = Math.max(0f, Math.min(1f, full.data[i]));
        ctx.progress(1, "Segmented");
        return full;
    }
}
