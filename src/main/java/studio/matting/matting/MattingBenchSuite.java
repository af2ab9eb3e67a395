package studio.matting.matting;

import studio.matting.cli.BenchCommand;
import studio.matting.cli.EvalCommand;
import studio.matting.foreground.ForegroundEstimator;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.Parallel;
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
 * iterations, peak heap growth during the solve (sampled every 5 ms) and multi-level foreground estimation time.
 */
public final class MattingBenchSuite implements BenchCommand.Suite {
    @Override public String name() { return "matting"; }

    @Override public String description() { return "closed-form solve + foreground estimation per image"; }

    @Override
    public int run(BenchCommand o, PrintStream out) throws Exception {
        List<EvalCommand.Case> cases = new ArrayList<>();
        if (o.images != null || o.trimaps != null) {
            if (o.images == null || o.trimaps == null) {
                out.println("give both --images and --trimaps");
                return 2;
            }
            // No ground truth needed: reuse the trimap folder as the "gt" side of the name matching.
            for (EvalCommand.Case c : EvalCommand.alphamattingCasesFrom(o.images, o.trimaps, o.only)) cases.add(c);
        } else {
            Path dir = o.alphamattingDir();
            if (!Files.isDirectory(dir.resolve("input"))) {
                out.println("skipped: no alphamatting data at " + dir.toAbsolutePath() + " (pass --alphamatting DIR or --images/--trimaps)");
                return 0;
            }
            cases.addAll(EvalCommand.alphamattingCases(dir, List.of(o.trimapSet), o.only));
        }
        if (o.limit > 0 && cases.size() > o.limit) cases = cases.subList(0, o.limit);
        out.printf(Locale.ROOT, "%d threads, max heap %d MiB, preconditioner %s%s%n", Parallel.threads(),
                Runtime.getRuntime().maxMemory() >> 20, ClosedFormEngine.PRECONDITIONER, o.compareJacobi ? " (and jacobi)" : "");
        out.printf(Locale.ROOT, "%-10s %9s %9s %7s %7s %7s %7s %6s %9s %8s%n", "image", "size", "unknown", "lap[s]", "ic[s]", "cg[s]",
                "total", "iters", "peak[MiB]", "fg[s]");
        double sumTotal = 0, sumFg = 0, sumIt = 0;
        long maxPeak = 0;
        List<String> jac = new ArrayList<>();
        for (EvalCommand.Case c : cases) {
            ByteImage img = ImageFiles.readRgb(c.image());
            Trimap t = TrimapFiles.read(c.trimap());
            ClosedFormEngine engine = new ClosedFormEngine();
            Sampler sampler = new Sampler();
            long t0 = System.nanoTime();
            FloatImage alpha = engine.matte(img, t, TaskContext.NONE);
            double total = (System.nanoTime() - t0) / 1e9;
            long peak = sampler.stop();
            ClosedFormEngine.Stats s = engine.lastStats();
            long f0 = System.nanoTime();
            new ForegroundEstimator().estimate(img, alpha, TaskContext.NONE);
            double fg = (System.nanoTime() - f0) / 1e9;
            out.printf(Locale.ROOT, "%-10s %9s %9d %7.2f %7.2f %7.2f %7.2f %6d %9d %8.2f%n", c.name(), img.width + "x" + img.height,
                    s == null ? 0 : s.unknown(), s == null ? 0 : s.laplacianSeconds(), s == null ? 0 : s.preconditionerSeconds(),
                    s == null ? 0 : s.solveSeconds(), total, s == null ? 0 : s.iterations(), peak >> 20, fg);
            sumTotal += total;
            sumFg += fg;
            sumIt += s == null ? 0 : s.iterations();
            maxPeak = Math.max(maxPeak, peak);
            if (o.compareJacobi) {
                ClosedFormEngine j = new ClosedFormEngine(1, 1e-7, 1e-7, 20_000, true);
                long j0 = System.nanoTime();
                j.matte(img, t, TaskContext.NONE);
                jac.add(String.format(Locale.ROOT, "%-10s jacobi: %.2f s, %d iterations (" + ClosedFormEngine.PRECONDITIONER + ": %.2f s, %d iterations)", c.name(),
                        (System.nanoTime() - j0) / 1e9, j.lastStats().iterations(), total, s == null ? 0 : s.iterations()));
            }
        }
        int n = Math.max(1, cases.size());
        out.printf(Locale.ROOT, "%-10s %9s %9s %7s %7s %7s %7.2f %6.0f %9d %8.2f%n", "mean(" + cases.size() + ")", "", "", "", "", "",
                sumTotal / n, sumIt / n, maxPeak >> 20, sumFg / n);
        for (String l : jac) out.println(l);
        return 0;
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
