package studio.matting.inference;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.Parallel;
import studio.matting.image.Rect;
import studio.matting.trimap.Trimap;

import java.nio.FloatBuffer;

/**
 * Packing images into NCHW (or NHWC) tensors and reading results back. Tensors are filled row by row through a small staging
 * array per row band (bulk puts into the direct buffer), never through Java multi-dimensional arrays. Pixels outside
 * the source are replicated from its nearest edge: zero padding would show a conv net a hard artificial border.
 */
final class Tensors {
    private Tensors() { }

    /** v (0..255) to the normalised value of channel c, as a 3x256 lookup table: x = (v / scale - mean) / std. */
    static float[] lut(ModelCard.Normalisation n) {
        float[] t = new float[3 * 256];
        for (int c = 0; c < 3; c++)
            for (int v = 0; v < 256; v++) t[c * 256 + v] = (v / n.scale() - n.mean()[c]) / n.std()[c];
        return t;
    }

    /**
     * Channels 0..2 of a [1, C, h, w] tensor from the w x h window at (x0, y0) of an 8-bit RGB image; coordinates
     * outside the image are clamped to its edge.
     */
    static void putRgb(FloatBuffer fb, ByteImage rgb, int x0, int y0, int w, int h, float[] lut) {
        int plane = w * h;
        Parallel.rows(h, w * 3, (r0, r1) -> {
            float[] row = new float[w];
            for (int y = r0; y < r1; y++) {
                int sy = clamp(y0 + y, rgb.height), so = sy * rgb.stride;
                for (int c = 0; c < 3; c++) {
                    int lo = c * 256;
                    for (int x = 0; x < w; x++) {
                        int sx = clamp(x0 + x, rgb.width);
                        row[x] = lut[lo + (rgb.data[so + sx * rgb.channels + c] & 0xFF)];
                    }
                    fb.put(c * plane + y * w, row);
                }
            }
        });
    }

    /** Channels 0..2 from a float RGB image in [0,1] (the resized segmentation input), padded to w x h. */
    static void putRgb(FloatBuffer fb, FloatImage rgb01, ModelCard.Normalisation n, int w, int h) {
        int plane = w * h;
        float[] k = new float[3], b = new float[3];
        for (int c = 0; c < 3; c++) {
            k[c] = 255f / n.scale() / n.std()[c];
            b[c] = -n.mean()[c] / n.std()[c];
        }
        Parallel.rows(h, w * 3, (r0, r1) -> {
            float[] row = new float[w];
            for (int y = r0; y < r1; y++) {
                int so = clamp(y, rgb01.height) * rgb01.stride;
                for (int c = 0; c < 3; c++) {
                    for (int x = 0; x < w; x++) row[x] = rgb01.data[so + clamp(x, rgb01.width) * rgb01.channels + c] * k[c] + b[c];
                    fb.put(c * plane + y * w, row);
                }
            }
        });
    }

    /** {@link #putRgb(FloatBuffer, FloatImage, ModelCard.Normalisation, int, int)} in NCHW or NHWC (channels last). */
    static void putRgb(FloatBuffer fb, FloatImage rgb01, ModelCard.Normalisation n, int w, int h, boolean nhwc) {
        if (!nhwc) { putRgb(fb, rgb01, n, w, h); return; }
        float[] k = new float[3], b = new float[3];
        for (int c = 0; c < 3; c++) {
            k[c] = 255f / n.scale() / n.std()[c];
            b[c] = -n.mean()[c] / n.std()[c];
        }
        Parallel.rows(h, w * 3, (r0, r1) -> {
            float[] row = new float[w * 3];
            for (int y = r0; y < r1; y++) {
                int so = clamp(y, rgb01.height) * rgb01.stride;
                for (int x = 0; x < w; x++) {
                    int s = so + clamp(x, rgb01.width) * rgb01.channels;
                    for (int c = 0; c < 3; c++) row[x * 3 + c] = rgb01.data[s + c] * k[c] + b[c];
                }
                fb.put(y * w * 3, row);
            }
        });
    }

    /** Largest value of the first three channels (rembg's divisor). */
    static float max(FloatImage rgb) {
        float m = 0f;
        for (int y = 0; y < rgb.height; y++) {
            int o = y * rgb.stride;
            for (int x = 0; x < rgb.width; x++)
                for (int c = 0; c < Math.min(3, rgb.channels); c++) m = Math.max(m, rgb.data[o + x * rgb.channels + c]);
        }
        return m;
    }

    /** (v - min) / (max - min) in place; a flat map (max == min) is left as it is instead of dividing by zero. */
    static void minMax(float[] v) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float f : v) { if (f < lo) lo = f; if (f > hi) hi = f; }
        float range = hi - lo;
        if (!(range > 1e-12f)) return;
        for (int i = 0; i < v.length; i++) v[i] = (v[i] - lo) / range;
    }

    /** Channels 3, 4, 5 = one-hot [background, unknown, foreground] of the trimap window, edge-clamped. */
    static void putTrimapOneHot(FloatBuffer fb, Trimap t, int x0, int y0, int w, int h) {
        int plane = w * h;
        byte bg = (byte) Trimap.BACKGROUND, fg = (byte) Trimap.FOREGROUND;
        Parallel.rows(h, w * 3, (r0, r1) -> {
            float[] b = new float[w], u = new float[w], f = new float[w];
            for (int y = r0; y < r1; y++) {
                int so = clamp(y0 + y, t.height) * t.width;
                for (int x = 0; x < w; x++) {
                    byte v = t.data[so + clamp(x0 + x, t.width)];
                    b[x] = v == bg ? 1f : 0f;
                    f[x] = v == fg ? 1f : 0f;
                    u[x] = v != bg && v != fg ? 1f : 0f;
                }
                fb.put(3 * plane + y * w, b);
                fb.put(4 * plane + y * w, u);
                fb.put(5 * plane + y * w, f);
            }
        });
    }

    /**
     * Plane {@code plane} of a CHW tensor: {@code a}'s w × h window at (x0, y0), clamped to [0, 1]; outside the image
     * the edge is repeated, as {@link #putTrimapOneHot} does for the trimap.
     */
    static void putPlane(FloatBuffer fb, int plane, FloatImage a, int x0, int y0, int w, int h) {
        int off = plane * w * h;
        Parallel.rows(h, w, (r0, r1) -> {
            float[] row = new float[w];
            for (int y = r0; y < r1; y++) {
                int so = clamp(y0 + y, a.height) * a.width;
                for (int x = 0; x < w; x++) {
                    float v = a.data[so + clamp(x0 + x, a.width)];
                    row[x] = v != v ? 0f : v < 0f ? 0f : Math.min(v, 1f);
                }
                fb.put(off + y * w, row);
            }
        });
    }

    /** The graph's output value as α / probability in [0,1]: "none" means logits, anything else is clamped. */
    static float activate(float v, boolean logits) {
        if (logits) v = (float) (1.0 / (1.0 + Math.exp(-v)));
        return v != v ? 0f : v < 0f ? 0f : Math.min(v, 1f);
    }

    static int clamp(int v, int n) {
        return v < 0 ? 0 : v >= n ? n - 1 : v;
    }

    static int ceilTo(int v, int unit) {
        return (v + unit - 1) / unit * unit;
    }

    static int floorTo(int v, int unit) {
        return v / unit * unit;
    }

    /**
     * Tile starts (relative to 0) covering [0, length) with tiles of {@code tile} pixels overlapping by at least
     * {@code overlap}; starts are multiples of {@code unit} so every tile sees the same stride-2 sampling grid as a
     * single pass would.
     */
    static int[] tileStarts(int length, int tile, int overlap, int unit) {
        if (length <= tile) return new int[] {0};
        int step = Math.max(unit, floorTo(tile - overlap, unit));
        int last = ceilTo(length - tile, unit);
        java.util.List<Integer> starts = new java.util.ArrayList<>();
        int p = 0;
        starts.add(0);
        while (p + tile < length) {
            int next = Math.min(p + step, last);
            if (next <= p) next = p + unit;
            starts.add(next);
            p = next;
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Per-pixel blend weight along one axis of a tile: 0 for the {@code overlap/4} pixels next to an edge shared with
     * another tile (their context is cut off), then a linear ramp to 1. Two overlapping tiles' ramps sum to 1.
     */
    static float[] axisWeights(int start, int tile, int length, int overlap) {
        float[] w = new float[tile];
        boolean left = start > 0, right = start + tile < length;
        int skip = overlap / 4;
        float ramp = Math.max(1, overlap - 2 * skip);
        for (int i = 0; i < tile; i++) {
            float v = 1f;
            if (left) v = Math.min(v, (i - skip + 0.5f) / ramp);
            if (right) v = Math.min(v, (tile - 1 - i - skip + 0.5f) / ramp);
            w[i] = Math.max(0f, Math.min(1f, v));
        }
        return w;
    }

    /** r grown so its left/top edge lies on a multiple of unit (in image coordinates). */
    static Rect alignOrigin(Rect r, int unit) {
        int x0 = floorTo(r.x(), unit), y0 = floorTo(r.y(), unit);
        return new Rect(x0, y0, r.right() - x0, r.bottom() - y0);
    }
}
