package studio.matting.select;

import studio.matting.image.ByteImage;
import studio.matting.trimap.Trimap;

/**
 * Scribble layers from images: white marks mean foreground, black marks background, anything else (mid grey, or a
 * transparent pixel in an RGBA image) no mark. The result is a {@link Trimap}-shaped layer as
 * {@link SubjectSelector} takes it.
 */
public final class Scribbles {
    private Scribbles() { }

    /**
     * @param marks  gray, RGB or RGBA; a different size with the image's aspect ratio (within 2 %) is resampled
     *               (nearest, so a mark stays a mark)
     */
    public static Trimap fromImage(ByteImage marks, int width, int height) {
        double ar = (double) marks.width / marks.height, ir = (double) width / height;
        if (Math.abs(ar - ir) > 0.02 * ir)
            throw new IllegalArgumentException("the scribbles are " + marks.width + "x" + marks.height + ", the image is " + width + "x" + height);
        Trimap t = new Trimap(width, height);
        int ch = marks.channels;
        for (int y = 0; y < height; y++) {
            int sy = (int) ((y + 0.5) * marks.height / height);
            int o = sy * marks.stride;
            for (int x = 0; x < width; x++) {
                int p = o + (int) ((x + 0.5) * marks.width / width) * ch;
                int v;
                if (ch == 1) v = marks.data[p] & 0xFF;
                else if (ch == 4 && (marks.data[p + 3] & 0xFF) < 128) v = Trimap.UNKNOWN;
                else v = ((marks.data[p] & 0xFF) * 299 + (marks.data[p + 1] & 0xFF) * 587 + (marks.data[p + 2] & 0xFF) * 114) / 1000;
                t.data[y * width + x] = (byte) Trimap.snap(v);
            }
        }
        return t;
    }

    /** Number of foreground and background marks: {fg, bg}. */
    public static long[] count(Trimap scribbles) {
        return new long[] {scribbles.count(Trimap.FOREGROUND), scribbles.count(Trimap.BACKGROUND)};
    }
}
