package studio.matting.ui.session;

import studio.matting.document.Document;
import studio.matting.image.FloatImage;
import studio.matting.refine.EdgeBand;
import studio.matting.refine.RefinePreview;
import studio.matting.refine.Refinements;
import studio.matting.trimap.Trimap;
import studio.matting.ui.I18n;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the matte views show: the global refinements (Smooth, Feather, Contrast, Shift Edge, Decontaminate) applied
 * to a copy of α off the UI thread, with their own undo steps, and the A/B compare matte. The document's α is never
 * changed by a refinement; export applies the same settings at full resolution.
 */
public final class MattePreview {
    // Refinement undo shares Ctrl+Z with the trimap: each settings step remembers how many trimap steps were before
    // it, which orders the two histories.
    private record SettingsStep(Refinements before, Refinements after, int trimapSteps, boolean open) { }

    private final EditorSession session;
    private final Deque<SettingsStep> settingsUndo = new ArrayDeque<>(), settingsRedo = new ArrayDeque<>();
    private Refinements refinements = Refinements.NONE;
    private final AtomicLong generation = new AtomicLong();
    private final RefinePreview reduced = new RefinePreview();
    private FloatImage previewAlpha, previewForeground;
    private int previewScale = 1;
    // Shift Edge's band width, measured once per trimap state (a pass over the whole trimap; NaN: not yet)
    private double bandWidth = Double.NaN;
    private long trimapVersion;

    // A/B compare: the matte before the last full matte, shown instead of the current one while flipped.
    private FloatImage previousAlpha, previousForeground;
    private boolean showingPrevious;

    MattePreview(EditorSession session) { this.session = session; }

    public Refinements refinements() { return refinements; }

    /** New refinement settings: one undo step (Ctrl+Z restores the previous values); the preview follows. */
    public void setRefinements(Refinements r) {
        Objects.requireNonNull(r);
        Document d = session.document();
        if (r.equals(refinements) || d == null) return;
        SettingsStep top = settingsUndo.peek();
        int steps = d.history().undoCount();
        // Typing into a field or dragging a slider sends many values: one step per run of changes, not per value.
        if (top != null && top.open() && top.trimapSteps() == steps && top.after().equals(refinements) && settingsRedo.isEmpty()
                && sameField(top.before(), top.after(), r)) {
            settingsUndo.pop();
            settingsUndo.push(new SettingsStep(top.before(), r, steps, true));
        } else {
            settingsUndo.push(new SettingsStep(refinements, r, steps, true));
        }
        settingsRedo.clear();
        apply(r);
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

    /** Settings in force without an undo step (a restored project, an undo itself). */
    void apply(Refinements r) {
        refinements = r;
        session.fire(l -> l.refinementsChanged(r));
        update();
    }

    /** Ctrl+Z: undoes the newest settings step when it is newer than the trimap's {@code trimapSteps}; else false. */
    boolean undo(int trimapSteps) {
        SettingsStep s = settingsUndo.peek();
        if (s == null || s.trimapSteps() != trimapSteps) return false;
        settingsUndo.pop();
        settingsRedo.push(new SettingsStep(s.before(), s.after(), s.trimapSteps(), false));
        apply(s.before());
        return true;
    }

    boolean redo(int trimapSteps) {
        SettingsStep s = settingsRedo.peek();
        if (s == null || s.trimapSteps() != trimapSteps) return false;
        settingsRedo.pop();
        settingsUndo.push(s);
        apply(s.after());
        return true;
    }

    /** A new trimap edit ends the redo chain of both histories. */
    void trimapEdited() { settingsRedo.clear(); }

    /** The trimap changed (an edit, undo, redo): Shift Edge's band width is measured again when next needed. */
    void trimapChanged() {
        bandWidth = Double.NaN;
        trimapVersion++;
    }

    /** A new document: no settings, no history, nothing to compare. */
    void reset() {
        settingsUndo.clear();
        settingsRedo.clear();
        refinements = Refinements.NONE;
        previewAlpha = previewForeground = previousAlpha = previousForeground = null;
        previewScale = 1;
        bandWidth = Double.NaN;
        showingPrevious = false;
        reduced.invalidate();
        session.fire(l -> l.refinementsChanged(refinements));
    }

    /** A matte is about to replace {@code d}'s; a full matte keeps the old one for A/B (a region re-matte only touches up). */
    void matteReplacing(Document d, boolean full) {
        if (full && d.alpha() != null) {
            previousAlpha = d.alpha();
            previousForeground = d.foreground();
        }
        showingPrevious = false;
    }

    /** The α the matte views show: the refined matte (or the previous one while A/B is flipped); null before a matte. */
    public FloatImage alpha() {
        if (showingPrevious && previousAlpha != null) return previousAlpha;
        Document d = session.document();
        return previewAlpha != null ? previewAlpha : d == null ? null : d.alpha();
    }

    /** The colours the composite views blend: F decontaminated by the chosen amount (null: the photo's own). */
    public FloatImage foreground() {
        if (showingPrevious && previousAlpha != null) return previousForeground;
        Document d = session.document();
        return previewAlpha != null ? previewForeground : d == null ? null : d.foreground();
    }

    /**
     * The whole factor by which {@link #alpha()} and {@link #foreground()} are reduced against the photo: 1, or the
     * refined preview's box reduction on a photo longer than {@link RefinePreview#EDITOR_MAX_SIDE}.
     */
    public int scale() {
        return showingPrevious && previousAlpha != null || previewAlpha == null ? 1 : previewScale;
    }

    /** True while the views show the document's own α and F (no refined preview, no A/B flip). */
    public boolean showsDocumentLayers() {
        return previewAlpha == null && !(showingPrevious && previousAlpha != null);
    }

    /** α or F changed in place (a stroke's patch): the reduced copies are stale. */
    void layersChanged() {
        reduced.invalidate();
        update();
    }

    private record Preview(FloatImage alpha, FloatImage foreground, int scale, double measuredWidth) { }

    /**
     * Refines a copy of α (and blends the colours) in the background, on the photo reduced to at most
     * {@link RefinePreview#EDITOR_MAX_SIDE} (export refines the full resolution); the newest request wins.
     */
    void update() {
        Document d = session.document();
        long gen = generation.incrementAndGet();
        Refinements r = refinements;
        FloatImage a = d == null ? null : d.alpha(), f = d == null ? null : d.foreground();
        if (a == null || (r.alphaIdentity() && (f == null || r.decontaminate() == 100))) {
            boolean had = previewAlpha != null;
            previewAlpha = null;
            previewForeground = null;
            previewScale = 1;
            // the document's own α is shown now; its change events already redraw what they touched
            if (had) session.fire(EditorSession.Listener::previewChanged);
            return;
        }
        // only Shift Edge needs the band's width, and only once per trimap state
        double known = r.shiftEdge() == 0 ? EdgeBand.DEFAULT_WIDTH : bandWidth;
        Trimap band = Double.isNaN(known) ? d.trimap().copy() : null;
        long version = trimapVersion;
        session.jobs().submit(ctx -> {
            if (gen != generation.get()) return null;
            double width = band == null ? known : EdgeBand.width(band);
            // a photo longer than EDITOR_MAX_SIDE is previewed on a box-reduced copy (whole factor), so a slider step
            // costs one pass over about a screen's worth of pixels whatever the photo's size
            RefinePreview.Layers l = reduced.layers(d.image(), a, f, r, width, RefinePreview.EDITOR_MAX_SIDE);
            return new Preview(l.alpha(), f == null ? null : l.foreground(), reduced.factor(), band == null ? Double.NaN : width);
        }, JobRunner.outcome(out -> {
            if (out == null || gen != generation.get() || session.document() != d) return;
            if (!Double.isNaN(out.measuredWidth()) && version == trimapVersion) bandWidth = out.measuredWidth();
            previewAlpha = out.alpha();
            previewForeground = out.foreground();
            previewScale = out.scale();
            session.fire(EditorSession.Listener::previewChanged);
        }, e -> session.error(I18n.get("error.matte.title"), JobRunner.message(e))));
    }

    /** True when a previous matte is kept for A/B compare. */
    public boolean hasPreviousMatte() { return previousAlpha != null; }

    public boolean showingPrevious() { return showingPrevious; }

    /** A/B: shows the previous matte instead of the current one (or back); false when there is none to show. */
    public boolean flipCompare() {
        if (previousAlpha == null) return false;
        showingPrevious = !showingPrevious;
        session.message(I18n.get(showingPrevious ? "status.showingPrevious" : "status.showingCurrent"));
        session.fire(EditorSession.Listener::previewChanged);
        return true;
    }
}
