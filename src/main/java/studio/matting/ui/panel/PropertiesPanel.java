package studio.matting.ui.panel;

import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ColorPicker;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.util.StringConverter;
import studio.matting.document.Document;
import studio.matting.image.Rect;
import studio.matting.problems.Problem;
import studio.matting.refine.Refinements;
import studio.matting.trimap.TrimapGenerator;
import studio.matting.ui.I18n;
import studio.matting.ui.canvas.LayerRenderer;
import studio.matting.ui.canvas.ViewMode;
import studio.matting.ui.session.EditorSession;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * The properties side panel (Select and Mask's): Matting (engine, Matte, auto re-matte), View (mode, onion-skin
 * opacity, tint colour and opacity), Band
 * (kernel and iterations as numbers), Global refinements (Smooth, Feather, Contrast, Shift Edge), Output
 * (decontaminate amount, A/B compare) and the problem spots with Previous / Next / Fix. Every value is typed or
 * stepped as a number and goes to the session (refinements, morphology) or the canvas (look, view); session events
 * bring the fields back in step without echoing.
 */
public final class PropertiesPanel {
    /** What the panel drives outside the session. */
    public interface Canvas {
        void setView(ViewMode m);

        LayerRenderer.Look look();

        void setLook(LayerRenderer.Look l);

        /** Shows an image rectangle (a problem spot). */
        void focus(Rect r);
    }

    private final EditorSession session;
    private final Canvas canvas;
    private final ChoiceBox<ViewMode> view = new ChoiceBox<>();
    private final Spinner<Double> onion = spinner("onionOpacity", 0, 100, 50, 5);
    private final ColorPicker tintColour = new ColorPicker(Color.RED);
    private final Spinner<Double> tintOpacity = spinner("tintOpacity", 0, 100, 50, 5);
    private final Spinner<Double> kernel = spinner("bandKernel", 1, 41, TrimapGenerator.DEFAULT_KERNEL, 1);
    private final Spinner<Double> iterations = spinner("bandIterations", 0, 30, TrimapGenerator.DEFAULT_ITERATIONS, 1);
    private final Spinner<Double> smooth = spinner("smooth", 0, Refinements.MAX_SMOOTH, 0, 1);
    private final Spinner<Double> feather = spinner("feather", 0, Refinements.MAX_FEATHER, 0, 0.5);
    private final Spinner<Double> contrast = spinner("contrast", 0, Refinements.MAX_CONTRAST, 0, 5);
    private final Spinner<Double> shift = spinner("shiftEdge", -Refinements.MAX_SHIFT, Refinements.MAX_SHIFT, 0, 5);
    private final Spinner<Double> decontaminate = spinner("decontaminate", 0, Refinements.MAX_DECONTAMINATE, 100, 10);
    /** Back to the automatic band (disabled while it is in force). */
    private final Button autoBand = new Button(I18n.get("panel.band.auto"));
    private final ToggleButton compare = new ToggleButton(I18n.get("panel.compare"));
    private final ListView<Problem> problems = new ListView<>();
    private final Button previous = new Button(I18n.get("panel.problems.previous"));
    private final Button next = new Button(I18n.get("panel.problems.next"));
    private final Button fix = new Button(I18n.get("panel.problems.fix"));
    private final Label problemsEmpty = new Label(I18n.get("panel.problems.none"));
    private final MattingSection matting;
    private final VBox node;
    private boolean syncing;

    public PropertiesPanel(EditorSession session, Canvas canvas, ViewMode initialView) {
        this.session = session;
        this.canvas = canvas;
        this.matting = new MattingSection(session);

        view.setId("panelView");
        view.getItems().setAll(ViewMode.values());
        view.setValue(initialView);
        view.valueProperty().addListener((o, a, b) -> { if (b != null && !syncing) canvas.setView(b); });
        tintColour.setId("tintColour");
        onion.valueProperty().addListener((o, a, b) -> updateLook());
        tintOpacity.valueProperty().addListener((o, a, b) -> updateLook());
        tintColour.valueProperty().addListener((o, a, b) -> updateLook());
        GridPane viewGrid = grid();
        row(viewGrid, 0, "panel.view.mode", view);
        row(viewGrid, 1, "panel.view.onion", onion);
        row(viewGrid, 2, "panel.view.tintColour", tintColour);
        row(viewGrid, 3, "panel.view.tintOpacity", tintOpacity);

        kernel.valueProperty().addListener((o, a, b) -> morphology());
        iterations.valueProperty().addListener((o, a, b) -> morphology());
        GridPane band = grid();
        row(band, 0, "panel.band.kernel", kernel);
        row(band, 1, "panel.band.iterations", iterations);
        autoBand.setId("bandAuto");
        autoBand.setTooltip(new Tooltip(I18n.get("panel.band.auto.tip")));
        autoBand.setOnAction(e -> session.useAutomaticBand());
        band.add(autoBand, 1, 2);

        refinement(smooth, v -> session.preview().refinements().withSmooth(v));
        refinement(feather, v -> session.preview().refinements().withFeather(v));
        refinement(contrast, v -> session.preview().refinements().withContrast(v));
        refinement(shift, v -> session.preview().refinements().withShiftEdge(v));
        refinement(decontaminate, v -> session.preview().refinements().withDecontaminate(v));
        GridPane global = grid();
        row(global, 0, "panel.refine.smooth", smooth);
        row(global, 1, "panel.refine.feather", feather);
        row(global, 2, "panel.refine.contrast", contrast);
        row(global, 3, "panel.refine.shiftEdge", shift);

        compare.setId("compareToggle");
        compare.setOnAction(e -> {
            if (compare.isSelected() != session.preview().showingPrevious() && !session.preview().flipCompare()) compare.setSelected(false);
        });
        GridPane output = grid();
        row(output, 0, "panel.output.decontaminate", decontaminate);
        output.add(compare, 0, 1, 2, 1);

        problems.setId("problemList");
        problems.setPrefHeight(150);
        problems.setMinHeight(90);
        problems.setCellFactory(l -> new ListCell<>() {
            @Override protected void updateItem(Problem p, boolean empty) {
                super.updateItem(p, empty);
                setText(empty || p == null ? null : describe(p));
                setGraphic(empty || p == null ? null : thumbnail(session.document(), p.box()));
            }
        });
        problems.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> { if (b != null) canvas.focus(b.box()); });
        previous.setId("problemPrevious");
        next.setId("problemNext");
        fix.setId("problemFix");
        previous.setOnAction(e -> step(-1));
        next.setOnAction(e -> step(1));
        fix.setOnAction(e -> fixSelected());
        problemsEmpty.setId("problemsEmpty");
        VBox problemBox = new VBox(6, problemsEmpty, problems, new HBox(6, previous, next, fix));

        session.addListener(new EditorSession.Listener() {
            @Override public void refinementsChanged(Refinements r) { showRefinements(r); }
            @Override public void problemsChanged(List<Problem> list) { showProblems(list); }
            @Override public void documentReplaced(Document d) {
                showMorphology(d);
                // undo and a loaded project set the same settings: follow them
                d.addListener((layer, r) -> { if (layer == Document.Layer.SETTINGS && session.document() == d) showMorphology(d); });
            }
            @Override public void previewChanged() { compare.setSelected(session.preview().showingPrevious()); }
            @Override public void matted(boolean full) { compare.setSelected(session.preview().showingPrevious()); }
        });
        showProblems(List.of());

        VBox box = new VBox(
                titled("panel.matting", matting.node()), titled("panel.view", viewGrid), titled("panel.band", band), titled("panel.refine", global),
                titled("panel.output", output));
        ScrollPane settings = new ScrollPane(box);
        settings.setFitToWidth(true);
        settings.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        // The problem list stays in sight below the settings, which scroll when the window is short.
        TitledPane problemPane = titled("panel.problems", problemBox);
        problemPane.setCollapsible(false);
        VBox.setVgrow(settings, javafx.scene.layout.Priority.ALWAYS);
        node = new VBox(settings, problemPane);
        node.setId("propertiesPanel");
        node.setPrefWidth(290);
        node.setMinWidth(250);
    }

    public Node node() { return node; }

    /** The engine chooser of the Matting section. */
    public javafx.scene.control.ComboBox<studio.matting.matting.MattingEngine> engineChoice() { return matting.engineChoice(); }

    /** A view chosen elsewhere (menu, key, a finished matte). */
    public void showView(ViewMode m) {
        if (view.getValue() == m) return;
        syncing = true;
        try {
            view.setValue(m);
        } finally {
            syncing = false;
        }
    }

    /** Next (+1) or previous (−1) problem spot: selects it in the list, which shows it on the canvas. */
    public void step(int dir) {
        int n = problems.getItems().size();
        if (n == 0) return;
        int i = problems.getSelectionModel().getSelectedIndex();
        int j = i < 0 ? (dir > 0 ? 0 : n - 1) : Math.floorMod(i + dir, n);
        problems.getSelectionModel().clearAndSelect(j);
        problems.scrollTo(j);
    }

    /** Applies the selected problem's fix (the first one when none is selected). */
    public void fixSelected() {
        Problem p = problems.getSelectionModel().getSelectedItem();
        if (p == null && !problems.getItems().isEmpty()) p = problems.getItems().get(0);
        if (p != null) session.problems().applyFix(p);
    }

    public List<Problem> shownProblems() { return List.copyOf(problems.getItems()); }

    public Problem selectedProblem() { return problems.getSelectionModel().getSelectedItem(); }

    // ---------------------------------------------------------------- wiring

    private void refinement(Spinner<Double> s, DoubleFunction<Refinements> with) {
        s.valueProperty().addListener((o, a, b) -> {
            if (syncing || b == null) return;
            try {
                session.preview().setRefinements(with.apply(b));
            } catch (IllegalArgumentException e) {
                showRefinements(session.preview().refinements()); // out of range typed: back to the value in force
            }
        });
        // Leaving the field ends a run of changes: the next value is a new undo step.
        s.focusedProperty().addListener((o, a, b) -> { if (!b) session.preview().commitRefinements(); });
    }

    private void morphology() {
        if (syncing) return;
        session.setMorphology((int) Math.round(kernel.getValue()), (int) Math.round(iterations.getValue()));
    }

    private void updateLook() {
        Color c = tintColour.getValue();
        int rgb = (int) Math.round(c.getRed() * 255) << 16 | (int) Math.round(c.getGreen() * 255) << 8 | (int) Math.round(c.getBlue() * 255);
        canvas.setLook(new LayerRenderer.Look(onion.getValue() / 100, rgb, tintOpacity.getValue() / 100));
    }

    private void showRefinements(Refinements r) {
        syncing = true;
        try {
            set(smooth, r.smooth());
            set(feather, r.feather());
            set(contrast, r.contrast());
            set(shift, r.shiftEdge());
            set(decontaminate, r.decontaminate());
        } finally {
            syncing = false;
        }
    }

    /** Brings the band fields in step with the document (and with the tool bar's sliders, through it). */
    public void showMorphology(Document d) {
        syncing = true;
        try {
            set(kernel, d.kernelSize());
            set(iterations, d.iterations());
            autoBand.setDisable(d.band().auto());
        } finally {
            syncing = false;
        }
    }

    private void showProblems(List<Problem> list) {
        problems.getItems().setAll(list);
        boolean none = list.isEmpty();
        problemsEmpty.setVisible(none);
        problemsEmpty.setManaged(none);
        previous.setDisable(none);
        next.setDisable(none);
        fix.setDisable(none);
    }

    private static void set(Spinner<Double> s, double v) {
        if (s.getValue() == null || s.getValue() != v) s.getValueFactory().setValue(v);
    }

    static final int THUMB = 44;

    /** The photo around a problem's box (a quarter of its size added on each side), at most {@value #THUMB} px. */
    static javafx.scene.image.ImageView thumbnail(Document d, Rect box) {
        if (d == null) return null;
        int m = Math.max(4, Math.max(box.width(), box.height()) / 4);
        Rect r = box.expand(m).intersect(d.bounds());
        if (r.isEmpty()) return null;
        double k = Math.min(1.0, (double) THUMB / Math.max(r.width(), r.height()));
        int tw = Math.max(1, (int) Math.round(r.width() * k)), th = Math.max(1, (int) Math.round(r.height() * k));
        javafx.scene.image.WritableImage img = new javafx.scene.image.WritableImage(tw, th);
        javafx.scene.image.PixelWriter pw = img.getPixelWriter();
        studio.matting.image.ByteImage rgb = d.image();
        for (int y = 0; y < th; y++) {
            int sy = Math.min(r.bottom() - 1, r.y() + (int) (y / k));
            for (int x = 0; x < tw; x++) {
                int sx = Math.min(r.right() - 1, r.x() + (int) (x / k)), o = sy * rgb.stride + sx * 3;
                pw.setArgb(x, y, 0xFF000000 | (rgb.data[o] & 0xFF) << 16 | (rgb.data[o + 1] & 0xFF) << 8 | (rgb.data[o + 2] & 0xFF));
            }
        }
        return new javafx.scene.image.ImageView(img);
    }

    static String describe(Problem p) {
        Rect b = p.box();
        return I18n.format("panel.problem.item", I18n.get("problem." + p.kind().id()),
                String.format(Locale.ROOT, "%.2f", p.score()), String.valueOf(b.x()), String.valueOf(b.y()),
                String.valueOf(b.width()), String.valueOf(b.height()));
    }

    private static Spinner<Double> spinner(String id, double min, double max, double value, double step) {
        Spinner<Double> s = new Spinner<>();
        SpinnerValueFactory.DoubleSpinnerValueFactory f = new SpinnerValueFactory.DoubleSpinnerValueFactory(min, max, value, step);
        f.setConverter(new StringConverter<>() {
            @Override public String toString(Double v) {
                return v == null ? "" : v == Math.rint(v) ? String.valueOf(v.longValue()) : String.format(Locale.ROOT, "%.1f", v);
            }

            @Override public Double fromString(String t) {
                try {
                    return Double.parseDouble(t.trim().replace(',', '.'));
                } catch (NumberFormatException e) {
                    return f.getValue(); // not a number: keep the value in force
                }
            }
        });
        s.setValueFactory(f);
        s.setEditable(true);
        s.setId(id);
        s.setPrefWidth(100);
        return s;
    }

    private static GridPane grid() {
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(6);
        g.setPadding(new Insets(4));
        return g;
    }

    private static void row(GridPane g, int r, String key, Node control) {
        g.add(new Label(I18n.get(key)), 0, r);
        g.add(control, 1, r);
    }

    private static TitledPane titled(String key, Node content) {
        TitledPane t = new TitledPane(I18n.get(key), content);
        t.setAnimated(false);
        return t;
    }
}
