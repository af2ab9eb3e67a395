package studio.matting.matting.laplacian;

import studio.matting.image.Parallel;
import studio.matting.matting.solver.CsrMatrix;

/**
 * The closed-form matting Laplacian (Levin, Lischinski, Weiss 2008), restricted to the unknown pixels:
 * <pre>
 *   L_ij = Σ_{w ∋ i,j} ( δ_ij − (1 + (I_i − μ_w)ᵀ (Σ_w + ε/|w| · I₃)⁻¹ (I_j − μ_w)) / |w| )
 * </pre>
 * over all (2r+1)² windows w that lie fully inside the image. Minimising αᵀLα with the known pixels fixed gives
 * {@code L_uu α_u = −L_uk α_k}; this class assembles exactly that system. Window statistics are computed only for
 * windows that touch an unknown pixel and rows only for unknown pixels, so cost scales with the unknown band, not the
 * image. Assembly is parallel over row bands with no per-pixel allocation.
 * <p>A weak prior {@code λ(α − ½)²} with λ = {@link #PRIOR} is added on every unknown pixel. It is far below the
 * Laplacian's scale (entries ~1) so it does not move a normal result, but it makes L_uu strictly positive definite:
 * unknown islands with no window path to a constraint (tiny images, unknown pixels cut off by the border) get ½
 * instead of an undefined value, and incomplete Cholesky never sees a zero pivot from a null space.
 */
public final class MattingLaplacian {
    public static final double PRIOR = 1e-9;

    /** The reduced system L_uu x = b; {@code pixels[k]} is the image index of unknown k (raster order). */
    public record System(CsrMatrix matrix, double[] rhs, int[] pixels) { }

    private MattingLaplacian() { }

    /**
     * @param rgb     interleaved 3-channel colours in [0,1], length w·h·3
     * @param unknown per pixel: true where α is solved
     * @param known   per pixel α used as a constraint where {@code unknown} is false (0/1 from the trimap, or a
     *                previous α around a re-matted region)
     */
    public static System build(float[] rgb, int w, int h, boolean[] unknown, float[] known, int radius, double epsilon) {
        int np = w * h;
        int[] index = new int[np];
        int n = 0;
        for (int i = 0; i < np; i++) index[i] = unknown[i] ? n++ : -1;
        int[] pixels = new int[n];
        for (int i = 0; i < np; i++) if (index[i] >= 0) pixels[index[i]] = i;

        int r = radius, d = 2 * r + 1, area = d * d;
        // Windows needed: centre inside [r, w−r) × [r, h−r) and within r (Chebyshev) of an unknown pixel.
        int[] win = new int[np];
        java.util.Arrays.fill(win, -1);
        int nWin = 0;
        {
            // Separable dilation of the unknown mask: rows then columns.
            boolean[] rowDil = new boolean[np];
            for (int y = 0; y < h; y++) {
                // Two sweeps (nearest unknown to the right, then to the left) keep it O(w) per row.
                int next = Integer.MAX_VALUE / 2;
                for (int x = w - 1; x >= 0; x--) { if (unknown[y * w + x]) next = x; if (next - x <= r) rowDil[y * w + x] = true; }
                int last = Integer.MIN_VALUE / 2;
                for (int x = 0; x < w; x++) { if (unknown[y * w + x]) last = x; if (x - last <= r) rowDil[y * w + x] = true; }
            }
            for (int y = r; y < h - r; y++) {
                for (int x = r; x < w - r; x++) {
                    boolean any = false;
                    for (int yy = y - r; yy <= y + r && !any; yy++) any = rowDil[yy * w + x];
                    if (any) win[y * w + x] = nWin++;
                }
            }
        }
        // Per window: mean (3) and the symmetric inverse of Σ + ε/|w|·I (6).
        double[] stats = new double[nWin * 9];
        final double eps = epsilon / area;
        Parallel.rows(h, w, (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                for (int x = 0; x < w; x++) {
                    int wi = win[y * w + x];
                    if (wi < 0) continue;
                    double s0 = 0, s1 = 0, s2 = 0, s00 = 0, s01 = 0, s02 = 0, s11 = 0, s12 = 0, s22 = 0;
                    for (int yy = y - r; yy <= y + r; yy++) {
                        int o = (yy * w + x - r) * 3;
                        for (int k = 0; k < d; k++, o += 3) {
                            double a = rgb[o], b = rgb[o + 1], c = rgb[o + 2];
                            s0 += a; s1 += b; s2 += c;
                            s00 += a * a; s01 += a * b; s02 += a * c; s11 += b * b; s12 += b * c; s22 += c * c;
                        }
                    }
                    double m0 = s0 / area, m1 = s1 / area, m2 = s2 / area;
                    double c00 = s00 / area - m0 * m0 + eps, c01 = s01 / area - m0 * m1, c02 = s02 / area - m0 * m2;
                    double c11 = s11 / area - m1 * m1 + eps, c12 = s12 / area - m1 * m2, c22 = s22 / area - m2 * m2 + eps;
                    double i00 = c11 * c22 - c12 * c12, i01 = c02 * c12 - c01 * c22, i02 = c01 * c12 - c02 * c11;
                    double i11 = c00 * c22 - c02 * c02, i12 = c01 * c02 - c00 * c12, i22 = c00 * c11 - c01 * c01;
                    double det = c00 * i00 + c01 * i01 + c02 * i02;
                    double inv = 1.0 / det;
                    int o = wi * 9;
                    stats[o] = m0; stats[o + 1] = m1; stats[o + 2] = m2;
                    stats[o + 3] = i00 * inv; stats[o + 4] = i01 * inv; stats[o + 5] = i02 * inv;
                    stats[o + 6] = i11 * inv; stats[o + 7] = i12 * inv; stats[o + 8] = i22 * inv;
                }
            }
        });

        // Row structure: unknown neighbours within the (4r+1)² stencil, columns ascending (raster order).
        int span = 2 * r;
        int[] rowPtr = new int[n + 1];
        for (int k = 0; k < n; k++) {
            int p = pixels[k], x = p % w, y = p / w, c = 0;
            for (int yy = Math.max(0, y - span); yy <= Math.min(h - 1, y + span); yy++)
                for (int xx = Math.max(0, x - span); xx <= Math.min(w - 1, x + span); xx++)
                    if (index[yy * w + xx] >= 0) c++;
            rowPtr[k + 1] = rowPtr[k] + c;
        }
        int[] col = new int[rowPtr[n]];
        double[] val = new double[rowPtr[n]];
        double[] rhs = new double[n];
        int sd = 2 * span + 1;
        Parallel.rows(n, sd * sd, (k0, k1) -> {
            double[] acc = new double[sd * sd]; // one per band, reused for every row
            for (int k = k0; k < k1; k++) {
                java.util.Arrays.fill(acc, 0);
                int p = pixels[k], x = p % w, y = p / w;
                double ir = rgb[p * 3], ig = rgb[p * 3 + 1], ib = rgb[p * 3 + 2];
                for (int cy = Math.max(r, y - r); cy <= Math.min(h - 1 - r, y + r); cy++) {
                    for (int cx = Math.max(r, x - r); cx <= Math.min(w - 1 - r, x + r); cx++) {
                        int wi = win[cy * w + cx];
                        int o = wi * 9;
                        double m0 = stats[o], m1 = stats[o + 1], m2 = stats[o + 2];
                        double d0 = ir - m0, d1 = ig - m1, d2 = ib - m2;
                        double a0 = stats[o + 3] * d0 + stats[o + 4] * d1 + stats[o + 5] * d2;
                        double a1 = stats[o + 4] * d0 + stats[o + 6] * d1 + stats[o + 7] * d2;
                        double a2 = stats[o + 5] * d0 + stats[o + 7] * d1 + stats[o + 8] * d2;
                        // (1 + a·(I_q − m)) / area as t + b·I_q: the window's constants once, no division per entry.
                        // The cancellation in t costs little: |a| = |Σ⁻¹(I − m)| ≤ 1/(2√(ε/area)), about 5e3 at the
                        // default ε = 1e-7 (a window whose colours differ by ~1e-4), so a window's term moves by ~1e-12.
                        double t = (1 - a0 * m0 - a1 * m1 - a2 * m2) / area, b0 = a0 / area, b1 = a1 / area, b2 = a2 / area;
                        for (int yy = cy - r; yy <= cy + r; yy++) {
                            int q = (yy * w + cx - r) * 3;
                            int s = (yy - y + span) * sd + (cx - r - x + span);
                            for (int xx = 0; xx < d; xx++, q += 3, s++) {
                                acc[s] -= t + b0 * rgb[q] + b1 * rgb[q + 1] + b2 * rgb[q + 2];
                            }
                        }
                        acc[span * sd + span] += 1;
                    }
                }
                int pos = rowPtr[k];
                double b = PRIOR * 0.5;
                for (int yy = Math.max(0, y - span); yy <= Math.min(h - 1, y + span); yy++) {
                    for (int xx = Math.max(0, x - span); xx <= Math.min(w - 1, x + span); xx++) {
                        int q = yy * w + xx;
                        double v = acc[(yy - y + span) * sd + (xx - x + span)];
                        int j = index[q];
                        if (j >= 0) {
                            col[pos] = j;
                            val[pos] = j == k ? v + PRIOR : v;
                            pos++;
                        } else if (v != 0) {
                            b -= v * known[q];
                        }
                    }
                }
                rhs[k] = b;
            }
        });
        return new System(new CsrMatrix(n, rowPtr, col, val), rhs, pixels);
    }
}
