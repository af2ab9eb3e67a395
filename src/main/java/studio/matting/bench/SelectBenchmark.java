package studio.matting.bench;

import studio.matting.image.Parallel;
import studio.matting.pipeline.Engines;
import studio.matting.segment.Segmenter;
import studio.matting.select.SelectScene;
import studio.matting.select.SubjectSelector;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * Box-selection speed on a generated 12-megapixel photo (4000×3000, a textured subject on a textured background with
 * a decoy the scribble removes): a box selection without a model, one seeded by the bundled segmentation model (two
 * GrabCut starts, one per core), and a scribble refinement. Median wall time of several runs after a warm-up, and the
 * process CPU time per run (on a loaded machine the CPU time is what a quiet one would spend). Bars: box ≤ 1 s,
 * scribble ≤ 0.5 s on 2 cores — run with {@code -XX:ActiveProcessorCount=2} to see them on a larger machine.
 */
final class SelectBenchmark {
    private SelectBenchmark() { }

    public static void main(String[] args) throws Exception {
        run(System.out, args.length > 0 ? Integer.parseInt(args[0]) : 5);
    }

    public static void run(PrintStream out, int runs) throws Exception {
        SelectScene s = SelectScene.render(4000, 3000, true, 1);
        Trimap stroke = s.decoyStroke();
        SubjectSelector.Options o = SubjectSelector.Options.defaults();
        Segmenter model = Engines.segmenter(null).orElse(null);
        out.printf(Locale.ROOT, "box selection, 4000x3000 (%d image threads, %d cores seen by the JVM), working copy <= %d px, %d+%d GrabCut iterations%n",
                Parallel.threads(), Runtime.getRuntime().availableProcessors(), o.workingPixels(), o.iterations(), o.refineIterations());
        report(out, "box, no model", time(runs, () -> {
            try (SubjectSelector sel = SubjectSelector.select(s.image, s.box, null, null, null, o, TaskContext.NONE)) {
                check(s, sel);
            }
        }));
        if (model != null) {
            report(out, "box + " + model.id() + " (seeded start in parallel)", time(runs, () -> {
                try (SubjectSelector sel = SubjectSelector.select(s.image, s.box, null, model, null, o, TaskContext.NONE)) {
                    check(s, sel);
                }
            }));
        } else {
            out.println("  (no segmentation model found: the model-seeded run is not measured)");
        }
        try (SubjectSelector sel = SubjectSelector.select(s.image, s.box, null, null, null, o, TaskContext.NONE)) {
            double before = s.iou(sel.mask());
            double after = s.iou(sel.refine(stroke, TaskContext.NONE));
            // alternately the stroke and no stroke, so every refinement really moves the decoy's edge
            int[] k = {0};
            double[][] t = time(runs, () -> sel.refine(k[0]++ % 2 == 0 ? null : stroke, TaskContext.NONE));
            report(out, "scribble refinement (a B stroke on / off)", t);
            out.printf(Locale.ROOT, "  IoU %.3f after the box, %.3f after the stroke%n", before, after);
        }
    }

    private static void check(SelectScene s, SubjectSelector sel) {
        if (s.iou(sel.mask()) < 0.5) throw new IllegalStateException("benchmark selection failed: IoU " + s.iou(sel.mask()));
    }

    interface Body { void run() throws Exception; }

    /** {wall ms per run, CPU ms per run}. */
    private static double[][] time(int runs, Body body) throws Exception {
        for (int i = 0; i < 2; i++) body.run();
        double[] wall = new double[runs], cpu = new double[runs];
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int i = 0; i < runs; i++) {
            long c0 = os.getProcessCpuTime(), t0 = System.nanoTime();
            body.run();
            wall[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (os.getProcessCpuTime() - c0) / 1e6;
        }
        return new double[][] {wall, cpu};
    }

    private static void report(PrintStream out, String what, double[][] t) {
        double[] w = t[0].clone(), c = t[1].clone();
        Arrays.sort(w);
        Arrays.sort(c);
        out.printf(Locale.ROOT, "  %-44s median %7.0f ms wall (min %5.0f), %7.0f ms CPU%n", what, w[w.length / 2], w[0], c[c.length / 2]);
    }
}
