package studio.matting.trimap;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class TrimapHistoryTest {
    @Test
    void undoRedoRestoreExactBytes() {
        Trimap t = Trimap.filled(257, 190, Trimap.UNKNOWN);
        TrimapHistory h = new TrimapHistory(t);
        Random rnd = new Random(3);
        List<byte[]> states = new ArrayList<>();
        states.add(t.data.clone());
        int[] levels = {Trimap.BACKGROUND, Trimap.UNKNOWN, Trimap.FOREGROUND};
        for (int s = 0; s < 12; s++) {
            TrimapBrush b = new TrimapBrush(levels[s % 3], 3 + rnd.nextInt(40));
            h.begin("stroke " + s);
            double x = rnd.nextDouble() * 257, y = rnd.nextDouble() * 190;
            for (int k = 0; k < 5; k++) {
                double nx = rnd.nextDouble() * 257, ny = rnd.nextDouble() * 190;
                h.touch(b.strokeBounds(t, x, y, nx, ny));
                b.stroke(t, x, y, nx, ny);
                x = nx;
                y = ny;
            }
            if (h.commit()) states.add(t.data.clone());
        }
        Trimap regenerated = Trimap.filled(257, 190, Trimap.BACKGROUND);
        h.replace("regenerate", regenerated);
        states.add(t.data.clone());
        for (int i = states.size() - 2; i >= 0; i--) {
            assertFalse(h.undo().isEmpty());
            assertArrayEquals(states.get(i), t.data, "undo to state " + i);
        }
        assertFalse(h.canUndo());
        for (int i = 1; i < states.size(); i++) {
            h.redo();
            assertArrayEquals(states.get(i), t.data, "redo to state " + i);
        }
        h.undo();
        h.begin("new");
        h.touch(new studio.matting.image.Rect(0, 0, 1, 1));
        t.set(0, 0, t.get(0, 0) == 0 ? 255 : 0);
        assertTrue(h.commit());
        assertFalse(h.canRedo(), "a new edit clears redo");
    }

    @Test
    void replaceRecordsOnlyWhatChangedAndReturnsItsBounds() {
        Trimap t = Trimap.filled(300, 200, Trimap.BACKGROUND);
        TrimapHistory h = new TrimapHistory(t, 64L << 20);
        Trimap next = t.copy();
        next.set(70, 40, Trimap.UNKNOWN);
        next.set(150, 130, Trimap.FOREGROUND);
        studio.matting.image.Rect r = h.replace("regen", next);
        assertEquals(new studio.matting.image.Rect(70, 40, 81, 91), r);
        assertArrayEquals(next.data, t.data);
        // two 64 x 64 tiles changed, so the step holds two tiles (before + after), not the whole trimap
        assertEquals(2 * 2 * 64 * 64, h.memoryBytes(), 4 * 64 * 64);
        assertTrue(h.replace("same again", next.copy()).isEmpty(), "an identical replacement changes nothing");
        assertEquals(1, h.undoCount(), "and records no step");
        studio.matting.image.Rect undone = h.undo();
        assertEquals(undone, undone.union(r), "undo reports (tile-aligned) at least the replaced area");
        assertEquals(Trimap.BACKGROUND, t.get(70, 40));
        assertTrue(Trimap.filled(5, 5, 0).differenceBounds(Trimap.filled(5, 5, 0)).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> t.differenceBounds(Trimap.filled(5, 5, 0)));
    }

    @Test
    void memoryIsBoundedAndSmallStrokesAreCheap() {
        Trimap t = Trimap.filled(2000, 1500, Trimap.UNKNOWN);
        long cap = 200_000;
        TrimapHistory h = new TrimapHistory(t, cap);
        TrimapBrush b = new TrimapBrush(Trimap.FOREGROUND, 10);
        h.begin("small");
        h.touch(b.strokeBounds(t, 100, 100, 110, 100));
        b.stroke(t, 100, 100, 110, 100);
        h.commit();
        assertTrue(h.memoryBytes() < 4 * 64 * 64 * 2 + 200, "small stroke stores only its tiles: " + h.memoryBytes());
        Random rnd = new Random(1);
        for (int i = 0; i < 300; i++) {
            b.setValue(i % 2 == 0 ? Trimap.BACKGROUND : Trimap.FOREGROUND);
            h.begin("s");
            double x = rnd.nextInt(2000), y = rnd.nextInt(1500);
            h.touch(b.strokeBounds(t, x, y, x + 200, y));
            b.stroke(t, x, y, x + 200, y);
            h.commit();
        }
        assertTrue(h.memoryBytes() <= cap, "history memory " + h.memoryBytes() + " over cap " + cap);
        assertTrue(h.undoCount() < 300 && h.undoCount() >= 3, "oldest dropped, recent kept: " + h.undoCount());
        // A whole-trimap replacement larger than the cap still stays undoable on its own.
        byte[] before = t.data.clone();
        h.replace("regen", Trimap.filled(2000, 1500, Trimap.BACKGROUND));
        assertEquals(1, h.undoCount());
        h.undo();
        assertArrayEquals(before, t.data);
    }
}
