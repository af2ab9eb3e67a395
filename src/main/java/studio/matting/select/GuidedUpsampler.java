package studio.matting.select;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.Parallel;
import studio.matting.image.Rect;
import studio.matting.trimap.OpenCv;

/**
 * Brings a mask computed on a small working copy back to full resolution with its edge placed where the full-size
 * colours put it: the fast guided filter (He &amp; Sun 2015). The colour guided filter's linear coefficients (q = a·I + b
 * per window) are solved on the working copy, where a 3×3 solve per pixel is cheap, then bilinearly enlarged and
 * applied to the full-resolution guide — so the cost at full size is one dot product per pixel, and an edge lands on
 * the full-resolution colour step instead of on the working grid's staircase.
 */
public final class GuidedUpsampler {
    private GuidedUpsampler() { }

    /**
     * @param guideSmall working-copy colours, 8-bit 3 channels (CV_8UC3), {@code ws × hs}
     * @param maskSmall  the mask on the working copy, one float in [0,1] per pixel, row-major
     * @param full       the full-resolution image (RGB, same channel order as the guide)
     * @param region     where in {@code full} the working copy was taken from
     * @param out        full-size mask to write into (only {@code region} is written)
     * @param radius     window radius on the working copy, pixels
     * @param eps        regularisation (colours in [0,1]): larger keeps the input mask, smaller follows the colours
     */
    public static void upsample(Mat guideSmall, float[] maskSmall, ByteImage full, Rect region, FloatImage out, int radius, double eps) {
        OpenCv.load();
        int ws = guideSmall.cols(), hs = guideSmall.rows(), n = ws * hs;
        float[][] coef = coefficients(guideSmall, maskSmall, radius, eps); // a_r, a_g, a_b, b — each n floats
        float[] ar = coef[0], ag = coef[1], ab = coef[2], bb = coef[3];
        if (n != maskSmall.length) throw new IllegalArgumentException("mask size differs from the guide");
        double sx = (double) ws / region.width(), sy = (double) hs / region.height();
        int ch = full.channels;
        Parallel.rows(region.height(), region.width(), (r0, r1) -> {
            for (int ry = r0; ry < r1; ry++) {
                double fy = (ry + 0.5) * sy - 0.5;
                int y0 = (int) Math.floor(fy);
                float ty = (float) (fy - y0);
                int ya = Math.max(0, Math.min(hs - 1, y0)) * ws, yb = Math.max(0, Math.min(hs - 1, y0 + 1)) * ws;
                int src = (region.y() + ry) * full.stride + region.x() * ch;
                int dst = (region.y() + ry) * out.stride + region.x();
                for (int rx = 0; rx < region.width(); rx++) {
                    double fx = (rx + 0.5) * sx - 0.5;
                    int x0 = (int) Math.floor(fx);
                    float tx = (float) (fx - x0);
                    int xa = Math.max(0, Math.min(ws - 1, x0)), xb = Math.max(0, Math.min(ws - 1, x0 + 1));
                    float w00 = (1 - tx) * (1 - ty), w01 = tx * (1 - ty), w10 = (1 - tx) * ty, w11 = tx * ty;
                    int i00 = ya + xa, i01 = ya + xb, i10 = yb + xa, i11 = yb + xb;
                    float cr = ar[i00] * w00 + ar[i01] * w01 + ar[i10] * w10 + ar[i11] * w11;
                    float cg = ag[i00] * w00 + ag[i01] * w01 + ag[i10] * w10 + ag[i11] * w11;
                    float cb = ab[i00] * w00 + ab[i01] * w01 + ab[i10] * w10 + ab[i11] * w11;
                    float c0 = bb[i00] * w00 + bb[i01] * w01 + bb[i10] * w10 + bb[i11] * w11;
                    int p = src + rx * ch;
                    float q = cr * ((full.data[p] & 0xFF) * (1f / 255)) + cg * ((full.data[p + 1] & 0xFF) * (1f / 255))
                            + cb * ((full.data[p + 2] & 0xFF) * (1f / 255)) + c0;
                    out.data[dst + rx] = q < 0 ? 0 : q > 1 ? 1 : q;
                }
            }
        });
    }

    /** The box-averaged guided-filter coefficients on the working copy: {a_r, a_g, a_b, b}. */
    static float[][] coefficients(Mat guideSmall, float[] maskSmall, int radius, double eps) {
        int ws = guideSmall.cols(), hs = guideSmall.rows(), n = ws * hs;
        byte[] g = new byte[n * 3];
        guideSmall.get(0, 0, g);
        float[][] ch = new float[3][n];
        for (int i = 0; i < n; i++) {
            ch[0][i] = (g[3 * i] & 0xFF) * (1f / 255);
            ch[1][i] = (g[3 * i + 1] & 0xFF) * (1f / 255);
            ch[2][i] = (g[3 * i + 2] & 0xFF) * (1f / 255);
        }
        Size k = new Size(2 * radius + 1, 2 * radius + 1);
        // Means of I, p, I·p and the 6 distinct products I_i·I_j over each window.
        float[] mr = box(ch[0], ws, hs, k), mg = box(ch[1], ws, hs, k), mb = box(ch[2], ws, hs, k), mp = box(maskSmall, ws, hs, k);
        float[] tmp = new float[n];
        float[] mrp = box(mul(ch[0], maskSmall, tmp), ws, hs, k), mgp = box(mul(ch[1], maskSmall, tmp), ws, hs, k), mbp = box(mul(ch[2], maskSmall, tmp), ws, hs, k);
        float[] vrr = box(mul(ch[0], ch[0], tmp), ws, hs, k), vrg = box(mul(ch[0], ch[1], tmp), ws, hs, k), vrb = box(mul(ch[0], ch[2], tmp), ws, hs, k);
        float[] vgg = box(mul(ch[1], ch[1], tmp), ws, hs, k), vgb = box(mul(ch[1], ch[2], tmp), ws, hs, k), vbb = box(mul(ch[2], ch[2], tmp), ws, hs, k);
        float[] ar = ch[0], ag = ch[1], ab = ch[2], b = tmp; // the inputs are no longer needed: reuse them for the output
        Parallel.rows(hs, ws, (y0, y1) -> {
            for (int i = y0 * ws; i < y1 * ws; i++) {
                double r = mr[i], gg = mg[i], bl = mb[i], p = mp[i];
                double crp = mrp[i] - r * p, cgp = mgp[i] - gg * p, cbp = mbp[i] - bl * p;
                double s00 = vrr[i] - r * r + eps, s01 = vrg[i] - r * gg, s02 = vrb[i] - r * bl;
                double s11 = vgg[i] - gg * gg + eps, s12 = vgb[i] - gg * bl, s22 = vbb[i] - bl * bl + eps;
                // Σ⁻¹ by cofactors (Σ is symmetric positive definite thanks to eps)
                double c00 = s11 * s22 - s12 * s12, c01 = s02 * s12 - s01 * s22, c02 = s01 * s12 - s02 * s11;
                double c11 = s00 * s22 - s02 * s02, c12 = s01 * s02 - s00 * s12, c22 = s00 * s11 - s01 * s01;
                double det = s00 * c00 + s01 * c01 + s02 * c02;
                double inv = 1 / det;
                double a0 = (c00 * crp + c01 * cgp + c02 * cbp) * inv;
                double a1 = (c01 * crp + c11 * cgp + c12 * cbp) * inv;
                double a2 = (c02 * crp + c12 * cgp + c22 * cbp) * inv;
                ar[i] = (float) a0;
                ag[i] = (float) a1;
                ab[i] = (float) a2;
                b[i] = (float) (p - a0 * r - a1 * gg - a2 * bl);
            }
        });
        return new float[][] {box(ar, ws, hs, k), box(ag, ws, hs, k), box(ab, ws, hs, k), box(b, ws, hs, k)};
    }

    private static float[] mul(float[] a, float[] b, float[] out) {
        for (int i = 0; i < out.length; i++) out[i] = a[i] * b[i];
        return out;
    }

    /** Normalised box mean (window clipped at the border, as the guided filter's N(k)). */
    private static float[] box(float[] src, int w, int h, Size k) {
        Mat m = new Mat(h, w, CvType.CV_32FC1), o = new Mat();
        try {
            m.put(0, 0, src);
            Imgproc.boxFilter(m, o, CvType.CV_32F, k, new Point(-1, -1), true, Core.BORDER_REFLECT);
            float[] r = new float[w * h];
            o.get(0, 0, r);
            return r;
        } finally {
            m.release();
            o.release();
        }
    }
}
