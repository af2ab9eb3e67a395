package studio.matting.idphoto;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
import studio.matting.image.Parallel;

import java.util.Objects;

/**
 * Places the head in an ID photo by the preset's rules and renders the photo at the exact pixel size.
 * <p>The crop height is chosen so the head (top of the hair to the chin line, from {@link HeadLocator}) fills
 * {@code headRatio} of the photo height; its top sits {@code topMarginRatio} of the height below the upper edge; the
 * face centre is centred horizontally. A user {@link Adjust} then shifts (in source pixels) and zooms the crop, which
 * is how dragging in the ID-photo pane works. The crop may extend past the image; that area gets the background colour.
 */
public final class IdPhotoCropper {
    private IdPhotoCropper() { }

    /** A crop rectangle in source pixels (doubles: dragging moves it by sub-pixel amounts at preview scale). */
    public record Crop(double x, double y, double width, double height) {
        public Crop {
            if (!(width > 0 && height > 0)) throw new IllegalArgumentException("crop must have a positive size");
        }
    }

    /** User correction: shift in source pixels, and zoom (&gt; 1 makes the head larger). */
    public record Adjust(double offsetX, double offsetY, double zoom) {
        public static final Adjust NONE = new Adjust(0, 0, 1);

        public Adjust {
            if (!(zoom > 0.1 && zoom < 10)) throw new IllegalArgumentException("zoom must be in (0.1, 10): " + zoom);
        }

        public Adjust moved(double dx, double dy) {
            return new Adjust(offsetX + dx, offsetY + dy, zoom);
        }

        public Adjust zoomed(double factor) {
            return new Adjust(offsetX, offsetY, Math.max(0.11, Math.min(9.9, zoom * factor)));
        }
    }

    /** Where the rules put the head top and chin, and the centre line, in output pixels (for guide lines). */
    public record Guides(double headTop, double chin, double centerX) { }

    public static Crop crop(HeadLocator.Head head, IdPhotoPreset preset, Adjust adjust) {
        Objects.requireNonNull(head, "head");
        Adjust a = adjust == null ? Adjust.NONE : adjust;
        double h = head.height() / preset.headRatio() / a.zoom();
        double w = h * preset.aspect();
        // Zoom keeps the head top at its rule position, so zooming does not push the hair out of the frame.
        double y = head.top() - preset.topMarginRatio() * h + a.offsetY();
        double x = head.centerX() + 0.5 - w / 2 + a.offsetX();
        return new Crop(x, y, w, h);
    }

    public static Guides guides(IdPhotoPreset preset, int outWidth, int outHeight) {
        return new Guides(preset.topMarginRatio() * outHeight, (preset.topMarginRatio() + preset.headRatio()) * outHeight, outWidth / 2.0);
    }

    /**
     * The crop resampled to outW × outH as premultiplied RGBA floats (r·α, g·α, b·α, α): area-averaged when shrinking,
     * so hair edges stay soft. Foreground F may be null (the image colours are used).
     */
    public static FloatImage renderLayers(ByteImage image, FloatImage alpha, FloatImage foreground, Crop crop, int outW, int outH) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(alpha, "alpha");
        if (!alpha.sameSize(image.width, image.height)) throw new IllegalArgumentException("alpha does not match the image size");
        int x0 = (int) Math.floor(crop.x()), y0 = (int) Math.floor(crop.y());
        int cw = Math.max(1, (int) Math.round(crop.width())), ch = Math.max(1, (int) Math.round(crop.height()));
        FloatImage layer = new FloatImage(cw, ch, 4);
        int ic = image.channels;
        Parallel.rows(ch, cw, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int sy = y0 + r;
                if (sy < 0 || sy >= image.height) continue; // stays transparent
                int lo = r * layer.stride;
                for (int c = 0; c < cw; c++) {
                    int sx = x0 + c;
                    if (sx < 0 || sx >= image.width) continue;
                    float a = alpha.data[sy * alpha.stride + sx];
                    a = a < 0 ? 0 : Math.min(1f, a);
                    int d = lo + c * 4;
                    if (foreground != null) {
                        int fo = sy * foreground.stride + sx * 3;
                        layer.data[d] = a * foreground.data[fo];
                        layer.data[d + 1] = a * foreground.data[fo + 1];
                        layer.data[d + 2] = a * foreground.data[fo + 2];
                    } else {
                        int io = sy * image.stride + sx * ic;
                        float k = a / 255f;
                        layer.data[d] = k * (image.data[io] & 0xFF);
                        layer.data[d + 1] = k * (image.data[io + 1] & 0xFF);
                        layer.data[d + 2] = k * (image.data[io + 2] & 0xFF);
                    }
                    layer.data[d + 3] = a;
                }
            }
        });
        return layer.sameSize(outW, outH) ? layer : ImageOps.resize(layer, outW, outH);
    }

    /** The finished ID photo: the crop composited over the background colour at exactly the preset's pixel size. */
    public static ByteImage render(ByteImage image, FloatImage alpha, FloatImage foreground, Crop crop,
                                   IdPhotoPreset preset, double dpi, int[] backgroundRgb) {
        int w = preset.pixelWidth(dpi), h = preset.pixelHeight(dpi);
        return compose(renderLayers(image, alpha, foreground, crop, w, h), backgroundRgb);
    }

    /** Composites premultiplied RGBA layers over a solid colour. */
    public static ByteImage compose(FloatImage layers, int[] rgb) {
        if (layers.channels != 4) throw new IllegalArgumentException("layers must be premultiplied RGBA");
        ByteImage out = new ByteImage(layers.width, layers.height, 3);
        float br = rgb[0] / 255f, bg = rgb[1] / 255f, bb = rgb[2] / 255f;
        Parallel.rows(layers.height, layers.width, (r0, r1) -> {
            for (int y = r0; y < r1; y++) {
                int s = y * layers.stride, d = y * out.stride;
                for (int x = 0; x < layers.width; x++, s += 4, d += 3) {
                    float k = 1f - layers.data[s + 3];
                    out.data[d] = q(layers.data[s] + k * br);
                    out.data[d + 1] = q(layers.data[s + 1] + k * bg);
                    out.data[d + 2] = q(layers.data[s + 2] + k * bb);
                }
            }
        });
        return out;
    }

    /** The alpha channel of rendered layers. */
    public static FloatImage alphaOf(FloatImage layers) {
        FloatImage a = new FloatImage(layers.width, layers.height, 1);
        for (int y = 0; y < layers.height; y++)
            for (int x = 0; x < layers.width; x++) a.data[y * a.stride + x] = layers.data[y * layers.stride + x * 4 + 3];
        return a;
    }

    private static byte q(float v) {
        int i = (int) (v * 255f + 0.5f);
        return (byte) (i < 0 ? 0 : Math.min(255, i));
    }
}
