package studio.matting.ui.panel;

import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.geometry.Insets;
import javafx.util.StringConverter;
import studio.matting.matting.MattingEngine;
import studio.matting.ui.I18n;
import studio.matting.ui.session.EditorSession;

/**
 * The panel's Matting section: the engine, Matte and auto re-matte (once the second tool bar's; always in sight here,
 * where a narrow window's tool bar would fold them into its overflow menu). Writes to the session; its events bring
 * the chooser back in step (models imported or removed, a project's engine).
 */
final class MattingSection {
    private final ComboBox<MattingEngine> engineChoice = new ComboBox<>();
    private final CheckBox autoRematte = new CheckBox(I18n.get("toolbar.autoRematte"));
    private final Button matteButton = new Button(I18n.get("toolbar.matte"));
    private final GridPane node = new GridPane();

    MattingSection(EditorSession session) {
        engineChoice.setId("engineChoice");
        engineChoice.setMaxWidth(Double.MAX_VALUE);
        engineChoice.getItems().setAll(session.engines());
        engineChoice.setConverter(new StringConverter<>() {
            @Override public String toString(MattingEngine e) { return e == null ? I18n.get("toolbar.noEngine") : e.displayName(); }
            @Override public MattingEngine fromString(String s) { return null; }
        });
        engineChoice.setValue(session.engine());
        engineChoice.valueProperty().addListener((o, a, b) -> session.setEngine(b));
        session.addListener(new EditorSession.Listener() {
            @Override public void modelsChanged() {
                engineChoice.getItems().setAll(session.engines());
                engineChoice.setValue(session.engine());
            }
            @Override public void engineChanged(MattingEngine e) { if (engineChoice.getValue() != e) engineChoice.setValue(e); }
        });
        matteButton.setId("matteButton");
        matteButton.setOnAction(e -> session.matte());
        matteButton.setTooltip(new Tooltip(I18n.get("toolbar.matte.tooltip")));
        autoRematte.setId("autoRematte");
        autoRematte.setSelected(session.autoRematte());
        autoRematte.selectedProperty().addListener((o, a, b) -> session.setAutoRematte(b));
        autoRematte.setTooltip(new Tooltip(I18n.get("toolbar.autoRematte.tooltip")));

        node.setHgap(8);
        node.setVgap(6);
        node.setPadding(new Insets(4));
        Label label = new Label(I18n.get("toolbar.engine"));
        label.setMinWidth(Region.USE_PREF_SIZE); // the chooser grows, the label keeps its word
        node.add(label, 0, 0);
        node.add(engineChoice, 1, 0);
        node.add(new HBox(10, matteButton, autoRematte), 0, 1, 2, 1);
    }

    ComboBox<MattingEngine> engineChoice() { return engineChoice; }

    Node node() { return node; }
}
