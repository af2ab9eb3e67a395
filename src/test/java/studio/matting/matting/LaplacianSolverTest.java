package studio.matting.matting;

import org.junit.jupiter.api.Test;
import studio.matting.matting.laplacian.MattingLaplacian;
import studio.matting.matting.preconditioner.IncompleteCholesky;
import studio.matting.matting.preconditioner.JacobiPreconditioner;
import studio.matting.matting.solver.ConjugateGradient;
import studio.matting.matting.solver.CsrMatrix;
import studio.matting.task.TaskContext;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class LaplacianSolverTest {
    @Test
    void laplacianIsSymmetricAndAnnihilatesConstants() {
        int w = 17, h = 13;
        SplittableRandom rnd = new SplittableRandom(5);
        float[] rgb = new float[w * h * 3];
        for (int i = 0; i < rgb.length; i++) rgb[i] = (float) rnd.nextDouble();
        boolean[] unknown = new boolean[w * h];
        float[] known = new float[w * h];
        for (int i = 0; i < w * h; i++) {
            unknown[i] = rnd.nextDouble() < 0.6;
            known[i] = 1f;
        }
        MattingLaplacian.System s = MattingLaplacian.build(rgb, w, h, unknown, known, 1, 1e-7);
        CsrMatrix a = s.matrix();
        // Symmetry: A_ij == A_ji.
        for (int i = 0; i < a.n; i++)
            for (int k = a.rowPtr[i]; k < a.rowPtr[i + 1]; k++) assertEquals(a.val[k], entry(a, a.col[k], i), 1e-6 * (1 + Math.abs(a.val[k])));
        // L·1 = 0, so with every known pixel at α = 1: A·1 − b = PRIOR − PRIOR/2.
        double[] ones = new double[a.n], y = new double[a.n];
        java.util.Arrays.fill(ones, 1);
        a.multiply(ones, y);
        for (int i = 0; i < a.n; i++) assertEquals(MattingLaplacian.PRIOR / 2, y[i] - s.rhs()[i], 1e-6);
    }

    private static double entry(CsrMatrix a, int i, int j) {
        for (int k = a.rowPtr[i]; k < a.rowPtr[i + 1]; k++) if (a.col[k] == j) return a.val[k];
        return 0;
    }

    @Test
    void icholIsExactOnTridiagonalAndBeatsJacobi() {
        int n = 400;
        int[] rp = new int[n + 1];
        int[] col = new int[3 * n];
        double[] val = new double[3 * n];
        int p = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0) { col[p] = i - 1; val[p++] = -1; }
            col[p] = i; val[p++] = 2.001;
            if (i < n - 1) { col[p] = i + 1; val[p++] = -1; }
            rp[i + 1] = p;
        }
        CsrMatrix a = new CsrMatrix(n, rp, col, val);
        double[] truth = new double[n], b = new double[n];
        for (int i = 0; i < n; i++) truth[i] = Math.sin(i * 0.05);
        a.multiply(truth, b);
        double[] x = new double[n];
        ConjugateGradient.Result ic = ConjugateGradient.solve(a, b, x, new IncompleteCholesky(a), 1e-10, 1000, TaskContext.NONE);
        assertTrue(ic.iterations() <= 2, "IC(0) of a tridiagonal matrix is its exact Cholesky: " + ic);
        for (int i = 0; i < n; i++) assertEquals(truth[i], x[i], 1e-7);
        double[] xj = new double[n];
        ConjugateGradient.Result jac = ConjugateGradient.solve(a, b, xj, new JacobiPreconditioner(a), 1e-10, 5000, TaskContext.NONE);
        assertTrue(jac.converged() && jac.iterations() > 50 * ic.iterations(), "jacobi " + jac + " vs ichol " + ic);
    }
}
