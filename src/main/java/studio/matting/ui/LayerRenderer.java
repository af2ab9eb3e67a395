package studio.matting.ui;

import studio.matting.document.Document;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.Parallel;
import studio.matting.image.Rect;
import studio.matting.trimap.Trimap;

/**
 * Turns the document's flat layers into ARGB pixels for one view mode, one rectangle at a time, so a brush stroke
 * re-renders only the pixels it touched. No JavaFX here: the editor copies the buffer into a WritableImage.
 */
final class LayerRenderer {
    // Overlay tints (RGB) and how strongly they cover the photo.
    static final int FG_TINT = 0x2EC447, BG_TINT = 0xE0312B, UNKNOWN_TINT = 0xFFD21F;
    static final float OVERLAY_OPACITY = 0.45f;

    private LayerRenderer() { }

    /**
     * Renders {@code r} of the document into {@code argb} (full image size, stride = width). The composite views
     * blend F over {@code background} (RGB, image size, already rendered from the chosen Background), per pixel as
     * the compositor does, so a brush stroke re-composites only its rectangle.
     */
    static void render(Document doc, ViewMode mode, Rect r, int[] argb, ByteImage background) {
        Rect rr = r.intersect(doc.bounds());
        if (rr.isEmpty()) return;
        ByteImage img = doc.image();
        Trimap t = doc.trimap();
        FloatImage a = doc.alpha();
        FloatImage f = doc.foreground();
        int w = img.width;
        ViewMode m = mode.needsAlpha() && a == null ? ViewMode.IMAGE : mode;
        Parallel.rows(rr.height(), rr.width(), (b0, b1) -> {
            for (int yy = b0; yy < b1; yy++) {
                int y = rr.y() + yy;
                int io = y * img.stride;
                for (int x = rr.x(); x < rr.right(); x++) {
                    int p = io + x * 3;
                    int red = img.data[p] & 0xFF, green = img.data[p + 1] & 0xFF, blue = img.data[p + 2] & 0xFF;
                    int out;
                    switch (m) {
                        case OVERLAY -> {
                            int v = t.data[y * w + x] & 0xFF;
                            int tint = v == Trimap.FOREGROUND ? FG_TINT : v == Trimap.BACKGROUND ? BG_TINT : UNKNOWN_TINT;
                            out = mix(red, green, blue, tint, OVERLAY_OPACITY);
                        }
                        case TRIMAP -> {
                            int v = t.data[y * w + x] & 0xFF;
                            out = 0xFF000000 | v << 16 | v << 8 | v;
                        }
                        case ALPHA -> {
                            int v = Math.round(clamp(a.data[y * a.stride + x]) * 255f);
                            out = 0xFF000000 | v << 16 | v << 8 | v;
                        }
                        case COMPOSITE, SPLIT -> {
                            if (m == ViewMode.SPLIT && x < w / 2) {
                                out = 0xFF000000 | red << 16 | green << 8 | blue;
                                break;
                            }
                            float al = clamp(a.data[y * a.stride + x]);
                            if (f != null) {
                                int fo = y * f.stride + x * f.channels;
                                red = Math.round(clamp(f.data[fo]) * 255f);
                                green = Math.round(clamp(f.data[fo + 1]) * 255f);
                                blue = Math.round(clamp(f.data[fo + 2]) * 255f);
                            }
                            int bo = y * background.stride + x * 3;
                            int bg = (background.data[bo] & 0xFF) << 16 | (background.data[bo + 1] & 0xFF) << 8 | (background.data[bo + 2] & 0xFF);
                            out = mix(red, green, blue, bg, 1f - al);
                            if (m == ViewMode.SPLIT && x == w / 2) out = 0xFFFFFFFF; // the divider
                        }
                        default -> out = 0xFF000000 | red << 16 | green << 8 | blue;
                    }
                    argb[y * w + x] = out;
                }
            }
        });
    }

    private static float clamp(float v) {
        return v < 0 ? 0 : Math.min(v, 1);
    }

    private static int mix(int r, int g, int b, int rgb, float k) {
        int tr = rgb >> 16 & 0xFF, tg = rgb >> 8 & 0xFF, tb = rgb & 0xFF;
        int nr = Math.round(r + (tr - r) * k), ng = Math.round(g + (tg - g) * k), nb = Math.round(b + (tb - b) * k);
        return 0xFF000000 | nr << 16 | ng << 8 | nb;
    }
}
