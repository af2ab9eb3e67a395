package studio.matting.pipeline;

import studio.matting.compositor.Background;
import studio.matting.compositor.Compositor;
import studio.matting.i18n.Messages;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.Rect;
import studio.matting.matting.MattingEngine;
import studio.matting.matting.MattingException;
import studio.matting.segment.Segmenter;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapGenerator;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * The one-click chain segment → trimap → matte → foreground → composite, with every stage's result kept as its own
 * layer. Changing an input marks its stage and everything downstream stale; {@link #run} recomputes only stale
 * stages, so repainting the trimap re-mattes without re-segmenting and a new background only re-composites.
 * Plain Java, and the one chain there is: the CLI's {@code matte} / {@code idphoto} run it per image, and the editor's
 * job runner builds one per job from the document's layers (segment → trimap for a new mask, trimap for a slider,
 * matte → foreground — or a region re-matte — for Matte and brush strokes). Not thread-safe: configure it from one
 * thread and run it on one worker at a time.
 */
public final class AutoPipeline {
    public enum Stage { SEGMENT, TRIMAP, MATTE, FOREGROUND, COMPOSITE }

    /** Foreground colour estimation (image, α → F); the multi-level estimator by default. */
    @FunctionalInterface
    public interface ForegroundStage {
        FloatImage estimate(ByteImage rgb, FloatImage alpha, TaskContext ctx);
    }

    /** Told when a stage starts, for per-stage progress in the UI and the CLI. */
    @FunctionalInterface
    public interface StageListener {
        void stageStarted(Stage stage);
    }

    /** Relative cost of each stage, to spread one progress bar over the chain. */
    private static final double[] WEIGHT = {0.15, 0.05, 0.6, 0.15, 0.05};

    private final ByteImage image;
    private Segmenter segmenter;
    private MattingEngine engine;
    private ForegroundStage foregroundStage;
    private Background background;
    private int kernelSize = TrimapGenerator.DEFAULT_KERNEL;
    private int iterations = TrimapGenerator.DEFAULT_ITERATIONS;
    /** Until {@link #setMorphology} is called the trimap is {@link TrimapGenerator#fromMaskAuto} (fits the image). */
    private boolean autoMorphology = true;

    private FloatImage mask;
    private Trimap trimap;
    private FloatImage alpha;
    private FloatImage foreground;
    private ByteImage composite;
    // A pending region re-matte: only matteRoi of the trimap changed since previousAlpha was computed.
    private Rect matteRoi;
    private FloatImage previousAlpha;
    private final EnumSet<Stage> stale = EnumSet.allOf(Stage.class);
    private final List<Stage> lastRun = new ArrayList<>();

    public AutoPipeline(ByteImage rgb, Segmenter segmenter, MattingEngine engine, ForegroundStage foregroundStage, Background background) {
        if (rgb.channels != 3) throw new IllegalArgumentException("pipeline image must be RGB");
        this.image = rgb;
        this.segmenter = segmenter;
        this.engine = engine; // null: a chain that stops before MATTE (the editor's trimap jobs when no engine exists)
        this.foregroundStage = Objects.requireNonNull(foregroundStage, "foregroundStage");
        this.background = Objects.requireNonNull(background, "background");
    }

    private void invalidate(Stage from) {
        for (Stage s : Stage.values()) if (s.ordinal() >= from.ordinal()) stale.add(s);
    }

    public void setSegmenter(Segmenter s) { this.segmenter = s; invalidate(Stage.SEGMENT); }

    /** Uses a given mask (from a file, a previous run, the user's ellipse) instead of running the segmenter. */
    public void setMask(FloatImage m) {
        checkSize(m.width, m.height);
        this.mask = m;
        stale.remove(Stage.SEGMENT);
        invalidate(Stage.TRIMAP);
    }

    public void setMorphology(int kernel, int iter) {
        if (kernel < 1 || iter < 0) throw new IllegalArgumentException("kernel >= 1, iterations >= 0");
        if (!autoMorphology && kernel == kernelSize && iter == iterations) return;
        this.autoMorphology = false;
        this.kernelSize = kernel;
        this.iterations = iter;
        invalidate(Stage.TRIMAP);
    }

    /** Uses a given or hand-edited trimap: the mask and morphology are then not consulted until they change again. */
    public void setTrimap(Trimap t) {
        setTrimap(t, null, null);
    }

    /**
     * Uses an edited trimap of which only {@code roi} changed since {@code previous} was matted: the MATTE stage then
     * re-mattes that region ({@link MattingEngine#matteRegion}) — the editor's brush re-matte. Null roi or previous:
     * a full matte.
     */
    public void setTrimap(Trimap t, Rect roi, FloatImage previous) {
        checkSize(t.width, t.height);
        if (previous != null) checkSize(previous.width, previous.height);
        this.trimap = t;
        this.matteRoi = roi;
        this.previousAlpha = roi == null ? null : previous;
        stale.remove(Stage.SEGMENT);
        stale.remove(Stage.TRIMAP);
        invalidate(Stage.MATTE);
    }

    /** Replaces the foreground estimator (the CLI's decontamination and problem finder wrap it). */
    public void setForegroundStage(ForegroundStage f) { this.foregroundStage = Objects.requireNonNull(f); invalidate(Stage.FOREGROUND); }

    public void setEngine(MattingEngine e) {
        this.engine = Objects.requireNonNull(e);
        matteRoi = null;
        previousAlpha = null;
        invalidate(Stage.MATTE);
    }

    public void setBackground(Background b) { this.background = Objects.requireNonNull(b); invalidate(Stage.COMPOSITE); }

    public boolean isStale(Stage s) { return stale.contains(s); }

    /** The stages the last {@link #run} actually computed, in order. */
    public List<Stage> lastRun() { return List.copyOf(lastRun); }

    public ByteImage image() { return image; }
    public FloatImage mask() { return mask; }
    public Trimap trimap() { return trimap; }
    public FloatImage alpha() { return alpha; }
    public FloatImage foreground() { return foreground; }
    public ByteImage composite() { return composite; }
    public Background background() { return background; }
    public MattingEngine engine() { return engine; }

    /** Runs the stale stages up to and including {@code until}. */
    public void run(Stage until, TaskContext ctx, StageListener listener) throws MattingException {
        lastRun.clear();
        double total = 0, done = 0;
        for (Stage s : Stage.values()) if (s.ordinal() <= until.ordinal() && stale.contains(s)) total += WEIGHT[s.ordinal()];
        for (Stage s : Stage.values()) {
            if (s.ordinal() > until.ordinal()) break;
            if (!stale.contains(s)) continue;
            ctx.checkCancelled();
            if (listener != null) listener.stageStarted(s);
            double w = WEIGHT[s.ordinal()];
            TaskContext sub = ctx.sub(total == 0 ? 0 : done / total, total == 0 ? 1 : (done + w) / total);
            compute(s, sub);
            stale.remove(s);
            lastRun.add(s);
            done += w;
        }
        ctx.progress(1, "done");
    }

    public void run(TaskContext ctx) throws MattingException {
        run(Stage.COMPOSITE, ctx, null);
    }

    private void compute(Stage s, TaskContext ctx) throws MattingException {
        switch (s) {
            case SEGMENT -> {
                if (segmenter == null)
                    throw new MattingException("No segmentation model is available: give a trimap or a mask instead.");
                ctx.progress(0, "Segmenting");
                FloatImage m = segmenter.segment(image, ctx);
                if (m.channels != 1 || m.width != image.width || m.height != image.height)
                    throw new MattingException(Messages.format("pipeline.maskSize", segmenter.displayName(), m.width, m.height, image.width, image.height));
                mask = m;
            }
            case TRIMAP -> {
                ctx.progress(0, "Trimap");
                trimap = autoMorphology ? TrimapGenerator.fromMaskAuto(mask) : TrimapGenerator.fromMask(mask, kernelSize, iterations);
            }
            case MATTE -> {
                if (engine == null) throw new MattingException("No matting engine is available.");
                ctx.progress(0, "Matting (" + engine.displayName() + ")");
                alpha = matteRoi == null || previousAlpha == null ? engine.matte(image, trimap, ctx)
                        : engine.matteRegion(image, trimap, matteRoi, previousAlpha, ctx);
                matteRoi = null;
                previousAlpha = null;
            }
            case FOREGROUND -> {
                ctx.progress(0, "Foreground colours");
                foreground = foregroundStage.estimate(image, alpha, ctx);
            }
            case COMPOSITE -> {
                ctx.progress(0, "Compositing");
                composite = Compositor.composite(image, alpha, foreground, background);
            }
        }
        ctx.progress(1, null); // the stage's own texts stand until the next stage starts
    }

    private void checkSize(int w, int h) {
        if (w != image.width || h != image.height)
            throw new IllegalArgumentException("layer size " + w + "x" + h + " differs from the image " + image.width + "x" + image.height);
    }
}
