package studio.matting.ui.canvas.tools;

import javafx.scene.input.KeyCode;
import javafx.scene.paint.Color;
import javafx.scene.shape.Polyline;
import studio.matting.trimap.Trimap;
import studio.matting.ui.I18n;

import java.util.Arrays;

/**
 * Lasso: drag around the subject; on release the inside takes this tool's level (foreground unless B / U chose
 * another) and the outline is painted unknown with the brush width — the classic trimap in one gesture.
 * Polygon: click instead of dragging, and each click adds a corner (Photoshop's Polygonal Lasso); a click on the
 * first corner or Enter closes it, Escape (or another tool) drops it.
 */
public final class LassoTool implements Tool {
    private final ToolContext ctx;
    private final Polyline preview = new Polyline();
    private int level = Trimap.FOREGROUND;
    private double[] xy = new double[64];
    private int n;
    private boolean drawing;   // a freehand drag in progress
    private boolean polygon;   // corners placed by clicks, not closed yet
    private double pressX, pressY;
    /** A press and release closer than this (view px) is a click: a polygon corner. */
    static final double CLICK_SLOP = 3, CLOSE_RADIUS = 8;

    public LassoTool(ToolContext ctx) {
        this.ctx = ctx;
        preview.setStroke(Color.CYAN);
        preview.getStrokeDashArray().addAll(6.0, 4.0);
        preview.setMouseTransparent(true);
        preview.setVisible(false);
        ctx.overlay().getChildren().add(preview);
    }

    @Override public String id() { return "lasso"; }

    @Override public KeyCode key() { return KeyCode.L; }

    public int level() { return level; }

    /** True while polygon corners are placed and not closed yet. */
    public boolean polygonOpen() { return polygon; }

    @Override public void activated() { cancel(); }

    @Override public boolean keyPressed(KeyCode k) {
        if (polygon && k == KeyCode.ENTER) {
            close();
            return true;
        }
        if (polygon && k == KeyCode.ESCAPE) {
            cancel();
            return true;
        }
        int v = Levels.of(k);
        if (v < 0 || v == level) return false;
        level = v;
        return true;
    }

    @Override public void pressed(Gesture g) {
        if (ctx.session().document() == null) return;
        pressX = g.viewX();
        pressY = g.viewY();
        if (polygon) return; // a corner is placed on release, where the click ends
        drawing = true;
        n = 0;
        preview.getPoints().clear();
        preview.setVisible(true);
        add(g);
    }

    @Override public void dragged(Gesture g) {
        if (!drawing) return;
        // Points closer than a view pixel add nothing to the outline but cost a crossing test per row.
        if (n >= 2 && Math.hypot(g.x() - xy[n - 2], g.y() - xy[n - 1]) * ctx.view().zoom() < 1.5) return;
        add(g);
    }

    @Override public void released(Gesture g) {
        boolean click = Math.hypot(g.viewX() - pressX, g.viewY() - pressY) < CLICK_SLOP;
        if (polygon) {
            if (!click) return; // a drag while placing corners: ignored, as a stray move
            if (n >= 6 && Math.hypot(g.x() - xy[0], g.y() - xy[1]) * ctx.view().zoom() <= CLOSE_RADIUS) close();
            else add(g);
            return;
        }
        if (!drawing) return;
        drawing = false;
        if (click) {
            polygon = true; // the first corner: the point the press added
            n = 2;
            if (preview.getPoints().size() > 2) preview.getPoints().remove(2, preview.getPoints().size());
            return;
        }
        add(g);
        finish();
    }

    private void close() {
        polygon = false;
        finish();
    }

    private void finish() {
        preview.setVisible(false);
        preview.getPoints().clear();
        if (n >= 6) ctx.session().lasso(Arrays.copyOf(xy, n), level, ctx.brush().diameter());
        n = 0;
    }

    private void cancel() {
        polygon = drawing = false;
        n = 0;
        preview.setVisible(false);
        preview.getPoints().clear();
    }

    private void add(Gesture g) {
        if (n + 2 > xy.length) xy = Arrays.copyOf(xy, xy.length * 2);
        xy[n++] = g.x();
        xy[n++] = g.y();
        preview.getPoints().addAll(g.viewX(), g.viewY());
    }

    @Override public String status() {
        if (polygon) return I18n.format("status.polygonTool", String.valueOf(n / 2));
        return I18n.format("status.lassoTool", I18n.get(Levels.nameKey(level)), String.format(java.util.Locale.ROOT, "%.0f", ctx.brush().diameter()));
    }
}
