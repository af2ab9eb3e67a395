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
 * else — a whole body, a scene, several people — is segmented again by the general model at the larger scene size
 * when one is given ({@code scene}), since small people and thin limbs need more pixels than a bust; without it the
 * first mask is kept. Chosen on held-out portraits (a slice of train.txt) and fullbody val.txt; see the README's
 * segmentation table.
 */
public final class PortraitDetailSegmenter implements Segmenter {
    private final Segmenter general, specialist, scene;
    private final double weight, minAgreement, minBottom, minArea;
    private volatile boolean lastUsedSpecialist, lastUsedScene;

    public PortraitDetailSegmenter(Segmenter general, Segmenter specialist, double weight, double minAgreement,
                                   double minBottom, double minArea) {
        this(general, specialist, weight, minAgreement, minBottom, minArea, null);
    }

    /** @param scene the general model at the scene size, for photos that are not busts (null: keep the first mask) */
    public PortraitDetailSegmenter(Segmenter general, Segmenter specialist, double weight, double minAgreement,
                                   double minBottom, double minArea, Segmenter scene) {
        this.general = Objects.requireNonNull(general);
        this.specialist = Objects.requireNonNull(specialist);
        this.scene = scene;
        this.weight = weight;
        this.minAgreement = minAgreement;
        this.minBottom = minBottom;
        this.minArea = minArea;
    }

    /** The general model's id: projects and the CLI name the model they chose, the specialist is its detail. */
    @Override public String id() { return general.id(); }

    @Override public String displayName() { return general.displayName() + " + " + specialist.id() + " (busts)"; }

    /** The scene-size pass for photos that are not busts, or null. */
    public Segmenter scene() { return scene; }

    /** Whether the last {@link #segment} blended in the specialist (for evaluation reports). */
    public boolean lastUsedSpecialist() { return lastUsedSpecialist; }

    /** Whether the last {@link #segment} returned the scene-size pass. */
    public boolean lastUsedScene() { return lastUsedScene; }

    @Override
    public FloatImage segment(ByteImage rgb, TaskContext ctx) throws MattingException {
        FloatImage a = general.segment(rgb, ctx.sub(0, scene != null ? 0.4 : 0.7));
        lastUsedSpecialist = false;
        lastUsedScene = false;
        if (!looksLikeBust(a)) return sceneOr(a, rgb, ctx);
        ctx.checkCancelled();
        FloatImage b = specialist.segment(rgb, ctx.sub(0.7, 1));
        if (!b.sameSize(a.width, a.height) || b.channels != 1 || SegmentationMetrics.iou(a, b).personIoU() < minAgreement)
            return sceneOr(a, rgb, ctx);
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

    private FloatImage sceneOr(FloatImage first, ByteImage rgb, TaskContext ctx) throws MattingException {
        if (scene == null) return first;
        ctx.checkCancelled();
        FloatImage s = scene.segment(rgb, ctx.sub(0.4, 1));
        if (!s.sameSize(first.width, first.height) || s.channels != 1) return first;
        lastUsedScene = true;
        return s;
    }

    boolean looksLikeBust(FloatImage a) {
        int w = a.width, h = a.height, bottom = 0;
        long area = 0;
        for (int x = 0, o = (h - 1) * a.stride; x < w; x++) if (a.data[o + x] > SegmentationMetrics.THRESHOLD) bottom++;
        for (int y = 0; y < h; y++) for (int x = 0, o = y * a.stride; x < w; x++) if (a.data[o + x] > SegmentationMetrics.THRESHOLD) area++;
        return bottom >= minBottom * w && area >= minArea * (double) w * h;
    }
}
