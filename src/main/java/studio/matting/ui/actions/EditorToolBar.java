package studio.matting.ui.actions;

import javafx.beans.value.ChangeListener;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.Slider;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import studio.matting.document.Document;
import studio.matting.matting.MattingEngine;
import studio.matting.trimap.TrimapGenerator;
import studio.matting.ui.I18n;
import studio.matting.ui.canvas.ViewMode;
import studio.matting.ui.canvas.tools.Tool;
import studio.matting.ui.canvas.tools.Toolbox;
import studio.matting.ui.session.EditorSession;

import java.util.function.Consumer;

/**
 * The two tool bars: tools and view; trimap morphology, engine, Matte and auto re-matte. Controls write to the
 * session and the toolbox; a new document and {@link #showView} bring them back in step without echoing.
 */
public final class EditorToolBar {
    private final Slider kernelSlider = new Slider(1, 41, TrimapGenerator.DEFAULT_KERNEL);
    private final Slider iterationsSlider = new Slider(0, 30, TrimapGenerator.DEFAULT_ITERATIONS);
    private final Label kernelValue = new Label(), iterationsValue = new Label();
    private final ChoiceBox<ViewMode> viewChoice = new ChoiceBox<>();
    private final ComboBox<MattingEngine> engineChoice = new ComboBox<>();

    /** The engine chooser (it may sit in the tool bar's overflow menu on a narrow window, out of the scene graph). */
    public ComboBox<MattingEngine> engineChoice() { return engineChoice; }
    private final CheckBox autoRematte = new CheckBox(I18n.get("toolbar.autoRematte"));
    private final Button matteButton = new Button(I18n.get("toolbar.matte"));
    private final ToggleGroup toolGroup = new ToggleGroup();
    private final VBox node;
    private boolean syncing;

    public EditorToolBar(EditorSession session, Toolbox toolbox, ViewMode initialView, Consumer<ViewMode> setView) {
        ToolBar tools = new ToolBar();
        for (Tool t : toolbox.tools()) {
            ToggleButton b = new ToggleButton(I18n.get("tool." + t.id() + ".button"));
            b.setId(t.id() + "Tool");
            b.setUserData(t);
            b.setToggleGroup(toolGroup);
            b.setFocusTraversable(false);
            b.setSelected(t == toolbox.active());
            tools.getItems().add(b);
        }
        toolGroup.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) a.setSelected(true); // always one tool
            else if (b.getUserData() != toolbox.active()) toolbox.select((Tool) b.getUserData());
        });
        toolbox.onChange(t -> {
            for (var toggle : toolGroup.getToggles()) if (toggle.getUserData() == t && !toggle.isSelected()) toggle.setSelected(true);
        });

        setupSlider(kernelSlider, "kernelSlider", kernelValue, 10);
        setupSlider(iterationsSlider, "iterationsSlider", iterationsValue, 5);
        ChangeListener<Number> morph = (o, a, b) -> {
            if (!syncing) session.setMorphology((int) Math.round(kernelSlider.getValue()), (int) Math.round(iterationsSlider.getValue()));
        };
        kernelSlider.valueProperty().addListener(morph);
        iterationsSlider.valueProperty().addListener(morph);

        viewChoice.setId("viewMode");
        viewChoice.getItems().setAll(ViewMode.values());
        viewChoice.setValue(initialView);
        viewChoice.valueProperty().addListener((o, a, b) -> { if (b != null && !syncing) setView.accept(b); });

        engineChoice.setId("engineChoice");
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
            @Override public void documentReplaced(Document d) { syncMorphology(d); }
        });
        matteButton.setId("matteButton");
        matteButton.setOnAction(e -> session.matte());
        matteButton.setTooltip(new Tooltip(I18n.get("toolbar.matte.tooltip")));
        autoRematte.setId("autoRematte");
        autoRematte.setSelected(session.autoRematte());
        autoRematte.selectedProperty().addListener((o, a, b) -> session.setAutoRematte(b));
        autoRematte.setTooltip(new Tooltip(I18n.get("toolbar.autoRematte.tooltip")));

        tools.getItems().addAll(new Separator(), new Label(I18n.get("toolbar.view")), viewChoice);
        ToolBar trimapAndMatting = new ToolBar(
                new Label(I18n.get("toolbar.kernel")), kernelSlider, kernelValue,
                new Label(I18n.get("toolbar.iterations")), iterationsSlider, iterationsValue, new Separator(),
                new Label(I18n.get("toolbar.engine")), engineChoice, matteButton, autoRematte);
        node = new VBox(tools, trimapAndMatting);
    }

    public VBox node() { return node; }

    /** The sliders follow the new document's morphology without regenerating its trimap. */
    private void syncMorphology(Document d) {
        syncing = true;
        try {
            kernelSlider.setValue(d.kernelSize());
            iterationsSlider.setValue(d.iterations());
        } finally {
            syncing = false;
        }
    }

    /** Shows a view mode chosen elsewhere (menu, key, a finished matte) without choosing it again. */
    public void showView(ViewMode m) {
        if (viewChoice.getValue() == m) return;
        syncing = true;
        try {
            viewChoice.setValue(m);
        } finally {
            syncing = false;
        }
    }

    private static void setupSlider(Slider s, String id, Label value, double major) {
        s.setId(id);
        s.setMajorTickUnit(major);
        s.setMinorTickCount(0);
        s.setSnapToTicks(false);
        s.setBlockIncrement(1);
        s.setPrefWidth(140);
        s.setFocusTraversable(false);
        value.setMinWidth(24);
        value.textProperty().bind(s.valueProperty().asString("%.0f"));
    }
}
