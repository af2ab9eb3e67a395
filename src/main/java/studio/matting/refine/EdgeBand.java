package studio.matting.refine;

import studio.matting.trimap.Trimap;

/** The width of the trimap's unknown band, which Shift Edge's percentage refers to. */
public final class EdgeBand {
    /** Used when there is no trimap or no unknown pixel: the default trimap (kernel 7, 6 iterations) is about this wide. */
    public static final double DEFAULT_WIDTH = 36;

    private EdgeBand() { }

    /**
     * Mean band width in px: a band of width W and length L has W·L unknown pixels and about 2L unknown pixels on its
     * two borders, so W ≈ 2 · unknown / border. Returns {@link #DEFAULT_WIDTH} when the trimap has no unknown pixel.
     */
    public static double width(Trimap t) {
        if (t == null) return DEFAULT_WIDTH;
        int w = t.width, h = t.height;
        byte u = (byte) Trimap.UNKNOWN;
        long unknown = 0, border = 0;
        byte[] d = t.data;
        for (int y = 0; y < h; y++) {
            int o = y * w;
            for (int x = 0; x < w; x++) {
                if (d[o + x] != u) continue;
                unknown++;
                if ((x > 0 && d[o + x - 1] != u) || (x + 1 < w && d[o + x + 1] != u)
                        || (y > 0 && d[o + x - w] != u) || (y + 1 < h && d[o + x + w] != u)) border++;
            }
        }
        if (unknown == 0) return DEFAULT_WIDTH;
        return border == 0 ? Math.min(w, h) : Math.max(1.0, 2.0 * unknown / border);
    }
}
