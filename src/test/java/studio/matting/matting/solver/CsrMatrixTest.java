package studio.matting.matting.solver;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CsrMatrixTest {
    /** Rows of every length from 0 to 11 (the product sums in four partial sums plus a remainder), against a plain loop. */
    @Test
    void multiplyMatchesAPlainRowSum() {
        SplittableRandom rnd = new SplittableRandom(7);
        int n = 60;
        int[] rowPtr = new int[n + 1];
        for (int i = 0; i < n; i++) rowPtr[i + 1] = rowPtr[i] + Math.min(n, i % 12);
        int[] col = new int[rowPtr[n]];
        double[] val = new double[rowPtr[n]];
        for (int i = 0; i < n; i++)
            for (int k = rowPtr[i], c = 0; k < rowPtr[i + 1]; k++, c += 1 + rnd.nextInt(3)) {
                col[k] = c % n;
                val[k] = rnd.nextDouble() * 2 - 1;
            }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = rnd.nextDouble() * 10 - 5;
        double[] y = new double[n];
        new CsrMatrix(n, rowPtr, col, val).multiply(x, y);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = rowPtr[i]; k < rowPtr[i + 1]; k++) s += val[k] * x[col[k]];
            assertEquals(s, y[i], 1e-12, "row " + i + " with " + (rowPtr[i + 1] - rowPtr[i]) + " entries");
        }
    }
}
