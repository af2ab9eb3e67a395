package studio.matting.ui.canvas;

import studio.matting.compositor.Compositor;
import studio.matting.document.Document;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
import studio.matting.image.Parallel;
import studio.matting.image.Rect;
import studio.matting.trimap.Trimap;

/**
 * Turns the document's flat layers into ARGB pixels for one view mode, one rectangle at a time, so a brush stroke
 * re-renders only the pixels it touched. No JavaFX here: the canvas copies the buffer into a WritableImage. The view
 * mode is chosen once per row band, not per pixel.
 */
public final class LayerRenderer {
    // Overlay tints (RGB) and how strongly they cover the photo.
    static final int FG_TINT = 0x2EC447, BG_TINT = 0xE0312B, UNKNOWN_TINT = 0xFFD21F;
    static final float OVERLAY_OPACITY = 0.45f;

    private LayerRenderer() { }

    /**
     * How the Select and Mask style views look: onion skin shows the photo at {@code onionOpacity} (0–1) where α is
     * low, over the background; the tint view covers low α with {@code tintRgb} at {@code tintOpacity} (0–1).
     */
    public record Look(double onionOpacity, int tintRgb, double tintOpacity) {
        public static final Look DEFAULT = new Look(0.5, 0xFF0000, 0.5);

        public Look {
            if (!(onionOpacity >= 0 && onionOpacity <= 1) || !(tintOpacity >= 0 && tintOpacity <= 1))
                throw new IllegalArgumentException("opacities must be in [0, 1]");
        }
    }

    /** Renders rows [y0, y1) of the clipped rectangle; one implementation per view mode. */
    @FunctionalInterface
    private interface Rows {
        void render(int y0, int y1);
    }

    /**
     * Renders {@code r} of the document into {@code argb} (full image size, stride = width). The composite views
     * blend F over {@code background} (RGB, image size, already rendered from the chosen Background) with the
     * compositor's own per-channel formula ({@link Compositor#over}), so the canvas shows the pixels export writes.
     */
    public static void render(Document doc, ViewMode mode, Rect r, int[] argb, ByteImage background) {
        render(doc, doc.alpha(), doc.foreground(), Look.DEFAULT, mode, r, argb, background);
    }

    /**
     * The same with the α and colours the editor previews (refined, decontaminated, or the previous matte of an A/B
     * compare) in place of the document's, and the look of the onion-skin and tint views.
     */
    public static void render(Document doc, FloatImage alpha, FloatImage foreground, Look look, ViewMode mode, Rect r,
                              int[] argb, ByteImage background) {
        render(doc, alpha, foreground, 1, look, mode, r, argb, background);
    }

    /**
     * The same with α and F reduced by a whole factor {@code scale} (the editor's refined preview of a large photo,
     * {@code ImageOps.boxReduce}'s grid: image pixel (x, y) reads layer pixel (x / scale, y / scale)); the photo and
     * the trimap stay at full resolution.
     */
    public static void render(Document doc, FloatImage alpha, FloatImage foreground, int scale, Look look, ViewMode mode, Rect r,
                              int[] argb, ByteImage background) {
        Rect rr = r.intersect(doc.bounds());
        if (rr.isEmpty()) return;
        if (scale < 1) throw new IllegalArgumentException("scale must be >= 1");
        ByteImage img = doc.image();
        Trimap t = doc.trimap();
        int w = img.width, x0 = rr.x(), x1 = rr.right();
        // one column map per call (not per pixel): layer column of each image column in the rectangle
        int[] cx = new int[x1];
        for (int x = x0; x < x1; x++) cx[x] = x / scale;
        Layer a = alpha == null ? null : new Layer(alpha, scale, cx);
        Layer f = foreground == null ? null : new Layer(foreground, scale, cx);
        ViewMode m = mode.needsAlpha() && a == null ? ViewMode.IMAGE : mode;
        Rows rows = switch (m) {
            case OVERLAY -> (y0, y1) -> {
                for (int y = y0; y < y1; y++)
                    for (int x = x0, p = y * img.stride + x0 * 3; x < x1; x++, p += 3) {
                        int v = t.data[y * w + x] & 0xFF;
                        int tint = v == Trimap.FOREGROUND ? FG_TINT : v == Trimap.BACKGROUND ? BG_TINT : UNKNOWN_TINT;
                        argb[y * w + x] = mix(img.data[p] & 0xFF, img.data[p + 1] & 0xFF, img.data[p + 2] & 0xFF, tint, OVERLAY_OPACITY);
                    }
            };
            case TRIMAP -> (y0, y1) -> {
                for (int y = y0; y < y1; y++)
                    for (int x = x0; x < x1; x++) argb[y * w + x] = gray(t.data[y * w + x] & 0xFF);
            };
            case ALPHA -> (y0, y1) -> {
                for (int y = y0; y < y1; y++)
                    for (int x = x0; x < x1; x++) argb[y * w + x] = gray(Math.round(ImageOps.clamp01(a.at(x, y)) * 255f));
            };
            case COMPOSITE -> (y0, y1) -> {
                for (int y = y0; y < y1; y++) composite(img, a, f, background, y, x0, x1, argb);
            };
            case SPLIT -> (y0, y1) -> {
                int mid = w / 2;
                for (int y = y0; y < y1; y++) {
                    photo(img, y, x0, Math.min(x1, mid), argb);
                    composite(img, a, f, background, y, Math.max(x0, mid), x1, argb);
                    if (mid >= x0 && mid < x1) argb[y * w + mid] = 0xFFFFFFFF; // the divider
                }
            };
            case IMAGE -> (y0, y1) -> {
                for (int y = y0; y < y1; y++) photo(img, y, x0, x1, argb);
            };
            case ONION -> {
                float k = (float) look.onionOpacity();
                yield (y0, y1) -> {
                    for (int y = y0; y < y1; y++) onion(img, a, f, background, k, y, x0, x1, argb);
                };
            }
            case TINT -> {
                float k = (float) look.tintOpacity();
                int tint = look.tintRgb();
                yield (y0, y1) -> {
                    for (int y = y0; y < y1; y++)
                        for (int x = x0, p = y * img.stride + x0 * 3; x < x1; x++, p += 3) {
                            float cover = k * (1f - ImageOps.clamp01(a.at(x, y)));
                            argb[y * w + x] = mix(img.data[p] & 0xFF, img.data[p + 1] & 0xFF, img.data[p + 2] & 0xFF, tint, cover);
                        }
                };
            }
            case ON_BLACK -> (y0, y1) -> {
                for (int y = y0; y < y1; y++) over(img, a, f, null, 0, y, x0, x1, argb);
            };
            case ON_WHITE -> (y0, y1) -> {
                for (int y = y0; y < y1; y++) over(img, a, f, null, 255, y, x0, x1, argb);
            };
        };
        Parallel.rows(rr.height(), rr.width(), (b0, b1) -> rows.render(rr.y() + b0, rr.y() + b1));
    }

    private static void photo(ByteImage img, int y, int x0, int x1, int[] argb) {
        for (int x = x0, p = y * img.stride + x0 * 3; x < x1; x++, p += 3)
            argb[y * img.width + x] = 0xFF000000 | (img.data[p] & 0xFF) << 16 | (img.data[p + 1] & 0xFF) << 8 | (img.data[p + 2] & 0xFF);
    }

    /** α or F as the renderer reads it: at full resolution (scale 1) or reduced by a whole factor. */
    private record Layer(FloatImage image, int scale, int[] cx) {
        float at(int x, int y) { return image.data[row(y) + cx[x]]; }

        /** The offset of pixel (x, y)'s first channel. */
        int offset(int x, int y) { return row(y) + cx[x] * image.channels; }

        private int row(int y) { return (scale == 1 ? y : y / scale) * image.stride; } // no division at full size
    }

    private static void composite(ByteImage img, Layer a, Layer f, ByteImage bg, int y, int x0, int x1, int[] argb) {
        over(img, a, f, bg, 0, y, x0, x1, argb);
    }

    /**
     * F (or the photo's colours) over the background image {@code bg}, or over the flat grey level {@code grey}
     * (black 0, white 255) when {@code bg} is null: the compositor's formula.
     */
    private static void over(ByteImage img, Layer a, Layer f, ByteImage bg, int grey, int y, int x0, int x1, int[] argb) {
        for (int x = x0, p = y * img.stride + x0 * 3, bo = bg == null ? 0 : y * bg.stride + x0 * 3; x < x1; x++, p += 3, bo += 3) {
            float al = ImageOps.clamp01(a.at(x, y));
            int br = grey, bgr = grey, bb = grey;
            if (bg != null) {
                br = bg.data[bo] & 0xFF;
                bgr = bg.data[bo + 1] & 0xFF;
                bb = bg.data[bo + 2] & 0xFF;
            }
            int r, g, b;
            if (f != null) {
                int fo = f.offset(x, y);
                float[] fd = f.image().data;
                r = Compositor.over(al, fd[fo], br);
                g = Compositor.over(al, fd[fo + 1], bgr);
                b = Compositor.over(al, fd[fo + 2], bb);
            } else {
                r = Compositor.overObserved(al, img.data[p] & 0xFF, br);
                g = Compositor.overObserved(al, img.data[p + 1] & 0xFF, bgr);
                b = Compositor.overObserved(al, img.data[p + 2] & 0xFF, bb);
            }
            argb[y * img.width + x] = 0xFF000000 | r << 16 | g << 8 | b;
        }
    }

    /** The composite, with the photo showing through at opacity k where α is low (1 − α of it). */
    private static void onion(ByteImage img, Layer a, Layer f, ByteImage bg, float k, int y, int x0, int x1, int[] argb) {
        composite(img, a, f, bg, y, x0, x1, argb);
        for (int x = x0, p = y * img.stride + x0 * 3; x < x1; x++, p += 3) {
            float show = k * (1f - ImageOps.clamp01(a.at(x, y)));
            int c = argb[y * img.width + x];
            int r = c >> 16 & 0xFF, g = c >> 8 & 0xFF, b = c & 0xFF;
            r = Math.round(r + ((img.data[p] & 0xFF) - r) * show);
            g = Math.round(g + ((img.data[p + 1] & 0xFF) - g) * show);
            b = Math.round(b + ((img.data[p + 2] & 0xFF) - b) * show);
            argb[y * img.width + x] = 0xFF000000 | r << 16 | g << 8 | b;
        }
    }

    private static int gray(int v) {
        return 0xFF000000 | v << 16 | v << 8 | v;
    }

    private static int mix(int r, int g, int b, int rgb, float k) {
        int tr = rgb >> 16 & 0xFF, tg = rgb >> 8 & 0xFF, tb = rgb & 0xFF;
        int nr = Math.round(r + (tr - r) * k), ng = Math.round(g + (tg - g) * k), nb = Math.round(b + (tb - b) * k);
        return 0xFF000000 | nr << 16 | ng << 8 | nb;
    }
}
