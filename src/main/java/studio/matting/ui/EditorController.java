package studio.matting.ui;

import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Cursor;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Slider;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Ellipse;
import javafx.scene.shape.Rectangle;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.util.Duration;
import javafx.util.StringConverter;
import studio.matting.compositor.Background;
import studio.matting.document.Document;
import studio.matting.document.ProjectBridge;
import studio.matting.project.Autosave;
import studio.matting.project.Project;
import studio.matting.project.ProjectFiles;
import studio.matting.export.ExportOptions;
import studio.matting.export.Exporter;
import studio.matting.image.ByteImage;
import studio.matting.foreground.ForegroundEstimator;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageLoadException;
import studio.matting.image.Rect;
import studio.matting.matting.MattingEngine;
import studio.matting.segment.EllipseMask;
import studio.matting.segment.MaskFile;
import studio.matting.segment.Segmenter;
import studio.matting.task.CancellationToken;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapBrush;
import studio.matting.trimap.TrimapFiles;
import studio.matting.trimap.TrimapGenerator;
import studio.matting.ui.export.ExportDialog;
import studio.matting.ui.idphoto.IdPhotoPane;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The editor window: menus, tool bar, zoomable canvas and status bar around one {@link Document}. All document
 * mutation happens on the FX thread; decoding, trimap regeneration and matting run on one background thread and hand
 * their results back with {@link Platform#runLater}.
 */
public final class EditorController {
    public enum Tool { FOREGROUND, BACKGROUND, UNKNOWN, ELLIPSE }

    static final Duration REMATTE_DELAY = Duration.millis(400);

    private final Stage stage;
    private final List<MattingEngine> engines;
    private final List<Segmenter> segmenters;
    private final Supplier<List<MattingEngine>> engineSupplier; // asked again after Settings ▸ Models… changed something
    private final Supplier<List<Segmenter>> segmenterSupplier;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "editor-worker");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong pendingJobs = new AtomicLong();
    private final AtomicLong trimapGeneration = new AtomicLong();

    private Document document;
    private final Document.Listener docListener = this::onDocumentChanged;
    private int[] argb;
    private WritableImage frame;
    private ViewMode viewMode = ViewMode.OVERLAY;
    private Tool tool = Tool.FOREGROUND;
    private final TrimapBrush brush = new TrimapBrush(Trimap.FOREGROUND, 24);
    private double zoom = 1, tx, ty;
    private boolean userZoomed;
    private boolean spaceDown, syncingSliders;
    private double dragX, dragY, lastImgX, lastImgY;
    private boolean painting, panning, ellipsing;
    private Rect pendingRematte = new Rect(0, 0, 0, 0);
    private CancellationToken running;
    private boolean runningRegion;
    private String lastError;
    private String deviceText;
    private Background background = Background.checker();
    private ByteImage backgroundPixels; // `background` rendered at the document's size, made on first use
    private boolean matteAfterSegment;
    private Path backgroundPath; // where an image background was loaded from, for project files
    /** Recovery file written every {@link #AUTOSAVE_EVERY} edits; null disables autosave (tests that don't want it). */
    private Autosave autosave;
    private volatile Project autosaveSnapshot;
    private int editsSinceAutosave;
    static final int AUTOSAVE_EVERY = 5;

    private final BorderPane root = new BorderPane();
    private final Pane viewport = new Pane();
    private final ImageView imageView = new ImageView();
    private final Label placeholder = new Label();
    private final Circle brushCursor = new Circle();
    private final Ellipse ellipsePreview = new Ellipse();
    private final Slider kernelSlider = new Slider(1, 41, TrimapGenerator.DEFAULT_KERNEL);
    private final Slider iterationsSlider = new Slider(0, 30, TrimapGenerator.DEFAULT_ITERATIONS);
    private final Label kernelValue = new Label(), iterationsValue = new Label();
    private final ChoiceBox<ViewMode> viewChoice = new ChoiceBox<>();
    private final ComboBox<MattingEngine> engineChoice = new ComboBox<>();
    private final CheckBox autoRematte = new CheckBox(I18n.get("toolbar.autoRematte"));
    private final Button matteButton = new Button(I18n.get("toolbar.matte"));
    private final Button cancelButton = new Button(I18n.get("status.cancel"));
    private final ProgressBar progress = new ProgressBar(0);
    private final Label sizeStatus = new Label(), zoomStatus = new Label(), brushStatus = new Label();
    private final Label engineStatus = new Label(), messageStatus = new Label();
    private final ToggleGroup toolGroup = new ToggleGroup();
    private final PauseTransition rematteTimer = new PauseTransition(REMATTE_DELAY);

    public EditorController(Stage stage, Supplier<List<MattingEngine>> engineSupplier) {
        this(stage, engineSupplier, List::of);
    }

    /**
     * @param segmenterSupplier person segmenters (e.g. a U-Net) offered in the Mask menu next to the ellipse and
     *                          mask files; each runs in the background and replaces the mask
     */
    public EditorController(Stage stage, Supplier<List<MattingEngine>> engineSupplier, Supplier<List<Segmenter>> segmenterSupplier) {
        this.stage = stage;
        List<Segmenter> segs;
        try {
            segs = segmenterSupplier == null ? List.of() : List.copyOf(segmenterSupplier.get());
        } catch (RuntimeException | LinkageError e) {
            segs = List.of();
        }
        this.segmenters = new java.util.ArrayList<>(segs);
        this.segmenterSupplier = segmenterSupplier;
        this.engineSupplier = engineSupplier;
        List<MattingEngine> list;
        try {
            list = engineSupplier == null ? List.of() : List.copyOf(engineSupplier.get());
        } catch (RuntimeException | LinkageError e) {
            list = List.of();
        }
        this.engines = new java.util.ArrayList<>(list);
        build();
        rematteTimer.setOnFinished(e -> rematteNow());
        updateStatus();
    }

    // ---------------------------------------------------------------- accessors (tests, screenshot tool)

    public Document document() { return document; }

    public ViewMode viewMode() { return viewMode; }

    public Tool tool() { return tool; }

    public TrimapBrush brush() { return brush; }

    public double zoom() { return zoom; }

    public String lastError() { return lastError; }

    /** True while background work is queued or running (tests poll this instead of sleeping). */
    public boolean isBusy() { return pendingJobs.get() > 0 || rematteTimer.getStatus() == javafx.animation.Animation.Status.RUNNING; }

    public Parent root() { return root; }

    /** Text for the status bar's device slot (e.g. "CUDA: NVIDIA H100"), set by whoever knows the device. */
    public void setDeviceText(String text) {
        deviceText = text;
        updateStatus();
    }

    /** Image coordinates → scene coordinates of the canvas (for tests that drag on the image). */
    public javafx.geometry.Point2D imageToScreen(double ix, double iy) {
        return viewport.localToScreen(tx + ix * zoom, ty + iy * zoom);
    }

    public Scene createScene(double w, double h) {
        Scene scene = new Scene(root, w, h);
        scene.addEventFilter(KeyEvent.KEY_PRESSED, this::onKeyPressed);
        scene.addEventFilter(KeyEvent.KEY_RELEASED, e -> {
            if (e.getCode() == KeyCode.SPACE) { spaceDown = false; viewport.setCursor(Cursor.DEFAULT); e.consume(); }
        });
        scene.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) e.acceptTransferModes(TransferMode.COPY);
            e.consume();
        });
        scene.setOnDragDropped(e -> {
            boolean ok = e.getDragboard().hasFiles()
                    && openDropped(e.getDragboard().getFiles().stream().map(java.io.File::toPath).toList());
            e.setDropCompleted(ok);
            e.consume();
        });
        return scene;
    }

    public void shutdown() {
        if (running != null) running.cancel();
        worker.shutdownNow();
        // A clean exit leaves nothing to recover.
        if (autosave != null) {
            try {
                autosave.clear();
            } catch (IOException e) {
                System.err.println("Could not remove the recovery file: " + e.getMessage());
            }
        }
    }

    /** Turns on autosave into {@code directory} (the editor uses {@link Autosave#defaultDirectory()}). */
    public void enableAutosave(Path directory) {
        autosave = new Autosave(directory, 1, () -> autosaveSnapshot);
    }

    public Path autosaveFile() { return autosave == null ? null : autosave.file(); }

    /** Every few trimap edits, a snapshot taken here on the FX thread is written by the worker (atomic write). */
    private void countEdit() {
        if (autosave == null || document == null || ++editsSinceAutosave < AUTOSAVE_EVERY) return;
        editsSinceAutosave = 0;
        autosaveSnapshot = projectSnapshot();
        submit(() -> {
            try {
                autosave.saveNow();
            } catch (IOException e) {
                Platform.runLater(() -> messageStatus.setText(I18n.format("status.autosaveFailed", e.getMessage())));
            }
        });
    }

    private Project projectSnapshot() {
        MattingEngine e = selectedEngine();
        return ProjectBridge.toProject(document, e == null ? null : e.id(), ProjectBridge.spec(background, backgroundPath), null);
    }

    /** File ▸ Save project…: image path (or the image itself when it has no file), trimap, settings, background. */
    public void saveProject(Path target) {
        if (document == null) return;
        Project p = projectSnapshot();
        submit(() -> {
            try {
                ProjectFiles.save(p, target, p.imagePath() == null, true);
                Platform.runLater(() -> messageStatus.setText(I18n.format("status.projectSaved", target.getFileName())));
            } catch (IOException ex) {
                Platform.runLater(() -> showError(I18n.get("error.project.title"), ex.getMessage()));
            }
        });
    }

    /** File ▸ Open project…: restores the session; a damaged file is reported and the current one kept. */
    public void openProject(Path file) {
        messageStatus.setText(I18n.format("status.opening", file.getFileName()));
        submit(() -> {
            try {
                Project p = ProjectFiles.load(file);
                Document d = ProjectBridge.toDocument(p);
                Background bg;
                try {
                    bg = ProjectBridge.background(p.background());
                } catch (ImageLoadException ex) {
                    bg = Background.checker(); // the background image moved: the session itself is still good
                }
                Background chosen = bg;
                Platform.runLater(() -> {
                    setDocument(d);
                    background = chosen;
                    backgroundPath = p.background() != null && "image".equals(p.background().type()) ? Path.of(p.background().imagePath()) : null;
                    backgroundPixels = null;
                    if (p.engineId() != null)
                        for (MattingEngine e : engineChoice.getItems()) if (e.id().equals(p.engineId())) engineChoice.setValue(e);
                    messageStatus.setText(I18n.format("status.projectOpened", file.getFileName()));
                });
            } catch (studio.matting.project.ProjectException ex) {
                Platform.runLater(() -> showError(I18n.get("error.project.title"), ex.getMessage()));
            } catch (RuntimeException | OutOfMemoryError ex) {
                Platform.runLater(() -> showError(I18n.get("error.project.title"), String.valueOf(ex.getMessage())));
            }
        });
    }

    /**
     * At start-up: a recovery file means the last session did not end cleanly — offer to restore it.
     * @return true when the user chose to restore (the project is being opened)
     */
    public boolean offerRecovery() {
        if (autosave == null) return false;
        java.util.Optional<Path> found = autosave.findRecovery();
        if (found.isEmpty()) return false;
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, I18n.get("dialog.recover.text"), ButtonType.YES, ButtonType.NO);
        a.initOwner(stage);
        a.setTitle(I18n.get("dialog.recover.title"));
        a.setHeaderText(I18n.get("dialog.recover.header"));
        if (a.showAndWait().orElse(ButtonType.NO) == ButtonType.YES) {
            openProject(found.get());
            return true;
        }
        try {
            autosave.clear();
        } catch (IOException e) {
            System.err.println("Could not remove the recovery file: " + e.getMessage());
        }
        return false;
    }

    /** The open image's file name without its extension, for suggested output names; {@code fallback} when unsaved. */
    private String documentStem(String fallback) {
        Path p = document == null ? null : document.path();
        return p == null ? fallback : p.getFileName().toString().replaceFirst("\\.[^.]+$", "");
    }

    private void chooseProject(boolean save) {
        FileChooser fc = new FileChooser();
        fc.setTitle(I18n.get(save ? "dialog.saveProject.title" : "dialog.openProject.title"));
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(I18n.get("dialog.project.filter"), "*" + ProjectFiles.EXTENSION));
        if (save && document != null && document.path() != null) {
            fc.setInitialFileName(documentStem("project") + ProjectFiles.EXTENSION);
            if (document.path().toAbsolutePath().getParent() != null) fc.setInitialDirectory(document.path().toAbsolutePath().getParent().toFile());
        }
        File f = save ? fc.showSaveDialog(stage) : fc.showOpenDialog(stage);
        if (f == null) return;
        if (save) saveProject(f.toPath());
        else openProject(f.toPath());
    }

    // ---------------------------------------------------------------- building the window

    private void build() {
        root.setTop(new VBox(buildMenu(), buildToolBar()));
        viewport.setId("canvas");
        viewport.setStyle("-fx-background-color: #3a3a3a;");
        Rectangle clip = new Rectangle();
        clip.widthProperty().bind(viewport.widthProperty());
        clip.heightProperty().bind(viewport.heightProperty());
        viewport.setClip(clip);
        viewport.setMinSize(100, 100);
        imageView.setSmooth(false);
        imageView.setPreserveRatio(false);
        brushCursor.setFill(Color.TRANSPARENT);
        brushCursor.setStroke(Color.WHITE);
        brushCursor.getStrokeDashArray().addAll(4.0, 3.0);
        brushCursor.setMouseTransparent(true);
        brushCursor.setVisible(false);
        ellipsePreview.setFill(Color.TRANSPARENT);
        ellipsePreview.setStroke(Color.CYAN);
        ellipsePreview.getStrokeDashArray().addAll(6.0, 4.0);
        ellipsePreview.setMouseTransparent(true);
        ellipsePreview.setVisible(false);
        viewport.getChildren().addAll(imageView, brushCursor, ellipsePreview);
        placeholder.setId("placeholder");
        placeholder.setStyle("-fx-background-color: rgba(0,0,0,0.7); -fx-text-fill: white; -fx-padding: 12; -fx-font-size: 14;");
        placeholder.setMouseTransparent(true);
        placeholder.setVisible(false);
        StackPane center = new StackPane(viewport, placeholder);
        StackPane.setAlignment(placeholder, Pos.CENTER);
        root.setCenter(center);
        root.setBottom(buildStatusBar());

        viewport.widthProperty().addListener((o, a, b) -> { if (!userZoomed) fit(); });
        viewport.heightProperty().addListener((o, a, b) -> { if (!userZoomed) fit(); });
        viewport.addEventHandler(MouseEvent.MOUSE_PRESSED, this::onPressed);
        viewport.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::onDragged);
        viewport.addEventHandler(MouseEvent.MOUSE_RELEASED, this::onReleased);
        viewport.addEventHandler(MouseEvent.MOUSE_MOVED, this::moveBrushCursor);
        viewport.addEventHandler(MouseEvent.MOUSE_EXITED, e -> brushCursor.setVisible(false));
        viewport.addEventHandler(ScrollEvent.SCROLL, this::onScroll);
    }

    private MenuBar buildMenu() {
        MenuItem open = item(I18n.get("menu.file.open"), "openItem", new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN), this::chooseImage);
        MenuItem loadMask = item(I18n.get("menu.file.loadMask"), "loadMaskItem", null, this::chooseMask);
        MenuItem resetEllipse = item(I18n.get("menu.file.resetEllipse"), "ellipseItem", null, () -> {
            if (document != null) applyEllipse(EllipseMask.Ellipse.centred(document.width(), document.height()));
        });
        MenuItem saveTrimap = item(I18n.get("menu.file.saveTrimap"), "saveTrimapItem", new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN), () -> chooseSave("trimap"));
        MenuItem saveAlpha = item(I18n.get("menu.file.saveAlpha"), "saveAlphaItem", new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), () -> chooseSave("alpha"));
        MenuItem quit = item(I18n.get("menu.file.quit"), "quitItem", new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN), stage::close);
        MenuItem export = item(I18n.get("menu.file.export"), "exportItem", new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN), this::exportDialog);
        MenuItem idPhoto = item(I18n.get("menu.file.idPhoto"), "idPhotoItem", new KeyCodeCombination(KeyCode.I, KeyCombination.SHORTCUT_DOWN), this::idPhoto);
        MenuItem openProject = item(I18n.get("menu.file.openProject"), "openProjectItem", new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), () -> chooseProject(false));
        MenuItem saveProject = item(I18n.get("menu.file.saveProject"), "saveProjectItem", new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN, KeyCombination.ALT_DOWN), () -> chooseProject(true));
        Menu file = new Menu(I18n.get("menu.file"), null, open, openProject, saveProject, loadMask, resetEllipse, new SeparatorMenuItem(),
                saveTrimap, saveAlpha, export, idPhoto, new SeparatorMenuItem(), quit);
        Menu maskMenu = new Menu(I18n.get("menu.mask"));
        maskMenu.setId("maskMenu");
        for (Segmenter sg : segmenters)
            maskMenu.getItems().add(item(I18n.format("menu.mask.segmentWith", sg.displayName()), "segment-" + sg.id(), null, () -> segment(sg)));
        if (segmenters.isEmpty()) {
            MenuItem none = new MenuItem(I18n.get("menu.mask.noModel"));
            none.setDisable(true);
            maskMenu.getItems().add(none);
        }

        MenuItem undo = item(I18n.get("menu.edit.undo"), "undoItem", new KeyCodeCombination(KeyCode.Z, KeyCombination.SHORTCUT_DOWN), this::undo);
        MenuItem redo = item(I18n.get("menu.edit.redo"), "redoItem", new KeyCodeCombination(KeyCode.Z, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), this::redo);
        MenuItem redoY = item(I18n.get("menu.edit.redoAlt"), "redoYItem", new KeyCodeCombination(KeyCode.Y, KeyCombination.SHORTCUT_DOWN), this::redo);
        Menu edit = new Menu(I18n.get("menu.edit"), null, undo, redo, redoY);

        Menu view = new Menu(I18n.get("menu.view"));
        ToggleGroup vg = new ToggleGroup();
        int n = 1;
        for (ViewMode m : ViewMode.values()) {
            RadioMenuItem r = new RadioMenuItem(m.toString());
            r.setToggleGroup(vg);
            r.setAccelerator(new KeyCodeCombination(KeyCode.getKeyCode(String.valueOf(n++))));
            r.setOnAction(e -> setViewMode(m));
            r.setSelected(m == viewMode);
            view.getItems().add(r);
        }
        view.getItems().addAll(new SeparatorMenuItem(),
                item(I18n.get("menu.view.fit"), "fitItem", new KeyCodeCombination(KeyCode.DIGIT0, KeyCombination.SHORTCUT_DOWN), () -> { userZoomed = false; fit(); }),
                item(I18n.get("menu.view.actual"), "actualItem", new KeyCodeCombination(KeyCode.DIGIT1, KeyCombination.SHORTCUT_DOWN), () -> zoomAt(1, viewport.getWidth() / 2, viewport.getHeight() / 2)));

        MenuItem matte = item(I18n.get("menu.matting.matte"), "matteItem", new KeyCodeCombination(KeyCode.M, KeyCombination.SHORTCUT_DOWN), this::matte);
        MenuItem cancel = item(I18n.get("menu.matting.cancel"), "cancelItem", new KeyCodeCombination(KeyCode.ESCAPE), this::cancel);
        MenuItem auto = item(I18n.get("menu.matting.auto"), "autoItem", new KeyCodeCombination(KeyCode.A, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), this::auto);
        Menu matting = new Menu(I18n.get("menu.matting"), null, auto, matte, cancel);
        Menu bgMenu = new Menu(I18n.get("menu.background"));
        bgMenu.setId("backgroundMenu");
        bgMenu.getItems().addAll(
                item(I18n.get("menu.background.checker"), "bgChecker", null, () -> setBackground(Background.checker())),
                item(I18n.get("menu.background.idBlue"), "bgBlue", null, () -> setBackground(Background.solid(67, 142, 219))),
                item(I18n.get("menu.background.idRed"), "bgRed", null, () -> setBackground(Background.solid(255, 0, 0))),
                item(I18n.get("menu.background.white"), "bgWhite", null, () -> setBackground(Background.solid(255, 255, 255))),
                item(I18n.get("menu.background.colour"), "bgColour", null, this::chooseBackgroundColour),
                item(I18n.get("menu.background.image"), "bgImage", null, this::chooseBackgroundImage));
        return new MenuBar(file, edit, view, maskMenu, matting, bgMenu, buildSettingsMenu());
    }

    /** Settings ▸ Language: stored in the user preferences; the menus are built once, so it applies on the next start. */
    private Menu buildSettingsMenu() {
        Menu language = new Menu(I18n.get("menu.settings.language"));
        language.setId("languageMenu");
        ToggleGroup lg = new ToggleGroup();
        String current = I18n.normalise(I18n.configuredLanguage());
        String[][] choices = {{I18n.SYSTEM, "menu.settings.language.system", "langSystem"},
                {I18n.ENGLISH, "menu.settings.language.en", "langEnglish"}, {I18n.CHINESE, "menu.settings.language.zh", "langChinese"}};
        for (String[] c : choices) {
            RadioMenuItem r = new RadioMenuItem(I18n.get(c[1]));
            r.setId(c[2]);
            r.setToggleGroup(lg);
            r.setSelected(c[0].equals(current));
            r.setOnAction(e -> chooseLanguage(c[0]));
            language.getItems().add(r);
        }
        Menu settings = new Menu(I18n.get("menu.settings"), null, language, studio.matting.ui.models.ModelsDialog.menuItem(stage, this::reloadModels));
        settings.setId("settingsMenu");
        return settings;
    }

    /** Settings ▸ Models… imported or removed a model: the Mask menu, Auto and the engine chooser follow. */
    public void reloadModels() {
        studio.matting.ui.models.ModelsDialog.refresh(root, segmenters, segmenterSupplier, this::segment, engines, engineSupplier, engineChoice);
    }

    private void chooseLanguage(String language) {
        I18n.storeLanguage(language);
        // Tell the user in the language they picked: that is the one they can read.
        java.util.Locale chosen = I18n.resolve(language, java.util.Locale.getDefault());
        java.util.ResourceBundle b = java.util.ResourceBundle.getBundle("studio.matting.ui.messages", chosen,
                java.util.ResourceBundle.Control.getNoFallbackControl(java.util.ResourceBundle.Control.FORMAT_DEFAULT));
        messageStatus.setText(b.getString("status.languageRestart"));
        Alert a = new Alert(Alert.AlertType.INFORMATION, b.getString("status.languageRestart"));
        a.setHeaderText(b.getString("menu.settings.language"));
        a.initOwner(stage);
        a.show();
    }

    private static String toolName(Tool t) {
        return I18n.get("tool." + t.name().toLowerCase(Locale.ROOT));
    }

    private static MenuItem item(String text, String id, KeyCombination key, Runnable action) {
        MenuItem m = new MenuItem(text);
        m.setId(id);
        if (key != null) m.setAccelerator(key);
        m.setOnAction(e -> action.run());
        return m;
    }

    private VBox buildToolBar() {
        ToggleButton fg = toolButton(I18n.get("tool.foreground.button"), "fgTool", Tool.FOREGROUND);
        ToggleButton bg = toolButton(I18n.get("tool.background.button"), "bgTool", Tool.BACKGROUND);
        ToggleButton un = toolButton(I18n.get("tool.unknown.button"), "unknownTool", Tool.UNKNOWN);
        ToggleButton el = toolButton(I18n.get("tool.ellipse.button"), "ellipseTool", Tool.ELLIPSE);
        fg.setSelected(true);
        toolGroup.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) a.setSelected(true); // always one tool
            else setTool((Tool) b.getUserData());
        });

        setupSlider(kernelSlider, "kernelSlider", kernelValue, 10);
        setupSlider(iterationsSlider, "iterationsSlider", iterationsValue, 5);
        ChangeListener<Number> morph = (o, a, b) -> onMorphologyChanged();
        kernelSlider.valueProperty().addListener(morph);
        iterationsSlider.valueProperty().addListener(morph);

        viewChoice.setId("viewMode");
        viewChoice.getItems().setAll(ViewMode.values());
        viewChoice.setValue(viewMode);
        viewChoice.valueProperty().addListener((o, a, b) -> { if (b != null) setViewMode(b); });

        engineChoice.setId("engineChoice");
        engineChoice.getItems().setAll(engines);
        engineChoice.setConverter(new StringConverter<>() {
            @Override public String toString(MattingEngine e) { return e == null ? I18n.get("toolbar.noEngine") : e.displayName(); }
            @Override public MattingEngine fromString(String s) { return null; }
        });
        if (!engines.isEmpty()) engineChoice.setValue(engines.get(0));
        engineChoice.valueProperty().addListener((o, a, b) -> updateStatus());
        matteButton.setId("matteButton");
        matteButton.setOnAction(e -> matte());
        matteButton.setTooltip(new Tooltip(I18n.get("toolbar.matte.tooltip")));
        autoRematte.setId("autoRematte");
        autoRematte.setSelected(true);
        autoRematte.setTooltip(new Tooltip(I18n.get("toolbar.autoRematte.tooltip")));

        ToolBar tools = new ToolBar(fg, bg, un, el, new javafx.scene.control.Separator(),
                new Label(I18n.get("toolbar.view")), viewChoice);
        ToolBar trimapAndMatting = new ToolBar(
                new Label(I18n.get("toolbar.kernel")), kernelSlider, kernelValue,
                new Label(I18n.get("toolbar.iterations")), iterationsSlider, iterationsValue, new javafx.scene.control.Separator(),
                new Label(I18n.get("toolbar.engine")), engineChoice, matteButton, autoRematte);
        return new VBox(tools, trimapAndMatting);
    }

    private ToggleButton toolButton(String text, String id, Tool t) {
        ToggleButton b = new ToggleButton(text);
        b.setId(id);
        b.setUserData(t);
        b.setToggleGroup(toolGroup);
        b.setFocusTraversable(false);
        return b;
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

    private HBox buildStatusBar() {
        progress.setId("progress");
        progress.setVisible(false);
        progress.setPrefWidth(160);
        cancelButton.setId("cancelButton");
        cancelButton.setVisible(false);
        cancelButton.setOnAction(e -> cancel());
        sizeStatus.setId("sizeStatus");
        zoomStatus.setId("zoomStatus");
        brushStatus.setId("brushStatus");
        engineStatus.setId("engineStatus");
        messageStatus.setId("messageStatus");
        // The short texts keep their width; the long device text is the one that gets an ellipsis.
        for (Label l : List.of(sizeStatus, zoomStatus, brushStatus, messageStatus)) l.setMinWidth(Region.USE_PREF_SIZE);
        engineStatus.setMinWidth(0);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(16, sizeStatus, zoomStatus, brushStatus, messageStatus, spacer, progress, cancelButton, engineStatus);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(3, 8, 3, 8));
        bar.setStyle("-fx-background-color: #e8e8e8; -fx-border-color: #c8c8c8 transparent transparent transparent;");
        return bar;
    }

    // ---------------------------------------------------------------- documents

    /**
     * Files dropped on the window: a project file among them is opened as a project, otherwise the first file as an
     * image (a bad one is reported like File ▸ Open). Returns false when nothing was dropped.
     */
    public boolean openDropped(List<Path> files) {
        if (files.isEmpty()) return false;
        for (Path f : files) {
            if (f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(ProjectFiles.EXTENSION)) {
                openProject(f);
                return true;
            }
        }
        open(files.get(0));
        return true;
    }

    /** Opens an image in the background; on failure shows the loader's message and keeps the current document. */
    public void open(Path path) {
        messageStatus.setText(I18n.format("status.opening", path.getFileName()));
        submit(() -> {
            try {
                Document d = Document.open(path);
                Platform.runLater(() -> setDocument(d));
            } catch (ImageLoadException e) {
                Platform.runLater(() -> showError(I18n.get("error.open.title"), e.getMessage()));
            } catch (RuntimeException | OutOfMemoryError e) {
                Platform.runLater(() -> showError(I18n.get("error.open.title"), I18n.format("error.open.text", path.getFileName(), e)));
            }
        });
    }

    /** Replaces the edited document (FX thread). */
    public void setDocument(Document d) {
        if (running != null) running.cancel();
        rematteTimer.stop();
        pendingRematte = new Rect(0, 0, 0, 0);
        if (document != null) document.removeListener(docListener);
        document = d;
        backgroundPixels = null;
        d.addListener(docListener);
        argb = new int[d.width() * d.height()];
        frame = new WritableImage(d.width(), d.height());
        imageView.setImage(frame);
        // Keep the sliders in step with the document without triggering a regenerate.
        syncingSliders = true;
        try {
            kernelSlider.setValue(d.kernelSize());
            iterationsSlider.setValue(d.iterations());
        } finally {
            syncingSliders = false;
        }
        userZoomed = false;
        fit();
        renderAll();
        stage.setTitle(I18n.format("app.titleWithFile", d.path() == null ? I18n.get("app.untitled") : d.path().getFileName()));
        messageStatus.setText(I18n.format("status.mask", d.maskSource()));
        updateStatus();
    }

    private void chooseImage() {
        FileChooser fc = new FileChooser();
        fc.setTitle(I18n.get("dialog.openImage.title"));
        fc.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter(I18n.get("filter.images"), "*.png", "*.jpg", "*.jpeg", "*.bmp", "*.gif", "*.webp"),
                new FileChooser.ExtensionFilter(I18n.get("filter.allFiles"), "*.*"));
        File f = fc.showOpenDialog(stage);
        if (f != null) open(f.toPath());
    }

    private void chooseMask() {
        if (document == null) return;
        FileChooser fc = new FileChooser();
        fc.setTitle(I18n.get("dialog.loadMask.title"));
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(I18n.get("filter.images"), "*.png", "*.jpg", "*.jpeg", "*.bmp"));
        File f = fc.showOpenDialog(stage);
        if (f != null) loadMask(f.toPath());
    }

    /** Loads a mask or trimap file for the current image (background decode). */
    public void loadMask(Path p) {
        Document d = document;
        if (d == null) return;
        submit(() -> {
            try {
                MaskFile.Loaded l = MaskFile.load(p, d.width(), d.height());
                Platform.runLater(() -> {
                    if (document != d) return;
                    Rect changed = d.setMask(l.mask(), p.getFileName().toString());
                    if (l.isTrimap()) changed = changed.union(d.replaceTrimap("Load trimap", l.trimap()));
                    rematteLater(changed);
                    messageStatus.setText(I18n.format(l.isTrimap() ? "status.trimap" : "status.mask", p.getFileName()));
                });
            } catch (ImageLoadException e) {
                Platform.runLater(() -> showError(I18n.get("error.loadMask.title"), e.getMessage()));
            }
        });
    }

    private void chooseSave(String what) {
        if (document == null) return;
        if (what.equals("alpha") && document.alpha() == null) {
            showError(I18n.get("error.nothingToSave.title"), I18n.get("error.nothingToSave.text"));
            return;
        }
        FileChooser fc = new FileChooser();
        fc.setTitle(I18n.get(what.equals("alpha") ? "dialog.saveAlpha.title" : "dialog.saveTrimap.title"));
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG", "*.png"));
        String stem = documentStem("image");
        fc.setInitialFileName(stem + "-" + what + ".png");
        if (document.path() != null && document.path().toAbsolutePath().getParent() != null)
            fc.setInitialDirectory(document.path().toAbsolutePath().getParent().toFile());
        File f = fc.showSaveDialog(stage);
        if (f != null) save(what, f.toPath());
    }

    /**
     * Writes the trimap (8-bit PNG) or α (16-bit PNG, the image's DPI) in the background. The file chooser has
     * already asked about replacing an existing file, so this overwrites; the write is atomic (temp file + rename).
     */
    public void save(String what, Path target) {
        Document d = document;
        if (d == null) return;
        Trimap t = d.trimap().copy();
        FloatImage a = d.alpha();
        submit(() -> {
            try {
                if (what.equals("alpha")) ImageFiles.writePng16(a, target, d.dpi(), true);
                else TrimapFiles.write(t, target, true);
                Platform.runLater(() -> messageStatus.setText(I18n.format("status.saved", target.getFileName())));
            } catch (java.io.IOException | RuntimeException e) {
                Platform.runLater(() -> showError(I18n.get("error.save.title"), I18n.format("error.save.text", target.getFileName(), e.getMessage())));
            }
        });
    }

    /** Runs a segmenter on the current image in the background and uses its output as the new mask. */
    public void segment(Segmenter sg) {
        Document d = document;
        if (d == null) return;
        if (running != null) running.cancel();
        CancellationToken token = new CancellationToken((f, msg) -> Platform.runLater(() -> progress.setProgress(f)));
        running = token;
        runningRegion = false;
        progress.setProgress(ProgressBar.INDETERMINATE_PROGRESS);
        progress.setVisible(true);
        cancelButton.setVisible(true);
        messageStatus.setText(I18n.format("status.segmenting", sg.displayName()));
        submit(() -> {
            FloatImage m = null;
            String err = null;
            try {
                m = sg.segment(d.image(), token);
            } catch (CancellationException e) {
                // reported below
            } catch (Exception | OutOfMemoryError e) {
                err = e.getMessage() == null ? e.toString() : e.getMessage();
            }
            FloatImage mask = m;
            String error = err;
            Platform.runLater(() -> {
                if (running == token) {
                    running = null;
                    progress.setVisible(false);
                    cancelButton.setVisible(false);
                }
                if (token.isCancelled() || error != null) matteAfterSegment = false;
                if (token.isCancelled()) { messageStatus.setText(I18n.get("status.segmentCancelled")); return; }
                if (error != null) { showError(I18n.get("error.segment.title"), error); return; }
                if (mask == null || document != d) return;
                if (mask.width != d.width() || mask.height != d.height() || mask.channels != 1) {
                    showError(I18n.get("error.segment.title"), I18n.format("error.segment.size", sg.displayName(),
                            String.valueOf(mask.width), String.valueOf(mask.height), String.valueOf(d.width()), String.valueOf(d.height())));
                    return;
                }
                Rect changed = d.setMask(mask, sg.displayName());
                messageStatus.setText(I18n.format("status.mask", sg.displayName()));
                if (matteAfterSegment) {
                    matteAfterSegment = false;
                    matte();
                } else {
                    rematteLater(changed);
                }
            });
        });
    }

    private void applyEllipse(EllipseMask.Ellipse e) {
        Document d = document;
        if (d == null) return;
        int k = d.kernelSize(), it = d.iterations();
        submit(() -> {
            FloatImage m = EllipseMask.render(d.width(), d.height(), e);
            Trimap t = TrimapGenerator.fromMask(m, k, it);
            Platform.runLater(() -> {
                if (document != d) return;
                // setMask regenerates synchronously; the trimap computed here is identical (no second step).
                Rect changed = d.setMask(m, "ellipse");
                rematteLater(changed.union(d.replaceTrimap("Ellipse mask", t)));
                messageStatus.setText(I18n.format("status.mask", I18n.get("status.ellipse")));
            });
        });
    }

    private void showError(String title, String message) {
        lastError = message;
        messageStatus.setText(message);
        Alert a = new Alert(Alert.AlertType.ERROR, message);
        a.setTitle(title);
        a.setHeaderText(title);
        a.initOwner(stage);
        a.show();
    }

    private void submit(Runnable job) {
        pendingJobs.incrementAndGet();
        worker.execute(() -> {
            try {
                job.run();
            } finally {
                // Decrement only after the results queued with runLater have been applied.
                Platform.runLater(pendingJobs::decrementAndGet);
            }
        });
    }

    // ---------------------------------------------------------------- trimap settings

    private void onMorphologyChanged() {
        int k = (int) Math.round(kernelSlider.getValue()), it = (int) Math.round(iterationsSlider.getValue());
        Document d = document;
        if (syncingSliders || d == null || (k == d.kernelSize() && it == d.iterations())) return;
        d.setMorphology(k, it);
        long gen = trimapGeneration.incrementAndGet();
        FloatImage mask = d.mask();
        submit(() -> {
            // Rapid slider moves queue many jobs; only the newest one does the work.
            if (gen != trimapGeneration.get()) return;
            Trimap t = TrimapGenerator.fromMask(mask, k, it);
            Platform.runLater(() -> {
                if (gen != trimapGeneration.get() || document != d) return;
                rematteLater(d.replaceTrimap("Trimap " + k + "/" + it, t));
            });
        });
    }

    // ---------------------------------------------------------------- rendering

    private void onDocumentChanged(Document.Layer layer, Rect r) {
        switch (layer) {
            case TRIMAP -> {
                if (viewMode == ViewMode.OVERLAY || viewMode == ViewMode.TRIMAP) render(r);
                countEdit();
            }
            case ALPHA, FOREGROUND -> { if (viewMode.needsAlpha()) render(r); updatePlaceholder(); }
            case MASK, IMAGE -> renderAll();
            case SETTINGS -> { }
        }
        updateStatus();
    }

    private void renderAll() {
        if (document != null) render(document.bounds());
        updatePlaceholder();
    }

    private void render(Rect r) {
        if (document == null) return;
        Rect rr = r.intersect(document.bounds());
        if (rr.isEmpty()) return;
        LayerRenderer.render(document, viewMode, rr, argb, viewMode.needsAlpha() ? backgroundPixels() : null);
        frame.getPixelWriter().setPixels(rr.x(), rr.y(), rr.width(), rr.height(), PixelFormat.getIntArgbInstance(),
                argb, rr.y() * document.width() + rr.x(), document.width());
    }

    private ByteImage backgroundPixels() {
        if (backgroundPixels == null || !backgroundPixels.sameSize(document.width(), document.height()))
            backgroundPixels = background.render(document.width(), document.height());
        return backgroundPixels;
    }

    /** The background of the composite views and of exported composites. */
    public void setBackground(Background b) {
        background = b;
        if (!(b instanceof Background.Picture)) backgroundPath = null;
        backgroundPixels = null;
        if (document != null && document.alpha() != null && viewMode == ViewMode.ALPHA) setViewMode(ViewMode.COMPOSITE);
        renderAll();
    }

    public Background background() { return background; }

    /** The ARGB pixel the canvas currently shows at image (x, y) (for tests). */
    int displayedPixel(int x, int y) { return frame.getPixelReader().getArgb(x, y); }

    private void chooseBackgroundColour() {
        javafx.scene.control.Dialog<Color> dlg = new javafx.scene.control.Dialog<>();
        dlg.initOwner(stage);
        dlg.setTitle(I18n.get("dialog.bgColour.title"));
        javafx.scene.control.ColorPicker picker = new javafx.scene.control.ColorPicker(Color.rgb(67, 142, 219));
        dlg.getDialogPane().setContent(picker);
        dlg.getDialogPane().getButtonTypes().addAll(javafx.scene.control.ButtonType.OK, javafx.scene.control.ButtonType.CANCEL);
        dlg.setResultConverter(bt -> bt == javafx.scene.control.ButtonType.OK ? picker.getValue() : null);
        dlg.showAndWait().ifPresent(c -> setBackground(Background.solid((int) Math.round(c.getRed() * 255),
                (int) Math.round(c.getGreen() * 255), (int) Math.round(c.getBlue() * 255))));
    }

    private void chooseBackgroundImage() {
        FileChooser fc = new FileChooser();
        fc.setTitle(I18n.get("dialog.bgImage.title"));
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(I18n.get("filter.images"), "*.png", "*.jpg", "*.jpeg", "*.bmp", "*.gif", "*.webp"));
        java.io.File f = fc.showOpenDialog(stage);
        if (f == null) return;
        submit(() -> {
            try {
                ByteImage img = studio.matting.image.ImageOps.toRgb(ImageFiles.read(f.toPath()));
                Platform.runLater(() -> {
                    setBackground(Background.image(img));
                    backgroundPath = f.toPath();
                });
            } catch (ImageLoadException e) {
                Platform.runLater(() -> showError(I18n.get("error.background.title"), e.getMessage()));
            }
        });
    }

    /** File ▸ Export…: alpha / cut-out / composite / trimap through the export dialog, written off the FX thread. */
    public void exportDialog() {
        Document d = document;
        if (d == null || d.alpha() == null) {
            showError(I18n.get("error.nothingToExport.title"), I18n.get("error.nothingToExport.text"));
            return;
        }
        Path src = d.path();
        String base = documentStem("matte");
        Path dir = src == null || src.toAbsolutePath().getParent() == null ? Path.of("").toAbsolutePath() : src.toAbsolutePath().getParent();
        double dpi = Double.isNaN(d.dpi()) || d.dpi() <= 0 ? 300 : d.dpi();
        ExportDialog dlg = new ExportDialog(ExportOptions.defaults(dir, base).withDpi(dpi));
        dlg.initOwner(stage);
        dlg.showAndWait().ifPresent(o -> {
            Exporter.Inputs in = new Exporter.Inputs(d.image(), d.alpha(), d.foreground(), d.trimap().copy(), background);
            messageStatus.setText(I18n.get("status.exporting"));
            submit(() -> {
                try {
                    Exporter.Result r = Exporter.export(in, o);
                    Platform.runLater(() -> messageStatus.setText(I18n.format("status.exported", String.valueOf(r.written().size()), o.directory())));
                } catch (Exception e) {
                    String msg = e.getMessage() == null ? e.toString() : e.getMessage();
                    Platform.runLater(() -> showError(I18n.get("error.export.title"), msg));
                }
            });
        });
    }

    /** Tools ▸ ID photo…: the ID-photo pane on the current matte, in its own window. */
    public void idPhoto() {
        Document d = document;
        if (d == null || d.alpha() == null) {
            showError(I18n.get("error.noMatte.title"), I18n.get("error.noMatte.text"));
            return;
        }
        IdPhotoPane pane = new IdPhotoPane();
        pane.setSubject(d.image(), d.alpha(), d.foreground());
        Stage s = new Stage();
        s.initOwner(stage);
        s.setTitle(I18n.format("idphoto.windowTitle", d.path() == null ? I18n.get("app.untitled") : d.path().getFileName()));
        s.setScene(new Scene(pane, 1000, 720));
        s.show();
    }

    /**
     * Matting ▸ Auto: segment with the first segmentation model (the trimap follows from the sliders), then matte and
     * estimate the foreground. Without a model it mattes the current mask. Each later change re-runs only what
     * depends on it: a stroke re-mattes its region, a slider regenerates the trimap, Matte re-mattes.
     */
    public void auto() {
        if (document == null) return;
        if (segmenters.isEmpty()) {
            messageStatus.setText(I18n.get("status.autoNoModel"));
            matte();
            return;
        }
        matteAfterSegment = true;
        segment(segmenters.get(0));
    }

    private void updatePlaceholder() {
        boolean show = document != null && viewMode.needsAlpha() && document.alpha() == null;
        placeholder.setText(I18n.get("placeholder.noAlpha"));
        placeholder.setVisible(show);
    }

    public void setViewMode(ViewMode m) {
        viewMode = m;
        if (viewChoice.getValue() != m) viewChoice.setValue(m);
        renderAll();
    }

    public void setTool(Tool t) {
        tool = t;
        switch (t) {
            case FOREGROUND -> brush.setValue(Trimap.FOREGROUND);
            case BACKGROUND -> brush.setValue(Trimap.BACKGROUND);
            case UNKNOWN -> brush.setValue(Trimap.UNKNOWN);
            case ELLIPSE -> { }
        }
        for (var toggle : toolGroup.getToggles()) if (toggle.getUserData() == t && !toggle.isSelected()) toggle.setSelected(true);
        updateStatus();
    }

    // ---------------------------------------------------------------- zoom and pan

    private void fit() {
        if (document == null || viewport.getWidth() <= 0 || viewport.getHeight() <= 0) return;
        double z = Math.min(viewport.getWidth() / document.width(), viewport.getHeight() / document.height()) * 0.97;
        zoom = Math.max(0.01, z);
        tx = (viewport.getWidth() - document.width() * zoom) / 2;
        ty = (viewport.getHeight() - document.height() * zoom) / 2;
        applyTransform();
    }

    private void zoomAt(double newZoom, double vx, double vy) {
        if (document == null) return;
        newZoom = Math.max(0.02, Math.min(32, newZoom));
        // Keep the image point under (vx, vy) fixed.
        double ix = (vx - tx) / zoom, iy = (vy - ty) / zoom;
        zoom = newZoom;
        tx = vx - ix * zoom;
        ty = vy - iy * zoom;
        userZoomed = true;
        applyTransform();
    }

    private void applyTransform() {
        if (document == null) return;
        imageView.setFitWidth(document.width() * zoom);
        imageView.setFitHeight(document.height() * zoom);
        imageView.setLayoutX(tx);
        imageView.setLayoutY(ty);
        brushCursor.setRadius(brush.diameter() / 2 * zoom);
        updateStatus();
    }

    private void onScroll(ScrollEvent e) {
        if (e.isShortcutDown() || e.isControlDown()) {
            double factor = Math.pow(1.0015, e.getDeltaY());
            zoomAt(zoom * factor, e.getX(), e.getY());
        } else {
            tx += e.getDeltaX();
            ty += e.getDeltaY();
            userZoomed = true;
            applyTransform();
        }
        e.consume();
    }

    // ---------------------------------------------------------------- mouse

    private double imgX(MouseEvent e) { return (e.getX() - tx) / zoom; }

    private double imgY(MouseEvent e) { return (e.getY() - ty) / zoom; }

    private void onPressed(MouseEvent e) {
        viewport.requestFocus();
        if (document == null) return;
        dragX = e.getX();
        dragY = e.getY();
        if (e.getButton() == MouseButton.MIDDLE || (e.getButton() == MouseButton.PRIMARY && spaceDown)) {
            panning = true;
            viewport.setCursor(Cursor.CLOSED_HAND);
        } else if (e.getButton() == MouseButton.PRIMARY && tool == Tool.ELLIPSE) {
            ellipsing = true;
            lastImgX = imgX(e);
            lastImgY = imgY(e);
            ellipsePreview.setVisible(true);
            updateEllipsePreview(e);
        } else if (e.getButton() == MouseButton.PRIMARY) {
            painting = true;
            // A region re-matte in flight is stale now; a full matte the user asked for keeps running.
            if (running != null && runningRegion) running.cancel();
            rematteTimer.stop();
            lastImgX = imgX(e);
            lastImgY = imgY(e);
            document.beginStroke(tool.name().toLowerCase(Locale.ROOT) + " brush");
            Rect r = document.paint(brush, lastImgX, lastImgY, lastImgX, lastImgY);
            pendingRematte = pendingRematte.union(r);
        }
        e.consume();
    }

    private void onDragged(MouseEvent e) {
        moveBrushCursor(e);
        if (panning) {
            tx += e.getX() - dragX;
            ty += e.getY() - dragY;
            dragX = e.getX();
            dragY = e.getY();
            userZoomed = true;
            applyTransform();
        } else if (ellipsing) {
            updateEllipsePreview(e);
        } else if (painting) {
            double x = imgX(e), y = imgY(e);
            Rect r = document.paint(brush, lastImgX, lastImgY, x, y);
            pendingRematte = pendingRematte.union(r);
            lastImgX = x;
            lastImgY = y;
        }
        e.consume();
    }

    private void onReleased(MouseEvent e) {
        if (panning) {
            panning = false;
            viewport.setCursor(spaceDown ? Cursor.OPEN_HAND : Cursor.DEFAULT);
        } else if (ellipsing) {
            ellipsing = false;
            ellipsePreview.setVisible(false);
            EllipseMask.Ellipse el = EllipseMask.Ellipse.fromCorners(lastImgX, lastImgY, imgX(e), imgY(e));
            if (el.rx() >= 2 && el.ry() >= 2) applyEllipse(el);
        } else if (painting) {
            painting = false;
            document.endStroke();
            if (document.alpha() != null && autoRematte.isSelected() && selectedEngine() != null) rematteTimer.playFromStart();
            else pendingRematte = new Rect(0, 0, 0, 0);
        }
        e.consume();
    }

    private void updateEllipsePreview(MouseEvent e) {
        double x0 = tx + lastImgX * zoom, y0 = ty + lastImgY * zoom;
        ellipsePreview.setCenterX((x0 + e.getX()) / 2);
        ellipsePreview.setCenterY((y0 + e.getY()) / 2);
        ellipsePreview.setRadiusX(Math.abs(e.getX() - x0) / 2);
        ellipsePreview.setRadiusY(Math.abs(e.getY() - y0) / 2);
    }

    private void moveBrushCursor(MouseEvent e) {
        boolean show = document != null && tool != Tool.ELLIPSE;
        brushCursor.setVisible(show);
        brushCursor.setCenterX(e.getX());
        brushCursor.setCenterY(e.getY());
        brushCursor.setRadius(brush.diameter() / 2 * zoom);
    }

    // ---------------------------------------------------------------- keys

    private void onKeyPressed(KeyEvent e) {
        if (e.isShortcutDown() || e.isAltDown()) return; // menu accelerators
        switch (e.getCode()) {
            case F -> setTool(Tool.FOREGROUND);
            case B -> setTool(Tool.BACKGROUND);
            case U -> setTool(Tool.UNKNOWN);
            case E -> setTool(Tool.ELLIPSE);
            case OPEN_BRACKET -> setBrushSize(brush.diameter() / 1.2);
            case CLOSE_BRACKET -> setBrushSize(brush.diameter() * 1.2);
            case SPACE -> { spaceDown = true; viewport.setCursor(Cursor.OPEN_HAND); }
            default -> { return; }
        }
        e.consume();
    }

    public void setBrushSize(double d) {
        brush.setDiameter(Math.round(d) == Math.round(brush.diameter()) ? (d > brush.diameter() ? d + 1 : d - 1) : d);
        brushCursor.setRadius(brush.diameter() / 2 * zoom);
        updateStatus();
    }

    public void undo() {
        if (document != null && !painting) rematteLater(document.undo());
    }

    public void redo() {
        if (document != null && !painting) rematteLater(document.redo());
    }

    /**
     * Anything that changes an already-matted trimap (undo/redo, a slider, a new mask, a loaded trimap) re-mattes the
     * changed area after the same short pause as a stroke, so the matte follows without pressing Matte.
     */
    private void rematteLater(Rect r) {
        if (r.isEmpty() || document == null || document.alpha() == null || !autoRematte.isSelected() || selectedEngine() == null) return;
        pendingRematte = pendingRematte.union(r);
        rematteTimer.playFromStart();
    }

    // ---------------------------------------------------------------- matting

    private MattingEngine selectedEngine() { return engineChoice.getValue(); }

    /** Mattes the whole image with the chosen engine (background thread, cancellable). */
    public void matte() {
        runMatte(null);
    }

    private void rematteNow() {
        Rect r = pendingRematte;
        pendingRematte = new Rect(0, 0, 0, 0);
        if (!r.isEmpty() && document != null && document.alpha() != null) runMatte(r);
    }

    private void runMatte(Rect roi) {
        Document d = document;
        MattingEngine engine = selectedEngine();
        if (d == null) return;
        if (engine == null) {
            showError(I18n.get("error.noEngine.title"), I18n.get("error.noEngine.text"));
            return;
        }
        if (running != null) running.cancel();
        CancellationToken token = new CancellationToken((f, msg) -> Platform.runLater(() -> {
            progress.setProgress(f);
            if (msg != null && !msg.isEmpty()) messageStatus.setText(msg);
        }));
        running = token;
        runningRegion = roi != null;
        progress.setProgress(ProgressBar.INDETERMINATE_PROGRESS);
        progress.setVisible(true);
        cancelButton.setVisible(true);
        messageStatus.setText(roi == null ? I18n.format("status.matting", engine.displayName()) : I18n.get("status.rematting"));
        Trimap trimap = d.trimap().copy();
        FloatImage previous = d.alpha();
        long t0 = System.nanoTime();
        submit(() -> {
            FloatImage a = null, fg = null;
            String error = null;
            try {
                token.checkCancelled();
                a = roi == null || previous == null
                        ? engine.matte(d.image(), trimap, token.sub(0, 0.8))
                        : engine.matteRegion(d.image(), trimap, roi, previous, token.sub(0, 0.8));
                token.checkCancelled();
                token.progress(0.8, I18n.get("status.estimatingForeground"));
                fg = new ForegroundEstimator().estimate(d.image(), a, token.sub(0.8, 1));
            } catch (CancellationException e) {
                error = null;
            } catch (Exception | OutOfMemoryError e) {
                error = e.getMessage() == null ? e.toString() : e.getMessage();
            }
            FloatImage result = a, foreground = fg;
            String err = error;
            double secs = (System.nanoTime() - t0) / 1e9;
            Platform.runLater(() -> {
                if (running == token) {
                    running = null;
                    progress.setVisible(false);
                    cancelButton.setVisible(false);
                }
                if (token.isCancelled()) { messageStatus.setText(I18n.get("status.matteCancelled")); return; }
                if (err != null) { showError(I18n.get("error.matte.title"), err); return; }
                if (result == null || document != d) return;
                d.setForeground(foreground);
                d.setAlpha(result, roi == null ? null : roi.expand(64).intersect(d.bounds()));
                messageStatus.setText(I18n.format(roi == null ? "status.matteTime" : "status.rematteTime", String.format(Locale.ROOT, "%.2f", secs)));
                if (!viewMode.needsAlpha() && roi == null) setViewMode(ViewMode.COMPOSITE);
                // Strokes made while this ran are not in the result yet: re-matte where the trimap moved on.
                Rect moved = trimap.differenceBounds(d.trimap());
                if (!moved.isEmpty() && autoRematte.isSelected()) {
                    pendingRematte = pendingRematte.union(moved);
                    rematteTimer.playFromStart();
                }
            });
        });
    }

    public void cancel() {
        if (running != null) running.cancel();
    }

    // ---------------------------------------------------------------- status

    private void updateStatus() {
        if (document != null) sizeStatus.setText(I18n.format("status.size", String.valueOf(document.width()), String.valueOf(document.height())));
        else sizeStatus.setText(I18n.get("status.noImage"));
        zoomStatus.setText(I18n.format("status.zoom", String.format(Locale.ROOT, "%.0f", zoom * 100)));
        brushStatus.setText(tool == Tool.ELLIPSE ? I18n.get("status.ellipseTool")
                : I18n.format("status.brush", toolName(tool), String.format(Locale.ROOT, "%.0f", brush.diameter())));
        MattingEngine e = selectedEngine();
        String engineText = e == null ? I18n.get("status.engineNone") : I18n.format("status.engine", e.displayName());
        engineStatus.setText(deviceText == null ? engineText : I18n.format("status.engineDevice", engineText, deviceText));
    }
}
