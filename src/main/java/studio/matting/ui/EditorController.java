package studio.matting.ui;

import javafx.animation.Animation;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.geometry.Point2D;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import javafx.scene.control.MenuBar;
import javafx.stage.Stage;
import studio.matting.inference.MNetEngine;
import studio.matting.ui.models.ModelsDialog;
import javafx.util.Duration;
import studio.matting.compositor.Background;
import studio.matting.document.Document;
import studio.matting.matting.MattingEngine;
import studio.matting.segment.Segmenter;
import studio.matting.task.ThreadGuard;
import studio.matting.trimap.TrimapBrush;
import studio.matting.ui.actions.Dialogs;
import studio.matting.ui.actions.EditorMenus;
import studio.matting.ui.actions.EditorToolBar;
import studio.matting.ui.actions.StatusBar;
import studio.matting.ui.canvas.CanvasView;
import studio.matting.ui.canvas.ViewMode;
import studio.matting.ui.canvas.tools.Tool;
import studio.matting.ui.session.Delay;
import studio.matting.ui.session.EditorSession;
import studio.matting.ui.panel.PropertiesPanel;
import studio.matting.ui.canvas.LayerRenderer;
import studio.matting.image.Rect;
import javafx.scene.control.TextInputControl;
import org.controlsfx.control.NotificationPane;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * The editor window: puts the menus, tool bars, canvas and status bar around one {@link EditorSession} and routes
 * keys. The session does the work (off the FX thread, through its job runner); the canvas draws the document; this
 * class only wires them and keeps the public entry points the app, the screenshot tool and the tests use.
 */
public final class EditorController {
    private final Stage stage;
    private final EditorSession session;
    private final CanvasView canvas;
    private final EditorToolBar toolBar;
    private final StatusBar status;
    private final Dialogs dialogs;
    private final BorderPane root = new BorderPane();
    private final Supplier<List<MattingEngine>> engineSupplier;   // asked again after Settings ▸ Models…
    private final Supplier<List<Segmenter>> segmenterSupplier;
    private final PropertiesPanel panel;
    private final NotificationPane hint;
    private final EditorSettings settings;
    private String lastError;
    private String deviceText;

    public EditorController(Stage stage, Supplier<List<MattingEngine>> engineSupplier) {
        this(stage, engineSupplier, List::of);
    }

    /**
     * @param segmenterSupplier person segmenters (e.g. a U-Net) offered in the Mask menu next to the ellipse and
     *                          mask files; each runs in the background and replaces the mask
     */
    public EditorController(Stage stage, Supplier<List<MattingEngine>> engineSupplier, Supplier<List<Segmenter>> segmenterSupplier) {
        this.stage = stage;
        this.engineSupplier = engineSupplier;
        this.segmenterSupplier = segmenterSupplier;
        // Heavy image work (trimap morphology above all) must never run here: make a slip fail loudly.
        ThreadGuard.forbidHeavyWorkOn(Thread.currentThread());
        session = new EditorSession(Platform::runLater, EditorController::fxDelay, available(engineSupplier), available(segmenterSupplier));
        settings = EditorSettings.user();
        session.setSegmentOnOpen(settings.segmentOnOpen());
        canvas = new CanvasView(session);
        dialogs = new Dialogs(stage, session);
        status = new StatusBar(session::cancel);
        toolBar = new EditorToolBar(canvas.toolbox());
        panel = new PropertiesPanel(session, new PropertiesPanel.Canvas() {
            @Override public void setView(ViewMode m) { setViewMode(m); }
            @Override public LayerRenderer.Look look() { return canvas.look(); }
            @Override public void setLook(LayerRenderer.Look l) { canvas.setLook(l); }
            @Override public void focus(Rect r) { canvas.focus(r); }
        }, canvas.mode());
        // Typing a number into the panel must not reach the single-key shortcuts and view accelerators.
        panel.node().addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (typing(e.getTarget()) && !e.isShortcutDown() && !e.isAltDown()) e.consume();
        });
        MenuBar menus = EditorMenus.build(session, dialogs, canvas, this::setViewMode, status::message,
                new EditorMenus.Extras(settings, () -> panel.step(1), () -> panel.step(-1), panel::fixSelected,
                        () -> setViewMode(canvas.mode().next()), session.preview()::flipCompare));
        menus.getMenus().stream().filter(m -> "settingsMenu".equals(m.getId())).findFirst()
                .ifPresent(m -> m.getItems().add(ModelsDialog.menuItem(stage, this::reloadModels)));
        root.setTop(new VBox(menus, toolBar.node()));
        hint = new NotificationPane(canvas.node());
        hint.setId("hintPane");
        hint.setShowFromTop(true);
        root.setCenter(hint);
        // The hint is read once: the first click on the canvas puts it away.
        canvas.node().addEventFilter(javafx.scene.input.MouseEvent.MOUSE_PRESSED, e -> { if (hint.isShowing()) hint.hide(); });
        root.setRight(panel.node());
        root.setBottom(status.node());
        canvas.onViewChanged(this::updateStatus);
        canvas.toolbox().onChange(t -> updateStatus());
        session.addListener(new EditorSession.Listener() {
            @Override public void documentReplaced(Document d) {
                stage.setTitle(I18n.format("app.titleWithFile", d.path() == null ? I18n.get("app.untitled") : d.path().getFileName()));
                updateStatus();
                if (settings.hintDue()) {
                    settings.setHintShown(true);
                    hint.show(I18n.get("hint.firstRun"));
                }
            }
            @Override public void message(String text) { status.message(text); }
            @Override public void error(String title, String message) { showError(title, message); }
            @Override public void progress(boolean running, double fraction) { status.progress(running, fraction); }
            @Override public void matted(boolean full) { if (full && !canvas.mode().needsAlpha()) setViewMode(ViewMode.COMPOSITE); }
            @Override public void backgroundChanged(Background b) {
                Document d = session.document();
                if (d != null && d.alpha() != null && canvas.mode() == ViewMode.ALPHA) setViewMode(ViewMode.COMPOSITE);
            }
            @Override public void engineChanged(MattingEngine e) { updateStatus(); }
            @Override public void selectionChanged(boolean active) { updateStatus(); }
        });
        updateStatus();
    }

    /**
     * Settings ▸ Models… imported or removed a model: the session offers the catalogue's new lists (the Mask menu,
     * Auto and the engine chooser follow its event). The engine registry cannot forget a removed matting model's
     * factory, so engines whose card is gone are left out.
     */
    public void reloadModels() {
        List<MattingEngine> engines = new java.util.ArrayList<>(available(engineSupplier));
        engines.removeIf(e -> e instanceof MNetEngine m && !java.nio.file.Files.isRegularFile(m.card().cardPath()));
        session.replaceModels(engines, available(segmenterSupplier));
    }

    /** A supplier's list, or none when it cannot start (a missing native library must not stop the editor). */
    private static <T> List<T> available(Supplier<List<T>> s) {
        try {
            return s == null ? List.of() : List.copyOf(s.get());
        } catch (RuntimeException | LinkageError e) {
            return List.of();
        }
    }

    private static Delay fxDelay(long millis, Runnable action) {
        PauseTransition p = new PauseTransition(Duration.millis(millis));
        p.setOnFinished(e -> action.run());
        return new Delay() {
            @Override public void restart() { p.playFromStart(); }
            @Override public void stop() { p.stop(); }
            @Override public boolean isPending() { return p.getStatus() == Animation.Status.RUNNING; }
        };
    }

    // ---------------------------------------------------------------- accessors (app, screenshot tool, tests)

    public EditorSession session() { return session; }

    public javafx.scene.control.ComboBox<MattingEngine> engineChoice() { return panel.engineChoice(); }

    public Document document() { return session.document(); }

    public ViewMode viewMode() { return canvas.mode(); }

    public Tool tool() { return canvas.toolbox().active(); }

    public TrimapBrush brush() { return canvas.brush(); }

    public double zoom() { return canvas.view().zoom(); }

    public String lastError() { return lastError; }

    /** True while background work is queued or running or a re-matte waits (tests poll this instead of sleeping). */
    public boolean isBusy() { return session.isBusy(); }

    public Parent root() { return root; }

    /** Text for the status bar's device slot (e.g. "CUDA: NVIDIA H100"), set by whoever knows the device. */
    public void setDeviceText(String text) {
        deviceText = text;
        updateStatus();
    }

    /** Image coordinates → screen coordinates of the canvas (for tests that drag on the image). */
    public Point2D imageToScreen(double ix, double iy) { return canvas.imageToScreen(ix, iy); }

    /** The ARGB pixel the canvas currently shows at image (x, y) (for tests). */
    int displayedPixel(int x, int y) { return canvas.displayedPixel(x, y); }

    public Scene createScene(double w, double h) {
        Scene scene = new Scene(root, w, h);
        scene.addEventFilter(KeyEvent.KEY_PRESSED, this::onKeyPressed);
        scene.addEventFilter(KeyEvent.KEY_RELEASED, e -> {
            if (e.getCode() == KeyCode.SPACE) { canvas.setPanKey(false); e.consume(); }
            else if (e.getCode() == KeyCode.X) { canvas.setShowOriginal(false); e.consume(); }
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

    private void onKeyPressed(KeyEvent e) {
        if (e.isShortcutDown() || e.isAltDown()) return; // menu accelerators
        if (typing(e.getTarget())) return; // a number typed into the panel
        if (pressKey(e.getCode(), e.isShiftDown())) e.consume(); // others (1–9) go on to the menu accelerators
    }

    /**
     * The single-key shortcuts (also for tests): the active tool's own keys first (F / B / U as the level of fill,
     * lasso and select), then the tools, brush size, pan, V (next view), X (original while held), C (A/B), N /
     * Shift+N (next / previous problem). Returns false for a key that means nothing here.
     */
    public boolean pressKey(KeyCode code, boolean shift) {
        Tool active = canvas.toolbox().active();
        if (active.keyPressed(code)) {
            updateStatus();
            return true;
        }
        var t = canvas.toolbox().byKey(code);
        if (t.isPresent()) canvas.toolbox().select(t.get());
        else switch (code) {
            case OPEN_BRACKET -> canvas.setBrushSize(canvas.brush().diameter() / 1.2);
            case CLOSE_BRACKET -> canvas.setBrushSize(canvas.brush().diameter() * 1.2);
            case SPACE -> canvas.setPanKey(true);
            case V -> setViewMode(canvas.mode().next());
            case X -> canvas.setShowOriginal(true);
            case C -> session.preview().flipCompare();
            case N -> panel.step(shift ? -1 : 1);
            default -> { return false; }
        }
        return true;
    }

    /** Key events aimed at a text field (a spinner forwards its keys to its own). */
    private static boolean typing(Object target) {
        return target instanceof TextInputControl || (target instanceof javafx.scene.control.Spinner<?> s && s.isEditable());
    }

    public PropertiesPanel panel() { return panel; }

    public CanvasView canvas() { return canvas; }

    public EditorSettings settings() { return settings; }

    public NotificationPane hint() { return hint; }

    // ---------------------------------------------------------------- entry points (delegates)

    public void open(Path path) { session.files().open(path); }

    public boolean openDropped(List<Path> files) { return session.files().openDropped(files); }

    public void setDocument(Document d) { session.setDocument(d); }

    public void openProject(Path file) { session.files().openProject(file); }

    public void saveProject(Path target) { session.files().saveProject(target); }

    public void save(String what, Path target) { session.files().save(what, target); }

    public void loadMask(Path p) { session.loadMask(p); }

    public void segment(Segmenter sg) { session.segment(sg); }

    public void auto() { session.auto(); }

    public void matte() { session.matte(); }

    public void cancel() { session.cancel(); }

    public void undo() { session.undo(); }

    public void redo() { session.redo(); }

    public void setBackground(Background b) { session.setBackground(b, null); }

    public Background background() { return session.background(); }

    public void idPhoto() { dialogs.idPhoto(); }

    public void enableAutosave(Path directory) { session.enableAutosave(directory); }

    public Path autosaveFile() { return session.autosaveFile(); }

    /** @return true when the user chose to restore the crashed session */
    public boolean offerRecovery() { return dialogs.offerRecovery(); }

    public void shutdown() { session.shutdown(); }

    public void setViewMode(ViewMode m) {
        canvas.setMode(m);
        if (panel != null) panel.showView(m);
    }

    public void setBrushSize(double d) { canvas.setBrushSize(d); }

    private void showError(String title, String message) {
        lastError = message;
        status.message(message);
        dialogs.error(title, message);
    }

    private void updateStatus() {
        status.update(session.document(), canvas.view().zoom(), canvas.toolbox().active().status(), session.engine(), deviceText);
    }
}
