package studio.matting.trimap;

import studio.matting.image.Rect;

/**
 * A round brush that paints one trimap level. Strokes are stamped along each mouse segment at a spacing of at most a
 * quarter of the diameter, so a fast drag (mouse events far apart) still leaves a continuous line.
 */
public final class TrimapBrush {
    public static final double MIN_DIAMETER = 1, MAX_DIAMETER = 500;

    private int value;
    private double diameter;

    public TrimapBrush(int value, double diameter) {
        setValue(value);
        setDiameter(diameter);
    }

    public int value() { return value; }

    public double diameter() { return diameter; }

    public void setValue(int value) {
        if (value != Trimap.BACKGROUND && value != Trimap.UNKNOWN && value != Trimap.FOREGROUND)
            throw new IllegalArgumentException("brush value must be 0, 128 or 255");
        this.value = value;
    }

    public void setDiameter(double d) {
        this.diameter = Math.max(MIN_DIAMETER, Math.min(MAX_DIAMETER, d));
    }

    /** The pixels one stamp at (cx, cy) would cover, clipped to the trimap (image coordinates, pixel centres at +0.5). */
    public Rect stampBounds(Trimap t, double cx, double cy) {
        double r = diameter / 2;
        int x0 = (int) Math.floor(cx - r), y0 = (int) Math.floor(cy - r);
        int x1 = (int) Math.ceil(cx + r), y1 = (int) Math.ceil(cy + r);
        return new Rect(x0, y0, x1 - x0 + 1, y1 - y0 + 1).intersect(Rect.of(t.width, t.height));
    }

    /** Bounds of a segment stroke, before painting it (for undo bookkeeping). */
    public Rect strokeBounds(Trimap t, double x0, double y0, double x1, double y1) {
        return stampBounds(t, x0, y0).union(stampBounds(t, x1, y1));
    }

    /** Paints one round dab; returns the rectangle that may have changed. */
    public Rect stamp(Trimap t, double cx, double cy) {
        Rect b = stampBounds(t, cx, cy);
        if (b.isEmpty()) return b;
        // At least the pixel under the cursor is painted, even with a 1-pixel brush.
        double r = Math.max(diameter / 2, 0.5);
        double r2 = r * r;
        byte v = (byte) value;
        for (int y = b.y(); y < b.bottom(); y++) {
            double dy = y + 0.5 - cy;
            int o = y * t.width;
            for (int x = b.x(); x < b.right(); x++) {
                double dx = x + 0.5 - cx;
                if (dx * dx + dy * dy <= r2) t.data[o + x] = v;
            }
        }
        return b;
    }

    /** Paints the segment (x0,y0) → (x1,y1) (the first point included); returns the dirty rectangle. */
    public Rect stroke(Trimap t, double x0, double y0, double x1, double y1) {
        double len = Math.hypot(x1 - x0, y1 - y0);
        double spacing = Math.max(0.5, diameter / 4);
        int steps = Math.max(1, (int) Math.ceil(len / spacing));
        Rect dirty = new Rect(0, 0, 0, 0);
        for (int i = 0; i <= steps; i++) {
            double f = (double) i / steps;
            dirty = dirty.union(stamp(t, x0 + (x1 - x0) * f, y0 + (y1 - y0) * f));
        }
        return dirty;
    }
}
