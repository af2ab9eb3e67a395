package studio.matting.matting;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
import studio.matting.sample.SyntheticPortrait;
import studio.matting.trimap.Trimap;

/** The synthetic portrait with a trimap derived from its exact α, shared by the matting and foreground tests. */
public final class SyntheticCase {
    public final SyntheticPortrait portrait;
    public final ByteImage rgb;
    public final Trimap trimap;

    public SyntheticCase(int w, int h, long seed, int dilate) {
        portrait = SyntheticPortrait.render(w, h, seed);
        rgb = ImageOps.toByte(portrait.image);
        trimap = trimapFrom(portrait.alpha, dilate);
    }

    /** Unknown where 0 &lt; α &lt; 1 (α quantised to 8 bits), dilated by a square of the given radius. */
    public static Trimap trimapFrom(FloatImage alpha, int dilate) {
        int w = alpha.width, h = alpha.height;
        Trimap t = new Trimap(w, h);
        boolean[] soft = new boolean[w * h];
        for (int i = 0; i < w * h; i++) {
            int a = Math.round(alpha.data[i] * 255);
            soft[i] = a > 0 && a < 255;
            t.data[i] = (byte) (a >= 128 ? Trimap.FOREGROUND : Trimap.BACKGROUND);
        }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                if (!soft[y * w + x]) continue;
                for (int yy = Math.max(0, y - dilate); yy <= Math.min(h - 1, y + dilate); yy++)
                    for (int xx = Math.max(0, x - dilate); xx <= Math.min(w - 1, x + dilate); xx++)
                        t.data[yy * w + xx] = (byte) Trimap.UNKNOWN;
            }
        return t;
    }

    /** Σ|a − b| / 1000 over the unknown pixels. */
    public static double sad(FloatImage a, FloatImage b, Trimap t) {
        double s = 0;
        for (int i = 0; i < t.data.length; i++) if (t.isUnknown(i)) s += Math.abs(a.data[i] - b.data[i]);
        return s / 1000;
    }
}
