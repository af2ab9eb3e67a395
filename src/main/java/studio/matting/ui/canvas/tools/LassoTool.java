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
 */
public final class LassoTool implements Tool {
    private final ToolContext ctx;
    private final Polyline preview = new Polyline();
    private int level = Trimap.FOREGROUND;
    private double[] xy = new double[64];
    private int n;
    private boolean drawing;

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

    @Override public boolean keyPressed(KeyCode k) {
        int v = Levels.of(k);
        if (v < 0 || v == level) return false;
        level = v;
        return true;
    }

    @Override public void pressed(Gesture g) {
        if (ctx.session().document() == null) return;
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
        if (!drawing) return;
        drawing = false;
        add(g);
        preview.setVisible(false);
        preview.getPoints().clear();
        if (n >= 6) ctx.session().lasso(Arrays.copyOf(xy, n), level, ctx.brush().diameter());
    }

    private void add(Gesture g) {
        if (n + 2 > xy.length) xy = Arrays.copyOf(xy, xy.length * 2);
        xy[n++] = g.x();
        xy[n++] = g.y();
        preview.getPoints().addAll(g.viewX(), g.viewY());
    }

    @Override public String status() {
        return I18n.format("status.lassoTool", I18n.get(Levels.nameKey(level)), String.format(java.util.Locale.ROOT, "%.0f", ctx.brush().diameter()));
    }
}
