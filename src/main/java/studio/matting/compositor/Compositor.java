package studio.matting.compositor;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
import studio.matting.image.Parallel;

import java.util.Objects;

/**
 * Composites a matted foreground over a new background, {@code C = αF + (1−α)B}, and produces cut-outs.
 * <p>F is the estimated foreground colour (3-channel float in [0,1]); when it is null the observed image colour is
 * used instead, which is correct where α is 0 or 1 and lets the old background bleed through soft edges.
 * <p>The static methods work at full resolution (export, the CLI, the ID photo); the editor's canvas composites per
 * rectangle with {@link #over} so its pixels equal the exported ones. An instance keeps downscaled copies of its last
 * inputs for {@link #compositePreview} (measured by the composite benchmark; no screen uses it yet).
 */
public final class Compositor {
    private static final float INV255 = 1f / 255f;

    // Preview cache, keyed by identity of the full-resolution inputs.
    private ByteImage srcImage, smallImage;
    private FloatImage srcAlpha, smallAlpha;
    private FloatImage srcFg, smallFg;
    private int cachedMaxSide;

    // ------------------------------------------------------------------ full resolution

    /** RGB composite of the foreground over the background, same size as the image. */
    public static ByteImage composite(ByteImage image, FloatImage alpha, FloatImage foreground, Background background) {
        check(image, alpha, foreground);
        Objects.requireNonNull(background, "background");
        ByteImage out = new ByteImage(image.width, image.height, 3);
        if (background instanceof Background.Solid s) {
            final float br = s.r, bg = s.g, bb = s.b;
            Parallel.rows(image.height, image.width, (y0, y1) -> {
                for (int y = y0; y < y1; y++) solidRow(image, alpha, foreground, y, br, bg, bb, out);
            });
        } else {
            ByteImage b = background.render(image.width, image.height);
            Parallel.rows(image.height, image.width, (y0, y1) -> {
                for (int y = y0; y < y1; y++) imageRow(image, alpha, foreground, y, b, out);
            });
        }
        return out;
    }

    /**
     * {@link #composite} with the colours decontaminated by {@code decontaminate} % (0 = the photo's colours, 100 =
     * the estimated foreground; see {@link studio.matting.refine.Decontamination}).
     */
    public static ByteImage composite(ByteImage image, FloatImage alpha, FloatImage foreground, Background background, double decontaminate) {
        return composite(image, alpha, studio.matting.refine.Decontamination.blend(image, foreground, decontaminate), background);
    }

    /** {@link #cutout} with the colours decontaminated by {@code decontaminate} %. */
    public static ByteImage cutout(ByteImage image, FloatImage alpha, FloatImage foreground, double decontaminate) {
        return cutout(image, alpha, studio.matting.refine.Decontamination.blend(image, foreground, decontaminate));
    }

    private static void solidRow(ByteImage img, FloatImage alpha, FloatImage fg, int y, float br, float bg, float bb, ByteImage out) {
        int w = img.width, ic = img.channels;
        int io = y * img.stride, ao = y * alpha.stride, oo = y * out.stride;
        byte[] id = img.data, od = out.data;
        float[] ad = alpha.data;
        if (fg != null) {
            float[] fd = fg.data;
            int fo = y * fg.stride;
            for (int x = 0; x < w; x++, ao++, fo += 3, oo += 3) {
                float a = clamp01(ad[ao]);
                od[oo] = (byte) over(a, fd[fo], br);
                od[oo + 1] = (byte) over(a, fd[fo + 1], bg);
                od[oo + 2] = (byte) over(a, fd[fo + 2], bb);
            }
        } else {
            for (int x = 0; x < w; x++, ao++, io += ic, oo += 3) {
                float a = clamp01(ad[ao]);
                od[oo] = (byte) overObserved(a, id[io] & 0xFF, br);
                od[oo + 1] = (byte) overObserved(a, id[io + 1] & 0xFF, bg);
                od[oo + 2] = (byte) overObserved(a, id[io + 2] & 0xFF, bb);
            }
        }
    }

    private static void imageRow(ByteImage img, FloatImage alpha, FloatImage fg, int y, ByteImage b, ByteImage out) {
        int w = img.width, ic = img.channels;
        int io = y * img.stride, ao = y * alpha.stride, bo = y * b.stride, oo = y * out.stride;
        byte[] id = img.data, bd = b.data, od = out.data;
        float[] ad = alpha.data;
        if (fg != null) {
            float[] fd = fg.data;
            int fo = y * fg.stride;
            for (int x = 0; x < w; x++, ao++, fo += 3, bo += 3, oo += 3) {
                float a = clamp01(ad[ao]);
                od[oo] = (byte) over(a, fd[fo], bd[bo] & 0xFF);
                od[oo + 1] = (byte) over(a, fd[fo + 1], bd[bo + 1] & 0xFF);
                od[oo + 2] = (byte) over(a, fd[fo + 2], bd[bo + 2] & 0xFF);
            }
        } else {
            for (int x = 0; x < w; x++, ao++, io += ic, bo += 3, oo += 3) {
                float a = clamp01(ad[ao]);
                od[oo] = (byte) overObserved(a, id[io] & 0xFF, bd[bo] & 0xFF);
                od[oo + 1] = (byte) overObserved(a, id[io + 1] & 0xFF, bd[bo + 1] & 0xFF);
                od[oo + 2] = (byte) overObserved(a, id[io + 2] & 0xFF, bd[bo + 2] & 0xFF);
            }
        }
    }

    /** Straight (un-premultiplied) RGBA cut-out: RGB = F (or the image), A = α. */
    public static ByteImage cutout(ByteImage image, FloatImage alpha, FloatImage foreground) {
        return rgba(image, alpha, foreground, false);
    }

    /** Premultiplied RGBA: RGB = αF, A = α (what compositing pipelines that expect premultiplied input want). */
    public static ByteImage premultiplied(ByteImage image, FloatImage alpha, FloatImage foreground) {
        return rgba(image, alpha, foreground, true);
    }

    private static ByteImage rgba(ByteImage img, FloatImage alpha, FloatImage fg, boolean premul) {
        check(img, alpha, fg);
        ByteImage out = new ByteImage(img.width, img.height, 4);
        Parallel.rows(img.height, img.width, (y0, y1) -> {
            int ic = img.channels;
            for (int y = y0; y < y1; y++) {
                int io = y * img.stride, ao = y * alpha.stride, oo = y * out.stride, fo = fg == null ? 0 : y * fg.stride;
                for (int x = 0; x < img.width; x++, ao++, io += ic, fo += 3, oo += 4) {
                    float a = clamp01(alpha.data[ao]);
                    float m = premul ? a : 1f;
                    float r, g, b;
                    if (fg != null) {
                        r = fg.data[fo] * 255f;
                        g = fg.data[fo + 1] * 255f;
                        b = fg.data[fo + 2] * 255f;
                    } else {
                        r = img.data[io] & 0xFF;
                        g = img.data[io + 1] & 0xFF;
                        b = img.data[io + 2] & 0xFF;
                    }
                    out.data[oo] = toByte(m * r);
                    out.data[oo + 1] = toByte(m * g);
                    out.data[oo + 2] = toByte(m * b);
                    out.data[oo + 3] = toByte(a * 255f);
                }
            }
        });
        return out;
    }

    // ------------------------------------------------------------------ preview

    /**
     * Composite at preview resolution: the longer side is at most {@code maxSide} (see {@link #previewSize}). Inputs are downscaled once and
     * cached (by identity), so repeated calls with a new background or the same matte are cheap. Call
     * {@link #invalidate()} after editing an input array in place.
     */
    public synchronized ByteImage compositePreview(ByteImage image, FloatImage alpha, FloatImage foreground,
                                                   Background background, int maxSide) {
        check(image, alpha, foreground);
        if (maxSide <= 0) throw new IllegalArgumentException("maxSide must be positive");
        int[] size = previewSize(image.width, image.height, maxSide);
        int w = size[0], h = size[1];
        if (maxSide != cachedMaxSide) invalidate();
        cachedMaxSide = maxSide;
        if (image != srcImage) {
            srcImage = image;
            smallImage = image.sameSize(w, h) ? image : shrink(image, w, h);
        }
        if (alpha != srcAlpha) {
            srcAlpha = alpha;
            smallAlpha = alpha.sameSize(w, h) ? alpha : shrink(alpha, w, h);
        }
        if (foreground != srcFg) {
            srcFg = foreground;
            smallFg = foreground == null || foreground.sameSize(w, h) ? foreground : shrink(foreground, w, h);
        }
        return composite(smallImage, smallAlpha, smallFg, background);
    }

    public synchronized void invalidate() {
        srcImage = null;
        srcAlpha = null;
        srcFg = null;
        smallImage = null;
        smallAlpha = null;
        smallFg = null;
    }

    /**
     * Size of the preview for an image: reduced by the smallest whole factor k that brings the longer side to at most
     * maxSide (k×k box averaging is one cheap pass, and a preview is scaled on screen anyway).
     */
    public static int[] previewSize(int width, int height, int maxSide) {
        int k = previewFactor(width, height, maxSide);
        return new int[]{(width + k - 1) / k, (height + k - 1) / k};
    }

    static int previewFactor(int width, int height, int maxSide) {
        int longSide = Math.max(width, height);
        return Math.max(1, (longSide + maxSide - 1) / maxSide);
    }

    static ByteImage shrink(ByteImage src, int w, int h) {
        int k = Math.max(1, Math.min(src.width / w, src.height / h));
        ByteImage r = k >= 2 ? ImageOps.boxReduce(src, k) : src;
        return r.sameSize(w, h) ? r : ImageOps.resize(r, w, h);
    }

    static FloatImage shrink(FloatImage src, int w, int h) {
        int k = Math.max(1, Math.min(src.width / w, src.height / h));
        FloatImage r = k >= 2 ? ImageOps.boxReduce(src, k) : src;
        return r.sameSize(w, h) ? r : ImageOps.resize(r, w, h);
    }

    // ------------------------------------------------------------------ helpers

    private static void check(ByteImage image, FloatImage alpha, FloatImage fg) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(alpha, "alpha");
        if (image.channels < 3) throw new IllegalArgumentException("compositing needs an RGB image, got " + image.channels + " channel(s)");
        if (alpha.channels != 1) throw new IllegalArgumentException("alpha must have one channel");
        if (!alpha.sameSize(image.width, image.height))
            throw new IllegalArgumentException("alpha " + alpha.width + "x" + alpha.height + " does not match image " + image.width + "x" + image.height);
        if (fg != null && (fg.channels != 3 || !fg.sameSize(image.width, image.height)))
            throw new IllegalArgumentException("foreground must be 3-channel and the size of the image");
    }

    private static float clamp01(float v) {
        return ImageOps.clamp01(v);
    }

    private static byte toByte(float v) {
        return (byte) toInt(v);
    }

    private static int toInt(float v) {
        int q = (int) (v + 0.5f);
        return q < 0 ? 0 : (q > 255 ? 255 : q);
    }

    /**
     * One channel of {@code C = αF + (1−α)B} in 8-bit, rounded as every composite here (export and the editor's
     * canvas alike): {@code a} α already clamped, {@code f} F in [0,1], {@code b} the background 0..255.
     */
    public static int over(float a, float f, float b) {
        return toInt(a * 255f * f + (1f - a) * b);
    }

    /** The same without an estimated F: the observed colour {@code c} (0..255) stands in for it. */
    public static int overObserved(float a, float c, float b) {
        return toInt(a * c + (1f - a) * b);
    }
}
