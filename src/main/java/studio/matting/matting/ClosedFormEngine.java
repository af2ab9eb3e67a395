package studio.matting.matting;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.Rect;
import studio.matting.matting.laplacian.MattingLaplacian;
import studio.matting.matting.preconditioner.IncompleteCholesky;
import studio.matting.matting.preconditioner.JacobiPreconditioner;
import studio.matting.matting.preconditioner.Preconditioner;
import studio.matting.matting.preconditioner.ThresholdIncompleteCholesky;
import studio.matting.matting.solver.ConjugateGradient;
import studio.matting.matting.solver.CsrMatrix;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;

/**
 * Closed-form matting (Levin et al. 2008) with hard trimap constraints: the matting Laplacian restricted to the
 * unknown pixels, solved by conjugate gradients preconditioned with a threshold incomplete Cholesky (ICT, drop
 * tolerance 1e-4, as pymatting does).
 * <p>Degenerate inputs: a trimap without unknown pixels is returned as α unchanged; a trimap with no known pixel at
 * all has no constraint, and the closed-form energy is then minimised by <em>every</em> constant α, so the engine
 * returns the maximum-uncertainty answer α = ½ everywhere instead of solving a singular system. Gray and RGBA inputs
 * are used as RGB (gray replicated, alpha ignored).
 */
public final class ClosedFormEngine implements MattingEngine {
    public static final String ID = "closed-form";
    /** Name of the default preconditioner, for the bench header. */
    public static final String PRECONDITIONER = "ichol-t";

    private final int radius;
    private final double epsilon;
    private final double tolerance;
    private final int maxIterations;
    private final boolean jacobi;
    private volatile Stats lastStats;

    /** What the last solve cost; read by {@code bench}. */
    public record Stats(int unknown, long nonZeros, int iterations, double relativeResidual, boolean converged,
                        double laplacianSeconds, double preconditionerSeconds, double solveSeconds, String preconditioner) { }

    /** pymatting's defaults: radius 1, ε = 1e-7, relative tolerance 1e-7. */
    public ClosedFormEngine() { this(1, 1e-7, 1e-7, 10_000); }

    public ClosedFormEngine(int radius, double epsilon, double tolerance, int maxIterations) {
        this(radius, epsilon, tolerance, maxIterations, false);
    }

    /** @param jacobi use plain Jacobi instead of incomplete Cholesky — only for the bench comparison */
    public ClosedFormEngine(int radius, double epsilon, double tolerance, int maxIterations, boolean jacobi) {
        if (radius < 1) throw new IllegalArgumentException("radius must be >= 1");
        if (!(epsilon > 0)) throw new IllegalArgumentException("epsilon must be > 0");
        this.radius = radius;
        this.epsilon = epsilon;
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
        this.jacobi = jacobi;
    }

    @Override public String id() { return ID; }

    @Override public String displayName() { return "Closed-form (Levin et al.)"; }

    public Stats lastStats() { return lastStats; }

    @Override
    public FloatImage matte(ByteImage rgb, Trimap trimap, TaskContext ctx) throws MattingException {
        check(rgb, trimap);
        int w = rgb.width, h = rgb.height, np = w * h;
        boolean[] unknown = new boolean[np];
        float[] known = new float[np];
        int nUnknown = constraints(trimap, unknown, known);
        FloatImage out = new FloatImage(w, h, 1);
        if (nUnknown == 0) {
            System.arraycopy(known, 0, out.data, 0, np);
            return out;
        }
        if (nUnknown == np) {
            java.util.Arrays.fill(out.data, 0.5f);
            return out;
        }
        float[] colors = colors(rgb, new Rect(0, 0, w, h));
        float[] alpha = solve(colors, w, h, unknown, known, null, ctx);
        System.arraycopy(alpha, 0, out.data, 0, np);
        return out;
    }

    /**
     * Solves only the unknown pixels inside {@code roi}, on a crop that adds a margin of 2·radius (every Laplacian
     * entry of those pixels lies within it). Unknown pixels of the margin are fixed to their {@code previous} α, so
     * with an unchanged neighbourhood the result inside the roi matches a full solve.
     */
    @Override
    public FloatImage matteRegion(ByteImage rgb, Trimap trimap, Rect roi, FloatImage previous, TaskContext ctx) throws MattingException {
        check(rgb, trimap);
        if (previous == null) return matte(rgb, trimap, ctx);
        if (!previous.sameSize(rgb.width, rgb.height) || previous.channels != 1)
            throw new MattingException("previous α is " + previous + ", expected " + rgb.width + "x" + rgb.height + "x1");
        Rect full = Rect.of(rgb.width, rgb.height);
        Rect r = roi.intersect(full);
        FloatImage out = new FloatImage(rgb.width, rgb.height, 1);
        for (int y = 0; y < rgb.height; y++)
            for (int x = 0; x < rgb.width; x++) out.data[y * rgb.width + x] = previous.get(x, y, 0);
        if (r.isEmpty()) return out;
        Rect c = r.expand(2 * radius).intersect(full);
        int cw = c.width(), ch = c.height(), np = cw * ch;
        boolean[] unknown = new boolean[np];
        float[] known = new float[np];
        float[] warm = new float[np];
        int nUnknown = 0;
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) {
                int gx = c.x() + x, gy = c.y() + y, i = y * cw + x;
                int t = trimap.get(gx, gy);
                float prev = previous.get(gx, gy, 0);
                warm[i] = prev;
                if (t == Trimap.UNKNOWN && r.contains(gx, gy)) {
                    unknown[i] = true;
                    nUnknown++;
                } else if (t == Trimap.UNKNOWN) {
                    known[i] = Math.max(0f, Math.min(1f, prev));
                } else {
                    known[i] = t == Trimap.FOREGROUND ? 1f : 0f;
                }
            }
        }
        float[] alpha;
        if (nUnknown == 0) alpha = known;
        else if (nUnknown == np) { alpha = new float[np]; java.util.Arrays.fill(alpha, 0.5f); }
        else alpha = solve(colors(rgb, c), cw, ch, unknown, known, warm, ctx);
        for (int y = r.y(); y < r.bottom(); y++)
            for (int x = r.x(); x < r.right(); x++)
                out.data[y * rgb.width + x] = alpha[(y - c.y()) * cw + (x - c.x())];
        return out;
    }

    private float[] solve(float[] colors, int w, int h, boolean[] unknown, float[] known, float[] warm, TaskContext ctx) {
        ctx.checkCancelled();
        ctx.progress(0, "building matting Laplacian");
        long t0 = System.nanoTime();
        MattingLaplacian.System sys = MattingLaplacian.build(colors, w, h, unknown, known, radius, epsilon);
        long t1 = System.nanoTime();
        ctx.checkCancelled();
        ctx.progress(0.1, "preconditioning");
        Preconditioner m = jacobi ? new JacobiPreconditioner(sys.matrix()) : preconditioner(sys.matrix());
        long t2 = System.nanoTime();
        int n = sys.pixels().length;
        double[] x = new double[n];
        for (int k = 0; k < n; k++) x[k] = warm != null ? warm[sys.pixels()[k]] : 0.5;
        ConjugateGradient.Result res = ConjugateGradient.solve(sys.matrix(), sys.rhs(), x, m, tolerance, maxIterations, ctx.sub(0.15, 1));
        long t3 = System.nanoTime();
        lastStats = new Stats(n, sys.matrix().nnz(), res.iterations(), res.relativeResidual(), res.converged(),
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, m.name());
        float[] alpha = known.clone();
        for (int k = 0; k < n; k++) {
            double v = x[k];
            alpha[sys.pixels()[k]] = (float) (v < 0 ? 0 : v > 1 ? 1 : Double.isNaN(v) ? 0.5 : v);
        }
        ctx.progress(1, "α solved");
        return alpha;
    }

    /** ICT, or IC(0) when ICT's fill would not fit its memory budget (very large unknown regions). */
    private static Preconditioner preconditioner(CsrMatrix a) {
        try {
            return new ThresholdIncompleteCholesky(a);
        } catch (ThresholdIncompleteCholesky.TooMuchFillException e) {
            return new IncompleteCholesky(a);
        }
    }

    private static void check(ByteImage rgb, Trimap trimap) throws MattingException {
        if (rgb == null || trimap == null) throw new MattingException("image and trimap are required");
        if (!rgb.sameSize(trimap.width, trimap.height))
            throw new MattingException("trimap is " + trimap.width + "x" + trimap.height + " but the image is " + rgb.width + "x" + rgb.height);
    }

    private static int constraints(Trimap trimap, boolean[] unknown, float[] known) {
        int n = 0;
        for (int i = 0; i < unknown.length; i++) {
            int t = trimap.data[i] & 0xFF;
            if (t == Trimap.UNKNOWN) { unknown[i] = true; n++; }
            else known[i] = t == Trimap.FOREGROUND ? 1f : 0f;
        }
        return n;
    }

    /** Interleaved RGB in [0,1] of a crop; gray is replicated, a 4th channel ignored. */
    static float[] colors(ByteImage img, Rect c) {
        int cw = c.width(), ch = c.height();
        float[] out = new float[cw * ch * 3];
        int chn = img.channels;
        for (int y = 0; y < ch; y++) {
            int s = (c.y() + y) * img.stride + c.x() * chn, d = y * cw * 3;
            for (int x = 0; x < cw; x++, s += chn, d += 3) {
                if (chn == 1) {
                    float v = (img.data[s] & 0xFF) / 255f;
                    out[d] = v; out[d + 1] = v; out[d + 2] = v;
                } else {
                    out[d] = (img.data[s] & 0xFF) / 255f;
                    out[d + 1] = (img.data[s + 1] & 0xFF) / 255f;
                    out[d + 2] = (img.data[s + 2] & 0xFF) / 255f;
                }
            }
        }
        return out;
    }
}
