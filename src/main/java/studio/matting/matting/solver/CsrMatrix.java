package studio.matting.matting.solver;

import studio.matting.image.Parallel;

/**
 * A square sparse matrix in compressed sparse row form with sorted column indices per row. Flat arrays only, so the
 * solver's inner loops touch no objects.
 */
public final class CsrMatrix {
    public final int n;
    public final int[] rowPtr;
    public final int[] col;
    public final double[] val;

    public CsrMatrix(int n, int[] rowPtr, int[] col, double[] val) {
        if (rowPtr.length != n + 1) throw new IllegalArgumentException("rowPtr length must be n+1");
        this.n = n;
        this.rowPtr = rowPtr;
        this.col = col;
        this.val = val;
    }

    public int nnz() { return rowPtr[n]; }

    /** y = A x, parallel over row bands (rows are independent). */
    public void multiply(double[] x, double[] y) {
        int avg = n == 0 ? 1 : Math.max(1, nnz() / n);
        Parallel.rows(n, avg, (r0, r1) -> {
            for (int i = r0; i < r1; i++) {
                double s = 0;
                for (int k = rowPtr[i], e = rowPtr[i + 1]; k < e; k++) s += val[k] * x[col[k]];
                y[i] = s;
            }
        });
    }

    public double diagonal(int i) {
        for (int k = rowPtr[i], e = rowPtr[i + 1]; k < e; k++) if (col[k] == i) return val[k];
        return 0;
    }
}
