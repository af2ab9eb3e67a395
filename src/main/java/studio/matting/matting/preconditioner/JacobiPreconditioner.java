package studio.matting.matting.preconditioner;

import studio.matting.matting.solver.CsrMatrix;

/**
 * Diagonal scaling. Kept only as the baseline the bench compares against: on the matting Laplacian (ε = 1e-7) it
 * needs an order of magnitude more CG iterations than {@link IncompleteCholesky}.
 */
public final class JacobiPreconditioner implements Preconditioner {
    private final double[] invDiag;

    public JacobiPreconditioner(CsrMatrix a) {
        invDiag = new double[a.n];
        for (int i = 0; i < a.n; i++) {
            double d = a.diagonal(i);
            invDiag[i] = d > 0 ? 1.0 / d : 1.0;
        }
    }

    @Override public void apply(double[] r, double[] z) {
        for (int i = 0; i < r.length; i++) z[i] = r[i] * invDiag[i];
    }

    @Override public String name() { return "jacobi"; }
}
