package studio.matting.trimap;

import org.junit.jupiter.api.Test;
import studio.matting.image.Rect;

import static org.junit.jupiter.api.Assertions.*;

/** Lasso / polygon fill: inside foreground, outline unknown with the brush width, nothing else touched. */
class TrimapLassoTest {
    @Test
    void aSquareFillsItsInsideAndPaintsItsOutlineUnknown() {
        Trimap t = Trimap.filled(100, 80, Trimap.BACKGROUND);
        double[] sq = {20, 10, 80, 10, 80, 70, 20, 70};
        Rect r = TrimapLasso.apply(t, sq, Trimap.FOREGROUND, 6);
        assertEquals(Trimap.FOREGROUND, t.get(50, 40), "centre");
        assertEquals(Trimap.FOREGROUND, t.get(24, 40), "inside, 4 px from the left edge (outline reaches 3)");
        assertEquals(Trimap.UNKNOWN, t.get(20, 40), "on the left edge");
        assertEquals(Trimap.UNKNOWN, t.get(17, 40), "just outside the left edge, within half the width");
        assertEquals(Trimap.BACKGROUND, t.get(15, 40), "outside the outline");
        assertEquals(Trimap.UNKNOWN, t.get(50, 70), "bottom edge");
        assertEquals(Trimap.UNKNOWN, t.get(20, 70), "closing edge from the last point to the first");
        assertEquals(Trimap.BACKGROUND, t.get(50, 76));
        Rect changed = Trimap.filled(100, 80, Trimap.BACKGROUND).differenceBounds(t);
        assertEquals(changed, changed.intersect(r), "every change lies inside the returned bounds");
        // the inside area: 60x60 minus the outline band (≈ 3 px inwards on each side)
        long fg = t.count(Trimap.FOREGROUND);
        assertTrue(fg > 52 * 52 && fg < 56 * 56, "foreground pixels " + fg);
    }

    @Test
    void aConcavePolygonLeavesItsNotchAlone() {
        Trimap t = Trimap.filled(60, 60, Trimap.BACKGROUND);
        // a "U": the notch between the arms stays background
        double[] u = {10, 10, 25, 10, 25, 40, 35, 40, 35, 10, 50, 10, 50, 50, 10, 50};
        TrimapLasso.apply(t, u, Trimap.FOREGROUND, 0);
        assertEquals(Trimap.FOREGROUND, t.get(15, 20), "left arm");
        assertEquals(Trimap.FOREGROUND, t.get(45, 20), "right arm");
        assertEquals(Trimap.BACKGROUND, t.get(30, 20), "the notch");
        assertEquals(Trimap.FOREGROUND, t.get(30, 45), "the base");
        assertEquals(15 * 40 * 2 + 10 * 10, t.count(Trimap.FOREGROUND), "exact area with no outline (pixel centres)");
    }

    @Test
    void aBackgroundLassoAndAnOutlineOnlyReachTheirPixels() {
        Trimap t = Trimap.filled(40, 40, Trimap.FOREGROUND);
        TrimapLasso.apply(t, new double[] {5, 5, 15, 5, 10, 15}, Trimap.BACKGROUND, 2);
        assertEquals(Trimap.BACKGROUND, t.get(10, 8));
        assertEquals(Trimap.FOREGROUND, t.get(30, 30));
        assertThrows(IllegalArgumentException.class, () -> TrimapLasso.apply(t, new double[] {1, 1, 2, 2}, Trimap.FOREGROUND, 2));
        assertThrows(IllegalArgumentException.class, () -> TrimapLasso.apply(t, new double[] {1, 1, 2, 2, 3, 1}, 5, 2));
    }

    @Test
    void aPolygonPartlyOutsideTheTrimapIsClipped() {
        Trimap t = Trimap.filled(30, 30, Trimap.BACKGROUND);
        Rect r = TrimapLasso.apply(t, new double[] {-20, -20, 20, -20, 20, 20, -20, 20}, Trimap.FOREGROUND, 4);
        assertEquals(Trimap.FOREGROUND, t.get(5, 5));
        assertEquals(Trimap.UNKNOWN, t.get(20, 5));
        assertEquals(Trimap.BACKGROUND, t.get(28, 28));
        assertEquals(0, r.x());
        assertTrue(r.right() <= 30);
    }

    @Test
    void aLassoIsOneUndoStep() {
        Trimap t = Trimap.filled(200, 150, Trimap.BACKGROUND);
        Trimap before = t.copy();
        TrimapHistory h = new TrimapHistory(t);
        double[] tri = {30, 20, 170, 40, 90, 140};
        Rect r = TrimapLasso.apply(h, "Lasso", tri, Trimap.FOREGROUND, 8);
        Trimap after = t.copy();
        assertTrue(t.count(Trimap.FOREGROUND) > 3000);
        assertEquals(1, h.undoCount());
        Rect undone = h.undo();
        assertArrayEquals(before.data, t.data);
        assertEquals(undone, undone.union(before.differenceBounds(after)).intersect(undone), "undo covers the change");
        h.redo();
        assertArrayEquals(after.data, t.data);
        assertFalse(r.isEmpty());
    }
}
