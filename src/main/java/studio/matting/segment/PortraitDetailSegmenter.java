package studio.matting.segment;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
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
 * <p><b>Group shots.</b> The specialist has seen single centred selfies only; on two or three busts side by side it
 * often finds the middle one and calls the others background, and a plain blend then loses them (synthetic group
 * shots of train portraits: IoU 0.878 against 0.921 for the general model alone). So when a {@link FaceCounter} says there are
 * at least two faces, the specialist's weight falls to 0 wherever, within {@link #GROUP_WINDOW} of the long side, more
 * than {@link #GROUP_LOW} of the pixels are ones the general model calls person and the specialist does not (a whole
 * person it missed, not an edge it moved), reaching 0 at {@link #GROUP_HIGH}; on the people it did find it keeps
 * refining the edge. One face (every portrait of the evaluation sets): the plain blend, unchanged. The faces decide,
 * not the masks: applied to single portraits the same rule took away the specialist's correction where the general
 * model spills over a blanket or a wall (portraits train slice 0.9487 → 0.9379).
 */
public final class PortraitDetailSegmenter implements Segmenter {
    /** Whether a photo shows at least so many faces (false when it cannot tell): the group-shot rule's trigger. */
    @FunctionalInterface
    public interface FaceCounter {
        boolean atLeast(ByteImage rgb, int faces);
    }

    /**
     * The group-shot rule (class comment): window half-side as a share of the long side, and the share of missed
     * person pixels in it at which the specialist's weight starts to fall and reaches 0. Chosen on 60 synthetic group
     * shots of train portraits ({@code training/make_groups.py}): windows 1/25, 1/16, 1/11, 1/8 gave IoU 0.9245,
     * 0.9234, 0.9217, 0.9182; 1/16 with 0.3 / 0.6 kept for its margin on single busts in the same harness.
     */
    public static final double GROUP_WINDOW = 1 / 16.0, GROUP_LOW = 0.3, GROUP_HIGH = 0.6;
    /** Faces from which a photo is a group shot. */
    public static final int GROUP_FACES = 2;

    private final Segmenter general, specialist, scene;
    private final double weight, minAgreement, minBottom, minArea;
    private final FaceCounter faces;
    private volatile boolean lastUsedSpecialist, lastUsedScene, lastWasGroup;

    public PortraitDetailSegmenter(Segmenter general, Segmenter specialist, double weight, double minAgreement,
                                   double minBottom, double minArea) {
        this(general, specialist, weight, minAgreement, minBottom, minArea, null);
    }

    /** @param scene the general model at the scene size, for photos that are not busts (null: keep the first mask) */
    public PortraitDetailSegmenter(Segmenter general, Segmenter specialist, double weight, double minAgreement,
                                   double minBottom, double minArea, Segmenter scene) {
        this(general, specialist, weight, minAgreement, minBottom, minArea, scene, null);
    }

    /** @param faces tells a group shot for the group-shot rule (null: always the plain blend) */
    public PortraitDetailSegmenter(Segmenter general, Segmenter specialist, double weight, double minAgreement,
                                   double minBottom, double minArea, Segmenter scene, FaceCounter faces) {
        this.faces = faces;
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

    /** Whether the last blend saw a group shot and kept the people the specialist missed. */
    public boolean lastWasGroup() { return lastWasGroup; }

    @Override
    public FloatImage segment(ByteImage rgb, TaskContext ctx) throws MattingException {
        return Segmenter.resizeToImage(maskAtWorkingSize(rgb, ctx), rgb.width, rgb.height);
    }

    /**
     * The chain at the general model's working size: the bust test, the specialist's agreement, the group-shot rule
     * and the blend all run on its map (240×320 for a 1200×1600 portrait), the specialist's map resized to it; the
     * scene pass's mask is returned at its own size. Against resizing each map to the photo first and deciding
     * there (25 times the pixels on a 1200×1600 portrait): the same person IoU to four digits on portraits test.txt,
     * fullbody val.txt, synthetic scenes and group shots, and the same matte against pseudo-alpha.
     */
    @Override
    public FloatImage maskAtWorkingSize(ByteImage rgb, TaskContext ctx) throws MattingException {
        FloatImage a = general.maskAtWorkingSize(rgb, ctx.sub(0, scene != null ? 0.4 : 0.7));
        lastUsedSpecialist = false;
        lastUsedScene = false;
        lastWasGroup = false;
        if (a.channels != 1 || !looksLikeBust(a)) return sceneOr(a, rgb, ctx);
        ctx.checkCancelled();
        FloatImage bs = specialist.maskAtWorkingSize(rgb, ctx.sub(0.7, 1));
        if (bs.channels != 1) return sceneOr(a, rgb, ctx);
        FloatImage b = bs.sameSize(a.width, a.height) ? bs : ImageOps.resize(bs, a.width, a.height);
        if (SegmentationMetrics.iou(a, b).personIoU() < minAgreement) return sceneOr(a, rgb, ctx);
        ctx.checkCancelled();
        // The weights first: where the specialist missed no large region they are the plain blend's everywhere, and
        // the faces need not be counted (most single portraits)
        float[] wmap = groupWeights(a, b, rgb);
        FloatImage out = new FloatImage(a.width, a.height, 1);
        float wb = (float) weight, wa = 1f - wb;
        Parallel.rows(a.height, a.width, (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                int ia = y * a.stride, ib = y * b.stride, io = y * out.stride;
                if (wmap == null) {
                    for (int x = 0; x < a.width; x++) out.data[io + x] = wa * a.data[ia + x] + wb * b.data[ib + x];
                } else {
                    for (int x = 0, iw = y * a.width; x < a.width; x++, iw++) {
                        float q = wmap[iw];
                        out.data[io + x] = (1 - q) * a.data[ia + x] + q * b.data[ib + x];
                    }
                }
            }
        });
        lastUsedSpecialist = true;
        lastWasGroup = wmap != null;
        return out;
    }

    /** The group-shot rule's weights, or null for the plain blend (no counter, nothing missed, or under two faces). */
    private float[] groupWeights(FloatImage a, FloatImage b, ByteImage rgb) {
        if (faces == null) return null;
        int r = (int) Math.round(Math.max(a.width, a.height) * GROUP_WINDOW);
        int[] sat = missTable(a, b);
        // the weights fall below `weight` somewhere exactly where some window's share exceeds GROUP_LOW: that much
        // is decided without writing the map, which most single portraits never need
        if (!anyShareAbove(sat, a.width, a.height, r, GROUP_LOW) || !faces.atLeast(rgb, GROUP_FACES)) return null;
        return missWeights(sat, a.width, a.height, (float) weight, r, GROUP_LOW, GROUP_HIGH);
    }

    /**
     * The specialist's weight per pixel (w × h, row-major): {@code weight}, falling linearly to 0 as the share of
     * pixels within r (Chebyshev, clipped to the image) that {@code a} calls person (&gt; 0.5) and {@code b} does not
     * goes from {@code low} to {@code high}. A summed-area table makes it O(pixels) for any r.
     */
    static float[] missWeights(FloatImage a, FloatImage b, float weight, int r, double low, double high) {
        return missWeights(missTable(a, b), a.width, a.height, weight, r, low, high);
    }

    /**
     * Summed-area table ((w + 1) × (h + 1)) of the pixels {@code a} calls person and {@code b} does not: each row's
     * running count in parallel, then the rows added down in column bands.
     */
    static int[] missTable(FloatImage a, FloatImage b) {
        int w = a.width, h = a.height, sw = w + 1;
        int[] sat = new int[sw * (h + 1)];
        Parallel.rows(h, w, (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                int run = 0, ia = y * a.stride, ib = y * b.stride, o = (y + 1) * sw;
                for (int x = 0; x < w; x++) {
                    if (a.data[ia + x] > 0.5f && b.data[ib + x] <= 0.5f) run++;
                    sat[o + x + 1] = run;
                }
            }
        });
        Parallel.rows(sw, h, (x0, x1) -> {
            for (int y = 1; y < h; y++) {
                int o = (y + 1) * sw, p = y * sw;
                for (int x = x0; x < x1; x++) sat[o + x] += sat[p + x];
            }
        });
        return sat;
    }

    /** The share of missed pixels in the window of radius r round (x, y), clipped to the image. */
    private static double share(int[] sat, int w, int h, int r, int x, int y) {
        int sw = w + 1, y0 = Math.max(0, y - r), y1 = Math.min(h, y + r + 1), x0 = Math.max(0, x - r), x1 = Math.min(w, x + r + 1);
        int c = sat[y1 * sw + x1] - sat[y0 * sw + x1] - sat[y1 * sw + x0] + sat[y0 * sw + x0];
        return (double) c / ((long) (y1 - y0) * (x1 - x0));
    }

    /** Whether any pixel's window has a missed share above {@code low}. */
    static boolean anyShareAbove(int[] sat, int w, int h, int r, double low) {
        if (sat[sat.length - 1] == 0) return false;
        java.util.concurrent.atomic.AtomicBoolean found = new java.util.concurrent.atomic.AtomicBoolean();
        Parallel.rows(h, w, (y0, y1) -> {
            for (int y = y0; y < y1 && !found.get(); y++)
                for (int x = 0; x < w; x++)
                    if (share(sat, w, h, r, x, y) > low) { found.set(true); return; }
        });
        return found.get();
    }

    private static float[] missWeights(int[] sat, int w, int h, float weight, int r, double low, double high) {
        float[] out = new float[w * h];
        Parallel.rows(h, w, (y0, y1) -> {
            for (int y = y0; y < y1; y++)
                for (int x = 0; x < w; x++) {
                    double d = share(sat, w, h, r, x, y);
                    double t = d <= low ? 1 : d >= high ? 0 : (high - d) / (high - low);
                    out[y * w + x] = (float) (weight * t);
                }
        });
        return out;
    }

    private FloatImage sceneOr(FloatImage first, ByteImage rgb, TaskContext ctx) throws MattingException {
        if (scene == null) return first;
        ctx.checkCancelled();
        FloatImage s = scene.maskAtWorkingSize(rgb, ctx.sub(0.4, 1));
        if (s.channels != 1) return first;
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
