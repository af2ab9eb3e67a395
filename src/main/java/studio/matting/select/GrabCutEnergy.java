package studio.matting.select;

/**
 * The energy GrabCut minimises (Rother et al. 2004, as OpenCV implements it), evaluated for a finished labelling:
 * the data term −log p(colour | label's GMM) summed over the pixels plus the contrast-sensitive Potts term
 * γ·exp(−β‖z_i − z_j‖²)/dist over 8-neighbours with different labels (γ = 50, β from the mean neighbour contrast).
 * Two GrabCut runs from different starts (the box alone, the box seeded by a model) end in different local minima
 * of the same energy; the lower one is the better explanation of the image, which is how the selector decides
 * between them without ground truth.
 */
final class GrabCutEnergy {
    private static final int K = 5;
    private static final double GAMMA = 50;

    private GrabCutEnergy() { }

    /**
     * @param rgb    working copy, 3 bytes a pixel
     * @param labels GrabCut labels (odd = foreground)
     * @param bgd    OpenCV's background model row (5 weights, 15 means, 45 covariances)
     * @param fgd    the foreground model row
     */
    static double energy(byte[] rgb, int w, int h, byte[] labels, double[] bgd, double[] fgd) {
        Gmm bg = new Gmm(bgd), fg = new Gmm(fgd);
        double beta = beta(rgb, w, h);
        double data = 0, smooth = 0;
        double diag = GAMMA / Math.sqrt(2);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x, p = 3 * i;
                double r = rgb[p] & 0xFF, g = rgb[p + 1] & 0xFF, b = rgb[p + 2] & 0xFF;
                boolean f = (labels[i] & 1) != 0;
                data += -Math.log(Math.max(1e-300, (f ? fg : bg).density(r, g, b)));
                if (x > 0 && f != ((labels[i - 1] & 1) != 0)) smooth += GAMMA * Math.exp(-beta * dist2(rgb, p, p - 3));
                if (y > 0) {
                    int up = i - w;
                    if (f != ((labels[up] & 1) != 0)) smooth += GAMMA * Math.exp(-beta * dist2(rgb, p, 3 * up));
                    if (x > 0 && f != ((labels[up - 1] & 1) != 0)) smooth += diag * Math.exp(-beta * dist2(rgb, p, 3 * (up - 1)));
                    if (x < w - 1 && f != ((labels[up + 1] & 1) != 0)) smooth += diag * Math.exp(-beta * dist2(rgb, p, 3 * (up + 1)));
                }
            }
        }
        return data + smooth;
    }

    private static double beta(byte[] rgb, int w, int h) {
        double sum = 0;
        long n = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int p = 3 * (y * w + x);
                if (x > 0) { sum += dist2(rgb, p, p - 3); n++; }
                if (y > 0) {
                    int up = p - 3 * w;
                    sum += dist2(rgb, p, up); n++;
                    if (x > 0) { sum += dist2(rgb, p, up - 3); n++; }
                    if (x < w - 1) { sum += dist2(rgb, p, up + 3); n++; }
                }
            }
        return sum <= 0 ? 0 : 1 / (2 * sum / n);
    }

    private static double dist2(byte[] rgb, int a, int b) {
        double dr = (rgb[a] & 0xFF) - (rgb[b] & 0xFF), dg = (rgb[a + 1] & 0xFF) - (rgb[b + 1] & 0xFF), db = (rgb[a + 2] & 0xFF) - (rgb[b + 2] & 0xFF);
        return dr * dr + dg * dg + db * db;
    }

    /** A 5-component RGB Gaussian mixture in OpenCV's grabCut layout, with inverses precomputed. */
    static final class Gmm {
        final double[] weight = new double[K], mean = new double[3 * K], inv = new double[9 * K], norm = new double[K];

        Gmm(double[] model) {
            if (model.length < 13 * K) throw new IllegalArgumentException("not a grabCut model: " + model.length + " values");
            for (int k = 0; k < K; k++) {
                weight[k] = model[k];
                System.arraycopy(model, K + 3 * k, mean, 3 * k, 3);
                double[] c = new double[9];
                System.arraycopy(model, 4 * K + 9 * k, c, 0, 9);
                double det = c[0] * (c[4] * c[8] - c[5] * c[7]) - c[1] * (c[3] * c[8] - c[5] * c[6]) + c[2] * (c[3] * c[7] - c[4] * c[6]);
                if (weight[k] <= 0 || det <= 0) { weight[k] = 0; continue; }
                double id = 1 / det;
                double[] v = {
                        (c[4] * c[8] - c[5] * c[7]) * id, (c[2] * c[7] - c[1] * c[8]) * id, (c[1] * c[5] - c[2] * c[4]) * id,
                        (c[5] * c[6] - c[3] * c[8]) * id, (c[0] * c[8] - c[2] * c[6]) * id, (c[2] * c[3] - c[0] * c[5]) * id,
                        (c[3] * c[7] - c[4] * c[6]) * id, (c[1] * c[6] - c[0] * c[7]) * id, (c[0] * c[4] - c[1] * c[3]) * id};
                System.arraycopy(v, 0, inv, 9 * k, 9);
                norm[k] = weight[k] / Math.sqrt(det);
            }
        }

        /** Mixture density up to the constant (2π)^(−3/2) (the same for both models, so it cancels in comparisons). */
        double density(double r, double g, double b) {
            double s = 0;
            for (int k = 0; k < K; k++) {
                if (weight[k] == 0) continue;
                double dr = r - mean[3 * k], dg = g - mean[3 * k + 1], db = b - mean[3 * k + 2];
                int o = 9 * k;
                double q = dr * (inv[o] * dr + inv[o + 1] * dg + inv[o + 2] * db)
                        + dg * (inv[o + 3] * dr + inv[o + 4] * dg + inv[o + 5] * db)
                        + db * (inv[o + 6] * dr + inv[o + 7] * dg + inv[o + 8] * db);
                s += norm[k] * Math.exp(-0.5 * q);
            }
            return s;
        }
    }
}
