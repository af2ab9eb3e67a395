package studio.matting.trimap;

import studio.matting.image.Rect;

import java.util.Arrays;

/**
 * Lasso / polygon fill, the classic trimap workflow: the inside of a closed outline takes one level (foreground,
 * usually) and the outline itself is painted unknown with the brush width, so the matting engine solves α along the
 * edge the user traced. Even-odd rule at pixel centres; the outline closes from the last point back to the first.
 */
public final class TrimapLasso {
    private TrimapLasso() { }

    /**
     * The rectangle {@link #apply} may change, known before painting (for undo bookkeeping).
     *
     * @param xy interleaved x0, y0, x1, y1, … in image pixels (pixel centres at +0.5)
     */
    public static Rect bounds(Trimap t, double[] xy, double outlineWidth) {
        check(xy);
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (int i = 0; i < xy.length; i += 2) {
            minX = Math.min(minX, xy[i]);
            maxX = Math.max(maxX, xy[i]);
            minY = Math.min(minY, xy[i + 1]);
            maxY = Math.max(maxY, xy[i + 1]);
        }
        double r = Math.max(0, outlineWidth) / 2 + 1;
        int x0 = (int) Math.floor(minX - r), y0 = (int) Math.floor(minY - r);
        int x1 = (int) Math.ceil(maxX + r), y1 = (int) Math.ceil(maxY + r);
        return new Rect(x0, y0, x1 - x0 + 1, y1 - y0 + 1).intersect(Rect.of(t.width, t.height));
    }

    /**
     * Fills the polygon with {@code fillValue} and paints its outline {@link Trimap#UNKNOWN}, {@code outlineWidth}
     * pixels wide (0: no outline). Returns the rectangle that may have changed.
     */
    public static Rect apply(Trimap t, double[] xy, int fillValue, double outlineWidth) {
        check(xy);
        if (fillValue != Trimap.BACKGROUND && fillValue != Trimap.UNKNOWN && fillValue != Trimap.FOREGROUND)
            throw new IllegalArgumentException("fill value must be 0, 128 or 255");
        Rect b = bounds(t, xy, outlineWidth);
        if (b.isEmpty()) return b;
        int n = xy.length / 2;
        double[] cross = new double[n];
        byte v = (byte) fillValue;
        for (int y = b.y(); y < b.bottom(); y++) {
            double cy = y + 0.5;
            int k = 0;
            for (int i = 0, j = n - 1; i < n; j = i++) {
                double yi = xy[2 * i + 1], yj = xy[2 * j + 1];
                if ((yi <= cy) != (yj <= cy)) {
                    double xi = xy[2 * i], xj = xy[2 * j];
                    cross[k++] = xi + (cy - yi) * (xj - xi) / (yj - yi);
                }
            }
            Arrays.sort(cross, 0, k);
            int o = y * t.width;
            for (int p = 0; p + 1 < k; p += 2) {
                // pixels whose centre lies in [cross[p], cross[p+1])
                int xa = Math.max(b.x(), (int) Math.ceil(cross[p] - 0.5));
                int xb = Math.min(b.right(), (int) Math.ceil(cross[p + 1] - 0.5));
                if (xb > xa) Arrays.fill(t.data, o + xa, o + xb, v);
            }
        }
        if (outlineWidth > 0) {
            TrimapBrush pen = new TrimapBrush(Trimap.UNKNOWN, outlineWidth);
            for (int i = 0, j = n - 1; i < n; j = i++) pen.stroke(t, xy[2 * j], xy[2 * j + 1], xy[2 * i], xy[2 * i + 1]);
        }
        return b;
    }

    /** {@link #apply} as one undoable step of {@code history}. */
    public static Rect apply(TrimapHistory history, String label, double[] xy, int fillValue, double outlineWidth) {
        Trimap t = history.trimap();
        Rect b = bounds(t, xy, outlineWidth);
        history.begin(label);
        history.touch(b);
        apply(t, xy, fillValue, outlineWidth);
        history.commit();
        return b;
    }

    private static void check(double[] xy) {
        if (xy.length < 6 || xy.length % 2 != 0) throw new IllegalArgumentException("a polygon needs at least 3 points (x, y pairs)");
    }
}
