package studio.matting.metrics;

import studio.matting.image.FloatImage;

/**
 * Person-segmentation scores as portrait-segmentation papers report them (Shen et al. 2016, PortraitNet): the
 * probability map is thresholded at 0.5, the ground truth is person where it is above 0.5.
 * <ul>
 *   <li>person IoU = |pred ∩ truth| / |pred ∪ truth| (1 when both are empty) — its mean over images is "mIoU"</li>
 *   <li>two-class IoU = (person IoU + background IoU) / 2</li>
 * </ul>
 */
public final class SegmentationMetrics {
    public record Scores(double personIoU, double twoClassIoU) { }

    public static final float THRESHOLD = 0.5f;

    private SegmentationMetrics() { }

    public static Scores iou(FloatImage probability, FloatImage truth) {
        if (!probability.sameSize(truth.width, truth.height))
            throw new IllegalArgumentException("prediction and ground truth sizes differ: " + probability + ", " + truth);
        float[] p = MattingMetrics.plane(probability), g = MattingMetrics.plane(truth);
        long both = 0, either = 0, n = p.length;
        for (int i = 0; i < p.length; i++) {
            boolean a = p[i] > THRESHOLD, b = g[i] > THRESHOLD;
            if (a && b) both++;
            if (a || b) either++;
        }
        double person = either == 0 ? 1.0 : (double) both / either;
        long bgBoth = n - either, bgEither = n - both; // background = complement of each mask
        double background = bgEither == 0 ? 1.0 : (double) bgBoth / bgEither;
        return new Scores(person, (person + background) / 2);
    }
}
