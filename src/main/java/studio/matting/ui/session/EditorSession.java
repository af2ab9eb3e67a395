package studio.matting.ui.session;

import studio.matting.compositor.Background;
import studio.matting.document.Document;
import studio.matting.document.ProjectBridge;
import studio.matting.image.FileNames;
import studio.matting.image.FloatImage;
import studio.matting.image.Rect;
import studio.matting.matting.MattingEngine;
import studio.matting.pipeline.AutoPipeline;
import studio.matting.pipeline.Engines;
import studio.matting.problems.Problem;
import studio.matting.refine.Refinements;
import studio.matting.project.Project;
import studio.matting.segment.EllipseMask;
import studio.matting.segment.MaskFile;
import studio.matting.segment.Segmenter;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapBrush;
import studio.matting.ui.I18n;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One editing session without its window: owns the {@link Document}, the chosen engine and background, and the
 * machinery that keeps the matte in step — the {@link JobRunner} (all work off the UI thread, through the one
 * {@link AutoPipeline} chain), the {@link RematteScheduler} and the {@link RecoveryService} — and its parts: the
 * {@link ActiveSelection}, the {@link MattePreview} (refinements, A/B), the {@link MatteRuns} (full mattes, drafts,
 * stroke re-mattes), the {@link ProblemList} and {@link SessionFiles}. Tools and menus call in;
 * views learn what happened through {@link Listener} events and the document's own change events, never the other
 * way round. No JavaFX here: the editor passes {@code Platform::runLater} and a PauseTransition-backed delay, tests a
 * queue and a hand-fired delay. Every method is for the UI thread.
 */
public final class EditorSession {
    /** What views are told (UI thread). Every method has a do-nothing default. */
    public interface Listener {
        /** A new document replaced the old one (open, project, drop). */
        default void documentReplaced(Document d) { }

        default void message(String text) { }

        default void error(String title, String message) { }

        /** An exclusive job's progress: running, fraction (-1 while unknown). */
        default void progress(boolean running, double fraction) { }

        /** A matte was applied; {@code full}: the whole image (not a brush re-matte). */
        default void matted(boolean full) { }

        default void backgroundChanged(Background b) { }

        default void engineChanged(MattingEngine e) { }

        /** Settings ▸ Models… changed the installed models: the engine and segmenter lists were replaced. */
        default void modelsChanged() { }

        /** The global refinements or the decontamination amount changed (a new value, undo or redo). */
        default void refinementsChanged(Refinements r) { }

        /** The preview α / colours changed (refinements applied, A/B flipped): redraw the matte views. */
        default void previewChanged() { }

        /** The problem finder's list for the current matte (empty: none found or no matte). */
        default void problemsChanged(List<Problem> problems) { }

        /** A box selection started or ended; {@code active}: its GrabCut state is kept for strokes. */
        default void selectionChanged(boolean active) { }
    }

    private List<MattingEngine> engines;
    private List<Segmenter> segmenters;
    private final JobRunner jobs;
    private final RematteScheduler rematte;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Document.Listener docListener = this::onDocumentChanged;
    private final AtomicLong trimapGeneration = new AtomicLong();
    final AutoPipeline.ForegroundStage foregroundStage = Engines.foregroundStage();
    private RecoveryService recovery;

    private Document document;
    private MattingEngine engine;
    private boolean autoRematte = true;
    private boolean matteAfterSegment;
    private boolean strokeOpen;
    private Background background = Background.checker();
    private Path backgroundPath; // where an image background was loaded from, for project files
    private boolean segmentOnOpen = true;

    private final ActiveSelection selection = new ActiveSelection(this);
    private final MattePreview preview = new MattePreview(this);
    private final ProblemList problems = new ProblemList(this);
    private final MatteRuns mattes = new MatteRuns(this);
    private final SessionFiles files = new SessionFiles(this);
    private boolean undoing;

    /**
     * @param ui         runs a task on the UI thread (the editor: {@code Platform::runLater})
     * @param delays     makes the re-matte pause
     * @param engines    matting engines offered, the first chosen
     * @param segmenters segmentation models for the Mask menu and Auto
     */
    public EditorSession(Executor ui, Delay.Factory delays, List<MattingEngine> engines, List<Segmenter> segmenters) {
        this.engines = List.copyOf(engines);
        this.segmenters = List.copyOf(segmenters);
        this.engine = this.engines.isEmpty() ? null : this.engines.get(0);
        this.jobs = new JobRunner(ui);
        jobs.setProgressListener((running, f, msg) -> {
            for (Listener l : listeners) l.progress(running, f);
            if (msg != null && !msg.isEmpty()) message(msg);
        });
        this.rematte = new RematteScheduler(delays,
                () -> document != null && document.alpha() != null && autoRematte && engine != null, mattes::run);
    }

    public void addListener(Listener l) { listeners.add(Objects.requireNonNull(l)); }

    // ---------------------------------------------------------------- state

    public Document document() { return document; }

    public List<MattingEngine> engines() { return engines; }

    public List<Segmenter> segmenters() { return segmenters; }

    /**
     * Replaces the offered engines and segmenters after models were imported or removed; the chosen engine stays
     * when it is still offered (matched by id), else the first is chosen.
     */
    public void replaceModels(List<MattingEngine> newEngines, List<Segmenter> newSegmenters) {
        engines = List.copyOf(newEngines);
        segmenters = List.copyOf(newSegmenters);
        MattingEngine keep = null;
        for (MattingEngine e : engines) if (engine != null && e.id().equals(engine.id())) keep = e;
        MattingEngine chosen = keep != null ? keep : engines.isEmpty() ? null : engines.get(0);
        for (Listener l : listeners) l.modelsChanged();
        if (chosen != engine) setEngine(chosen);
    }

    public MattingEngine engine() { return engine; }

    public void setEngine(MattingEngine e) {
        if (e == engine) return;
        engine = e;
        for (Listener l : listeners) l.engineChanged(e);
    }

    public boolean autoRematte() { return autoRematte; }

    public void setAutoRematte(boolean on) { autoRematte = on; }

    public Background background() { return background; }

    /** Whether opening an image without a mask of its own runs the first segmentation model (a user setting). */
    public boolean segmentOnOpen() { return segmentOnOpen; }

    public void setSegmentOnOpen(boolean on) { segmentOnOpen = on; }

    public JobRunner jobs() { return jobs; }

    public RematteScheduler rematteScheduler() { return rematte; }

    /** True while work is queued, running, not applied yet, or a re-matte waits for its pause. */
    public boolean isBusy() { return jobs.isBusy() || rematte.isScheduled(); }

    /** The background of the composite views and of exported composites; {@code source}: the file of an image one. */
    public void setBackground(Background b, Path source) {
        background = Objects.requireNonNull(b);
        backgroundPath = b instanceof Background.Picture ? source : null;
        for (Listener l : listeners) l.backgroundChanged(b);
    }

    /** The open image's file name without its extension, for suggested output names; {@code fallback} when unsaved. */
    public String documentStem(String fallback) {
        Path p = document == null ? null : document.path();
        return p == null ? fallback : FileNames.stem(p);
    }

    // ---------------------------------------------------------------- documents

    /** Replaces the edited document. */
    public void setDocument(Document d) {
        jobs.cancel();
        rematte.reset();
        strokeOpen = false;
        selection.end();
        preview.reset();
        problems.reset();
        if (document != null) document.removeListener(docListener);
        document = d;
        d.addListener(docListener);
        for (Listener l : listeners) l.documentReplaced(d);
        message(I18n.format("status.mask", d.maskSource()));
    }

    private void onDocumentChanged(Document.Layer layer, Rect r) {
        if (layer == Document.Layer.ALPHA || layer == Document.Layer.FOREGROUND) {
            preview.layersChanged();
            return;
        }
        if (layer != Document.Layer.TRIMAP) return;
        preview.trimapChanged();
        if (!undoing) preview.trimapEdited();
        rematte.changed(r);
        if (recovery != null) recovery.edited();
    }

    /** The session as a project now (image path or pixels, trimap, settings, background); null without a document. */
    public Project projectSnapshot() {
        if (document == null) return null;
        return ProjectBridge.toProject(document, engine == null ? null : engine.id(), ProjectBridge.spec(background, backgroundPath))
                .withRefinements(preview.refinements());
    }

    // ---------------------------------------------------------------- masks and trimaps (the chain's first stages)

    /** The chain for the current document with its band; stops before MATTE unless an engine is chosen. */
    AutoPipeline pipeline(Document d, Document.Band band) {
        AutoPipeline p = new AutoPipeline(d.image(), null, engine, foregroundStage, background);
        if (!band.auto()) p.setMorphology(band.kernel(), band.iterations());
        return p;
    }

    private record MaskAndTrimap(FloatImage mask, Trimap trimap, boolean fromFile) { }

    /** Loads a mask or trimap file for the current image; a mask's trimap is made with the current morphology. */
    public void loadMask(Path p) {
        Document d = document;
        if (d == null) return;
        Document.Band band = d.band();
        jobs.submit(ctx -> {
            MaskFile.Loaded l = MaskFile.load(p, d.width(), d.height());
            if (l.isTrimap()) return new MaskAndTrimap(l.mask(), l.trimap(), true);
            AutoPipeline chain = pipeline(d, band);
            chain.setMask(l.mask());
            chain.run(AutoPipeline.Stage.TRIMAP, ctx, null);
            return new MaskAndTrimap(l.mask(), chain.trimap(), false);
        }, JobRunner.outcome(m -> {
            if (document != d) return;
            d.setMask(m.mask(), p.getFileName().toString(), m.trimap());
            message(I18n.format(m.fromFile() ? "status.trimap" : "status.mask", p.getFileName()));
        }, e -> error(I18n.get("error.loadMask.title"), e.getMessage())));
    }

    /** The mask becomes the ellipse (inscribed in the dragged box, or centred). */
    public void applyEllipse(EllipseMask.Ellipse e) {
        Document d = document;
        if (d == null) return;
        Document.Band band = d.band();
        jobs.submit(ctx -> {
            AutoPipeline chain = pipeline(d, band);
            chain.setMask(EllipseMask.render(d.width(), d.height(), e));
            chain.run(AutoPipeline.Stage.TRIMAP, ctx, null);
            return chain;
        }, JobRunner.outcome(chain -> {
            if (document != d) return;
            d.setMask(chain.mask(), "ellipse", chain.trimap());
            message(I18n.format("status.mask", I18n.get("status.ellipse")));
        }, ex -> error(I18n.get("error.loadMask.title"), JobRunner.message(ex))));
    }

    /** New trimap morphology: regenerated in the background; rapid changes keep only the newest. */
    public void setMorphology(int k, int it) {
        Document d = document;
        if (d == null || (k == d.kernelSize() && it == d.iterations())) return;
        d.setMorphology(k, it);
        regenerateTrimap(d, "Trimap " + k + "/" + it);
    }

    /** Back to the automatic band ({@link Document#useAutomaticBand}): the trimap is regenerated from the mask, one undo step. */
    public void useAutomaticBand() {
        Document d = document;
        if (d == null || d.band().auto()) return;
        d.useAutomaticBand();
        regenerateTrimap(d, "Automatic band");
    }

    /** The trimap made anew from the mask with the document's band, as one undo step; only the newest request lands. */
    private void regenerateTrimap(Document d, String label) {
        long gen = trimapGeneration.incrementAndGet();
        FloatImage mask = d.mask();
        Document.Band band = d.band();
        jobs.submit(ctx -> {
            if (gen != trimapGeneration.get()) return null; // a newer move replaced this one before it started
            AutoPipeline chain = pipeline(d, band);
            chain.setMask(mask);
            chain.run(AutoPipeline.Stage.TRIMAP, ctx, null);
            return chain.trimap();
        }, JobRunner.outcome(t -> {
            if (t == null || gen != trimapGeneration.get() || document != d) return;
            d.replaceTrimap(label, t);
        }, e -> error(I18n.get("error.matte.title"), JobRunner.message(e))));
    }

    /** Runs a segmenter on the current image and uses its mask (and the trimap made from it) as the new mask. */
    public void segment(Segmenter sg) {
        Document d = document;
        if (d == null) return;
        Document.Band band = d.band();
        message(I18n.format("status.segmenting", sg.displayName()));
        jobs.start(false, false, ctx -> {
            AutoPipeline chain = pipeline(d, band);
            chain.setSegmenter(sg);
            chain.run(AutoPipeline.Stage.TRIMAP, ctx, null);
            return chain;
        }, new JobRunner.Outcome<>() {
            @Override public void done(AutoPipeline chain) {
                if (document != d) { matteAfterSegment = false; return; }
                d.setMask(chain.mask(), sg.displayName(), chain.trimap());
                message(I18n.format("status.mask", sg.displayName()));
                if (matteAfterSegment) {
                    matteAfterSegment = false;
                    matte();
                }
            }

            @Override public void failed(Throwable e) {
                matteAfterSegment = false;
                error(I18n.get("error.segment.title"), JobRunner.message(e));
            }

            @Override public void cancelled() {
                matteAfterSegment = false;
                message(I18n.get("status.segmentCancelled"));
            }
        });
    }

    /**
     * Matting ▸ Auto: segment with the first segmentation model (the trimap follows from the morphology), then matte
     * and estimate the foreground. Without a model it mattes the current mask. Each later change re-runs only what
     * depends on it: a stroke re-mattes its region, a slider regenerates the trimap, Matte re-mattes.
     */
    public void auto() {
        if (document == null) return;
        if (segmenters.isEmpty()) {
            message(I18n.get("status.autoNoModel"));
            matte();
            return;
        }
        matteAfterSegment = true;
        segment(segmenters.get(0));
    }

    // ---------------------------------------------------------------- trimap edits (tools call these)

    /** Starts a brush stroke: a region re-matte in flight is stale now; a full matte the user asked for keeps running. */
    public void beginStroke(String label) {
        if (document == null) return;
        jobs.cancelRegion();
        rematte.strokeStarted();
        strokeOpen = true;
        document.beginStroke(label);
    }

    public Rect paint(TrimapBrush brush, double x0, double y0, double x1, double y1) {
        return document == null ? new Rect(0, 0, 0, 0) : document.paint(brush, x0, y0, x1, y1);
    }

    public void endStroke() {
        if (document == null || !strokeOpen) return;
        strokeOpen = false;
        document.endStroke();
        rematte.strokeEnded();
    }

    public boolean strokeOpen() { return strokeOpen; }

    public void undo() {
        if (document == null || strokeOpen) return;
        if (preview.undo(document.history().undoCount())) return;
        undoing = true;
        try {
            document.undo();
        } finally {
            undoing = false;
        }
    }

    public void redo() {
        if (document == null || strokeOpen) return;
        if (preview.redo(document.history().undoCount())) return;
        undoing = true;
        try {
            document.redo();
        } finally {
            undoing = false;
        }
    }

    /** Bucket fill of the clicked trimap region with {@code level}; one undo step (re-matte follows as for a stroke). */
    public Rect fill(int x, int y, int level) {
        if (document == null || strokeOpen) return new Rect(0, 0, 0, 0);
        jobs.cancelRegion();
        return document.fill("Fill", x, y, level);
    }

    /** Lasso: inside {@code fillLevel}, the outline unknown with the brush width; one undo step. */
    public Rect lasso(double[] xy, int fillLevel, double outlineWidth) {
        if (document == null || strokeOpen || xy.length < 6) return new Rect(0, 0, 0, 0);
        jobs.cancelRegion();
        return document.lasso("Lasso", xy, fillLevel, outlineWidth);
    }

    // ---------------------------------------------------------------- parts

    /** The Select tool's box selection and the GrabCut state its strokes refine. */
    public ActiveSelection selection() { return selection; }

    /** The global refinements, the refined copy of α the views show, and A/B compare. */
    public MattePreview preview() { return preview; }

    /** The problem finder's list for the current matte. */
    public ProblemList problems() { return problems; }

    /** Images and projects opened, α / trimap / project / export written. */
    public SessionFiles files() { return files; }

    /** Full mattes (a draft first on large photos) and stroke re-mattes. */
    MatteRuns mattes() { return mattes; }

    // ---------------------------------------------------------------- matting (the chain's later stages)

    /** Mattes the whole image with the chosen engine (background thread, cancellable). */
    public void matte() {
        mattes.run(null);
    }

    public void cancel() {
        jobs.cancel();
    }

    // ---------------------------------------------------------------- recovery

    /** Turns on autosave into {@code directory} (the editor uses {@code Autosave.defaultDirectory()}). */
    public void enableAutosave(Path directory) {
        recovery = new RecoveryService(directory, this::projectSnapshot, jobs,
                msg -> message(I18n.format("status.autosaveFailed", msg)));
    }

    public Path autosaveFile() { return recovery == null ? null : recovery.file(); }

    public Optional<Path> findRecovery() { return recovery == null ? Optional.empty() : recovery.findRecovery(); }

    public void clearRecovery() {
        if (recovery != null) recovery.clear();
    }

    /** Stops the work and, on a clean exit, removes the recovery file. */
    public void shutdown() {
        jobs.shutdown();
        clearRecovery();
    }

    // ---------------------------------------------------------------- events

    void fire(java.util.function.Consumer<Listener> event) {
        for (Listener l : listeners) event.accept(l);
    }

    void message(String text) {
        for (Listener l : listeners) l.message(text);
    }

    void error(String title, String message) {
        for (Listener l : listeners) l.error(title, message);
    }
}
