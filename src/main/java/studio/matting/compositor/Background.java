package studio.matting.compositor;

import studio.matting.image.ByteImage;
import studio.matting.image.ImageOps;
import studio.matting.image.Parallel;
import studio.matting.image.Rect;

import java.util.Objects;

/**
 * What goes behind the foreground: a solid colour, a photo (scaled to cover the frame and centre-cropped, like CSS
 * {@code background-size: cover}) or a checkerboard that shows transparency in previews.
 */
public abstract sealed class Background permits Background.Solid, Background.Picture, Background.Checker {

    /** Renders the background as an RGB image of exactly width × height. */
    public abstract ByteImage render(int width, int height);

    public static Solid solid(int r, int g, int b) {
        return new Solid(r, g, b);
    }

    public static Picture image(ByteImage image) {
        return new Picture(image);
    }

    public static Checker checker() {
        return new Checker(16, 0xCC, 0xFF);
    }

    public static Checker checker(int cell, int dark, int light) {
        return new Checker(cell, dark, light);
    }

    public static final class Solid extends Background {
        public final int r, g, b;

        Solid(int r, int g, int b) {
            if ((r | g | b) < 0 || r > 255 || g > 255 || b > 255)
                throw new IllegalArgumentException("colour components must be 0..255: " + r + "," + g + "," + b);
            this.r = r;
            this.g = g;
            this.b = b;
        }

        @Override
        public ByteImage render(int width, int height) {
            ByteImage out = new ByteImage(width, height, 3);
            byte br = (byte) r, bg = (byte) g, bb = (byte) b;
            Parallel.rows(height, width, (y0, y1) -> {
                for (int y = y0; y < y1; y++) {
                    int o = y * out.stride;
                    for (int x = 0; x < width; x++, o += 3) {
                        out.data[o] = br;
                        out.data[o + 1] = bg;
                        out.data[o + 2] = bb;
                    }
                }
            });
            return out;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Solid s && s.r == r && s.g == g && s.b == b;
        }

        @Override
        public int hashCode() {
            return (r << 16) | (g << 8) | b;
        }

        @Override
        public String toString() {
            return "Solid(" + r + "," + g + "," + b + ")";
        }
    }

    public static final class Picture extends Background {
        public final ByteImage image;
        // The last rendering is kept: previews and repeated exports ask for the same size again and again.
        private ByteImage cached;

        Picture(ByteImage image) {
            this.image = ImageOps.toRgb(Objects.requireNonNull(image, "background image"));
        }

        /** The source rectangle that, scaled uniformly, covers width × height with its centre kept. */
        public Rect coverRect(int width, int height) {
            double scale = Math.max((double) width / image.width, (double) height / image.height);
            int cw = Math.max(1, Math.min(image.width, (int) Math.round(width / scale)));
            int ch = Math.max(1, Math.min(image.height, (int) Math.round(height / scale)));
            return new Rect((image.width - cw) / 2, (image.height - ch) / 2, cw, ch);
        }

        @Override
        public synchronized ByteImage render(int width, int height) {
            if (cached != null && cached.sameSize(width, height)) return cached;
            Rect r = coverRect(width, height);
            ByteImage src = r.width() == image.width && r.height() == image.height ? image : ImageOps.crop(image, r);
            cached = src.sameSize(width, height) ? src : ImageOps.resize(src, width, height);
            return cached;
        }

        @Override
        public String toString() {
            return "Picture(" + image.width + "x" + image.height + ")";
        }
    }

    public static final class Checker extends Background {
        public final int cell, dark, light;

        Checker(int cell, int dark, int light) {
            if (cell <= 0) throw new IllegalArgumentException("checker cell must be positive");
            this.cell = cell;
            this.dark = dark;
            this.light = light;
        }

        @Override
        public ByteImage render(int width, int height) {
            ByteImage out = new ByteImage(width, height, 3);
            byte d = (byte) dark, l = (byte) light;
            Parallel.rows(height, width, (y0, y1) -> {
                for (int y = y0; y < y1; y++) {
                    int o = y * out.stride, cy = (y / cell) & 1;
                    for (int x = 0; x < width; x++, o += 3) {
                        byte v = (((x / cell) & 1) ^ cy) == 0 ? l : d;
                        out.data[o] = v;
                        out.data[o + 1] = v;
                        out.data[o + 2] = v;
                    }
                }
            });
            return out;
        }

        @Override
        public String toString() {
            return "Checker(" + cell + ")";
        }
    }
}
