package studio.matting.ui.session;

import studio.matting.document.Document;
import studio.matting.image.FloatImage;
import studio.matting.image.Rect;
import studio.matting.problems.Problem;
import studio.matting.problems.ProblemFinder;
import studio.matting.trimap.Trimap;
import studio.matting.ui.I18n;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The problem finder's list for the session's current matte: found after each matte, fixed one at a time. */
public final class ProblemList {
    private final EditorSession session;
    private final AtomicLong generation = new AtomicLong();
    private List<Problem> problems = List.of();

    ProblemList(EditorSession session) { this.session = session; }

    /** The list for the current matte, highest score first (empty: none found or no matte). */
    public List<Problem> problems() { return problems; }

    /** Runs the problem finder on the current matte in the background; the newest request wins. */
    public void find() {
        Document d = session.document();
        if (d == null || d.alpha() == null) return;
        long gen = generation.incrementAndGet();
        FloatImage a = d.alpha(), f = d.foreground();
        Trimap t = d.trimap().copy();
        session.jobs().submit(ctx -> ProblemFinder.find(d.image(), a, f, t), JobRunner.outcome(list -> {
            if (gen != generation.get() || session.document() != d) return;
            set(List.copyOf(list));
            session.message(I18n.format("status.problems", String.valueOf(problems.size())));
        }, e -> session.error(I18n.get("error.matte.title"), JobRunner.message(e))));
    }

    /** Paints a problem's obvious fix into the trimap (one undo step); the re-matte follows as for a stroke. */
    public Rect applyFix(Problem p) {
        Document d = session.document();
        if (d == null || session.strokeOpen()) return new Rect(0, 0, 0, 0);
        session.jobs().cancelRegion();
        Rect r = d.applyStrokes("Fix " + p.kind().id(), p.fix());
        if (!r.isEmpty()) {
            List<Problem> rest = new ArrayList<>(problems);
            rest.remove(p);
            set(List.copyOf(rest));
        }
        return r;
    }

    /** A new document: nothing found yet. */
    void reset() { set(List.of()); }

    private void set(List<Problem> list) {
        problems = list;
        session.fire(l -> l.problemsChanged(list));
    }
}
