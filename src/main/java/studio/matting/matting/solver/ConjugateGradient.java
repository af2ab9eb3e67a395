package studio.matting.matting.solver;

import studio.matting.matting.preconditioner.Preconditioner;
import studio.matting.task.TaskContext;

/** Preconditioned conjugate gradients for SPD systems; checks for cancellation every iteration. */
public final class ConjugateGradient {
    /** @param iterations iterations done, @param relativeResidual ‖b − Ax‖ / ‖b‖ at the end */
    public record Result(int iterations, double relativeResidual, boolean converged) { }

    private ConjugateGradient() { }

    /**
     * Solves A x = b starting from the given x (warm start). Stops when ‖r‖ ≤ tol·‖b‖ or after maxIterations.
     * Progress is reported on a log scale of the residual, which is what actually moves linearly in CG.
     */
    public static Result solve(CsrMatrix a, double[] b, double[] x, Preconditioner m, double tol, int maxIterations, TaskContext ctx) {
        int n = a.n;
        double[] r = new double[n], z = new double[n], p = new double[n], q = new double[n];
        a.multiply(x, q);
        for (int i = 0; i < n; i++) r[i] = b[i] - q[i];
        double bNorm = Math.sqrt(dot(b, b));
        if (bNorm == 0) bNorm = 1; // b = 0: x = 0 is the answer; measure the residual absolutely
        double target = tol * bNorm;
        double rNorm = Math.sqrt(dot(r, r));
        double startLog = Math.log(Math.max(rNorm, 1e-300)), endLog = Math.log(target);
        if (rNorm <= target) return new Result(0, rNorm / bNorm, true);
        m.apply(r, z);
        System.arraycopy(z, 0, p, 0, n);
        double rz = dot(r, z);
        int it = 0;
        while (it < maxIterations) {
            ctx.checkCancelled();
            a.multiply(p, q);
            double pq = dot(p, q);
            if (!(pq > 0)) break; // lost positive definiteness numerically; x is the best we have
            double alpha = rz / pq;
            for (int i = 0; i < n; i++) {
                x[i] += alpha * p[i];
                r[i] -= alpha * q[i];
            }
            it++;
            rNorm = Math.sqrt(dot(r, r));
            if (rNorm <= target) return new Result(it, rNorm / bNorm, true);
            if ((it & 7) == 0 && startLog > endLog) {
                double f = (startLog - Math.log(rNorm)) / (startLog - endLog);
                ctx.progress(Math.max(0, Math.min(0.99, f)), "solving α (CG iteration " + it + ")");
            }
            m.apply(r, z);
            double rzNew = dot(r, z);
            double beta = rzNew / rz;
            rz = rzNew;
            for (int i = 0; i < n; i++) p[i] = z[i] + beta * p[i];
        }
        return new Result(it, rNorm / bNorm, rNorm <= target);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
