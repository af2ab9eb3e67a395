package studio.matting.bench;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.Parallel;
import studio.matting.problems.ProblemFinder;
import studio.matting.refine.AlphaRefiner;
import studio.matting.refine.Decontamination;
import studio.matting.refine.EdgeBand;
import studio.matting.refine.RefinePreview;
import studio.matting.refine.Refinements;
import studio.matting.trimap.Trimap;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The {@code refine} bench suite: edge refinement speed on a 12-megapixel (4000×3000) matte — each refinement on the
 * editor's preview (the path {@code MattePreview} runs: {@link RefinePreview#layers} at
 * {@link RefinePreview#EDITOR_MAX_SIDE}, i.e. 1334×1000, with the band width measured on the trimap when Shift Edge
 * needs it) and at full resolution (export), decontamination and the problem finder. Median of several runs after
 * warm-ups, with the process CPU time per call beside the wall clock. The refinements compute only the tiles near the
 * edge ({@code ActiveTiles}), so the synthetic silhouette's edge length matters, not its area.
 */
final class RefineBenchmark {
    private RefineBenchmark() { }

    /**
     * A slider drag is tens of preview calls, so the preview is timed as the drag's steady state (the JIT has compiled
     * the passes by then); the first call's cost is reported on its own line.
     */
    private static final int PREVIEW_WARM = 12, PREVIEW_RUNS = 15;

    /** {@code previewOnly}: only the preview timings. @return 0 */
    static int run(PrintStream out, boolean previewOnly) {
        int w = 4000, h = 3000;
        FloatImage alpha = portraitAlpha(w, h);
        double band = 36;
        out.printf(Locale.ROOT, "edge refinements, 4000x3000 α (%d threads, max heap %d MiB)%n", Parallel.threads(),
                Runtime.getRuntime().maxMemory() >> 20);
        Refinements[] cases = {
                Refinements.NONE.withSmooth(50), Refinements.NONE.withFeather(10), Refinements.NONE.withFeather(100),
                Refinements.NONE.withContrast(50), Refinements.NONE.withShiftEdge(50), Refinements.NONE.withShiftEdge(-50),
                new Refinements(50, 10, 50, 50, 100)};
        String[] names = {"smooth 50", "feather 10 px", "feather 100 px", "contrast 50 %", "shift edge +50 %", "shift edge -50 %", "all four"};

        ByteImage image = new ByteImage(w, h, 3);
        FloatImage fg = new FloatImage(w, h, 3);
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < image.data.length; i++) image.data[i] = (byte) (96 + rnd.nextInt(64));
        for (int i = 0; i < fg.data.length; i++) fg.data[i] = 0.5f + 0.1f * (float) rnd.nextDouble();
        Trimap trimap = new Trimap(w, h);
        for (int i = 0; i < trimap.data.length; i++) {
            float a = alpha.data[i];
            trimap.data[i] = (byte) (a >= 0.999f ? Trimap.FOREGROUND : a <= 0.001f ? Trimap.BACKGROUND : Trimap.UNKNOWN);
        }

        RefinePreview preview = new RefinePreview();
        int side = RefinePreview.EDITOR_MAX_SIDE;
        long t0 = System.nanoTime();
        RefinePreview.Layers first = preview.layers(image, alpha, fg, Refinements.NONE, band, side);
        out.printf(Locale.ROOT, "  preview %dx%d (factor %d): first call incl. reducing α, photo and F %.1f ms%n",
                first.alpha().width, first.alpha().height, preview.factor(), (System.nanoTime() - t0) / 1e6);
        report(out, "band width from the 12 MP trimap (Shift Edge)", time(() -> EdgeBand.width(trimap), 1, 5));
        for (int i = 0; i < cases.length; i++) {
            Refinements r = cases[i];
            report(out, "preview  " + names[i], time(() -> preview.layers(image, alpha, fg, r, band, side), PREVIEW_WARM, PREVIEW_RUNS));
        }
        report(out, "preview  decontaminate 50 %", time(() -> preview.layers(image, alpha, fg, Refinements.NONE.withDecontaminate(50), band, side), PREVIEW_WARM, PREVIEW_RUNS));
        if (previewOnly) return 0;
        AlphaRefiner full = new AlphaRefiner();
        for (int i = 0; i < cases.length; i++) {
            Refinements r = cases[i];
            report(out, "full res " + names[i], time(() -> full.apply(alpha, r, band), 1, 3));
        }
        report(out, "decontaminate 50 % (12 MP colours)", time(() -> Decontamination.blend(image, fg, 50), 1, 3));
        report(out, "problem finder (12 MP, F and trimap)", time(() -> ProblemFinder.find(image, alpha, fg, trimap), 1, 3));
        return 0;
    }

    /** An ellipse "head and shoulders" silhouette with a 4 px soft edge and a jagged rim (what Smooth works on). */
    static FloatImage portraitAlpha(int w, int h) {
        FloatImage a = new FloatImage(w, h, 1);
        Parallel.rows(h, w, (y0, y1) -> {
            for (int y = y0; y < y1; y++)
                for (int x = 0; x < w; x++) {
                    double head = 1 - Math.hypot((x - w / 2.0) / (w * 0.18), (y - h * 0.35) / (h * 0.28));
                    double body = 1 - Math.hypot((x - w / 2.0) / (w * 0.42), (y - h * 1.05) / (h * 0.45));
                    double jag = 0.004 * Math.sin(x * 0.21) * Math.sin(y * 0.17);
                    double d = Math.max(head, body) + jag;
                    a.data[y * w + x] = (float) Math.max(0, Math.min(1, 0.5 + d * 900 / 4));
                }
        });
        return a;
    }

    /**
     * Wall-clock times sorted, plus (last element) the process CPU time per run: on a machine shared with other jobs
     * the wall clock mostly measures the queue, while CPU ms say what the work costs (wall ≈ CPU / threads when idle).
     */
    private static double[] time(Supplier<?> task, int warm, int runs) {
        for (int i = 0; i < warm; i++) task.get();
        double[] ms = new double[runs + 1];
        long cpu0 = cpuNanos();
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            task.get();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        ms[runs] = (cpuNanos() - cpu0) / 1e6 / runs;
        Arrays.sort(ms, 0, runs);
        return ms;
    }

    private static long cpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() : 0;
    }

    private static void report(PrintStream out, String what, double[] ms) {
        int runs = ms.length - 1;
        out.printf(Locale.ROOT, "  %-40s median %8.1f ms   min %8.1f ms   CPU %8.1f ms%n", what, ms[runs / 2], ms[0], ms[runs]);
    }
}
