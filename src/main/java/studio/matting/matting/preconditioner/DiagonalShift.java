package studio.matting.matting.preconditioner;

/**
 * The breakdown policy both incomplete Cholesky factorisations share: an incomplete factor of an SPD matrix can still
 * meet a non-positive pivot, and then the whole factorisation is redone on A + σ·diag(A) with σ growing ×4 (from 1e-4
 * when it started at 0), Manteuffel's shift, which keeps M symmetric positive definite.
 */
final class DiagonalShift {
    /** One factorisation of A + σ·diag(A); false on a non-positive pivot. */
    @FunctionalInterface
    interface Attempt {
        boolean factor(double sigma);
    }

    private static final int MAX_ATTEMPTS = 30;

    private DiagonalShift() { }

    /** @return the σ that succeeded */
    static double find(double initial, Attempt attempt, String what) {
        double s = initial;
        for (int i = 0; i < MAX_ATTEMPTS; i++) {
            if (attempt.factor(s)) return s;
            s = s == 0 ? 1e-4 : s * 4;
        }
        throw new IllegalStateException(what + " failed even with diagonal shift");
    }
}
