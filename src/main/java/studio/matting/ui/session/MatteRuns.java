package studio.matting.ui.session;

import studio.matting.document.Document;
import studio.matting.image.FloatImage;
import studio.matting.image.Rect;
import studio.matting.matting.MattingEngine;
import studio.matting.pipeline.AutoPipeline;
import studio.matting.pipeline.DraftMatte;
import studio.matting.pipeline.RegionRematte;
import studio.matting.trimap.Trimap;
import studio.matting.ui.I18n;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The session's matting jobs: a full matte of the document (on a large photo a {@link DraftMatte} first, then the
 * full-resolution one) and a stroke's region re-matte. Each copies what its worker reads on the UI thread, runs on the
 * session's {@link JobRunner} and applies its result to the document back on the UI thread.
 */
final class MatteRuns {
    private final EditorSession session;
    private long draftFromPixels = DraftMatte.MIN_PIXELS;
    private int draftFactor; // 0: DraftMatte.factor
    /** The document whose draft is on screen while its full matte runs (null: none); writes wait for it. */
    private Document refining;
    /** Which draft's full matte ends the wait: a newer Matte replaces it, and the older job's outcome must not. */
    private long refiningDraft;
    private final List<Runnable> afterRefining = new ArrayList<>();

    MatteRuns(EditorSession session) { this.session = session; }

    /**
     * Photos from {@code fromPixels} on get a draft matte first ({@link DraftMatte#MIN_PIXELS}), reduced by
     * {@code factor} (0: {@link DraftMatte#factor}); tests use small photos.
     */
    void setDraft(long fromPixels, int factor) {
        draftFromPixels = fromPixels;
        draftFactor = factor;
    }

    /**
     * While a draft stands in for the full matte, a write that would save α (export, α, project) waits for it: it runs
     * when the full matte is applied, or — cancelled or failed — with the draft that is then kept. Returns whether
     * {@code write} was deferred (the caller returns); a new document drops what was waiting for the old one.
     */
    boolean deferWhileRefining(Runnable write) {
        if (refining == null || refining != session.document()) return false;
        afterRefining.add(write);
        session.message(I18n.get("status.writeAfterRefining"));
        return true;
    }

    private void settle(Document d, long draft) {
        if (draft == 0 || refining != d || draft != refiningDraft) return;
        refining = null;
        List<Runnable> waiting = new ArrayList<>(afterRefining);
        afterRefining.clear();
        if (session.document() == d) waiting.forEach(Runnable::run);
    }

    private record Matted(FloatImage alpha, FloatImage foreground, double seconds) { }

    private record Patched(RegionRematte.Patch patch, double seconds) { }

    /** A full matte ({@code roi} null) or a stroke's re-matte of {@code roi}; the re-matte scheduler calls this. */
    void run(Rect roi) {
        Document d = session.document();
        MattingEngine e = session.engine();
        if (d == null) return;
        if (e == null) {
            session.error(I18n.get("error.noEngine.title"), I18n.get("error.noEngine.text"));
            return;
        }
        if (roi != null && d.alpha() != null) {
            // A full matte (or a new mask) the user asked for keeps running: its result re-mattes, when applied,
            // wherever the trimap moved on meanwhile, so this region is not lost.
            if (session.jobs().isRunningExclusive()) return;
            rematteRegion(d, e, roi);
            return;
        }
        session.message(I18n.format("status.matting", e.displayName()));
        Trimap trimap = d.trimap().copy();
        Document.Band band = d.band();
        if ((long) d.width() * d.height() >= draftFromPixels) runDraft(d, e, trimap, band);
        else runFullMatte(d, e, trimap, band, 0);
    }

    /**
     * A large photo gets a draft first ({@link DraftMatte}: the same engine on the photo reduced to ≤ 0.8 MP, known
     * pixels exact), shown as soon as it is ready; the full-resolution matte follows in the same way as without it.
     */
    private void runDraft(Document d, MattingEngine e, Trimap trimap, Document.Band band) {
        session.jobs().start(false, true, ctx -> {
            long t0 = System.nanoTime();
            int f = draftFactor > 0 ? draftFactor : DraftMatte.factor(d.width(), d.height());
            DraftMatte.Result r = DraftMatte.run(d.image(), trimap, e, session.foregroundStage, f, ctx);
            return new Matted(r.alpha(), r.foreground(), (System.nanoTime() - t0) / 1e9);
        }, new JobRunner.Outcome<>() {
            @Override public void done(Matted m) {
                if (m.alpha() == null || session.document() != d) return;
                session.preview().matteReplacing(d, true);
                d.setForeground(m.foreground());
                d.setAlpha(m.alpha(), null);
                session.message(I18n.format("status.matteDraft", String.format(Locale.ROOT, "%.2f", m.seconds())));
                session.fire(l -> l.matted(true));
                refining = d; // writes already waiting (an earlier draft's) wait on for this one
                runFullMatte(d, e, trimap, band, ++refiningDraft);
            }

            // Writes still waiting from an earlier draft get the matte that stays.
            @Override public void failed(Throwable ex) {
                session.error(I18n.get("error.matte.title"), JobRunner.message(ex));
                settle(d, refiningDraft);
            }

            @Override public void cancelled() {
                session.message(I18n.get("status.matteCancelled"));
                settle(d, refiningDraft);
            }
        });
    }

    /** @param draft the draft this replaces ({@link #refiningDraft} when it was started), 0 for none */
    private void runFullMatte(Document d, MattingEngine e, Trimap trimap, Document.Band band, long draft) {
        boolean afterDraft = draft != 0;
        // Set up here on the UI thread, which owns the session's settings, with the engine the matte was asked with
        // (after a draft: the draft's), so the worker reads none of them.
        AutoPipeline chain = session.pipeline(d, band);
        chain.setEngine(e);
        chain.setTrimap(trimap);
        session.jobs().start(false, true, ctx -> {
            long t0 = System.nanoTime();
            chain.run(AutoPipeline.Stage.FOREGROUND, ctx, null);
            return new Matted(chain.alpha(), chain.foreground(), (System.nanoTime() - t0) / 1e9);
        }, new JobRunner.Outcome<>() {
            @Override public void done(Matted m) {
                if (m.alpha() == null || session.document() != d) { settle(d, draft); return; }
                session.preview().matteReplacing(d, !afterDraft); // A/B keeps the matte from before the draft
                d.setForeground(m.foreground());
                d.setAlpha(m.alpha(), null);
                session.message(I18n.format("status.matteTime", String.format(Locale.ROOT, "%.2f", m.seconds())));
                session.fire(l -> l.matted(true));
                session.problems().find();
                // Strokes made while this ran are not in the result yet: re-matte where the trimap moved on.
                session.rematteScheduler().changed(trimap.differenceBounds(d.trimap()));
                settle(d, draft);
            }

            @Override public void failed(Throwable ex) {
                session.error(I18n.get("error.matte.title"), JobRunner.message(ex));
                settle(d, draft);
            }

            @Override public void cancelled() {
                session.message(I18n.get(afterDraft ? "status.matteDraftKept" : "status.matteCancelled"));
                settle(d, draft);
            }
        });
    }

    /**
     * A stroke's re-matte: the layers around {@code roi} are copied here (the UI thread owns them), the worker mattes
     * the crop, and the roi's α and F are written back in place — nothing proportional to the photo on either side.
     * Strokes made meanwhile cancel it and schedule their own. The problem list is left to the next full matte.
     */
    private void rematteRegion(Document d, MattingEngine e, Rect roi) {
        RegionRematte.Crop crop = RegionRematte.crop(d.image(), d.trimap(), d.alpha(), roi, e);
        if (crop == null) return;
        session.message(I18n.get("status.rematting"));
        session.jobs().start(true, true, ctx -> {
            long t0 = System.nanoTime();
            return new Patched(RegionRematte.run(crop, e, session.foregroundStage, ctx), (System.nanoTime() - t0) / 1e9);
        }, new JobRunner.Outcome<>() {
            @Override public void done(Patched r) {
                if (session.document() != d || d.alpha() == null) return;
                RegionRematte.Patch p = r.patch();
                session.preview().matteReplacing(d, false);
                d.patchMatte(p.roi(), p.alpha(), p.foreground());
                session.message(I18n.format("status.rematteTime", String.format(Locale.ROOT, "%.2f", r.seconds())));
                session.fire(l -> l.matted(false));
            }

            @Override public void failed(Throwable ex) { session.error(I18n.get("error.matte.title"), JobRunner.message(ex)); }

            @Override public void cancelled() { session.message(I18n.get("status.matteCancelled")); }
        });
    }
}
