package studio.matting.trimap;

import org.junit.jupiter.api.Test;
import studio.matting.image.Rect;

import static org.junit.jupiter.api.Assertions.*;

class TrimapBrushTest {
    @Test
    void fastStrokeBetweenFarPointsLeavesNoGaps() {
        Trimap t = Trimap.filled(300, 200, Trimap.BACKGROUND);
        TrimapBrush b = new TrimapBrush(Trimap.FOREGROUND, 6);
        Rect dirty = b.stroke(t, 5.5, 10.5, 290.5, 190.5);
        // Every point on the segment (sampled far finer than the stamp spacing) has its pixel and a 2-pixel
        // neighbourhood across the line painted.
        for (int i = 0; i <= 2000; i++) {
            double f = i / 2000.0, x = 5.5 + 285 * f, y = 10.5 + 180 * f;
            assertEquals(Trimap.FOREGROUND, t.get((int) x, (int) y), "gap at " + x + "," + y);
            assertEquals(Trimap.FOREGROUND, t.get((int) x, (int) (y + 2)), "narrow at " + x + "," + y);
        }
        for (int y = 0; y < t.height; y++)
            for (int x = 0; x < t.width; x++)
                if (t.get(x, y) != Trimap.BACKGROUND) assertTrue(dirty.contains(x, y), "change outside dirty rect");
        long painted = t.count(Trimap.FOREGROUND);
        double length = Math.hypot(285, 180);
        assertEquals(length * 6, painted, length * 6 * 0.15, "stroke area ~ length x diameter");
    }

    @Test
    void eachLevelAndDiameterClamp() {
        Trimap t = Trimap.filled(50, 50, Trimap.FOREGROUND);
        TrimapBrush b = new TrimapBrush(Trimap.UNKNOWN, 10);
        b.stamp(t, 25, 25);
        assertEquals(Trimap.UNKNOWN, t.get(25, 25));
        assertEquals(Trimap.FOREGROUND, t.get(25, 31));
        b.setValue(Trimap.BACKGROUND);
        b.setDiameter(0.1);
        assertEquals(TrimapBrush.MIN_DIAMETER, b.diameter());
        b.stamp(t, 3.5, 3.5);
        assertEquals(Trimap.BACKGROUND, t.get(3, 3));
        assertEquals(1, t.count(Trimap.BACKGROUND));
        assertThrows(IllegalArgumentException.class, () -> b.setValue(7));
        assertTrue(b.stamp(t, -100, -100).isEmpty(), "off-image stamp changes nothing");
    }
}
