package studio.matting.matting;

import org.junit.jupiter.api.Test;
import studio.matting.foreground.ForegroundEstimator;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.matting.laplacian.MattingLaplacian;
import studio.matting.matting.solver.CsrMatrix;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fast code against the definitions, written the slow obvious way (pymatting's habit): the matting Laplacian
 * summed window by window into a dense matrix and solved by Gaussian elimination, and the foreground estimator's
 * fixed point as one dense linear system. Small images only; any sign, index or neighbour slip shows as a mismatch.
 */
class NaiveReferenceTest {
    private static final int W = 11, H = 9;

    /** Random colours (so every window's covariance is well conditioned) quantised like a decoded photo. */
    private static ByteImage image(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ByteImage img = new ByteImage(W, H, 3);
        for (int i = 0; i < img.data.length; i++) img.data[i] = (byte) rnd.nextInt(256);
        return img;
    }

    private static float[] colours(ByteImage img) {
        float[] c = new float[W * H * 3];
        for (int i = 0; i < c.length; i++) c[i] = (img.data[i] & 0xFF) / 255f;
        return c;
    }

    /** Background on the left, foreground on the right, a ragged unknown band between. */
    private static Trimap trimap(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Trimap t = new Trimap(W, H);
        for (int y = 0; y < H; y++) {
            int a = 2 + rnd.nextInt(2), b = 7 + rnd.nextInt(2);
            for (int x = 0; x < W; x++) t.set(x, y, x < a ? Trimap.BACKGROUND : x >= b ? Trimap.FOREGROUND : Trimap.UNKNOWN);
        }
        return t;
    }

    /** L from its definition: Σ over windows fully inside the image of δ_ij − (1 + (I_i−μ)ᵀ(Σ + ε/|w|·I)⁻¹(I_j−μ))/|w|. */
    private static double[][] denseLaplacian(float[] rgb, int r, double eps) {
        int np = W * H, d = 2 * r + 1, area = d * d;
        double[][] L = new double[np][np];
        for (int cy = r; cy < H - r; cy++) {
            for (int cx = r; cx < W - r; cx++) {
                int[] px = new int[area];
                int n = 0;
                for (int y = cy - r; y <= cy + r; y++) for (int x = cx - r; x <= cx + r; x++) px[n++] = y * W + x;
                double[] mu = new double[3];
                for (int p : px) for (int c = 0; c < 3; c++) mu[c] += rgb[p * 3 + c] / (double) area;
                double[][] cov = new double[3][3];
                for (int p : px)
                    for (int a = 0; a < 3; a++)
                        for (int b = 0; b < 3; b++) cov[a][b] += (rgb[p * 3 + a] - mu[a]) * (rgb[p * 3 + b] - mu[b]) / area;
                for (int a = 0; a < 3; a++) cov[a][a] += eps / area;
                double[][] inv = invert(cov);
                for (int i : px) {
                    for (int j : px) {
                        double q = 0;
                        for (int a = 0; a < 3; a++)
                            for (int b = 0; b < 3; b++) q += (rgb[i * 3 + a] - mu[a]) * inv[a][b] * (rgb[j * 3 + b] - mu[b]);
                        L[i][j] += (i == j ? 1 : 0) - (1 + q) / area;
                    }
                }
            }
        }
        return L;
    }

    @Test
    void laplacianSystemEqualsTheDenseDefinitionAndTheEngineSolvesIt() throws Exception {
        ByteImage img = image(11);
        Trimap t = trimap(12);
        float[] rgb = colours(img);
        double eps = 1e-7;
        int np = W * H;
        boolean[] unknown = new boolean[np];
        float[] known = new float[np];
        for (int i = 0; i < np; i++) {
            unknown[i] = t.isUnknown(i);
            known[i] = (t.data[i] & 0xFF) == Trimap.FOREGROUND ? 1f : 0f;
        }
        double[][] L = denseLaplacian(rgb, 1, eps);
        MattingLaplacian.System sys = MattingLaplacian.build(rgb, W, H, unknown, known, 1, eps);
        int[] u = sys.pixels();
        int n = u.length;
        assertTrue(n > 20 && n < np / 2, "a real band: " + n);

        // The reduced system: A = L_uu + λI, b = −L_uk α_k + λ/2.
        double[][] A = new double[n][n];
        double[] b = new double[n];
        double scale = 0;
        for (int a = 0; a < n; a++) {
            for (int c = 0; c < n; c++) A[a][c] = L[u[a]][u[c]] + (a == c ? MattingLaplacian.PRIOR : 0);
            b[a] = MattingLaplacian.PRIOR / 2;
            for (int k = 0; k < np; k++) if (!unknown[k]) b[a] -= L[u[a]][k] * known[k];
            for (int c = 0; c < n; c++) scale = Math.max(scale, Math.abs(A[a][c]));
        }
        double[][] fast = dense(sys.matrix());
        for (int a = 0; a < n; a++) {
            assertEquals(b[a], sys.rhs()[a], 1e-9 * scale, "rhs " + a);
            for (int c = 0; c < n; c++) assertEquals(A[a][c], fast[a][c], 1e-9 * scale, "A[" + a + "][" + c + "]");
        }

        // The engine's α (CG with its preconditioner, clamped) equals the dense solve.
        double[] x = solve(A, b);
        FloatImage alpha = new ClosedFormEngine(1, eps, 1e-12, 10_000).matte(img, t, TaskContext.NONE);
        int inside = 0;
        for (int a = 0; a < n; a++) {
            double ref = Math.max(0, Math.min(1, x[a]));
            if (ref > 0.01 && ref < 0.99) inside++;
            assertEquals(ref, alpha.data[u[a]], 2e-5, "α at pixel " + u[a]);
        }
        assertTrue(inside > 3, "some α strictly between 0 and 1, so the comparison is not only about clamping: " + inside);
        for (int k = 0; k < np; k++) if (!unknown[k]) assertEquals(known[k], alpha.data[k]);
    }

    @Test
    void foregroundEstimatorConvergesToTheDenseFixedPoint() {
        // α and colours composited from smooth F and B, so F and B stay inside [0, 1] and the clamps never act.
        int np = W * H;
        float[] alpha = new float[np], image = new float[np * 3];
        SplittableRandom rnd = new SplittableRandom(3);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int i = y * W + x;
                alpha[i] = (float) Math.max(0, Math.min(1, (x - 3.0) / 5 + 0.1 * rnd.nextDouble()));
                for (int c = 0; c < 3; c++) {
                    double f = 0.3 + 0.05 * c + 0.02 * x, bg = 0.7 - 0.04 * c - 0.015 * y;
                    image[i * 3 + c] = (float) (alpha[i] * f + (1 - alpha[i]) * bg + 0.03 * (rnd.nextDouble() - 0.5));
                }
            }
        }
        double eps = 1e-3, omega = 1;
        ForegroundEstimator.Result r = new ForegroundEstimator(eps, 4000, 4000, 32, omega).estimate(image, alpha, W, H, TaskContext.NONE);

        // Stationary point of Σ_i (αF + (1−α)B − I)² + Σ_i Σ_{j ∈ N4(i)} (ε + ω|α_i − α_j|)((F_i − F_j)² + (B_i − B_j)²),
        // per channel: unknowns F_0..F_{n−1}, B_0..B_{n−1}; neighbours clamped at the border (a self-pair adds nothing).
        for (int c = 0; c < 3; c++) {
            double[][] M = new double[2 * np][2 * np];
            double[] rhs = new double[2 * np];
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int i = y * W + x;
                    double a = alpha[i];
                    M[i][i] += a * a;
                    M[i][np + i] += a * (1 - a);
                    M[np + i][i] += a * (1 - a);
                    M[np + i][np + i] += (1 - a) * (1 - a);
                    rhs[i] = a * image[i * 3 + c];
                    rhs[np + i] = (1 - a) * image[i * 3 + c];
                    int[][] nb = {{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}};
                    for (int[] q : nb) {
                        int j = Math.min(H - 1, Math.max(0, q[1])) * W + Math.min(W - 1, Math.max(0, q[0]));
                        double da = eps + omega * Math.abs(a - alpha[j]);
                        M[i][i] += da;
                        M[i][j] -= da;
                        M[np + i][np + i] += da;
                        M[np + i][np + j] -= da;
                    }
                }
            }
            double[] fb = solve(M, rhs);
            for (int i = 0; i < np; i++) {
                assertTrue(fb[i] > 0 && fb[i] < 1 && fb[np + i] > 0 && fb[np + i] < 1, "reference inside [0,1] at " + i);
                assertEquals(fb[i], r.foreground().data[i * 3 + c], 1e-4, "F channel " + c + " pixel " + i);
                assertEquals(fb[np + i], r.background().data[i * 3 + c], 1e-4, "B channel " + c + " pixel " + i);
            }
        }
    }

    private static double[][] dense(CsrMatrix m) {
        double[][] a = new double[m.n][m.n];
        for (int i = 0; i < m.n; i++) for (int k = m.rowPtr[i]; k < m.rowPtr[i + 1]; k++) a[i][m.col[k]] += m.val[k];
        return a;
    }

    /** Gaussian elimination with partial pivoting. */
    private static double[] solve(double[][] a0, double[] b0) {
        int n = b0.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) a[i] = a0[i].clone();
        double[] b = b0.clone();
        for (int col = 0; col < n; col++) {
            int p = col;
            for (int i = col + 1; i < n; i++) if (Math.abs(a[i][col]) > Math.abs(a[p][col])) p = i;
            double[] tr = a[col]; a[col] = a[p]; a[p] = tr;
            double tb = b[col]; b[col] = b[p]; b[p] = tb;
            for (int i = col + 1; i < n; i++) {
                double f = a[i][col] / a[col][col];
                if (f == 0) continue;
                for (int k = col; k < n; k++) a[i][k] -= f * a[col][k];
                b[i] -= f * b[col];
            }
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int k = i + 1; k < n; k++) s -= a[i][k] * x[k];
            x[i] = s / a[i][i];
        }
        return x;
    }

    private static double[][] invert(double[][] m) {
        int n = m.length;
        double[][] inv = new double[n][n];
        for (int c = 0; c < n; c++) {
            double[] e = new double[n];
            e[c] = 1;
            double[] col = solve(m, e);
            for (int r = 0; r < n; r++) inv[r][c] = col[r];
        }
        return inv;
    }
}
