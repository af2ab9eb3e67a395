package studio.matting.trimap;

import org.junit.jupiter.api.Test;
import studio.matting.image.FloatImage;
import studio.matting.segment.EllipseMask;

import static org.junit.jupiter.api.Assertions.*;

class TrimapGeneratorTest {
    private static final FloatImage MASK = EllipseMask.render(200, 160, new EllipseMask.Ellipse(100, 80, 60, 50));

    @Test
    void bandGrowsWithKernelAndIterations() {
        long small = TrimapGenerator.fromMask(MASK, 3, 2).count(Trimap.UNKNOWN);
        long mid = TrimapGenerator.fromMask(MASK, 7, 2).count(Trimap.UNKNOWN);
        long more = TrimapGenerator.fromMask(MASK, 7, 6).count(Trimap.UNKNOWN);
        assertTrue(small > 0);
        assertTrue(mid > small, mid + " > " + small);
        assertTrue(more > mid, more + " > " + mid);
        // Band along the horizontal through the centre: about 2 * iterations * (k / 2) pixels on each side.
        Trimap t = TrimapGenerator.fromMask(MASK, 7, 6);
        int unknownOnRow = 0;
        for (int x = 0; x < 100; x++) if (t.get(x, 80) == Trimap.UNKNOWN) unknownOnRow++;
        assertEquals(2 * 6 * 3, unknownOnRow, 6);
    }

    @Test
    void foregroundIsErodedMaskAndBackgroundIsOutsideDilated() {
        Trimap t = TrimapGenerator.fromMask(MASK, 5, 3);
        for (int y = 0; y < t.height; y++)
            for (int x = 0; x < t.width; x++) {
                float m = MASK.get(x, y, 0);
                int v = t.get(x, y);
                if (v == Trimap.FOREGROUND) assertTrue(m >= 0.5f, "FG outside the mask at " + x + "," + y);
                if (m >= 0.5f) assertNotEquals(Trimap.BACKGROUND, v, "mask pixel marked BG at " + x + "," + y);
            }
        assertEquals(Trimap.FOREGROUND, t.get(100, 80));
        assertEquals(Trimap.BACKGROUND, t.get(2, 2));
        assertEquals(0, TrimapGenerator.fromMask(MASK, 5, 0).count(Trimap.UNKNOWN), "no iterations, no band");
    }
}
