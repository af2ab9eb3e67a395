package studio.matting.segment;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
import studio.matting.image.Rect;
import studio.matting.matting.MattingException;
import studio.matting.metrics.SegmentationMetrics;
import studio.matting.task.TaskContext;
import studio.matting.trimap.OpenCv;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A second look at people who fill little of the frame. A network run at a fixed working size gives a person at a
 * third of the frame's height a third of its pixels: limbs a few pixels wide, a face a smudge. Each blob the first
 * pass calls person (8-connected, at least {@code minComponent} of the largest blob's area) gets a box with a margin;
 * overlapping boxes merge; every box that covers less than {@code maxArea} of the frame is cut out and segmented again
 * — its people now fill the network's frame — and that mask replaces the first one inside the box. Outside the boxes
 * the first pass's mask is kept. A blob that is not a person (a white bollard, a sunlit pole) gets its second look
 * too, where the network, seeing it large, mostly lets it go.
 *
 * <p>The margin, {@code margin} of the box's longer side plus 8 px, keeps the context a segmenter needs (feet on the
 * ground, the background round the head). On photos where the person fills the frame (all of fullbody
 * {@code val.txt}) the box covers nearly all of it and nothing runs twice. At most {@link #MAX_PASSES} boxes, the
 * largest, run again. Chosen on synthetic everyday scenes made of {@code fullbody/train.txt} people
 * ({@code training/make_scenes.py}); see the README's segmentation section.
 */
public final class ZoomSegmenter implements Segmenter {
    /**
     * @param maxArea      a box (with its margin) must cover less than this fraction of the frame for a second pass
     * @param margin       margin round a blob's bounds, as a fraction of their longer side (plus 8 px)
     * @param minComponent blobs smaller than this fraction of the largest get no box of their own
     */
    public record Options(double maxArea, double margin, double minComponent) {
        public Options {
            if (!(maxArea > 0 && maxArea <= 1)) throw new IllegalArgumentException("maxArea must be in (0, 1], got " + maxArea);
            if (!(margin >= 0 && margin <= 2)) throw new IllegalArgumentException("margin must be in [0, 2], got " + margin);
            if (!(minComponent >= 0 && minComponent <= 1))
                throw new IllegalArgumentException("minComponent must be in [0, 1], got " + minComponent);
        }
    }

    static final int MIN_MARGIN = 8;
    /** Blobs of fewer pixels never get a box (noise). */
    static final int MIN_PIXELS = 16;
    /** Second passes per photo at most (each costs one scene pass). */
    public static final int MAX_PASSES = 4;

    private final Segmenter inner;
    private final Options options;
    private volatile int lastPasses;

    public ZoomSegmenter(Segmenter inner, Options options) {
        this.inner = Objects.requireNonNull(inner);
        this.options = Objects.requireNonNull(options);
    }

    @Override public String id() { return inner.id(); }

    @Override public String displayName() { return inner.displayName(); }

    /** How many boxes the last {@link #segment} segmented again (for evaluation reports and tests). */
    public int lastPasses() { return lastPasses; }

    @Override
    public FloatImage segment(ByteImage rgb, TaskContext ctx) throws MattingException {
        lastPasses = 0;
        FloatImage p = inner.segment(rgb, ctx.sub(0, 0.5));
        List<Rect> boxes = zoomBoxes(p, options);
        if (boxes.isEmpty()) return p;
        FloatImage out = p.copy();
        int done = 0;
        for (Rect box : boxes) {
            ctx.checkCancelled();
            double from = 0.5 + 0.5 * done / boxes.size(), to = 0.5 + 0.5 * (done + 1) / boxes.size();
            FloatImage z = inner.segment(ImageOps.crop(rgb, box), ctx.sub(from, to));
            done++;
            if (z.channels != 1 || !z.sameSize(box.width(), box.height())) continue;
            ImageOps.paste(z, out, box.x(), box.y());
        }
        lastPasses = done;
        return out;
    }

    /**
     * The boxes to segment again (disjoint, largest first, at most {@link #MAX_PASSES}): one per blob of p > 0.5 with
     * its margin, overlapping ones merged, those covering {@code maxArea} of the frame or more left out.
     */
    static List<Rect> zoomBoxes(FloatImage p, Options o) {
        int w = p.width, h = p.height;
        byte[] bin = new byte[w * h];
        boolean any = false;
        for (int y = 0; y < h; y++)
            for (int x = 0, r = y * p.stride; x < w; x++)
                if (p.data[r + x] > SegmentationMetrics.THRESHOLD) { bin[y * w + x] = 1; any = true; }
        if (!any) return List.of();
        OpenCv.load();
        Mat m = new Mat(h, w, CvType.CV_8UC1), labels = new Mat(), stats = new Mat(), centroids = new Mat();
        List<Rect> boxes = new ArrayList<>();
        try {
            m.put(0, 0, bin);
            int n = Imgproc.connectedComponentsWithStats(m, labels, stats, centroids, 8, CvType.CV_32S);
            int[] st = new int[n * 5];
            stats.get(0, 0, st);
            int largest = 0;
            for (int i = 1; i < n; i++) largest = Math.max(largest, st[i * 5 + Imgproc.CC_STAT_AREA]);
            for (int i = 1; i < n; i++) {
                if (st[i * 5 + Imgproc.CC_STAT_AREA] < Math.max(o.minComponent() * largest, MIN_PIXELS)) continue;
                int bw = st[i * 5 + Imgproc.CC_STAT_WIDTH], bh = st[i * 5 + Imgproc.CC_STAT_HEIGHT];
                int mg = (int) (o.margin() * Math.max(bw, bh)) + MIN_MARGIN;
                boxes.add(new Rect(st[i * 5 + Imgproc.CC_STAT_LEFT], st[i * 5 + Imgproc.CC_STAT_TOP], bw, bh)
                        .expand(mg).intersect(Rect.of(w, h)));
            }
        } finally {
            m.release();
            labels.release();
            stats.release();
            centroids.release();
        }
        // merge until no two overlap: a group of people shares one box
        for (boolean merged = true; merged; ) {
            merged = false;
            outer:
            for (int i = 0; i < boxes.size(); i++)
                for (int j = i + 1; j < boxes.size(); j++)
                    if (!boxes.get(i).intersect(boxes.get(j)).isEmpty()) {
                        boxes.set(i, boxes.get(i).union(boxes.remove(j)));
                        merged = true;
                        break outer;
                    }
        }
        List<Rect> out = new ArrayList<>();
        for (Rect b : boxes) if ((double) b.width() * b.height() < o.maxArea() * w * h) out.add(b);
        out.sort(Comparator.comparingLong((Rect b) -> (long) b.width() * b.height()).reversed());
        return out.size() > MAX_PASSES ? List.copyOf(out.subList(0, MAX_PASSES)) : out;
    }
}
