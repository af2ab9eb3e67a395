package studio.matting.bench;

import studio.matting.compositor.Background;
import studio.matting.foreground.ForegroundEstimator;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageOps;
import studio.matting.image.Parallel;
import studio.matting.image.Rect;
import studio.matting.io.ImageFolders;
import studio.matting.matting.ClosedFormEngine;
import studio.matting.pipeline.AutoPipeline;
import studio.matting.pipeline.DraftMatte;
import studio.matting.pipeline.Engines;
import studio.matting.pipeline.RegionRematte;
import studio.matting.segment.Segmenter;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapBrush;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code editor} bench suite: the editor's two matting actions on a 12 MP (3000×4000) photo, through the core
 * calls the editor makes. Auto = {@link AutoPipeline} segment → trimap → matte → foreground. A stroke = one
 * {@value #BRUSH}-px unknown brush stroke dragged {@value #DRAG} px across the edge ({@link TrimapBrush#stroke}), then
 * the editor's region re-matte of the stroke's dirty rectangle ({@link RegionRematte}: the layers cropped around it
 * on the UI thread, the crop matted and its colours estimated on the worker, the roi patched back) — nothing
 * proportional to the photo. "ui" is the UI thread's share (crop + patch), "work" the worker's; the unknown count is
 * the crop's.
 */
public final class EditorBenchSuite implements Suite {
    static final int WIDTH = 3000, HEIGHT = 4000;
    static final int BRUSH = 60, DRAG = 120, STROKES = 9;

    @Override public String name() { return "editor"; }

    @Override public String description() { return "editor on a 12 MP photo: Auto (segment, trimap, matte, fg) and a 60-px stroke re-matte (ms)"; }

    @Override
    public int run(BenchOptions o, PrintStream out) throws Exception {
        Engines.setDevice(o.device());
        Optional<Segmenter> seg = Engines.defaultSegmenter();
        if (seg.isEmpty()) {
            out.println("skipped: no segmentation model in " + o.modelsDir().toAbsolutePath());
            return 0;
        }
        ByteImage photo = photo(o);
        if (photo == null) {
            out.println("skipped: no portraits test image and no assets/portrait.png");
            return 0;
        }
        ClosedFormEngine engine = new ClosedFormEngine(o.closedForm());
        ForegroundEstimator fgEstimator = new ForegroundEstimator();
        out.printf(Locale.ROOT, "%d threads, %dx%d photo, segmenter %s, engine %s%s%n", Parallel.threads(), photo.width, photo.height,
                seg.get().id(), engine.id(), o.coarseToFine() ? " (coarse-to-fine)" : " (full-resolution band)");
        // Auto, twice: the first run warms the JIT and the model session.
        AutoPipeline p = null;
        double[] t = new double[5];
        for (int rep = 0; rep < 2; rep++) {
            p = new AutoPipeline(photo, seg.get(), engine, fgEstimator::estimate, Background.solid(255, 255, 255));
            Map<AutoPipeline.Stage, Long> start = new EnumMap<>(AutoPipeline.Stage.class);
            p.run(AutoPipeline.Stage.FOREGROUND, TaskContext.NONE, s -> start.put(s, System.nanoTime()));
            long end = System.nanoTime();
            t[0] = (start.get(AutoPipeline.Stage.TRIMAP) - start.get(AutoPipeline.Stage.SEGMENT)) / 1e6;
            t[1] = (start.get(AutoPipeline.Stage.MATTE) - start.get(AutoPipeline.Stage.TRIMAP)) / 1e6;
            t[2] = (start.get(AutoPipeline.Stage.FOREGROUND) - start.get(AutoPipeline.Stage.MATTE)) / 1e6;
            t[3] = (end - start.get(AutoPipeline.Stage.FOREGROUND)) / 1e6;
            t[4] = (end - start.get(AutoPipeline.Stage.SEGMENT)) / 1e6;
        }
        out.printf(Locale.ROOT, "%-8s %9s %9s %9s %9s %9s %9s%n", "action", "unknown", "segment", "trimap", "matte", "fg", "total[ms]");
        out.printf(Locale.ROOT, "%-8s %9d %9.0f %9.0f %9.0f %9.0f %9.0f%n", "auto", p.trimap().count(Trimap.UNKNOWN), t[0], t[1], t[2], t[3], t[4]);
        if ((long) photo.width * photo.height >= DraftMatte.MIN_PIXELS) {
            // What the editor shows first on a photo this large: the draft (matte + F at 1/factor), then the matte above.
            double draftMs = 0;
            for (int rep = 0; rep < 2; rep++) { // the first warms the JIT at the reduced size
                long d0 = System.nanoTime();
                DraftMatte.run(photo, p.trimap(), engine, fgEstimator::estimate, TaskContext.NONE);
                draftMs = (System.nanoTime() - d0) / 1e6;
            }
            out.printf(Locale.ROOT, "draft    1/%d size: matte + fg %.0f ms; first matte shown after segment + trimap + draft = %.0f ms, "
                    + "the full-resolution matte after %.0f ms%n", DraftMatte.factor(photo.width, photo.height), draftMs,
                    t[0] + t[1] + draftMs, t[4] + draftMs);
        }
        // Strokes across the edge: the editor's state is this trimap, α and F.
        Trimap trimap = p.trimap().copy();
        FloatImage alpha = p.alpha().copy();
        FloatImage fg = p.foreground().copy();
        TrimapBrush brush = new TrimapBrush(Trimap.UNKNOWN, BRUSH);
        double[] ms = new double[STROKES], msUi = new double[STROKES], msWork = new double[STROKES];
        long[] solved = new long[STROKES];
        int[][] points = edgePoints(alpha, STROKES + 1);
        AutoPipeline.ForegroundStage fgStage = fgEstimator::estimate;
        for (int k = 0; k <= STROKES; k++) {
            int[] c = points[k];
            Rect dirty = brush.stroke(trimap, c[0] - DRAG / 2.0, c[1], c[0] + DRAG / 2.0, c[1]);
            // the editor's three steps: crop on the UI thread, the crop's matte + F on the worker, the patch back
            long s0 = System.nanoTime();
            RegionRematte.Crop crop = RegionRematte.crop(photo, trimap, alpha, dirty, engine);
            long s1 = System.nanoTime();
            RegionRematte.Patch patch = RegionRematte.run(crop, engine, fgStage, TaskContext.NONE);
            long s2 = System.nanoTime();
            patch.applyTo(alpha, fg);
            long s3 = System.nanoTime();
            if (k == 0) continue; // warm-up stroke
            msUi[k - 1] = ((s1 - s0) + (s3 - s2)) / 1e6;
            msWork[k - 1] = (s2 - s1) / 1e6;
            ms[k - 1] = (s3 - s0) / 1e6;
            solved[k - 1] = crop.trimap().count(Trimap.UNKNOWN);
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        out.printf(Locale.ROOT, "%-8s %9s %9s %9s %9s%n", "stroke", "unknown", "ui[ms]", "work[ms]", "total[ms]");
        for (int k = 0; k < STROKES; k++)
            out.printf(Locale.ROOT, "%-8s %9d %9.1f %9.1f %9.1f%n", "s" + (k + 1), solved[k], msUi[k], msWork[k], ms[k]);
        out.printf(Locale.ROOT, "stroke median %.1f ms, max %.1f ms (%d strokes of a %d-px brush dragged %d px across the edge)%n",
                sorted[STROKES / 2], sorted[STROKES - 1], STROKES, BRUSH, DRAG);
        return 0;
    }

    /** A portraits test image (or the bundled sample) upscaled to 3000×4000. */
    private static ByteImage photo(BenchOptions o) throws Exception {
        Path src = null;
        Path portraits = BenchOptions.shared().resolve("data").resolve("portraits");
        if (Files.isRegularFile(portraits.resolve("test.txt"))) {
            for (String id : Files.readAllLines(portraits.resolve("test.txt"))) {
                src = ImageFolders.sibling(portraits.resolve("images"), id.trim());
                if (src != null) break;
            }
        }
        if (src == null && Files.isRegularFile(Path.of("assets", "portrait.png"))) src = Path.of("assets", "portrait.png");
        if (src == null) return null;
        return ImageOps.resize(ImageOps.toRgb(ImageFiles.read(src)), WIDTH, HEIGHT);
    }

    /** Points on the α = ½ contour, spread down the image (where a user touches up the edge). */
    static int[][] edgePoints(FloatImage alpha, int count) {
        int[][] pts = new int[count][];
        int w = alpha.width, h = alpha.height;
        for (int k = 0; k < count; k++) {
            int y = (int) ((k + 1.0) / (count + 1) * h * 0.8 + h * 0.1);
            int best = w / 2;
            for (int x = 1; x < w; x++) {
                float a = alpha.data[y * alpha.stride + x - 1], b = alpha.data[y * alpha.stride + x];
                if ((a < 0.5f) != (b < 0.5f)) { best = x; break; }
            }
            pts[k] = new int[]{best, y};
        }
        return pts;
    }
}
