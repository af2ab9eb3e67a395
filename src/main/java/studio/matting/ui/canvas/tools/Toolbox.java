package studio.matting.ui.canvas.tools;

import javafx.scene.input.KeyCode;
import studio.matting.trimap.Trimap;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/** The editor's tools in tool-bar order, the active one, and who wants to know when it changes. */
public final class Toolbox {
    private final List<Tool> tools;
    private final List<Consumer<Tool>> listeners = new ArrayList<>();
    private Tool active;

    public Toolbox(List<Tool> tools) {
        if (tools.isEmpty()) throw new IllegalArgumentException("a toolbox needs a tool");
        this.tools = List.copyOf(tools);
        select(this.tools.get(0));
    }

    /** Foreground, background and unknown brushes (F, B, U), the ellipse mask (E), box select (S), fill (G) and lasso (L). */
    public static Toolbox standard(ToolContext ctx) {
        return new Toolbox(List.of(
                new BrushTool(ctx, "foreground", KeyCode.F, Trimap.FOREGROUND),
                new BrushTool(ctx, "background", KeyCode.B, Trimap.BACKGROUND),
                new BrushTool(ctx, "unknown", KeyCode.U, Trimap.UNKNOWN),
                new EllipseTool(ctx),
                new SelectTool(ctx),
                new FillTool(ctx),
                new LassoTool(ctx)));
    }

    public List<Tool> tools() { return tools; }

    public Tool active() { return active; }

    public void onChange(Consumer<Tool> l) { listeners.add(l); }

    public void select(Tool t) {
        Objects.requireNonNull(t);
        if (!tools.contains(t)) throw new IllegalArgumentException("not in this toolbox: " + t.id());
        active = t;
        t.activated();
        for (Consumer<Tool> l : listeners) l.accept(t);
    }

    public Optional<Tool> byId(String id) {
        return tools.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    public Optional<Tool> byKey(KeyCode k) {
        return tools.stream().filter(t -> t.key() == k).findFirst();
    }
}
