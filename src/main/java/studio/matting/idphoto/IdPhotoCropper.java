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

    /**
     * A crop rectangle in source pixels (doubles: dragging moves it by sub-pixel amounts at preview scale). With an
     * angle the rectangle lives in the levelled frame: the source rotated by {@code -angleDeg} about the pivot.
     */
    public record Crop(double x, double y, double width, double height, double angleDeg, double pivotX, double pivotY) {
        public Crop {
            if (!(width > 0 && height > 0)) throw new IllegalArgumentException("crop must have a positive size");
        }

        public Crop(double x, double y, double width, double height) {
            this(x, y, width, height, 0, 0, 0);
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

    /**
     * The crop the preset's rules give for a face: the scale puts the face-estimated head (chin to skull top) at the
     * middle of the head range, the face box is centred, and the height is the middle of what the eye-line band, the
     * top margin (measured to the crown of the hair) and the chin clearance all allow — the eye band first when they
     * cannot all hold, as GA 461 asks. The user's {@link Adjust} shifts (levelled-frame source pixels) and zooms
     * about the eye line.
     */
    public static Crop crop(FaceLocator.FaceSubject s, IdPhotoPreset p, Adjust adjust) {
        Objects.requireNonNull(s, "subject");
        Adjust a = adjust == null ? Adjust.NONE : adjust;
        double pxPerMm = s.faceHeadHeight() / p.headMm().mid();
        double h = p.heightMm() * pxPerMm, w = p.widthMm() * pxPerMm;
        double v = eyeFromTopMm(s, p, pxPerMm);
        double y = s.eyeY() - v * pxPerMm;
        double x = s.centerX() - w / 2;
        double hz = h / a.zoom(), wz = w / a.zoom();
        double yz = s.eyeY() - (s.eyeY() - y) / a.zoom();
        double xz = s.centerX() - (s.centerX() - x) / a.zoom();
        return new Crop(xz + a.offsetX(), yz + a.offsetY(), wz, hz, s.angleDeg(), s.pivotX(), s.pivotY());
    }

    /** Where the eye line goes, in mm below the top edge: the middle of the interval every vertical rule allows. */
    static double eyeFromTopMm(FaceLocator.FaceSubject s, IdPhotoPreset p, double pxPerMm) {
        double eyeToCrown = (s.eyeY() - s.crownY()) / pxPerMm, eyeToChin = (s.chinY() - s.eyeY()) / pxPerMm;
        double lo = Double.NEGATIVE_INFINITY, hi = Double.POSITIVE_INFINITY;
        double[] eyeBand = null, margin = null;
        if (p.eyeFromBottomMm() != null) {
            eyeBand = new double[]{p.heightMm() - p.eyeFromBottomMm().max(), p.heightMm() - p.eyeFromBottomMm().min()};
            lo = Math.max(lo, eyeBand[0]);
            hi = Math.min(hi, eyeBand[1]);
        }
        if (p.topMarginMm() != null) {
            margin = new double[]{p.topMarginMm().min() + eyeToCrown, p.topMarginMm().max() + eyeToCrown};
        } else if (eyeBand == null) {
            double m = p.topMarginRatio() * p.heightMm();
            margin = new double[]{m + eyeToCrown, m + eyeToCrown};
        }
        if (margin != null) {
            lo = Math.max(lo, margin[0]);
            hi = Math.min(hi, margin[1]);
        }
        if (p.minChinToBottomMm() > 0) hi = Math.min(hi, p.heightMm() - p.minChinToBottomMm() - eyeToChin);
        if (lo <= hi) return (lo + hi) / 2;
        if (eyeBand != null) return (eyeBand[0] + eyeBand[1]) / 2;
        return (margin[0] + margin[1]) / 2;
    }

    /**
     * Guides in output pixels for a face placed by a crop: the measured crown and chin, the eye line, the preset's
     * eye band (NaN when it has none) and the centre line.
     */
    public record FaceGuides(double crown, double chin, double eyeLine, double eyeBandTop, double eyeBandBottom, double centerX) { }

    public static FaceGuides guides(FaceLocator.FaceSubject s, Crop c, IdPhotoPreset p, int outW, int outH) {
        double k = outH / c.height();
        double bandTop = Double.NaN, bandBottom = Double.NaN;
        if (p.eyeFromBottomMm() != null) {
            bandTop = (1 - p.eyeFromBottomMm().max() / p.heightMm()) * outH;
            bandBottom = (1 - p.eyeFromBottomMm().min() / p.heightMm()) * outH;
        }
        return new FaceGuides((s.crownY() - c.y()) * k, (s.chinY() - c.y()) * k, (s.eyeY() - c.y()) * k, bandTop, bandBottom, outW / 2.0);
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
        if (Math.abs(crop.angleDeg()) > 1e-6) {
            rotatedLayers(image, alpha, foreground, crop, x0, y0, layer);
            return layer.sameSize(outW, outH) ? layer : ImageOps.resize(layer, outW, outH);
        }
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

    /**
     * The levelled crop at source resolution: each layer pixel is sampled bilinearly from the source position the
     * rotation maps it to (premultiplied, so colour does not bleed from transparent pixels). Outside the source stays
     * transparent.
     */
    private static void rotatedLayers(ByteImage image, FloatImage alpha, FloatImage foreground, Crop crop, int x0, int y0, FloatImage layer) {
        double a = Math.toRadians(crop.angleDeg()), cos = Math.cos(a), sin = Math.sin(a);
        double px = crop.pivotX(), py = crop.pivotY();
        int iw = image.width, ih = image.height, ic = image.channels;
        Parallel.rows(layer.height, layer.width, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                double qy = y0 + r + 0.5 - py;
                int lo = r * layer.stride;
                for (int c = 0; c < layer.width; c++) {
                    double qx = x0 + c + 0.5 - px;
                    double sx = px + qx * cos - qy * sin - 0.5, sy = py + qx * sin + qy * cos - 0.5;
                    int ix = (int) Math.floor(sx), iy = (int) Math.floor(sy);
                    if (ix < -1 || iy < -1 || ix >= iw || iy >= ih) continue;
                    float fx = (float) (sx - ix), fy = (float) (sy - iy);
                    float r0c = 0, g0c = 0, b0c = 0, a0c = 0;
                    for (int k = 0; k < 4; k++) {
                        int xx = ix + (k & 1), yy = iy + (k >> 1);
                        if (xx < 0 || yy < 0 || xx >= iw || yy >= ih) continue;
                        float wgt = ((k & 1) == 0 ? 1 - fx : fx) * ((k >> 1) == 0 ? 1 - fy : fy);
                        float al = alpha.data[yy * alpha.stride + xx];
                        al = al < 0 ? 0 : Math.min(1f, al);
                        float wa = wgt * al;
                        if (foreground != null) {
                            int fo = yy * foreground.stride + xx * 3;
                            r0c += wa * foreground.data[fo];
                            g0c += wa * foreground.data[fo + 1];
                            b0c += wa * foreground.data[fo + 2];
                        } else {
                            int io = yy * image.stride + xx * ic;
                            r0c += wa * (image.data[io] & 0xFF) / 255f;
                            g0c += wa * (image.data[io + 1] & 0xFF) / 255f;
                            b0c += wa * (image.data[io + 2] & 0xFF) / 255f;
                        }
                        a0c += wa;
                    }
                    int d = lo + c * 4;
                    layer.data[d] = r0c;
                    layer.data[d + 1] = g0c;
                    layer.data[d + 2] = b0c;
                    layer.data[d + 3] = a0c;
                }
            }
        });
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
