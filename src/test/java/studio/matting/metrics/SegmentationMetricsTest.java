package studio.matting.metrics;

import org.junit.jupiter.api.Test;
import studio.matting.image.FloatImage;

import static org.junit.jupiter.api.Assertions.*;

class SegmentationMetricsTest {
    /** A 4x4 mask that is person where the predicate holds. */
    private static FloatImage mask(java.util.function.BiPredicate<Integer, Integer> person) {
        FloatImage m = new FloatImage(4, 4, 1);
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++) m.data[y * 4 + x] = person.test(x, y) ? 0.9f : 0.1f;
        return m;
    }

    @Test
    void identicalMasksScoreOne() {
        FloatImage m = mask((x, y) -> x + y < 4);
        SegmentationMetrics.Scores s = SegmentationMetrics.iou(m, m);
        assertEquals(1.0, s.personIoU(), 1e-12);
        assertEquals(1.0, s.twoClassIoU(), 1e-12);
    }

    @Test
    void halfOverlapIsOneThird() {
        // prediction: left half; truth: top half. Person: 4 shared of 12 in the union; background likewise.
        SegmentationMetrics.Scores s = SegmentationMetrics.iou(mask((x, y) -> x < 2), mask((x, y) -> y < 2));
        assertEquals(1.0 / 3, s.personIoU(), 1e-12);
        assertEquals(1.0 / 3, s.twoClassIoU(), 1e-12);
    }

    @Test
    void thresholdIsOneHalfAndEmptyMasksAgree() {
        FloatImage empty = mask((x, y) -> false);
        assertEquals(1.0, SegmentationMetrics.iou(empty, empty).personIoU(), 1e-12);
        FloatImage p = new FloatImage(2, 1, 1);
        FloatImage g = new FloatImage(2, 1, 1);
        p.data[0] = 0.5f;  // not above the threshold
        p.data[1] = 0.51f;
        g.data[1] = 1f;
        assertEquals(1.0, SegmentationMetrics.iou(p, g).personIoU(), 1e-12);
        p.data[0] = 0.6f;
        assertEquals(0.5, SegmentationMetrics.iou(p, g).personIoU(), 1e-12);
    }

    @Test
    void sizeMismatchIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SegmentationMetrics.iou(new FloatImage(4, 4, 1), new FloatImage(4, 5, 1)));
    }
}
