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
        // channel 0 of each, read in place (the app's segmenter calls this on full-size masks: no plane copies)
        long both = 0, either = 0, n = (long) truth.width * truth.height;
        for (int y = 0; y < truth.height; y++) {
            int po = y * probability.stride, go = y * truth.stride;
            for (int x = 0; x < truth.width; x++) {
                boolean a = probability.data[po + x * probability.channels] > THRESHOLD, b = truth.data[go + x * truth.channels] > THRESHOLD;
                if (a && b) both++;
                if (a || b) either++;
            }
        }
        double person = either == 0 ? 1.0 : (double) both / either;
        long bgBoth = n - either, bgEither = n - both; // background = complement of each mask
        double background = bgEither == 0 ? 1.0 : (double) bgBoth / bgEither;
        return new Scores(person, (person + background) / 2);
    }
}
