package studio.matting.segment;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
import studio.matting.image.Rect;
import studio.matting.matting.MattingException;
import studio.matting.metrics.SegmentationMetrics;
import studio.matting.task.TaskContext;

import java.util.Objects;

/**
 * A second look at people who fill little of the frame. A network run at a fixed working size gives a person at a
 * third of the frame's height a third of its pixels: limbs a few pixels wide, a face a smudge. When everything the
 * first pass calls person fits, with a margin, in a box smaller than {@code maxArea} of the frame, the box is cut out
 * and segmented again — the person now fills the network's frame — and that mask replaces the first one inside the
 * box (outside it the first pass's is kept: a far-off second person is not lost).
 *
 * <p>The margin, {@code margin} of the box's longer side plus 8 px, keeps the context a segmenter needs (feet on the
 * ground, the background round the head). On photos where the person fills the frame (all of fullbody
 * {@code val.txt}) the box covers nearly all of it and nothing runs twice. Chosen on synthetic everyday scenes made
 * of {@code fullbody/train.txt} people; see the README's segmentation section.
 */
public final class ZoomSegmenter implements Segmenter {
    /**
     * @param maxArea the box (with its margin) must cover less than this fraction of the frame for a second pass
     * @param margin  margin round the people's bounds, as a fraction of their longer side (plus 8 px)
     */
    public record Options(double maxArea, double margin) {
        public Options {
            if (!(maxArea > 0 && maxArea <= 1)) throw new IllegalArgumentException("maxArea must be in (0, 1], got " + maxArea);
            if (!(margin >= 0 && margin <= 2)) throw new IllegalArgumentException("margin must be in [0, 2], got " + margin);
        }
    }

    static final int MIN_MARGIN = 8;

    private final Segmenter inner;
    private final Options options;
    private volatile boolean lastZoomed;

    public ZoomSegmenter(Segmenter inner, Options options) {
        this.inner = Objects.requireNonNull(inner);
        this.options = Objects.requireNonNull(options);
    }

    @Override public String id() { return inner.id(); }

    @Override public String displayName() { return inner.displayName(); }

    /** Whether the last {@link #segment} ran the second pass (for evaluation reports and tests). */
    public boolean lastZoomed() { return lastZoomed; }

    @Override
    public FloatImage segment(ByteImage rgb, TaskContext ctx) throws MattingException {
        lastZoomed = false;
        FloatImage p = inner.segment(rgb, ctx.sub(0, 0.5));
        Rect box = zoomBox(p, options);
        if (box == null) return p;
        ctx.checkCancelled();
        FloatImage z = inner.segment(ImageOps.crop(rgb, box), ctx.sub(0.5, 1));
        if (z.channels != 1 || !z.sameSize(box.width(), box.height())) return p;
        FloatImage out = p.copy();
        ImageOps.paste(z, out, box.x(), box.y());
        lastZoomed = true;
        return out;
    }

    /** The box to segment again, or null when the people (p > 0.5) fill the frame or there are none. */
    static Rect zoomBox(FloatImage p, Options o) {
        int w = p.width, h = p.height, x0 = w, y0 = h, x1 = -1, y1 = -1;
        for (int y = 0; y < h; y++) {
            int r = y * p.stride, first = -1, last = -1;
            for (int x = 0; x < w; x++)
                if (p.data[r + x] > SegmentationMetrics.THRESHOLD) { if (first < 0) first = x; last = x; }
            if (first < 0) continue;
            x0 = Math.min(x0, first);
            x1 = Math.max(x1, last);
            if (y0 == h) y0 = y;
            y1 = y;
        }
        if (x1 < 0) return null;
        int m = (int) (o.margin() * Math.max(x1 - x0 + 1, y1 - y0 + 1)) + MIN_MARGIN;
        Rect box = new Rect(x0, y0, x1 - x0 + 1, y1 - y0 + 1).expand(m).intersect(Rect.of(w, h));
        return (double) box.width() * box.height() < o.maxArea() * w * h ? box : null;
    }
}
