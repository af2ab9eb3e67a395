package studio.matting.trimap;

import org.junit.jupiter.api.Test;
import studio.matting.image.Rect;

import java.util.ArrayDeque;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Bucket fill on generated trimaps, checked against a plain breadth-first flood. */
class TrimapFillTest {
    static final int[] LEVELS = {Trimap.BACKGROUND, Trimap.UNKNOWN, Trimap.FOREGROUND};

    /** Random blobs of the three levels (coarse cells, so regions are big and oddly shaped). */
    static Trimap random(int w, int h, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Trimap t = new Trimap(w, h);
        int cell = 3;
        int[] grid = new int[(w / cell + 1) * (h / cell + 1)];
        for (int i = 0; i < grid.length; i++) grid[i] = LEVELS[r.nextInt(3)];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int v = r.nextInt(10) == 0 ? LEVELS[r.nextInt(3)] : grid[(y / cell) * (w / cell + 1) + x / cell];
                t.set(x, y, v);
            }
        return t;
    }

    /** Reference: 4-connected breadth-first flood, one pixel at a time. */
    static Trimap reference(Trimap src, int sx, int sy, int value) {
        Trimap t = src.copy();
        int target = t.get(sx, sy);
        if (target == value) return t;
        ArrayDeque<int[]> q = new ArrayDeque<>();
        q.add(new int[] {sx, sy});
        t.set(sx, sy, value);
        while (!q.isEmpty()) {
            int[] p = q.poll();
            int[][] nb = {{p[0] - 1, p[1]}, {p[0] + 1, p[1]}, {p[0], p[1] - 1}, {p[0], p[1] + 1}};
            for (int[] n : nb) {
                if (n[0] < 0 || n[1] < 0 || n[0] >= t.width || n[1] >= t.height || t.get(n[0], n[1]) != target) continue;
                t.set(n[0], n[1], value);
                q.add(n);
            }
        }
        return t;
    }

    @Test
    void fillMatchesABreadthFirstFloodOnRandomTrimaps() {
        for (long seed = 1; seed <= 40; seed++) {
            Trimap src = random(73, 51, seed);
            SplittableRandom r = new SplittableRandom(seed * 31);
            int x = r.nextInt(73), y = r.nextInt(51), v = LEVELS[r.nextInt(3)];
            Trimap expected = reference(src, x, y, v);
            Trimap got = src.copy();
            Rect changed = TrimapFill.fill(got, x, y, v);
            assertArrayEquals(expected.data, got.data, "seed " + seed);
            assertEquals(src.differenceBounds(expected), changed, "seed " + seed);
        }
    }

    @Test
    void fillIsFourConnectedAndStopsAtOtherLevels() {
        // A diagonal line of unknown separates two background areas: no leak through the corners.
        Trimap t = Trimap.filled(10, 10, Trimap.BACKGROUND);
        for (int i = 0; i < 10; i++) t.set(i, 9 - i, Trimap.UNKNOWN);
        Rect r = TrimapFill.fill(t, 0, 0, Trimap.FOREGROUND);
        assertEquals(Trimap.FOREGROUND, t.get(0, 0));
        assertEquals(Trimap.FOREGROUND, t.get(8, 0));
        assertEquals(Trimap.UNKNOWN, t.get(5, 4));
        assertEquals(Trimap.BACKGROUND, t.get(9, 9), "the other side of the diagonal");
        assertEquals(Trimap.BACKGROUND, t.get(5, 5));
        assertEquals(new Rect(0, 0, 9, 9), r);
        assertEquals(45, t.count(Trimap.FOREGROUND));
    }

    @Test
    void aSpiralCorridorFillsCompletely() {
        // A long one-pixel corridor: many spans, deep stack; every corridor pixel must be reached.
        int n = 201;
        Trimap t = Trimap.filled(n, n, Trimap.UNKNOWN);
        for (int k = 0; k < n / 4; k++) {
            int a = 2 * k, b = n - 1 - 2 * k;
            for (int i = a; i <= b; i++) { t.set(i, a, Trimap.BACKGROUND); t.set(b, i, Trimap.BACKGROUND); t.set(i, b, Trimap.BACKGROUND); }
            for (int i = a + 2; i <= b; i++) t.set(a, i, Trimap.BACKGROUND);
            if (a + 2 < n) t.set(a + 1, a + 2, Trimap.BACKGROUND);
        }
        Trimap expected = reference(t, 0, 0, Trimap.FOREGROUND);
        TrimapFill.fill(t, 0, 0, Trimap.FOREGROUND);
        assertArrayEquals(expected.data, t.data);
    }

    @Test
    void fillingWithTheSameLevelOrOutsideChangesNothing() {
        Trimap t = random(30, 20, 5);
        Trimap before = t.copy();
        assertTrue(TrimapFill.fill(t, 3, 3, t.get(3, 3)).isEmpty());
        assertTrue(TrimapFill.fill(t, -1, 3, Trimap.FOREGROUND).isEmpty());
        assertTrue(TrimapFill.fill(t, 30, 3, Trimap.FOREGROUND).isEmpty());
        assertArrayEquals(before.data, t.data);
        assertThrows(IllegalArgumentException.class, () -> TrimapFill.fill(t, 1, 1, 7));
    }

    @Test
    void fillAsAnUndoStepRestoresTheTrimapExactly() {
        Trimap t = random(300, 200, 9);
        Trimap before = t.copy();
        TrimapHistory h = new TrimapHistory(t);
        int x = 150, y = 100, v = t.get(x, y) == Trimap.FOREGROUND ? Trimap.BACKGROUND : Trimap.FOREGROUND;
        Trimap expected = reference(before, x, y, v);
        Rect r = TrimapFill.fill(h, "Fill", x, y, v);
        assertFalse(r.isEmpty());
        assertArrayEquals(expected.data, t.data);
        assertEquals(1, h.undoCount());
        assertEquals("Fill", h.undoLabel());
        h.undo();
        assertArrayEquals(before.data, t.data);
        h.redo();
        assertArrayEquals(expected.data, t.data);
        assertTrue(TrimapFill.fill(h, "Fill", x, y, v).isEmpty());
        assertEquals(1, h.undoCount(), "a fill that changes nothing is no undo step");
    }
}
