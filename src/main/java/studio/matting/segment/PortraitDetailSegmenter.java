package studio.matting.segment;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.Parallel;
import studio.matting.matting.MattingException;
import studio.matting.metrics.SegmentationMetrics;
import studio.matting.task.TaskContext;

import java.util.Objects;

/**
 * A general person segmenter with a head-and-shoulders specialist for busts. The general model (whole bodies, scenes,
 * several people) runs first; when its mask looks like a portrait — it crosses at least {@code minBottom} of the
 * bottom row (a bust is cut by the frame there) and covers at least {@code minArea} of the image — the specialist
 * runs too, and when the two masks agree (IoU ≥ {@code minAgreement}: the specialist refines the edge, it does not
 * overrule what the general model found) the probabilities are blended, {@code weight} for the specialist. Anything
 * else is the general model's mask unchanged. Chosen on held-out portraits (a slice of train.txt) and fullbody
 * val.txt; see the README's segmentation table.
 */
public final class PortraitDetailSegmenter implements Segmenter {
    private final Segmenter general, specialist;
    private final double weight, minAgreement, minBottom, minArea;
    private volatile boolean lastUsedSpecialist;

    public PortraitDetailSegmenter(Segmenter general, Segmenter specialist, double weight, double minAgreement,
                                   double minBottom, double minArea) {
        this.general = Objects.requireNonNull(general);
        this.specialist = Objects.requireNonNull(specialist);
        this.weight = weight;
        this.minAgreement = minAgreement;
        this.minBottom = minBottom;
        this.minArea = minArea;
    }

    /** The general model's id: projects and the CLI name the model they chose, the specialist is its detail. */
    @Override public String id() { return general.id(); }

    @Override public String displayName() { return general.displayName() + " + " + specialist.id() + " (busts)"; }

    /** Whether the last {@link #segment} blended in the specialist (for evaluation reports). */
    public boolean lastUsedSpecialist() { return lastUsedSpecialist; }

    @Override
    public FloatImage segment(ByteImage rgb, TaskContext ctx) throws MattingException {
        FloatImage a = general.segment(rgb, ctx.sub(0, 0.7));
        lastUsedSpecialist = false;
        if (!looksLikeBust(a)) return a;
        ctx.checkCancelled();
        FloatImage b = specialist.segment(rgb, ctx.sub(0.7, 1));
        if (!b.sameSize(a.width, a.height) || b.channels != 1 || SegmentationMetrics.iou(a, b).personIoU() < minAgreement) return a;
        FloatImage out = new FloatImage(a.width, a.height, 1);
        float wb = (float) weight, wa = 1f - wb;
        Parallel.rows(a.height, a.width, (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                int ia = y * a.stride, ib = y * b.stride, io = y * out.stride;
                for (int x = 0; x < a.width; x++) out.data[io + x] = wa * a.data[ia + x] + wb * b.data[ib + x];
            }
        });
        lastUsedSpecialist = true;
        return out;
    }

    boolean looksLikeBust(FloatImage a) {
        int w = a.width, h = a.height, bottom = 0;
        long area = 0;
        for (int x = 0, o = (h - 1) * a.stride; x < w; x++) if (a.data[o + x] > SegmentationMetrics.THRESHOLD) bottom++;
        for (int y = 0; y < h; y++) for (int x = 0, o = y * a.stride; x < w; x++) if (a.data[o + x] > SegmentationMetrics.THRESHOLD) area++;
        return bottom >= minBottom * w && area >= minArea * (double) w * h;
    }
}
