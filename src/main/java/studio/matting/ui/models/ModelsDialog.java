package studio.matting.ui.models;

import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.scene.Parent;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextField;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import studio.matting.inference.MNetEngine;
import studio.matting.inference.ModelCard;
import studio.matting.inference.ModelException;
import studio.matting.inference.ModelFamily;
import studio.matting.inference.ModelImporter;
import studio.matting.inference.ModelRepository;
import studio.matting.matting.MattingEngine;
import studio.matting.segment.Segmenter;
import studio.matting.ui.I18n;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Settings ▸ Models…: the models of every searched folder, import (file chooser or drag and drop of .onnx files,
 * family auto-detected or chosen) and removal of imported ones. Imports run on a worker thread (ONNX Runtime opens the
 * graph to check it); after each change {@code onChanged} runs on the FX thread so the editor's Mask menu and engine
 * chooser follow without a restart ({@link #refresh}).
 */
public final class ModelsDialog extends Dialog<Void> {
    private final ListView<ModelImporter.Listed> list = new ListView<>();
    private final ComboBox<String> family = new ComboBox<>();
    private final TextField name = new TextField();
    private final Button importButton = new Button(I18n.get("models.import"));
    private final Button removeButton = new Button(I18n.get("models.remove"));
    private final Label status = new Label();
    private final Runnable onChanged;
    private Predicate<String> confirmRemove = ModelsDialog::askRemove;
    private int running;

    public ModelsDialog(Window owner, Runnable onChanged) {
        this.onChanged = onChanged == null ? () -> { } : onChanged;
        if (owner != null) initOwner(owner);
        setTitle(I18n.get("models.title"));
        setHeaderText(I18n.get("models.header"));
        setResizable(true);

        list.setId("modelsList");
        list.setPrefSize(720, 260);
        list.setCellFactory(v -> new ListCell<>() {
            @Override protected void updateItem(ModelImporter.Listed l, boolean empty) {
                super.updateItem(l, empty);
                setText(empty || l == null ? null : describe(l));
            }
        });
        list.setPlaceholder(new Label(I18n.get("models.dropHint")));
        family.setId("modelsFamily");
        family.getItems().add("auto");
        for (ModelFamily f : ModelFamily.values()) family.getItems().add(f.id);
        family.setValue("auto");
        family.setConverter(new javafx.util.StringConverter<>() {
            @Override public String toString(String s) { return "auto".equals(s) ? I18n.get("models.family.auto") : s; }
            @Override public String fromString(String s) { return s; }
        });
        name.setId("modelsName");
        name.setPromptText(I18n.get("models.name.prompt"));
        importButton.setId("modelsImport");
        importButton.setOnAction(e -> chooseAndImport());
        removeButton.setId("modelsRemove");
        removeButton.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        removeButton.setOnAction(e -> removeSelected());
        status.setId("modelsStatus");
        status.setWrapText(true);
        status.setMaxWidth(720);
        status.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE); // refusals are long: wrap, never cut them

        HBox controls = new HBox(8, new Label(I18n.get("models.family")), family, new Label(I18n.get("models.name")), name,
                importButton, removeButton);
        controls.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        HBox.setHgrow(name, Priority.ALWAYS);
        Label folder = new Label(I18n.format("models.folder", ModelRepository.userDir().toString()));
        VBox content = new VBox(8, list, controls, folder, status);
        content.setPadding(new Insets(8));
        VBox.setVgrow(list, Priority.ALWAYS);
        getDialogPane().setContent(content);
        getDialogPane().setPrefWidth(760); // the header wraps instead of stretching the dialog
        getDialogPane().getButtonTypes().setAll(ButtonType.CLOSE);
        getDialogPane().setOnDragOver(this::onDragOver);
        getDialogPane().setOnDragDropped(this::onDragDropped);
        reloadList();
    }

    /** Settings ▸ Models… for the editor: opens the dialog over {@code owner}; {@code onChanged} as in the constructor. */
    public static MenuItem menuItem(Window owner, Runnable onChanged) {
        MenuItem m = new MenuItem(I18n.get("menu.settings.models"));
        m.setId("modelsItem");
        m.setOnAction(e -> new ModelsDialog(owner, onChanged).show());
        return m;
    }

    public ListView<ModelImporter.Listed> list() { return list; }

    public Label status() { return status; }

    public ComboBox<String> family() { return family; }

    public TextField nameField() { return name; }

    /** Imports or removals still running (tests wait for 0). */
    public boolean busy() { return running > 0; }

    /** Replaces the removal question (tests). Returns true to remove. */
    public void setConfirmRemove(Predicate<String> confirm) { this.confirmRemove = confirm; }

    private static String describe(ModelImporter.Listed l) {
        ModelRepository.Entry e = l.entry();
        String where = l.removable() ? I18n.get("models.user") : l.dir().toString();
        if (!e.ok()) return I18n.format("models.rowProblem", e.name(), e.problem());
        ModelCard c = e.card();
        return I18n.format("models.row", c.name(), c.family(), c.task().id, where);
    }

    private void reloadList() {
        ModelImporter.Listed sel = list.getSelectionModel().getSelectedItem();
        list.getItems().setAll(ModelImporter.list());
        if (sel != null)
            for (ModelImporter.Listed l : list.getItems())
                if (l.entry().cardPath().equals(sel.entry().cardPath())) list.getSelectionModel().select(l);
    }

    private void chooseAndImport() {
        FileChooser fc = new FileChooser();
        fc.setTitle(I18n.get("models.chooser"));
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(I18n.get("models.chooser.onnx"), "*.onnx", "*.ONNX"));
        List<File> files = fc.showOpenMultipleDialog(getDialogPane().getScene() == null ? null : getDialogPane().getScene().getWindow());
        if (files == null) return;
        List<Path> paths = new ArrayList<>();
        for (File f : files) paths.add(f.toPath());
        importFiles(paths);
    }

    private static boolean isOnnx(File f) {
        return f.isFile() && f.getName().toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    private void onDragOver(DragEvent e) {
        if (e.getDragboard().hasFiles() && e.getDragboard().getFiles().stream().anyMatch(ModelsDialog::isOnnx))
            e.acceptTransferModes(TransferMode.COPY);
        e.consume();
    }

    private void onDragDropped(DragEvent e) {
        List<Path> paths = new ArrayList<>();
        if (e.getDragboard().hasFiles()) for (File f : e.getDragboard().getFiles()) if (isOnnx(f)) paths.add(f.toPath());
        e.setDropCompleted(!paths.isEmpty());
        e.consume();
        if (!paths.isEmpty()) importFiles(paths);
    }

    /**
     * Imports the files one after the other on a worker thread with the chosen family and name (the name only when
     * one file is given); the status line tells each result or refusal.
     */
    public void importFiles(List<Path> files) {
        if (files.isEmpty()) return;
        String fam = family.getValue();
        String n = files.size() == 1 && !name.getText().isBlank() ? name.getText().trim() : null;
        running++;
        status.setText(I18n.format("models.importing", files.get(0).getFileName().toString()));
        Thread t = new Thread(() -> {
            List<String> messages = new ArrayList<>();
            boolean changed = false;
            for (Path f : files) {
                try {
                    ModelImporter.Result r = ModelImporter.importModel(f, fam, n);
                    messages.add(I18n.format("models.imported", r.card().name(), r.family().id, r.why()));
                    changed = true;
                } catch (ModelException | IllegalArgumentException ex) {
                    messages.add(I18n.format("models.failed", ex.getMessage()));
                } catch (RuntimeException | LinkageError ex) {
                    messages.add(I18n.format("models.failed", String.valueOf(ex)));
                }
            }
            boolean any = changed;
            Platform.runLater(() -> {
                running--;
                status.setText(String.join("\n", messages));
                if (any) {
                    name.clear();
                    reloadList();
                    onChanged.run();
                }
            });
        }, "model-import");
        t.setDaemon(true);
        t.start();
    }

    /** Removes the selected model (after asking) if it lies in the user's model folder. */
    public void removeSelected() {
        ModelImporter.Listed l = list.getSelectionModel().getSelectedItem();
        if (l == null) return;
        if (!l.removable()) {
            status.setText(I18n.format("models.notRemovable", ModelRepository.userDir().toString()));
            return;
        }
        String n = l.entry().name();
        if (!confirmRemove.test(n)) return;
        try {
            ModelImporter.remove(n);
            status.setText(I18n.format("models.removed", n));
            reloadList();
            onChanged.run();
        } catch (ModelException ex) {
            status.setText(I18n.format("models.removeFailed", ex.getMessage()));
        }
    }

    private static boolean askRemove(String name) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, I18n.format("models.removeConfirm", name), ButtonType.YES, ButtonType.NO);
        a.setHeaderText(I18n.get("models.remove"));
        return a.showAndWait().orElse(ButtonType.NO) == ButtonType.YES;
    }
}
