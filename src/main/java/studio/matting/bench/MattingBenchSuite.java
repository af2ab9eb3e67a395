package studio.matting.bench;

import studio.matting.foreground.ForegroundEstimator;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.Parallel;
import studio.matting.io.ImageFolders;
import studio.matting.matting.ClosedFormEngine;
import studio.matting.metrics.MattingMetrics;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapFiles;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code matting} bench suite: per image, closed-form solve time (Laplacian assembly, ICT preconditioner setup, CG), CG
 * iterations, peak heap growth during the solve (sampled every 5 ms), multi-level foreground estimation time and,
 * where there is a ground truth, SAD (so a speed change can be checked for equal quality in the same run). Every row,
 * the mean included, has one token per column.
 */
public final class MattingBenchSuite implements Suite {
    @Override public String name() { return "matting"; }

    /**
     * Solves the first case once, untimed, so the JIT has compiled the solver before the first reported image (the
     * pipeline suite does the same). pymatting_bench.py warms numba up on a quarter of that image, which is enough for
     * a compiler that compiles a function whole at its first call; HotSpot compiles the solver's loops only after they
     * have run for a while (on 2 cores its compiler threads share them with the solve), and with a quarter image the
     * first four full-size solves still ran 1.5–4× slower than later ones.
     */
    private static void warmUp(ImageFolders.Match c, BenchOptions o) {
        try {
            ByteImage img = ImageFiles.readRgb(c.image());
            Trimap t = TrimapFiles.read(c.trimap());
            FloatImage a = new ClosedFormEngine(o.closedForm()).matte(img, t, TaskContext.NONE);
            new ForegroundEstimator().estimate(img, a, TaskContext.NONE);
        } catch (Exception e) { // the case itself will report what is wrong with it
        }
    }

    @Override public String description() { return "closed-form solve + foreground estimation per image"; }

    @Override
    public int run(BenchOptions o, PrintStream out) throws Exception {
        List<ImageFolders.Match> cases = new ArrayList<>();
        if (o.images() != null || o.trimaps() != null) {
            if (o.images() == null || o.trimaps() == null) {
                out.println("give both --images and --trimaps");
                return 2;
            }
            // No ground truth needed: reuse the trimap folder as the "gt" side of the name matching.
            cases.addAll(ImageFolders.matched(o.images(), o.trimaps(), o.trimaps(), o.trimaps().getFileName().toString(), o.only()));
        } else {
            Path dir = o.alphamattingDir();
            if (!Files.isDirectory(dir.resolve("input"))) {
                out.println("skipped: no alphamatting data at " + dir.toAbsolutePath() + " (pass --alphamatting DIR or --images/--trimaps)");
                return 0;
            }
            cases.addAll(ImageFolders.alphamatting(dir, List.of(o.trimapSet()), o.only()));
        }
        if (o.limit() > 0 && cases.size() > o.limit()) cases = cases.subList(0, o.limit());
        out.printf(Locale.ROOT, "%d threads, max heap %d MiB, preconditioner %s%s, JIT warmed up on the first image%n", Parallel.threads(),
                Runtime.getRuntime().maxMemory() >> 20, ClosedFormEngine.Preconditioning.ICT.id, o.compareJacobi() ? " (and jacobi)" : "");
        if (!cases.isEmpty()) warmUp(cases.get(0), o);
        out.printf(Locale.ROOT, "%-10s %9s %9s %7s %7s %7s %7s %6s %9s %8s %8s%n", "image", "size", "unknown", "lap[s]", "ic[s]", "cg[s]",
                "total", "iters", "peak[MiB]", "fg[s]", "SAD");
        double sumTotal = 0, sumFg = 0, sumIt = 0, sumSad = 0;
        int withGt = 0;
        long maxPeak = 0;
        List<String> jac = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (ImageFolders.Match c : cases) {
            ByteImage img;
            Trimap t;
            try {
                img = ImageFiles.readRgb(c.image());
                t = TrimapFiles.read(c.trimap());
            } catch (Exception e) { // a bad image is reported and left out of the means; the rest go on
                errors.add("error: " + c.name() + ": " + e.getMessage());
                continue;
            }
            ClosedFormEngine engine = new ClosedFormEngine(o.closedForm());
            Sampler sampler = new Sampler();
            long t0 = System.nanoTime();
            ClosedFormEngine.Result res = engine.matteWithStats(img, t, TaskContext.NONE);
            double total = (System.nanoTime() - t0) / 1e9;
            long peak = sampler.stop();
            FloatImage alpha = res.alpha();
            ClosedFormEngine.Stats s = res.stats();
            long f0 = System.nanoTime();
            new ForegroundEstimator().estimate(img, alpha, TaskContext.NONE);
            double fg = (System.nanoTime() - f0) / 1e9;
            // SAD against the ground truth when the case has one (with --images/--trimaps the trimap stands in for it)
            String sad = "-";
            if (!c.gt().equals(c.trimap())) {
                FloatImage gt = ImageFiles.readAlpha(c.gt());
                double v = MattingMetrics.sad(alpha.data, gt.data, t.data);
                sumSad += v;
                withGt++;
                sad = String.format(Locale.ROOT, "%.3f", v);
            }
            out.printf(Locale.ROOT, "%-10s %9s %9d %7.2f %7.2f %7.2f %7.2f %6d %9d %8.2f %8s%n", c.name(), img.width + "x" + img.height,
                    s.unknown(), s.laplacianSeconds(), s.preconditionerSeconds(),
                    s.solveSeconds(), total, s.iterations(), peak >> 20, fg, sad);
            sumTotal += total;
            sumFg += fg;
            sumIt += s.iterations();
            maxPeak = Math.max(maxPeak, peak);
            if (o.compareJacobi()) {
                ClosedFormEngine j = new ClosedFormEngine(o.closedForm()
                        .withPreconditioning(ClosedFormEngine.Preconditioning.JACOBI).withMaxIterations(20_000));
                long j0 = System.nanoTime();
                ClosedFormEngine.Stats js = j.matteWithStats(img, t, TaskContext.NONE).stats();
                jac.add(String.format(Locale.ROOT, "%-10s jacobi: %.2f s, %d iterations (%s: %.2f s, %d iterations)", c.name(),
                        (System.nanoTime() - j0) / 1e9, js.iterations(), s.preconditioner(), total, s.iterations()));
            }
        }
        int n = Math.max(1, cases.size() - errors.size());
        out.printf(Locale.ROOT, "%-10s %9s %9s %7s %7s %7s %7.2f %6.0f %9d %8.2f %8s%n", "mean(" + (cases.size() - errors.size()) + ")", "-", "-", "-", "-", "-",
                sumTotal / n, sumIt / n, maxPeak >> 20, sumFg / n, withGt == 0 ? "-" : String.format(Locale.ROOT, "%.3f", sumSad / withGt));
        for (String l : jac) out.println(l);
        for (String e : errors) out.println(e); // after the table, so it parses as one block
        return errors.isEmpty() ? 0 : 1;
    }

    /** Samples used heap on a daemon thread; reports the peak above the level at start. */
    private static final class Sampler {
        private final MemoryMXBean bean = ManagementFactory.getMemoryMXBean();
        private final long base;
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean running = true;
        private final Thread thread;

        Sampler() {
            System.gc();
            base = bean.getHeapMemoryUsage().getUsed();
            thread = new Thread(() -> {
                while (running) {
                    peak.accumulateAndGet(bean.getHeapMemoryUsage().getUsed(), Math::max);
                    try { Thread.sleep(5); } catch (InterruptedException e) { return; }
                }
            }, "bench-heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        long stop() throws InterruptedException {
            peak.accumulateAndGet(bean.getHeapMemoryUsage().getUsed(), Math::max);
            running = false;
            thread.join();
            return Math.max(0, peak.get() - base);
        }
    }
}
