package studio.matting.ui.canvas.tools;

import javafx.scene.input.KeyCode;
import javafx.scene.paint.Color;
import javafx.scene.shape.Polyline;
import javafx.scene.shape.Rectangle;
import studio.matting.document.Document;
import studio.matting.image.Rect;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapBrush;
import studio.matting.ui.I18n;
import studio.matting.ui.session.EditorSession;

import java.util.Locale;

/**
 * Select a subject: drag a box and GrabCut (seeded by a segmentation model when one is installed) makes the mask.
 * While the selection is active, drags are strokes — F marks subject, B marks not-subject — and each stroke re-runs
 * the selection from its current state with all marks so far. S (this tool's key) again starts a new box.
 */
public final class SelectTool implements Tool {
    private final ToolContext ctx;
    private final Rectangle box = new Rectangle();
    private final Polyline stroke = new Polyline();
    private int level = Trimap.FOREGROUND;
    private boolean boxMode = true, dragging;
    private double startX, startY, lastX, lastY;
    private Trimap marks;
    private boolean listening;

    public SelectTool(ToolContext ctx) {
        this.ctx = ctx;
        box.setFill(Color.color(0, 1, 1, 0.08));
        box.setStroke(Color.CYAN);
        box.getStrokeDashArray().addAll(6.0, 4.0);
        box.setMouseTransparent(true);
        box.setVisible(false);
        stroke.setStrokeWidth(3);
        stroke.setMouseTransparent(true);
        stroke.setVisible(false);
        ctx.overlay().getChildren().addAll(box, stroke);
        // Listening from the start puts this tool before the window's own listeners, so the status bar reads the
        // new state when a selection begins or ends.
        activated();
    }

    @Override public String id() { return "select"; }

    @Override public KeyCode key() { return KeyCode.S; }

    /** True while drags draw a box (no selection yet, or S asked for a new one); false: F/B strokes. */
    public boolean boxMode() { return boxMode || !ctx.session().selection().active(); }

    public int level() { return level; }

    /** The marks drawn on the current selection (UNKNOWN = none), or null. */
    public Trimap marks() { return marks; }

    @Override public void activated() {
        if (listening || ctx.session() == null) return;
        listening = true;
        ctx.session().addListener(new EditorSession.Listener() {
            @Override public void documentReplaced(Document d) { marks = null; boxMode = true; }
            @Override public void selectionChanged(boolean active) {
                marks = null;
                boxMode = !active;
            }
        });
    }

    @Override public boolean keyPressed(KeyCode k) {
        if (k == key()) {
            boxMode = true;
            return true;
        }
        int v = Levels.of(k);
        if (v < 0 || v == Trimap.UNKNOWN || !ctx.session().selection().active()) return false;
        if (v == level && !boxMode) return false; // the same key again: that brush
        level = v;
        boxMode = false;
        return true;
    }

    @Override public boolean showsBrush() { return !boxMode(); }

    @Override public void pressed(Gesture g) {
        Document d = ctx.session().document();
        if (d == null) return;
        dragging = true;
        startX = lastX = g.x();
        startY = lastY = g.y();
        if (boxMode()) {
            box.setVisible(true);
            updateBox(g);
        } else {
            if (marks == null || marks.width != d.width() || marks.height != d.height())
                marks = Trimap.filled(d.width(), d.height(), Trimap.UNKNOWN);
            stroke.setStroke(level == Trimap.FOREGROUND ? Color.LIMEGREEN : Color.RED);
            stroke.getPoints().setAll(g.viewX(), g.viewY());
            stroke.setVisible(true);
            mark(g);
        }
    }

    @Override public void dragged(Gesture g) {
        if (!dragging) return;
        if (boxMode()) updateBox(g);
        else {
            mark(g);
            stroke.getPoints().addAll(g.viewX(), g.viewY());
        }
    }

    @Override public void released(Gesture g) {
        if (!dragging) return;
        dragging = false;
        if (boxMode()) {
            box.setVisible(false);
            Rect r = corners(startX, startY, g.x(), g.y());
            if (r.width() >= 4 && r.height() >= 4) {
                boxMode = false;
                ctx.session().selection().select(r);
            }
        } else {
            mark(g);
            stroke.setVisible(false);
            ctx.session().selection().refine(marks);
        }
    }

    /** The pixel rectangle spanned by two image points, in any order. */
    static Rect corners(double x0, double y0, double x1, double y1) {
        int a = (int) Math.floor(Math.min(x0, x1)), b = (int) Math.floor(Math.min(y0, y1));
        int c = (int) Math.ceil(Math.max(x0, x1)), d = (int) Math.ceil(Math.max(y0, y1));
        return new Rect(a, b, c - a, d - b);
    }

    private void mark(Gesture g) {
        new TrimapBrush(level, ctx.brush().diameter()).stroke(marks, lastX, lastY, g.x(), g.y());
        lastX = g.x();
        lastY = g.y();
    }

    private void updateBox(Gesture g) {
        double x0 = ctx.view().toViewX(startX), y0 = ctx.view().toViewY(startY);
        box.setX(Math.min(x0, g.viewX()));
        box.setY(Math.min(y0, g.viewY()));
        box.setWidth(Math.abs(g.viewX() - x0));
        box.setHeight(Math.abs(g.viewY() - y0));
    }

    @Override public String status() {
        if (ctx.session() == null || boxMode()) return I18n.get("status.selectBox");
        return I18n.format("status.selectStrokes", I18n.get(Levels.nameKey(level)), String.format(Locale.ROOT, "%.0f", ctx.brush().diameter()));
    }
}
