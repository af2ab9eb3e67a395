package studio.matting.ui.canvas.tools;

import javafx.scene.input.KeyCode;
import studio.matting.ui.I18n;

import java.util.Locale;

/** Paints one trimap level (foreground, background or unknown) with the round brush; one stroke is one undo step. */
public final class BrushTool implements Tool {
    private final ToolContext ctx;
    private final String id;
    private final KeyCode key;
    private final int level;
    private boolean painting;
    private double lastX, lastY;

    public BrushTool(ToolContext ctx, String id, KeyCode key, int level) {
        this.ctx = ctx;
        this.id = id;
        this.key = key;
        this.level = level;
    }

    @Override public String id() { return id; }

    @Override public KeyCode key() { return key; }

    public int level() { return level; }

    @Override public void activated() { ctx.brush().setValue(level); }

    @Override public boolean showsBrush() { return true; }

    @Override public void pressed(Gesture g) {
        if (ctx.session().document() == null) return;
        painting = true;
        lastX = g.x();
        lastY = g.y();
        ctx.session().beginStroke(id.toLowerCase(Locale.ROOT) + " brush");
        ctx.session().paint(ctx.brush(), lastX, lastY, lastX, lastY);
    }

    @Override public void dragged(Gesture g) {
        if (!painting) return;
        ctx.session().paint(ctx.brush(), lastX, lastY, g.x(), g.y());
        lastX = g.x();
        lastY = g.y();
    }

    @Override public void released(Gesture g) {
        if (!painting) return;
        painting = false;
        ctx.session().endStroke();
    }

    @Override public String status() {
        return I18n.format("status.brush", I18n.get("tool." + id), String.format(Locale.ROOT, "%.0f", ctx.brush().diameter()));
    }
}
