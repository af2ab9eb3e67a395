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

    /**
     * Below this many non-zeros a product runs on the calling thread: it takes well under a millisecond, and handing
     * it to the pool every CG iteration costs more than it saves — on a loaded machine a stroke's 10 k-unknown solve
     * waited for scheduled workers in every iteration.
     */
    static final int PARALLEL_NNZ = 1 << 20;

    /** y = A x, parallel over row bands (rows are independent) for large matrices. */
    public void multiply(double[] x, double[] y) {
        if (nnz() < PARALLEL_NNZ) {
            rows(x, y, 0, n);
            return;
        }
        int avg = n == 0 ? 1 : Math.max(1, nnz() / n);
        Parallel.rows(n, avg, (r0, r1) -> rows(x, y, r0, r1));
    }

    /** Four partial sums per row, so the ~25 products of a row do not wait on one chain of additions. */
    private void rows(double[] x, double[] y, int r0, int r1) {
        for (int i = r0; i < r1; i++) {
            int k = rowPtr[i], e = rowPtr[i + 1];
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (; k + 3 < e; k += 4) {
                s0 += val[k] * x[col[k]];
                s1 += val[k + 1] * x[col[k + 1]];
                s2 += val[k + 2] * x[col[k + 2]];
                s3 += val[k + 3] * x[col[k + 3]];
            }
            for (; k < e; k++) s0 += val[k] * x[col[k]];
            y[i] = (s0 + s1) + (s2 + s3);
        }
    }

    public double diagonal(int i) {
        for (int k = rowPtr[i], e = rowPtr[i + 1]; k < e; k++) if (col[k] == i) return val[k];
        return 0;
    }
}
