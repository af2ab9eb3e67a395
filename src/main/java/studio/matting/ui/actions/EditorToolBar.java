package studio.matting.ui.actions;

import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.ToolBar;
import studio.matting.ui.I18n;
import studio.matting.ui.canvas.tools.Tool;
import studio.matting.ui.canvas.tools.Toolbox;

/**
 * The tool bar: one toggle a tool ({@link Toolbox#standard}); the engine, Matte, the band and the view live in the
 * properties panel (and the menus), which replaced the second tool bar.
 */
public final class EditorToolBar {
    private final ToggleGroup toolGroup = new ToggleGroup();
    private final ToolBar node = new ToolBar();

    public EditorToolBar(Toolbox toolbox) {
        for (Tool t : toolbox.tools()) {
            ToggleButton b = new ToggleButton(I18n.get("tool." + t.id() + ".button"));
            b.setId(t.id() + "Tool");
            b.setUserData(t);
            b.setToggleGroup(toolGroup);
            b.setFocusTraversable(false);
            b.setSelected(t == toolbox.active());
            node.getItems().add(b);
        }
        toolGroup.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) a.setSelected(true); // always one tool
            else if (b.getUserData() != toolbox.active()) toolbox.select((Tool) b.getUserData());
        });
        toolbox.onChange(t -> {
            for (var toggle : toolGroup.getToggles()) if (toggle.getUserData() == t && !toggle.isSelected()) toggle.setSelected(true);
        });
    }

    public ToolBar node() { return node; }
}
