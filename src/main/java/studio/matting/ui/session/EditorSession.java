package studio.matting.ui.session;

import studio.matting.compositor.Background;
import studio.matting.document.Document;
import studio.matting.document.ProjectBridge;
import studio.matting.export.ExportOptions;
import studio.matting.export.Exporter;
import studio.matting.image.FileNames;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageLoadException;
import studio.matting.image.Rect;
import studio.matting.matting.MattingEngine;
import studio.matting.pipeline.AutoPipeline;
import studio.matting.pipeline.Engines;
import studio.matting.problems.Problem;
import studio.matting.problems.ProblemFinder;
import studio.matting.refine.AlphaRefiner;
import studio.matting.refine.Decontamination;
import studio.matting.refine.EdgeBand;
import studio.matting.refine.Refinements;
import studio.matting.select.SubjectSelector;
import studio.matting.project.Project;
import studio.matting.project.ProjectFiles;
import studio.matting.segment.EllipseMask;
import studio.matting.segment.MaskFile;
import studio.matting.segment.Segmenter;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapBrush;
import studio.matting.trimap.TrimapFiles;
import studio.matting.ui.I18n;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One editing session without its window: owns the {@link Document}, the chosen engine and background, and the
 * machinery that keeps the matte in step — the {@link JobRunner} (all work off the UI thread, through the one
 * {@link AutoPipeline} chain), the {@link RematteScheduler} and the {@link RecoveryService}. Tools and menus call in;
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
    private final AutoPipeline.ForegroundStage foregroundStage = Engines.foregroundStage();
    private RecoveryService recovery;

    private Document document;
    private MattingEngine engine;
    private boolean autoRematte = true;
    private boolean matteAfterSegment;
    private boolean strokeOpen;
    private Background background = Background.checker();
    private Path backgroundPath; // where an image background was loaded from, for project files
    private boolean segmentOnOpen = true;

    // Box selection: the GrabCut state lives on the worker thread's side; only the worker touches it.
    private SubjectSelector selector;
    private boolean selectionActive;

    // Global refinements: settings applied to a copy of α for the views and at export; undo shares Ctrl+Z with the
    // trimap (each settings step remembers how many trimap steps were before it, which orders the two histories).
    private record SettingsStep(Refinements before, Refinements after, int trimapSteps, boolean open) { }
    private final Deque<SettingsStep> settingsUndo = new ArrayDeque<>(), settingsRedo = new ArrayDeque<>();
    private boolean undoing;
    private Refinements refinements = Refinements.NONE;
    private final AtomicLong previewGeneration = new AtomicLong();
    private final AlphaRefiner refiner = new AlphaRefiner();
    private FloatImage previewAlpha, previewForeground;

    // A/B compare: the matte before the last full matte, shown instead of the current one while flipped.
    private FloatImage previousAlpha, previousForeground;
    private boolean showingPrevious;

    private List<Problem> problems = List.of();
    private final AtomicLong problemGeneration = new AtomicLong();

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
                () -> document != null && document.alpha() != null && autoRematte && engine != null, this::runMatte);
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
        endSelection();
        settingsUndo.clear();
        settingsRedo.clear();
        refinements = Refinements.NONE;
        previewAlpha = previewForeground = previousAlpha = previousForeground = null;
        showingPrevious = false;
        problems = List.of();
        for (Listener l : listeners) l.refinementsChanged(refinements);
        for (Listener l : listeners) l.problemsChanged(problems);
        if (document != null) document.removeListener(docListener);
        document = d;
        d.addListener(docListener);
        for (Listener l : listeners) l.documentReplaced(d);
        message(I18n.format("status.mask", d.maskSource()));
    }

    private void onDocumentChanged(Document.Layer layer, Rect r) {
        if (layer == Document.Layer.ALPHA || layer == Document.Layer.FOREGROUND) {
            updatePreview();
            return;
        }
        if (layer != Document.Layer.TRIMAP) return;
        if (!undoing) settingsRedo.clear(); // a new trimap edit ends the redo chain of both histories
        rematte.changed(r);
        if (recovery != null) recovery.edited();
    }

    /** Opens an image in the background; on failure the loader's message is shown and the current document kept. */
    public void open(Path path) {
        message(I18n.format("status.opening", path.getFileName()));
        jobs.submit(ctx -> Document.open(path), JobRunner.outcome(d -> {
            setDocument(d);
            // No mask of its own (the centred ellipse stands in): let the first segmentation model make one.
            if (segmentOnOpen && !segmenters.isEmpty() && "ellipse".equals(d.maskSource())) segment(segmenters.get(0));
        }, e -> error(I18n.get("error.open.title"),
                e instanceof ImageLoadException ? e.getMessage() : I18n.format("error.open.text", path.getFileName(), e))));
    }

    /**
     * Files dropped on the window: a project file among them is opened as a project, otherwise the first file as an
     * image. Returns false when nothing was dropped.
     */
    public boolean openDropped(List<Path> files) {
        if (files.isEmpty()) return false;
        for (Path f : files) {
            if (f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(ProjectFiles.EXTENSION)) {
                openProject(f);
                return true;
            }
        }
        open(files.get(0));
        return true;
    }

    private record Opened(Document document, Background background, Path backgroundPath, String engineId, Refinements refinements) { }

    /** Restores a saved session; a damaged file is reported and the current one kept. */
    public void openProject(Path file) {
        message(I18n.format("status.opening", file.getFileName()));
        jobs.submit(ctx -> {
            Project p = ProjectFiles.load(file);
            Document d = ProjectBridge.toDocument(p);
            Background bg;
            try {
                bg = ProjectBridge.background(p.background());
            } catch (ImageLoadException ex) {
                bg = Background.checker(); // the background image moved: the session itself is still good
            }
            boolean image = p.background() != null && "image".equals(p.background().type());
            return new Opened(d, bg, image ? Path.of(p.background().imagePath()) : null, p.engineId(), p.refinements());
        }, JobRunner.outcome(o -> {
            setDocument(o.document());
            setBackground(o.background(), o.backgroundPath());
            if (o.engineId() != null) for (MattingEngine e : engines) if (e.id().equals(o.engineId())) setEngine(e);
            applyRefinements(o.refinements()); // restored settings, not an edit: no undo step
            message(I18n.format("status.projectOpened", file.getFileName()));
        }, e -> error(I18n.get("error.project.title"), String.valueOf(e.getMessage()))));
    }

    /** The session as a project now (image path or pixels, trimap, settings, background); null without a document. */
    public Project projectSnapshot() {
        if (document == null) return null;
        return ProjectBridge.toProject(document, engine == null ? null : engine.id(), ProjectBridge.spec(background, backgroundPath))
                .withRefinements(refinements);
    }

    public void saveProject(Path target) {
        Project p = projectSnapshot();
        if (p == null) return;
        jobs.submit(ctx -> {
            ProjectFiles.save(p, target, p.imagePath() == null, true);
            return null;
        }, JobRunner.outcome(r -> message(I18n.format("status.projectSaved", target.getFileName())),
                e -> error(I18n.get("error.project.title"), e.getMessage())));
    }

    /**
     * Writes the trimap (8-bit PNG) or α (16-bit PNG, the image's DPI) in the background. The file chooser has
     * already asked about replacing an existing file, so this overwrites; the write is atomic (temp file + rename).
     */
    public void save(String what, Path target) {
        Document d = document;
        if (d == null) return;
        Trimap t = d.trimap().copy();
        FloatImage a = d.alpha();
        Refinements ref = refinements;
        jobs.submit(ctx -> {
            if (what.equals("alpha")) ImageFiles.writePng16(ref.alphaIdentity() ? a : new AlphaRefiner().apply(a, ref, EdgeBand.width(t)),
                    target, d.dpi(), true);
            else TrimapFiles.write(t, target, true);
            return null;
        }, JobRunner.outcome(r -> message(I18n.format("status.saved", target.getFileName())),
                e -> error(I18n.get("error.save.title"), I18n.format("error.save.text", target.getFileName(), e.getMessage()))));
    }

    /** Writes the chosen outputs off the UI thread. */
    public void export(ExportOptions o) {
        Document d = document;
        if (d == null || d.alpha() == null) return;
        Exporter.Inputs in = new Exporter.Inputs(d.image(), d.alpha(), d.foreground(), d.trimap().copy(), background);
        Refinements ref = refinements;
        message(I18n.get("status.exporting"));
        jobs.submit(ctx -> Exporter.export(refined(in, ref), o), JobRunner.outcome(
                r -> message(I18n.format("status.exported", String.valueOf(r.written().size()), o.directory())),
                e -> error(I18n.get("error.export.title"), JobRunner.message(e))));
    }

    /** The export inputs with the global refinements applied at full resolution (worker thread). */
    private static Exporter.Inputs refined(Exporter.Inputs in, Refinements r) {
        if (r.alphaIdentity() && r.decontaminate() == 100) return in;
        FloatImage a = r.alphaIdentity() ? in.alpha() : new AlphaRefiner().apply(in.alpha(), r, EdgeBand.width(in.trimap()));
        return new Exporter.Inputs(in.image(), a, in.foreground(), in.trimap(), in.background()).decontaminated(r.decontaminate());
    }

    /** An image background, decoded in the background. */
    public void loadBackgroundImage(Path file) {
        jobs.submit(ctx -> ImageFiles.readRgb(file), JobRunner.outcome(img -> setBackground(Background.image(img), file),
                e -> error(I18n.get("error.background.title"), e.getMessage())));
    }

    // ---------------------------------------------------------------- masks and trimaps (the chain's first stages)

    /** The chain for the current document with its morphology; stops before MATTE unless an engine is chosen. */
    private AutoPipeline pipeline(Document d, int kernel, int iterations) {
        AutoPipeline p = new AutoPipeline(d.image(), null, engine, foregroundStage, background);
        p.setMorphology(kernel, iterations);
        return p;
    }

    private record MaskAndTrimap(FloatImage mask, Trimap trimap, boolean fromFile) { }

    /** Loads a mask or trimap file for the current image; a mask's trimap is made with the current morphology. */
    public void loadMask(Path p) {
        Document d = document;
        if (d == null) return;
        int k = d.kernelSize(), it = d.iterations();
        jobs.submit(ctx -> {
            MaskFile.Loaded l = MaskFile.load(p, d.width(), d.height());
            if (l.isTrimap()) return new MaskAndTrimap(l.mask(), l.trimap(), true);
            AutoPipeline chain = pipeline(d, k, it);
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
        int k = d.kernelSize(), it = d.iterations();
        jobs.submit(ctx -> {
            AutoPipeline chain = pipeline(d, k, it);
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
        long gen = trimapGeneration.incrementAndGet();
        FloatImage mask = d.mask();
        jobs.submit(ctx -> {
            if (gen != trimapGeneration.get()) return null; // a newer move replaced this one before it started
            AutoPipeline chain = pipeline(d, k, it);
            chain.setMask(mask);
            chain.run(AutoPipeline.Stage.TRIMAP, ctx, null);
            return chain.trimap();
        }, JobRunner.outcome(t -> {
            if (t == null || gen != trimapGeneration.get() || document != d) return;
            d.replaceTrimap("Trimap " + k + "/" + it, t);
        }, e -> error(I18n.get("error.matte.title"), JobRunner.message(e))));
    }

    /** Runs a segmenter on the current image and uses its mask (and the trimap made from it) as the new mask. */
    public void segment(Segmenter sg) {
        Document d = document;
        if (d == null) return;
        int k = d.kernelSize(), it = d.iterations();
        message(I18n.format("status.segmenting", sg.displayName()));
        jobs.start(false, false, ctx -> {
            AutoPipeline chain = pipeline(d, k, it);
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
        SettingsStep s = settingsUndo.peek();
        if (s != null && s.trimapSteps() == document.history().undoCount()) {
            settingsUndo.pop();
            settingsRedo.push(new SettingsStep(s.before(), s.after(), s.trimapSteps(), false));
            applyRefinements(s.before());
            return;
        }
        undoing = true;
        try {
            document.undo();
        } finally {
            undoing = false;
        }
    }

    public void redo() {
        if (document == null || strokeOpen) return;
        SettingsStep s = settingsRedo.peek();
        if (s != null && s.trimapSteps() == document.history().undoCount()) {
            settingsRedo.pop();
            settingsUndo.push(s);
            applyRefinements(s.after());
            return;
        }
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

    // ---------------------------------------------------------------- box selection (GrabCut)

    /** True while a box selection's GrabCut state is kept, so F/B strokes refine it. */
    public boolean selectionActive() { return selectionActive; }

    /**
     * Selects the subject in {@code box} (image pixels) with GrabCut, seeded by the first segmentation model when
     * there is one; cancellable with progress. The mask (and its trimap) replaces the current one as one undo step.
     */
    public void selectBox(Rect box) {
        Document d = document;
        if (d == null) return;
        Rect b = box.intersect(d.bounds());
        if (b.width() < 4 || b.height() < 4) return;
        int k = d.kernelSize(), it = d.iterations();
        Segmenter seed = segmenters.isEmpty() ? null : segmenters.get(0);
        endSelection();
        message(I18n.get("status.selecting"));
        jobs.start(false, true, ctx -> {
            SubjectSelector sel = SubjectSelector.select(d.image(), b, null, seed, null, SubjectSelector.Options.defaults(), ctx);
            try {
                return selected(d, sel, sel.mask(), k, it, ctx);
            } catch (RuntimeException ex) {
                sel.close();
                throw ex;
            }
        }, selectionOutcome(d, true));
    }

    /**
     * Re-runs the active selection from its current GrabCut state with these marks ({@link Trimap#FOREGROUND} /
     * {@link Trimap#BACKGROUND}, {@link Trimap#UNKNOWN} = no mark; image size). Returns false without a selection.
     */
    public boolean refineSelection(Trimap scribbles) {
        Document d = document;
        SubjectSelector sel = selector;
        if (d == null || sel == null || !selectionActive) return false;
        int k = d.kernelSize(), it = d.iterations();
        Trimap marks = scribbles.copy();
        message(I18n.get("status.refiningSelection"));
        jobs.start(false, true, ctx -> selected(d, sel, sel.refine(marks, ctx), k, it, ctx), selectionOutcome(d, false));
        return true;
    }

    /** Forgets the selection's GrabCut state (a new box, a new document); its native buffers are freed on the worker. */
    public void endSelection() {
        SubjectSelector old = selector;
        selector = null;
        boolean was = selectionActive;
        selectionActive = false;
        if (old != null) jobs.submit(ctx -> { old.close(); return null; }, JobRunner.outcome(r -> { }, e -> { }));
        if (was) for (Listener l : listeners) l.selectionChanged(false);
    }

    private record Selected(SubjectSelector selector, FloatImage mask, Trimap trimap, String source) { }

    private Selected selected(Document d, SubjectSelector sel, FloatImage mask, int k, int it, studio.matting.task.TaskContext ctx) throws Exception {
        AutoPipeline chain = pipeline(d, k, it);
        chain.setMask(mask);
        chain.run(AutoPipeline.Stage.TRIMAP, ctx, null);
        return new Selected(sel, mask, chain.trimap(), sel.source());
    }

    private JobRunner.Outcome<Selected> selectionOutcome(Document d, boolean fresh) {
        return new JobRunner.Outcome<>() {
            @Override public void done(Selected s) {
                if (document != d) {
                    if (fresh) jobs.submit(ctx -> { s.selector().close(); return null; }, JobRunner.outcome(r -> { }, e -> { }));
                    return;
                }
                if (fresh) {
                    selector = s.selector();
                    selectionActive = true;
                    for (Listener l : listeners) l.selectionChanged(true);
                }
                d.setMask(s.mask(), s.source(), s.trimap());
                message(I18n.format("status.mask", s.source()));
            }

            @Override public void failed(Throwable e) { error(I18n.get("error.select.title"), JobRunner.message(e)); }

            @Override public void cancelled() { message(I18n.get("status.selectCancelled")); }
        };
    }

    // ---------------------------------------------------------------- global refinements, preview, A/B, problems

    public Refinements refinements() { return refinements; }

    /** New refinement settings: one undo step (Ctrl+Z restores the previous values); the preview follows. */
    public void setRefinements(Refinements r) {
        Objects.requireNonNull(r);
        if (r.equals(refinements) || document == null) return;
        SettingsStep top = settingsUndo.peek();
        int steps = document.history().undoCount();
        // Typing into a field or dragging a slider sends many values: one step per run of changes, not per value.
        if (top != null && top.open() && top.trimapSteps() == steps && top.after().equals(refinements) && settingsRedo.isEmpty()
                && sameField(top.before(), top.after(), r)) {
            settingsUndo.pop();
            settingsUndo.push(new SettingsStep(top.before(), r, steps, true));
        } else {
            settingsUndo.push(new SettingsStep(refinements, r, steps, true));
        }
        settingsRedo.clear();
        applyRefinements(r);
    }

    /** True when {@code a → b} and {@code b → c} change the same single field (one slider drag). */
    private static boolean sameField(Refinements a, Refinements b, Refinements c) {
        double[] x = values(a), y = values(b), z = values(c);
        int fieldAB = -1, fieldBC = -1;
        for (int i = 0; i < x.length; i++) {
            if (x[i] != y[i]) { if (fieldAB >= 0) return false; fieldAB = i; }
            if (y[i] != z[i]) { if (fieldBC >= 0) return false; fieldBC = i; }
        }
        return fieldAB >= 0 && fieldAB == fieldBC;
    }

    private static double[] values(Refinements r) {
        return new double[]{r.smooth(), r.feather(), r.contrast(), r.shiftEdge(), r.decontaminate()};
    }

    /** Ends a run of changes: the next value starts a new undo step (a slider released, a field left). */
    public void commitRefinements() {
        SettingsStep top = settingsUndo.peek();
        if (top != null && top.open()) {
            settingsUndo.pop();
            settingsUndo.push(new SettingsStep(top.before(), top.after(), top.trimapSteps(), false));
        }
    }

    private void applyRefinements(Refinements r) {
        refinements = r;
        for (Listener l : listeners) l.refinementsChanged(r);
        updatePreview();
    }

    /** The α the matte views show: the refined matte (or the previous one while A/B is flipped); null before a matte. */
    public FloatImage previewAlpha() {
        if (showingPrevious && previousAlpha != null) return previousAlpha;
        return previewAlpha != null ? previewAlpha : document == null ? null : document.alpha();
    }

    /** The colours the composite views blend: F decontaminated by the chosen amount (null: the photo's own). */
    public FloatImage previewForeground() {
        if (showingPrevious && previousAlpha != null) return previousForeground;
        return previewForeground != null ? previewForeground : document == null ? null : document.foreground();
    }

    /** Refines a copy of α (and blends the colours) in the background; the newest request wins. */
    private void updatePreview() {
        Document d = document;
        long gen = previewGeneration.incrementAndGet();
        Refinements r = refinements;
        FloatImage a = d == null ? null : d.alpha(), f = d == null ? null : d.foreground();
        if (a == null || (r.alphaIdentity() && (f == null || r.decontaminate() == 100))) {
            boolean had = previewAlpha != null || previewForeground != null;
            previewAlpha = null;
            previewForeground = null;
            // the document's own α is shown now; its change events already redraw what they touched
            if (had) for (Listener l : listeners) l.previewChanged();
            return;
        }
        Trimap band = r.shiftEdge() == 0 ? null : d.trimap().copy(); // only Shift Edge needs the band's width
        jobs.submit(ctx -> {
            if (gen != previewGeneration.get()) return null;
            FloatImage ra = r.alphaIdentity() ? null : refiner.apply(a, r, band == null ? EdgeBand.DEFAULT_WIDTH : EdgeBand.width(band));
            FloatImage rf = f == null || r.decontaminate() == 100 ? null : Decontamination.blend(d.image(), f, r.decontaminate());
            return new FloatImage[]{ra, rf};
        }, JobRunner.outcome(out -> {
            if (out == null || gen != previewGeneration.get() || document != d) return;
            previewAlpha = out[0];
            previewForeground = out[1];
            for (Listener l : listeners) l.previewChanged();
        }, e -> error(I18n.get("error.matte.title"), JobRunner.message(e))));
    }

    /** True when a previous matte is kept for A/B compare. */
    public boolean hasPreviousMatte() { return previousAlpha != null; }

    public boolean showingPrevious() { return showingPrevious; }

    /** A/B: shows the previous matte instead of the current one (or back); false when there is none to show. */
    public boolean flipCompare() {
        if (previousAlpha == null) return false;
        showingPrevious = !showingPrevious;
        message(I18n.get(showingPrevious ? "status.showingPrevious" : "status.showingCurrent"));
        for (Listener l : listeners) l.previewChanged();
        return true;
    }

    /** The problem finder's list for the current matte, highest score first. */
    public List<Problem> problems() { return problems; }

    /** Runs the problem finder on the current matte in the background. */
    public void findProblems() {
        Document d = document;
        if (d == null || d.alpha() == null) return;
        long gen = problemGeneration.incrementAndGet();
        FloatImage a = d.alpha(), f = d.foreground();
        Trimap t = d.trimap().copy();
        jobs.submit(ctx -> ProblemFinder.find(d.image(), a, f, t), JobRunner.outcome(list -> {
            if (gen != problemGeneration.get() || document != d) return;
            problems = List.copyOf(list);
            for (Listener l : listeners) l.problemsChanged(problems);
            message(I18n.format("status.problems", String.valueOf(problems.size())));
        }, e -> error(I18n.get("error.matte.title"), JobRunner.message(e))));
    }

    /** Paints a problem's obvious fix into the trimap (one undo step); the re-matte follows as for a stroke. */
    public Rect applyFix(Problem p) {
        if (document == null || strokeOpen) return new Rect(0, 0, 0, 0);
        jobs.cancelRegion();
        Rect r = document.applyStrokes("Fix " + p.kind().id(), p.fix());
        if (!r.isEmpty()) {
            List<Problem> rest = new java.util.ArrayList<>(problems);
            rest.remove(p);
            problems = List.copyOf(rest);
            for (Listener l : listeners) l.problemsChanged(problems);
        }
        return r;
    }

    // ---------------------------------------------------------------- matting (the chain's later stages)

    /** Mattes the whole image with the chosen engine (background thread, cancellable). */
    public void matte() {
        runMatte(null);
    }

    public void cancel() {
        jobs.cancel();
    }

    private record Matted(FloatImage alpha, FloatImage foreground, double seconds) { }

    private void runMatte(Rect roi) {
        Document d = document;
        MattingEngine e = engine;
        if (d == null) return;
        if (e == null) {
            error(I18n.get("error.noEngine.title"), I18n.get("error.noEngine.text"));
            return;
        }
        message(roi == null ? I18n.format("status.matting", e.displayName()) : I18n.get("status.rematting"));
        Trimap trimap = d.trimap().copy();
        FloatImage previous = d.alpha();
        int k = d.kernelSize(), it = d.iterations();
        jobs.start(roi != null, true, ctx -> {
            long t0 = System.nanoTime();
            AutoPipeline chain = pipeline(d, k, it);
            chain.setTrimap(trimap, roi, previous);
            chain.run(AutoPipeline.Stage.FOREGROUND, ctx, null);
            return new Matted(chain.alpha(), chain.foreground(), (System.nanoTime() - t0) / 1e9);
        }, new JobRunner.Outcome<>() {
            @Override public void done(Matted m) {
                if (m.alpha() == null || document != d) return;
                if (roi == null && d.alpha() != null) {
                    // A/B compare: the matte this one replaces (a region re-matte only touches up the same matte)
                    previousAlpha = d.alpha();
                    previousForeground = d.foreground();
                }
                showingPrevious = false;
                d.setForeground(m.foreground());
                d.setAlpha(m.alpha(), roi == null ? null : roi.expand(64).intersect(d.bounds()));
                message(I18n.format(roi == null ? "status.matteTime" : "status.rematteTime", String.format(Locale.ROOT, "%.2f", m.seconds())));
                for (Listener l : listeners) l.matted(roi == null);
                findProblems();
                // Strokes made while this ran are not in the result yet: re-matte where the trimap moved on.
                rematte.changed(trimap.differenceBounds(d.trimap()));
            }

            @Override public void failed(Throwable ex) { error(I18n.get("error.matte.title"), JobRunner.message(ex)); }

            @Override public void cancelled() { message(I18n.get("status.matteCancelled")); }
        });
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

    private void message(String text) {
        for (Listener l : listeners) l.message(text);
    }

    private void error(String title, String message) {
        for (Listener l : listeners) l.error(title, message);
    }
}
