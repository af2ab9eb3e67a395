package studio.matting.ui.session;

import studio.matting.document.Document;
import studio.matting.image.FloatImage;
import studio.matting.image.Rect;
import studio.matting.pipeline.AutoPipeline;
import studio.matting.segment.Segmenter;
import studio.matting.select.SubjectSelector;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;
import studio.matting.ui.I18n;

/**
 * The session's box selection (Select tool): GrabCut seeded by the first segmentation model, kept alive after the
 * box so F/B strokes refine it instead of starting over. The selector's native state is only touched on the
 * worker thread; this object's fields only on the UI thread.
 */
public final class ActiveSelection {
    private final EditorSession session;
    private SubjectSelector selector;
    private boolean active;

    ActiveSelection(EditorSession session) { this.session = session; }

    /** True while a box selection's GrabCut state is kept, so F/B strokes refine it. */
    public boolean active() { return active; }

    /**
     * Selects the subject in {@code box} (image pixels) with GrabCut, seeded by the first segmentation model when
     * there is one; cancellable with progress. The mask (and its trimap) replaces the current one as one undo step.
     */
    public void select(Rect box) {
        Document d = session.document();
        if (d == null) return;
        Rect b = box.intersect(d.bounds());
        if (b.width() < 4 || b.height() < 4) return;
        Document.Band band = d.band();
        Segmenter seed = session.segmenters().isEmpty() ? null : session.segmenters().get(0);
        end();
        session.message(I18n.get("status.selecting"));
        session.jobs().start(false, true, ctx -> {
            SubjectSelector sel = SubjectSelector.select(d.image(), b, null, seed, null, SubjectSelector.Options.defaults(), ctx);
            try {
                return selected(d, sel, sel.mask(), band, ctx);
            } catch (RuntimeException ex) {
                sel.close();
                throw ex;
            }
        }, outcome(d, true));
    }

    /**
     * Re-runs the active selection from its current GrabCut state with these marks ({@link Trimap#FOREGROUND} /
     * {@link Trimap#BACKGROUND}, {@link Trimap#UNKNOWN} = no mark; image size). Returns false without a selection.
     */
    public boolean refine(Trimap scribbles) {
        Document d = session.document();
        SubjectSelector sel = selector;
        if (d == null || sel == null || !active) return false;
        Document.Band band = d.band();
        Trimap marks = scribbles.copy();
        session.message(I18n.get("status.refiningSelection"));
        session.jobs().start(false, true, ctx -> selected(d, sel, sel.refine(marks, ctx), band, ctx), outcome(d, false));
        return true;
    }

    /** Forgets the GrabCut state (a new box, a new document); its native buffers are freed on the worker. */
    public void end() {
        SubjectSelector old = selector;
        selector = null;
        boolean was = active;
        active = false;
        if (old != null) closeOnWorker(old);
        if (was) session.fire(l -> l.selectionChanged(false));
    }

    private void closeOnWorker(SubjectSelector s) {
        session.jobs().submit(ctx -> { s.close(); return null; }, JobRunner.outcome(r -> { }, e -> { }));
    }

    private record Selected(SubjectSelector selector, FloatImage mask, Trimap trimap, String source) { }

    private Selected selected(Document d, SubjectSelector sel, FloatImage mask, Document.Band band, TaskContext ctx) throws Exception {
        AutoPipeline chain = session.pipeline(d, band);
        chain.setMask(mask);
        chain.run(AutoPipeline.Stage.TRIMAP, ctx, null);
        return new Selected(sel, mask, chain.trimap(), sel.source());
    }

    private JobRunner.Outcome<Selected> outcome(Document d, boolean fresh) {
        return new JobRunner.Outcome<>() {
            @Override public void done(Selected s) {
                if (session.document() != d) {
                    if (fresh) closeOnWorker(s.selector());
                    return;
                }
                if (fresh) {
                    selector = s.selector();
                    active = true;
                    session.fire(l -> l.selectionChanged(true));
                }
                d.setMask(s.mask(), s.source(), s.trimap());
                session.message(I18n.format("status.mask", s.source()));
            }

            @Override public void failed(Throwable e) { session.error(I18n.get("error.select.title"), JobRunner.message(e)); }

            @Override public void cancelled() { session.message(I18n.get("status.selectCancelled")); }
        };
    }
}
