package studio.matting.refine;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.Parallel;

/**
 * Decontaminate colours with an amount: the colours composites and cut-outs use are
 * {@code C = I + t·(F − I)}, t = amount / 100, between the photo's colours I (0 %: the old background bleeds
 * through soft edges) and the estimated foreground F (100 %: clean edge colours). The foreground estimator returns
 * F ≈ I wherever α = 1, so the blend only changes the edge.
 */
public final class Decontamination {
    private Decontamination() { }

    /**
     * The colours for an amount in [0, 100]. Returns {@code foreground} itself at 100 % and a new 3-channel image
     * otherwise; with no foreground (null) the photo's colours are returned as floats.
     */
    public static FloatImage blend(ByteImage image, FloatImage foreground, double amount) {
        if (!(amount >= 0 && amount <= 100)) throw new IllegalArgumentException("decontaminate amount must be between 0 and 100, got " + amount);
        if (image.channels < 3) throw new IllegalArgumentException("decontamination needs an RGB image");
        if (foreground != null && (foreground.channels != 3 || !foreground.sameSize(image.width, image.height)))
            throw new IllegalArgumentException("foreground must be 3-channel and the size of the image");
        if (foreground != null && amount == 100) return foreground;
        final float t = foreground == null ? 0f : (float) (amount / 100.0);
        int w = image.width, h = image.height;
        FloatImage out = new FloatImage(w, h, 3);
        Parallel.rows(h, w, (y0, y1) -> {
            int ic = image.channels;
            for (int y = y0; y < y1; y++) {
                int io = y * image.stride, oo = y * out.stride, fo = foreground == null ? 0 : y * foreground.stride;
                for (int x = 0; x < w; x++, io += ic, oo += 3, fo += 3) {
                    for (int c = 0; c < 3; c++) {
                        float v = (image.data[io + c] & 0xFF) * (1f / 255f);
                        out.data[oo + c] = t == 0f ? v : v + t * (foreground.data[fo + c] - v);
                    }
                }
            }
        });
        return out;
    }
}
