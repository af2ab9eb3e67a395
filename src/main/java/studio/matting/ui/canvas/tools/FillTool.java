package studio.matting.ui.canvas.tools;

import javafx.scene.input.KeyCode;
import studio.matting.trimap.Trimap;
import studio.matting.ui.I18n;

/**
 * Bucket fill: a click floods the clicked trimap region (every pixel of the clicked level connected to it) with this
 * tool's level. F / B / U choose the level while the tool is active; the same key again switches to that brush.
 */
public final class FillTool implements Tool {
    private final ToolContext ctx;
    private int level = Trimap.FOREGROUND;

    public FillTool(ToolContext ctx) {
        this.ctx = ctx;
    }

    @Override public String id() { return "fill"; }

    @Override public KeyCode key() { return KeyCode.G; }

    public int level() { return level; }

    public void setLevel(int v) { level = v; }

    @Override public boolean keyPressed(KeyCode k) {
        int v = Levels.of(k);
        if (v < 0 || v == level) return false;
        level = v;
        return true;
    }

    @Override public void pressed(Gesture g) {
        if (ctx.session().document() == null) return;
        ctx.session().fill((int) Math.floor(g.x()), (int) Math.floor(g.y()), level);
    }

    @Override public void dragged(Gesture g) { }

    @Override public void released(Gesture g) { }

    @Override public String status() { return I18n.format("status.fillTool", I18n.get(Levels.nameKey(level))); }
}
