package studio.matting.image;

/** Channel conversions and simple whole-image operations on flat buffers. */
public final class ImageOps {
    private ImageOps() { }

    public static ByteImage toRgb(ByteImage src) {
        if (src.channels == 3) return src;
        ByteImage out = new ByteImage(src.width, src.height, 3);
        Parallel.rows(src.height, src.width, (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                int s = y * src.stride, d = y * out.stride;
                for (int x = 0; x < src.width; x++, s += src.channels, d += 3) {
                    if (src.channels == 1) {
                        out.data[d] = out.data[d + 1] = out.data[d + 2] = src.data[s];
                    } else {
                        out.data[d] = src.data[s]; out.data[d + 1] = src.data[s + 1]; out.data[d + 2] = src.data[s + 2];
                    }
                }
            }
        });
        return out;
    }

    /** Luma (BT.601 weights) for colour images; the first channel of a gray image. */
    public static ByteImage toGray(ByteImage src) {
        if (src.channels == 1) return src;
        ByteImage out = new ByteImage(src.width, src.height, 1);
        Parallel.rows(src.height, src.width, (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                int s = y * src.stride, d = y * out.stride;
                for (int x = 0; x < src.width; x++, s += src.channels) {
                    int r = src.data[s] & 0xFF, g = src.data[s + 1] & 0xFF, b = src.data[s + 2] & 0xFF;
                    out.data[d + x] = (byte) ((299 * r + 587 * g + 114 * b + 500) / 1000);
                }
            }
        });
        return out;
    }

    /** The alpha channel of an RGBA image as a one-channel image. */
    public static ByteImage alphaChannel(ByteImage rgba) {
        if (rgba.channels != 4) throw new IllegalArgumentException("image has no alpha channel");
        ByteImage out = new ByteImage(rgba.width, rgba.height, 1);
        for (int y = 0; y < rgba.height; y++)
            for (int x = 0; x < rgba.width; x++) out.data[y * out.stride + x] = rgba.data[y * rgba.stride + x * 4 + 3];
        return out;
    }

    /** 8-bit to float in [0,1], same channels. */
    public static FloatImage toFloat(ByteImage src) {
        FloatImage out = new FloatImage(src.width, src.height, src.channels);
        final float k = 1f / 255f;
        Parallel.rows(src.height, src.width, (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                int s = y * src.stride, d = y * out.stride, n = src.width * src.channels;
                for (int i = 0; i < n; i++) out.data[d + i] = (src.data[s + i] & 0xFF) * k;
            }
        });
        return out;
    }

    /** Float in [0,1] to 8-bit, rounded and clamped, same channels. */
    public static ByteImage toByte(FloatImage src) {
        ByteImage out = new ByteImage(src.width, src.height, src.channels);
        Parallel.rows(src.height, src.width, (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                int s = y * src.stride, d = y * out.stride, n = src.width * src.channels;
                for (int i = 0; i < n; i++) {
                    float v = src.data[s + i];
                    int q = (int) (v * 255f + 0.5f);
                    out.data[d + i] = (byte) (q < 0 ? 0 : Math.min(q, 255));
                }
            }
        });
        return out;
    }

    /** Area-averaging (for shrinking) / bilinear (for enlarging) resize of an 8-bit image. */
    public static ByteImage resize(ByteImage src, int w, int h) {
        if (src.width == w && src.height == h) return src.copy();
        return toByte(resize(toFloat(src), w, h));
    }

    /**
     * Resize of a float image: box-filtered when shrinking (so thin strands are averaged, not aliased),
     * bilinear when enlarging. Separable, row-parallel.
     */
    public static FloatImage resize(FloatImage src, int w, int h) {
        if (src.width == w && src.height == h) return src.copy();
        FloatImage tmp = resizeX(src, w);
        return resizeY(tmp, h);
    }

    private static FloatImage resizeX(FloatImage src, int w) {
        int ch = src.channels, n = src.width;
        FloatImage out = new FloatImage(w, src.height, ch);
        double scale = (double) n / w;
        // each output column's source pixels and weights once for all rows, the same values as the per-pixel formulas
        // (ImageOpsTest): a 240x320 mask brought to 1200x1600 did that floor and double arithmetic 384 k times a call
        // shrinking: source pixels [lo, hi) with weights wts[wOff[x]..]; enlarging: the two source pixels' offsets
        // in a row (already × ch) and the second one's weight t
        int[] lo = new int[w], hi = new int[w];
        float[] t = new float[w];
        int[] wOff = new int[w + 1];
        double[] wts;
        if (scale > 1) {
            for (int x = 0; x < w; x++) {
                double a = x * scale, b = a + scale;
                lo[x] = (int) a;
                hi[x] = Math.min(n, (int) Math.ceil(b));
                wOff[x + 1] = wOff[x] + Math.max(0, hi[x] - lo[x]);
            }
            wts = new double[wOff[w]];
            for (int x = 0; x < w; x++) {
                double a = x * scale, b = a + scale;
                for (int i = lo[x], k = wOff[x]; i < hi[x]; i++, k++) wts[k] = Math.min(b, i + 1) - Math.max(a, i);
            }
        } else {
            wts = null;
            for (int x = 0; x < w; x++) {
                double sx = (x + 0.5) * scale - 0.5;
                int i0 = (int) Math.floor(sx);
                t[x] = (float) (sx - i0);
                lo[x] = Math.max(0, Math.min(n - 1, i0)) * ch;
                hi[x] = Math.max(0, Math.min(n - 1, i0 + 1)) * ch;
            }
        }
        Parallel.rows(src.height, w, (y0, y1) -> {
            float[] d = src.data, o = out.data;
            for (int y = y0; y < y1; y++) {
                int so = y * src.stride, dO = y * out.stride;
                if (wts == null) {
                    for (int x = 0; x < w; x++) {
                        float tx = t[x];
                        int a = so + lo[x], b = so + hi[x], q = dO + x * ch;
                        for (int c = 0; c < ch; c++) o[q + c] = d[a + c] * (1 - tx) + d[b + c] * tx;
                    }
                } else {
                    for (int x = 0; x < w; x++) {
                        for (int c = 0; c < ch; c++) {
                            double sum = 0;
                            for (int i = lo[x], k = wOff[x]; i < hi[x]; i++, k++) sum += d[so + i * ch + c] * wts[k];
                            o[dO + x * ch + c] = (float) (sum / scale);
                        }
                    }
                }
            }
        });
        return out;
    }

    private static FloatImage resizeY(FloatImage src, int h) {
        int ch = src.channels, w = src.width;
        FloatImage out = new FloatImage(w, h, ch);
        double scale = (double) src.height / h;
        Parallel.rows(h, w, (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                if (scale > 1) {
                    double a = y * scale, b = a + scale;
                    int i0 = (int) a, i1 = Math.min(src.height, (int) Math.ceil(b));
                    int d = y * out.stride;
                    for (int k = 0; k < w * ch; k++) out.data[d + k] = 0;
                    for (int i = i0; i < i1; i++) {
                        double wgt = Math.min(b, i + 1) - Math.max(a, i);
                        float fw = (float) (wgt / scale);
                        int s = i * src.stride;
                        for (int k = 0; k < w * ch; k++) out.data[d + k] += src.data[s + k] * fw;
                    }
                } else {
                    double sy = (y + 0.5) * scale - 0.5;
                    int i0 = (int) Math.floor(sy);
                    float t = (float) (sy - i0);
                    int ia = Math.max(0, Math.min(src.height - 1, i0)), ib = Math.max(0, Math.min(src.height - 1, i0 + 1));
                    int sa = ia * src.stride, sb = ib * src.stride, d = y * out.stride;
                    for (int k = 0; k < w * ch; k++) out.data[d + k] = src.data[sa + k] * (1 - t) + src.data[sb + k] * t;
                }
            }
        });
        return out;
    }

    /** Copies a rectangle out of an image. */
    public static ByteImage crop(ByteImage src, Rect r) {
        ByteImage out = new ByteImage(r.width(), r.height(), src.channels);
        for (int y = 0; y < r.height(); y++)
            System.arraycopy(src.data, (r.y() + y) * src.stride + r.x() * src.channels, out.data, y * out.stride, r.width() * src.channels);
        return out;
    }

    public static FloatImage crop(FloatImage src, Rect r) {
        FloatImage out = new FloatImage(r.width(), r.height(), src.channels);
        for (int y = 0; y < r.height(); y++)
            System.arraycopy(src.data, (r.y() + y) * src.stride + r.x() * src.channels, out.data, y * out.stride, r.width() * src.channels);
        return out;
    }

    /** Copies {@code src} into {@code dst} with its top-left corner at (x, y); the channels must match and it must fit. */
    public static void paste(FloatImage src, FloatImage dst, int x, int y) {
        if (src.channels != dst.channels || x < 0 || y < 0 || x + src.width > dst.width || y + src.height > dst.height)
            throw new IllegalArgumentException("a " + src.width + "x" + src.height + "x" + src.channels + " patch at " + x + "," + y
                    + " does not fit " + dst.width + "x" + dst.height + "x" + dst.channels);
        int n = src.width * src.channels;
        for (int r = 0; r < src.height; r++)
            System.arraycopy(src.data, r * src.stride, dst.data, (y + r) * dst.stride + x * dst.channels, n);
    }

    /** Mirror image (left-right). */
    public static FloatImage flipHorizontal(FloatImage src) {
        int ch = src.channels, w = src.width;
        FloatImage out = new FloatImage(w, src.height, ch);
        for (int y = 0; y < src.height; y++) {
            int so = y * src.stride, o = y * out.stride;
            for (int x = 0; x < w; x++)
                System.arraycopy(src.data, so + (w - 1 - x) * ch, out.data, o + x * ch, ch);
        }
        return out;
    }

    /**
     * {@code UNIT[b] == b / 255f} exactly: the kernels that read a photo's bytes as [0, 1] (closed-form's colour copy,
     * the foreground tiles' crops) look the value up instead of dividing once per channel.
     */
    private static final float[] UNIT = new float[256];

    static {
        for (int i = 0; i < 256; i++) UNIT[i] = i / 255f;
    }

    /** A byte's value in [0, 1], {@code (b & 0xFF) / 255f} exactly. */
    public static float unit(byte b) {
        return UNIT[b & 0xFF];
    }

    /** {@code v} clamped to [0, 1] (NaN stays NaN). */
    public static float clamp01(float v) {
        return v < 0f ? 0f : (v > 1f ? 1f : v);
    }

    /**
     * Averages k×k blocks; edge blocks that are cut short are averaged over the pixels they have (8-bit: rounded),
     * so a 12-megapixel photo is reduced in one cheap pass before a finer resize.
     */
    public static ByteImage boxReduce(ByteImage src, int k) {
        int ch = src.channels, ow = (src.width + k - 1) / k, oh = (src.height + k - 1) / k;
        ByteImage out = new ByteImage(ow, oh, ch);
        Parallel.rows(oh, ow * k * k, (y0, y1) -> {
            int[] acc = new int[ow * ch];
            for (int oy = y0; oy < y1; oy++) {
                java.util.Arrays.fill(acc, 0);
                int sy0 = oy * k, sy1 = Math.min(src.height, sy0 + k);
                for (int sy = sy0; sy < sy1; sy++) {
                    int so = sy * src.stride;
                    if (ch == 3) {
                        // the photos the networks see: the channel loop unrolled, the block's sums kept in registers
                        byte[] d = src.data;
                        for (int ox = 0, sx = 0; ox < ow; ox++) {
                            int end = Math.min(src.width, sx + k), r = 0, g = 0, b = 0;
                            for (int s = so + sx * 3, e = so + end * 3; s < e; s += 3) {
                                r += d[s] & 0xFF;
                                g += d[s + 1] & 0xFF;
                                b += d[s + 2] & 0xFF;
                            }
                            sx = end;
                            acc[ox * 3] += r;
                            acc[ox * 3 + 1] += g;
                            acc[ox * 3 + 2] += b;
                        }
                        continue;
                    }
                    for (int ox = 0, sx = 0; ox < ow; ox++) {
                        int a = ox * ch, end = Math.min(src.width, sx + k);
                        for (; sx < end; sx++) {
                            int s = so + sx * ch;
                            for (int c = 0; c < ch; c++) acc[a + c] += src.data[s + c] & 0xFF;
                        }
                    }
                }
                int rows = sy1 - sy0, d = oy * out.stride;
                for (int ox = 0; ox < ow; ox++) {
                    int n = rows * (Math.min(src.width, ox * k + k) - ox * k);
                    for (int c = 0; c < ch; c++) out.data[d + ox * ch + c] = (byte) ((acc[ox * ch + c] + n / 2) / n);
                }
            }
        });
        return out;
    }

    public static FloatImage boxReduce(FloatImage src, int k) {
        int ch = src.channels, ow = (src.width + k - 1) / k, oh = (src.height + k - 1) / k;
        FloatImage out = new FloatImage(ow, oh, ch);
        Parallel.rows(oh, ow * k * k, (y0, y1) -> {
            for (int oy = y0; oy < y1; oy++) {
                int sy0 = oy * k, sy1 = Math.min(src.height, sy0 + k), d = oy * out.stride;
                for (int sy = sy0; sy < sy1; sy++) {
                    int so = sy * src.stride;
                    for (int ox = 0, sx = 0; ox < ow; ox++) {
                        int a = d + ox * ch, end = Math.min(src.width, sx + k);
                        for (; sx < end; sx++) {
                            int s = so + sx * ch;
                            for (int c = 0; c < ch; c++) out.data[a + c] += src.data[s + c];
                        }
                    }
                }
                int rows = sy1 - sy0;
                for (int ox = 0; ox < ow; ox++) {
                    float inv = 1f / (rows * (Math.min(src.width, ox * k + k) - ox * k));
                    for (int c = 0; c < ch; c++) out.data[d + ox * ch + c] *= inv;
                }
            }
        });
        return out;
    }

    /**
     * The bilinear taps of {@link #upsample} along one axis: output position i reads source positions lo[i] and hi[i]
     * (already multiplied by {@code scale}: channels or a row stride) with weight t[i] on hi.
     */
    public record UpsampleTaps(int[] lo, int[] hi, float[] t) { }

    /** {@link #upsample}'s taps for a source of {@code src} positions enlarged by {@code k} to {@code dst}. */
    public static UpsampleTaps upsampleTaps(int k, int src, int dst, int scale) {
        int[] lo = new int[dst], hi = new int[dst];
        float[] t = new float[dst];
        for (int i = 0; i < dst; i++) {
            float f = Math.max(0, Math.min(src - 1, (i + 0.5f) / k - 0.5f));
            int a = (int) f;
            lo[i] = a * scale;
            hi[i] = Math.min(src - 1, a + 1) * scale;
            t[i] = f - a;
        }
        return new UpsampleTaps(lo, hi, t);
    }

    /**
     * The way back from {@link #boxReduce}: bilinear by the whole factor {@code k} to w × h, pixel centres aligned
     * (reduced pixel i covers pixels k·i … k·i + k − 1), computed only where {@code where} is set (elsewhere 0; null:
     * everywhere) — callers that need the band only skip the rest of a large photo.
     */
    public static FloatImage upsample(FloatImage s, int k, int w, int h, boolean[] where) {
        int ch = s.channels;
        FloatImage out = new FloatImage(w, h, ch);
        // the two source columns and the weight of each output column (and row), once
        UpsampleTaps cols = upsampleTaps(k, s.width, w, ch), rows = upsampleTaps(k, s.height, h, s.stride);
        int[] xa = cols.lo(), xb = cols.hi();
        float[] tx = cols.t();
        Parallel.rows(h, w * ch, (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                float ty = rows.t()[y];
                int ra = rows.lo()[y], rb = rows.hi()[y], d = y * out.stride;
                for (int x = 0; x < w; x++, d += ch) {
                    if (where != null && !where[y * w + x]) continue;
                    float t = tx[x];
                    for (int c = 0; c < ch; c++) {
                        float top = s.data[ra + xa[x] + c] * (1 - t) + s.data[ra + xb[x] + c] * t;
                        float bot = s.data[rb + xa[x] + c] * (1 - t) + s.data[rb + xb[x] + c] * t;
                        out.data[d + c] = top * (1 - ty) + bot * ty;
                    }
                }
            }
        });
        return out;
    }

    /**
     * Chebyshev (square) dilation of a w × h mask by r: set wherever a set pixel lies within r in x and in y. For each
     * row the distance to the nearest set pixel, then the same down the columns — in row order over a band of columns
     * per task, since walking one column at a time touches a cache line per pixel. Rows and column bands in parallel.
     */
    public static boolean[] dilate(boolean[] m, int w, int h, int r) {
        boolean[] rows = new boolean[w * h];
        Parallel.rows(h, w, (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                int o = y * w, last = Integer.MIN_VALUE / 2;
                for (int x = 0; x < w; x++) { if (m[o + x]) last = x; if (x - last <= r) rows[o + x] = true; }
                int nxt = Integer.MAX_VALUE / 2;
                for (int x = w - 1; x >= 0; x--) { if (m[o + x]) nxt = x; if (nxt - x <= r) rows[o + x] = true; }
            }
        });
        boolean[] out = new boolean[w * h];
        Parallel.rows(w, h, (x0, x1) -> {
            int[] last = new int[x1 - x0];
            java.util.Arrays.fill(last, Integer.MIN_VALUE / 2);
            for (int y = 0; y < h; y++)
                for (int x = x0, i = y * w + x0; x < x1; x++, i++) { if (rows[i]) last[x - x0] = y; if (y - last[x - x0] <= r) out[i] = true; }
            java.util.Arrays.fill(last, Integer.MAX_VALUE / 2);
            for (int y = h - 1; y >= 0; y--)
                for (int x = x0, i = y * w + x0; x < x1; x++, i++) { if (rows[i]) last[x - x0] = y; if (last[x - x0] - y <= r) out[i] = true; }
        });
        return out;
    }
}
