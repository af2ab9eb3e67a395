package studio.matting.matting;

import org.junit.jupiter.api.Test;
import studio.matting.matting.laplacian.MattingLaplacian;
import studio.matting.matting.preconditioner.IncompleteCholesky;
import studio.matting.matting.preconditioner.ThresholdIncompleteCholesky;
import studio.matting.matting.solver.ConjugateGradient;
import studio.matting.matting.solver.CsrMatrix;
import studio.matting.task.TaskContext;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class ThresholdIncompleteCholeskyTest {
    /** 2-D 5-point Laplacian plus a small diagonal: SPD, and its Cholesky factor fills in the whole band. */
    private static CsrMatrix grid(int w, int h) {
        return grid(w, h, 4.01);
    }

    /** The 5-point stencil with the given diagonal (below 4: indefinite, every factorisation breaks down unshifted). */
    private static CsrMatrix grid(int w, int h, double diagonal) {
        int n = w * h;
        int[] rp = new int[n + 1];
        int[] col = new int[5 * n];
        double[] val = new double[5 * n];
        int p = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (y > 0) { col[p] = i - w; val[p++] = -1; }
                if (x > 0) { col[p] = i - 1; val[p++] = -1; }
                col[p] = i; val[p++] = diagonal;
                if (x < w - 1) { col[p] = i + 1; val[p++] = -1; }
                if (y < h - 1) { col[p] = i + w; val[p++] = -1; }
                rp[i + 1] = p;
            }
        return new CsrMatrix(n, rp, col, val);
    }

    @Test
    void aBreakdownLeavesNothingBehindForTheShiftedRetry() {
        // Broken columns run to the end of the column with a NaN or infinite pivot (so that the rare breakdown is no
        // branch of the hot loop); the retry must then equal a factorisation started at the shift that worked.
        CsrMatrix a = grid(40, 30, 2.5);
        double[] r = new double[a.n];
        for (int i = 0; i < a.n; i++) r[i] = Math.sin(i * 0.7) + 0.1;
        for (int domains : new int[]{1, 3}) {
            ThresholdIncompleteCholesky retried = new ThresholdIncompleteCholesky(a, 1e-4, 96, 0, Long.MAX_VALUE / 4, domains);
            assertTrue(retried.shift() > 0, "the unshifted factorisation should break down");
            ThresholdIncompleteCholesky direct = new ThresholdIncompleteCholesky(a, 1e-4, 96, retried.shift(), Long.MAX_VALUE / 4, domains);
            assertEquals(retried.shift(), direct.shift());
            assertEquals(direct.nnz(), retried.nnz());
            double[] zr = new double[a.n], zd = new double[a.n];
            retried.apply(r, zr);
            direct.apply(r, zd);
            assertArrayEquals(zd, zr, "domains " + domains);
            for (double v : zr) assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void zeroThresholdGivesTheExactCholeskyFactor() {
        CsrMatrix a = grid(12, 10);
        double[] truth = new double[a.n], b = new double[a.n];
        for (int i = 0; i < a.n; i++) truth[i] = Math.cos(i * 0.3);
        a.multiply(truth, b);
        ThresholdIncompleteCholesky exact = new ThresholdIncompleteCholesky(a, 0, a.n);
        assertEquals(0, exact.shift());
        // Fill-in happened: the exact factor of a banded matrix fills the band (IC(0) would keep only 3 per row).
        assertTrue(exact.nnz() > 3 * a.n, "nnz " + exact.nnz());
        // M = L Lᵀ = A (up to L's single-precision storage), so applying M⁻¹ to b solves the system directly and CG
        // stops after a step or two.
        double[] z = new double[a.n];
        exact.apply(b, z);
        for (int i = 0; i < a.n; i++) assertEquals(truth[i], z[i], 1e-6);
        double[] x = new double[a.n];
        ConjugateGradient.Result r = ConjugateGradient.solve(a, b, x, exact, 1e-10, 100, TaskContext.NONE);
        assertTrue(r.converged() && r.iterations() <= 2, r.toString());
        // The per-column cap bounds the fill: with 2 entries per column it stores at most 3 per column.
        ThresholdIncompleteCholesky capped = new ThresholdIncompleteCholesky(a, 0, 2);
        assertTrue(capped.nnz() <= 3 * a.n, "capped nnz " + capped.nnz());
        // A total budget below the exact factor's size is refused instead of growing without bound.
        assertThrows(ThresholdIncompleteCholesky.TooMuchFillException.class,
                () -> new ThresholdIncompleteCholesky(a, 0, a.n, 0, exact.nnz() - 1));
        assertEquals(exact.nnz(), new ThresholdIncompleteCholesky(a, 0, a.n, 0, exact.nnz()).nnz());
    }

    /** The matting Laplacian of a soft vertical edge between two noisy colours, unknown in a wide band around it. */
    private static MattingLaplacian.System softEdge48x40(long seed) {
        int w = 48, h = 40;
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] rgb = new float[w * h * 3];
        boolean[] unknown = new boolean[w * h];
        float[] known = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double a = Math.max(0, Math.min(1, (x - 24 + 3 * Math.sin(y * 0.4)) / 6.0 + 0.5));
                for (int c = 0; c < 3; c++)
                    rgb[i * 3 + c] = (float) (a * (0.9 - 0.2 * c) + (1 - a) * (0.1 + 0.3 * c) + 0.02 * rnd.nextDouble());
                unknown[i] = x >= 8 && x < 40;
                known[i] = x < 24 ? 0f : 1f;
            }
        return MattingLaplacian.build(rgb, w, h, unknown, known, 1, 1e-7);
    }

    @Test
    void beatsIc0OnAMattingLaplacian() {
        MattingLaplacian.System s = softEdge48x40(11);
        CsrMatrix a = s.matrix();
        double[] x0 = new double[a.n], x1 = new double[a.n];
        java.util.Arrays.fill(x0, 0.5);
        java.util.Arrays.fill(x1, 0.5);
        ConjugateGradient.Result ic0 = ConjugateGradient.solve(a, s.rhs(), x0, new IncompleteCholesky(a), 1e-7, 5000, TaskContext.NONE);
        ConjugateGradient.Result ict = ConjugateGradient.solve(a, s.rhs(), x1, new ThresholdIncompleteCholesky(a), 1e-7, 5000, TaskContext.NONE);
        assertTrue(ic0.converged() && ict.converged(), ic0 + " / " + ict);
        assertTrue(ict.iterations() * 2 < ic0.iterations(), "ichol-t " + ict + " vs ichol0 " + ic0);
        double maxDiff = 0;
        for (int i = 0; i < a.n; i++) maxDiff = Math.max(maxDiff, Math.abs(x0[i] - x1[i]));
        assertTrue(maxDiff < 1e-3, "both solve the same system: max |Δα| " + maxDiff);
    }

    @Test
    void domainsReorderButStayExactWithZeroThreshold() {
        CsrMatrix a = grid(40, 37);
        double[] truth = new double[a.n], b = new double[a.n];
        for (int i = 0; i < a.n; i++) truth[i] = Math.sin(i * 0.17) + 0.1 * (i % 7);
        a.multiply(truth, b);
        ThresholdIncompleteCholesky exact = new ThresholdIncompleteCholesky(a, 0, a.n, 0, Integer.MAX_VALUE, 4);
        assertEquals(4, exact.domains());
        // Separators: the grid rows just before each of the 3 cuts (the 5-point stencil reaches one row down).
        assertTrue(exact.separatorSize() > 0 && exact.separatorSize() <= 3 * 2 * 40, "separator " + exact.separatorSize());
        double[] z = new double[a.n];
        exact.apply(b, z);
        for (int i = 0; i < a.n; i++) assertEquals(truth[i], z[i], 1e-6, "unknown " + i);
        // Applying twice gives the same answer: the instance's buffers carry nothing over.
        double[] z2 = new double[a.n];
        exact.apply(b, z2);
        assertArrayEquals(z, z2);
    }

    @Test
    void domainsConvergeLikeTheSequentialFactorOnAMattingLaplacian() {
        int w = 64, h = 160;
        SplittableRandom rnd = new SplittableRandom(3);
        float[] rgb = new float[w * h * 3];
        boolean[] unknown = new boolean[w * h];
        float[] known = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double a = Math.max(0, Math.min(1, (x - 32 + 5 * Math.sin(y * 0.2)) / 8.0 + 0.5));
                for (int c = 0; c < 3; c++)
                    rgb[i * 3 + c] = (float) (a * (0.8 - 0.2 * c) + (1 - a) * (0.15 + 0.25 * c) + 0.03 * rnd.nextDouble());
                unknown[i] = x >= 12 && x < 52;
                known[i] = x < 32 ? 0f : 1f;
            }
        MattingLaplacian.System s = MattingLaplacian.build(rgb, w, h, unknown, known, 1, 1e-7);
        CsrMatrix a = s.matrix();
        double[] x1 = new double[a.n], x4 = new double[a.n];
        java.util.Arrays.fill(x1, 0.5);
        java.util.Arrays.fill(x4, 0.5);
        ThresholdIncompleteCholesky one = new ThresholdIncompleteCholesky(a, 1e-4, 96, 4e-4, Integer.MAX_VALUE, 1);
        ThresholdIncompleteCholesky four = new ThresholdIncompleteCholesky(a, 1e-4, 96, 4e-4, Integer.MAX_VALUE, 4);
        assertEquals(1, one.domains());
        assertEquals(4, four.domains());
        ConjugateGradient.Result r1 = ConjugateGradient.solve(a, s.rhs(), x1, one, 1e-7, 5000, TaskContext.NONE);
        ConjugateGradient.Result r4 = ConjugateGradient.solve(a, s.rhs(), x4, four, 1e-7, 5000, TaskContext.NONE);
        assertTrue(r1.converged() && r4.converged(), r1 + " / " + r4);
        assertTrue(r4.iterations() <= r1.iterations() * 3 / 2 + 3, "4 domains " + r4 + " vs 1 " + r1);
        double maxDiff = 0;
        for (int i = 0; i < a.n; i++) maxDiff = Math.max(maxDiff, Math.abs(x1[i] - x4[i]));
        assertTrue(maxDiff < 1e-3, "same system, same answer: max |Δα| " + maxDiff);
    }

    @Test
    void warmStartFactorIsLooserButSolvesTheSameSystemFromANearbyStart() {
        MattingLaplacian.System s = softEdge48x40(5);
        CsrMatrix a = s.matrix();
        ThresholdIncompleteCholesky tight = new ThresholdIncompleteCholesky(a);
        ThresholdIncompleteCholesky loose = ThresholdIncompleteCholesky.forWarmStart(a);
        assertTrue(tight.shift() >= ThresholdIncompleteCholesky.DEFAULT_INITIAL_SHIFT, "tight σ " + tight.shift());
        assertTrue(loose.shift() >= ThresholdIncompleteCholesky.WARM_START_SHIFT, "loose σ " + loose.shift());
        // the reference answer, then both factors from a start near it (as a stroke's re-matte starts at the current α)
        double[] ref = new double[a.n];
        java.util.Arrays.fill(ref, 0.5);
        assertTrue(ConjugateGradient.solve(a, s.rhs(), ref, tight, 1e-10, 5000, TaskContext.NONE).converged());
        double[] xt = new double[a.n], xl = new double[a.n];
        for (int i = 0; i < a.n; i++) xt[i] = xl[i] = ref[i] + 0.01 * Math.sin(i * 0.7);
        ConjugateGradient.Result rt = ConjugateGradient.solve(a, s.rhs(), xt, tight, 1e-7, 5000, TaskContext.NONE);
        ConjugateGradient.Result rl = ConjugateGradient.solve(a, s.rhs(), xl, loose, 1e-7, 5000, TaskContext.NONE);
        assertTrue(rt.converged() && rl.converged(), rt + " / " + rl);
        // the looser factor may need a few more iterations, not many more
        assertTrue(rl.iterations() <= 2 * rt.iterations() + 5, "loose " + rl + " vs tight " + rt);
        double maxDiff = 0;
        for (int i = 0; i < a.n; i++) maxDiff = Math.max(maxDiff, Math.abs(xl[i] - ref[i]));
        assertTrue(maxDiff < 1e-3, "same answer: max |Δα| " + maxDiff);
    }

    @Test
    void rejectsBadParameters() {
        CsrMatrix a = grid(3, 3);
        assertThrows(IllegalArgumentException.class, () -> new ThresholdIncompleteCholesky(a, -1, 10));
        assertThrows(IllegalArgumentException.class, () -> new ThresholdIncompleteCholesky(a, 1e-4, -1));
        assertThrows(IllegalArgumentException.class, () -> new ThresholdIncompleteCholesky(a, 1e-4, 10, -1e-3, 1000));
        assertThrows(IllegalArgumentException.class, () -> new ThresholdIncompleteCholesky(a, 1e-4, 10, 0, 1000, 0));
    }
}
