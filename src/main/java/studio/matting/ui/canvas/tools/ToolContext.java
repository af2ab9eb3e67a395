package studio.matting.ui.canvas.tools;

import javafx.scene.layout.Pane;
import studio.matting.trimap.TrimapBrush;
import studio.matting.ui.canvas.ViewState;
import studio.matting.ui.session.EditorSession;

/** What a tool may use: the session it edits, the shared brush, the view mapping and an overlay for its feedback. */
public record ToolContext(EditorSession session, TrimapBrush brush, ViewState view, Pane overlay) { }
