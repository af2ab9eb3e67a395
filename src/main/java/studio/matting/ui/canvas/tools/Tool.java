package studio.matting.ui.canvas.tools;

import javafx.scene.input.KeyCode;

/**
 * A canvas tool: turns a primary-button drag into session calls (paint, a new mask, …). The canvas handles panning
 * and zooming itself and feeds every other press / drag / release here; a tool never draws the image — the document's
 * change events do — only its own transient feedback in the {@link ToolContext#overlay() overlay}. A new tool is one
 * class plus a line in {@link Toolbox#standard}; the tool bar, the key handler and the status bar pick it up.
 */
public interface Tool {
    /** Stable id: the tool bar button's node id is {@code id + "Tool"}, its texts {@code tool.<id>} / {@code tool.<id>.button}. */
    String id();

    /** The single-key shortcut that selects it. */
    KeyCode key();

    /** Called when it becomes the active tool. */
    default void activated() { }

    void pressed(Gesture g);

    void dragged(Gesture g);

    void released(Gesture g);

    /**
     * A key pressed while this tool is active, before it is used to choose a tool: the fill, lasso and select tools
     * take F / B / U as the level they paint. Returns true when the key was used.
     */
    default boolean keyPressed(KeyCode k) { return false; }

    /** Whether the canvas shows the round brush cursor while this tool is active. */
    default boolean showsBrush() { return false; }

    /** The status bar's tool text. */
    String status();
}
