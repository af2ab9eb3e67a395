package studio.matting.trimap;

import studio.matting.image.Rect;

import java.util.Arrays;

/**
 * Bucket fill of a trimap region: every pixel 4-connected to the clicked one through pixels of the clicked pixel's
 * level takes the new level. Scanline flood fill (one seed per run of a neighbouring row, not one per pixel) on the
 * flat byte array; the only allocation is the span stack, which grows with the region's outline, not its area.
 */
public final class TrimapFill {
    private TrimapFill() { }

    /**
     * Fills from (x, y) in place; returns the rectangle that changed (empty when the click is outside the trimap or
     * the region already has the new level).
     */
    public static Rect fill(Trimap t, int x, int y, int value) {
        checkLevel(value);
        if (x < 0 || y < 0 || x >= t.width || y >= t.height) return new Rect(0, 0, 0, 0);
        Spans spans = flood(t, x, y, (byte) value);
        return spans.bounds();
    }

    /**
     * The same as one undoable step of {@code history}: the region is flooded, then restored (all its pixels had the
     * clicked level), its tiles recorded, and written again — so the history stores the true before and after bytes
     * without a copy of the whole trimap.
     */
    public static Rect fill(TrimapHistory history, String label, int x, int y, int value) {
        checkLevel(value);
        Trimap t = history.trimap();
        if (x < 0 || y < 0 || x >= t.width || y >= t.height) return new Rect(0, 0, 0, 0);
        byte old = t.data[y * t.width + x];
        Spans spans = flood(t, x, y, (byte) value);
        Rect bounds = spans.bounds();
        if (bounds.isEmpty()) return bounds;
        spans.paint(t, old);
        history.begin(label);
        history.touch(bounds);
        spans.paint(t, (byte) value);
        history.commit();
        return bounds;
    }

    private static void checkLevel(int value) {
        if (value != Trimap.BACKGROUND && value != Trimap.UNKNOWN && value != Trimap.FOREGROUND)
            throw new IllegalArgumentException("fill value must be 0, 128 or 255");
    }

    /** Floods in place (the new value marks visited pixels) and returns the filled spans. */
    private static Spans flood(Trimap t, int sx, int sy, byte value) {
        int w = t.width, h = t.height;
        byte[] d = t.data;
        byte target = d[sy * w + sx];
        Spans spans = new Spans();
        if (target == value) return spans;
        IntStack stack = new IntStack();
        stack.push(sx, sy);
        while (stack.size > 0) {
            int top = stack.pop();
            int x = stack.a[top], y = stack.a[top + 1];
            int o = y * w;
            if (d[o + x] != target) continue;
            int l = x, r = x;
            while (l > 0 && d[o + l - 1] == target) l--;
            while (r < w - 1 && d[o + r + 1] == target) r++;
            Arrays.fill(d, o + l, o + r + 1, value);
            spans.add(y, l, r);
            for (int ny = y - 1; ny <= y + 1; ny += 2) {
                if (ny < 0 || ny >= h) continue;
                int no = ny * w;
                int i = l;
                while (i <= r) {
                    if (d[no + i] != target) { i++; continue; }
                    stack.push(i, ny); // one seed per run: the pop expands it to the whole span
                    while (i <= r && d[no + i] == target) i++;
                }
            }
        }
        return spans;
    }

    /** Filled runs (y, x0, x1 inclusive) and their bounds. */
    private static final class Spans {
        int[] a = new int[96];
        int n;
        int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE, maxX = -1, maxY = -1;

        void add(int y, int x0, int x1) {
            if (n + 3 > a.length) a = Arrays.copyOf(a, a.length * 2);
            a[n++] = y;
            a[n++] = x0;
            a[n++] = x1;
            minX = Math.min(minX, x0);
            maxX = Math.max(maxX, x1);
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
        }

        Rect bounds() {
            return maxX < 0 ? new Rect(0, 0, 0, 0) : new Rect(minX, minY, maxX - minX + 1, maxY - minY + 1);
        }

        void paint(Trimap t, byte v) {
            for (int i = 0; i < n; i += 3) {
                int o = a[i] * t.width;
                Arrays.fill(t.data, o + a[i + 1], o + a[i + 2] + 1, v);
            }
        }
    }

    private static final class IntStack {
        int[] a = new int[64];
        int size;

        void push(int x, int y) {
            if (2 * size + 2 > a.length) a = Arrays.copyOf(a, a.length * 2);
            a[2 * size] = x;
            a[2 * size + 1] = y;
            size++;
        }

        /** Removes the top seed and returns its index in {@link #a} (x there, y after it). */
        int pop() { return 2 * --size; }
    }
}
