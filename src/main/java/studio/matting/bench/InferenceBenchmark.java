package studio.matting.bench;

import studio.matting.inference.InferenceRuntime;
import studio.matting.inference.ModelCard;
import studio.matting.inference.ModelRepository;
import studio.matting.inference.SegmentationEngine;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
import studio.matting.matting.MattingEngine;
import studio.matting.matting.MattingException;
import studio.matting.pipeline.Engines;
import studio.matting.sample.SyntheticPortrait;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Per-image latency of every model in a directory at its working size on the current device (the {@code bench}
 * command's {@code inference} suite). Each model runs on a synthetic portrait through its engine (pre-processing, inference, post-processing
 * included), after warm-up runs; the first session creation is reported separately.
 */
public final class InferenceBenchmark {
    private InferenceBenchmark() { }

    public static void run(PrintStream out, Path modelsDir) {
        run(out, modelsDir, InferenceRuntime.shared(), 5);
    }

    public static void run(PrintStream out, Path modelsDir, InferenceRuntime runtime, int repeats) {
        List<ModelRepository.Entry> entries = ModelRepository.scan(modelsDir);
        out.println("Inference benchmark: " + modelsDir.toAbsolutePath() + " on " + runtime.deviceDescription()
                + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        if (entries.isEmpty()) { out.println("  no model cards found"); return; }
        for (ModelRepository.Entry e : entries) {
            if (!e.ok()) { out.println("  " + e.name() + ": skipped: " + e.problem()); continue; }
            ModelCard card = e.card();
            time(out, runtime, card, 0, card.name(), repeats);
            // a segmenter with a scene size (portrait_detail.scene_size) is timed at that size as well
            int scene = card.task() == ModelCard.Task.SEGMENTATION
                    ? card.portraitDetail().map(ModelCard.PortraitDetail::sceneSize).orElse(0) : 0;
            if (scene > 0) time(out, runtime, card, scene, card.name() + " (scene)", repeats);
        }
    }

    /** One model at its working size ({@code workingSize} 0) or another long side; one line of output. */
    private static void time(PrintStream out, InferenceRuntime runtime, ModelCard card, int workingSize, String label, int repeats) {
        try {
            long t0 = System.nanoTime();
            InferenceRuntime.LoadedModel m = runtime.load(card);
            double loadMs = (System.nanoTime() - t0) / 1e6;
            int side = workingSize > 0 ? workingSize : card.input().size().workingSize();
            SyntheticPortrait p = SyntheticPortrait.render(side * 3 / 4, side, 7);
            ByteImage rgb = ImageOps.toByte(p.image);
            Task task;
            if (card.task() == ModelCard.Task.SEGMENTATION) {
                SegmentationEngine seg = new SegmentationEngine(runtime, card, workingSize);
                task = () -> seg.segment(rgb, TaskContext.NONE);
            } else {
                MattingEngine mnet = Engines.trimapMatting(runtime, card);
                Trimap tri = bandTrimap(p.alpha);
                task = () -> mnet.matte(rgb, tri, TaskContext.NONE);
            }
            task.run();
            task.run();
            double[] ms = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                long s = System.nanoTime();
                task.run();
                ms[i] = (System.nanoTime() - s) / 1e6;
            }
            Arrays.sort(ms);
            // The graph alone on a working-size tensor, to separate ONNX Runtime time from pre/post-processing.
            int unit = card.input().size().unit();
            int tw = card.input().size().fixed() ? card.input().size().width() : ceilTo(rgb.width, unit);
            int th = card.input().size().fixed() ? card.input().size().height() : ceilTo(rgb.height, unit);
            int ch = card.input().channels();
            java.nio.FloatBuffer fb = InferenceRuntime.allocate(ch * tw * th);
            long[] shape = card.input().nhwc() ? new long[] {1, th, tw, ch} : new long[] {1, ch, th, tw};
            m.runOutput(fb, shape);
            double[] raw = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                long s = System.nanoTime();
                m.runOutput(fb, shape);
                raw[i] = (System.nanoTime() - s) / 1e6;
            }
            Arrays.sort(raw);
            out.printf(Locale.ROOT, "  %-20s %-15s %4dx%-4d median %8.1f ms  min %8.1f ms  graph only %8.1f ms  (session load %.0f ms, %s)%n",
                    label, card.task().id, rgb.width, rgb.height, ms[ms.length / 2], ms[0], raw[raw.length / 2], loadMs, m.device());
        } catch (MattingException | RuntimeException ex) {
            out.println("  " + label + ": failed: " + ex.getMessage());
        }
    }

    /** A trimap with the soft edge of the synthetic alpha (widened by a few pixels) unknown. */
    public static Trimap bandTrimap(FloatImage alpha) {
        Trimap t = new Trimap(alpha.width, alpha.height);
        int r = 4;
        for (int y = 0; y < alpha.height; y++) {
            for (int x = 0; x < alpha.width; x++) {
                float a = alpha.data[y * alpha.stride + x];
                t.data[y * t.width + x] = (byte) (a > 0.5f ? Trimap.FOREGROUND : Trimap.BACKGROUND);
            }
        }
        Trimap out = t.copy();
        for (int y = 0; y < alpha.height; y++) {
            for (int x = 0; x < alpha.width; x++) {
                int v = t.get(x, y);
                boolean edge = false;
                for (int dy = -r; dy <= r && !edge; dy++)
                    for (int dx = -r; dx <= r && !edge; dx++) {
                        int xx = x + dx, yy = y + dy;
                        if (xx >= 0 && yy >= 0 && xx < t.width && yy < t.height && t.get(xx, yy) != v) edge = true;
                    }
                if (edge) out.set(x, y, Trimap.UNKNOWN);
            }
        }
        return out;
    }

    /** The model's input size rounded up to its unit (as the engines pad it). */
    private static int ceilTo(int v, int unit) {
        return unit <= 1 ? v : (v + unit - 1) / unit * unit;
    }

    @FunctionalInterface
    private interface Task {
        void run() throws MattingException;
    }

    /** {@code java -cp ... studio.matting.bench.InferenceBenchmark [modelsDir]} */
    public static void main(String[] args) {
        run(System.out, Path.of(args.length > 0 ? args[0] : "models"));
        System.exit(0);
    }
}
