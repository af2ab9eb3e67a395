package studio.matting.ui.canvas;

import javafx.geometry.Point2D;
import javafx.geometry.Pos;
import javafx.scene.Cursor;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Pane;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Rectangle;
import studio.matting.compositor.Background;
import studio.matting.document.Document;
import studio.matting.image.ByteImage;
import studio.matting.image.Rect;
import studio.matting.trimap.TrimapBrush;
import studio.matting.ui.I18n;
import studio.matting.ui.canvas.tools.Gesture;
import studio.matting.ui.canvas.tools.Tool;
import studio.matting.ui.canvas.tools.ToolContext;
import studio.matting.ui.canvas.tools.Toolbox;
import studio.matting.ui.session.EditorSession;

/**
 * The zoomable canvas: shows the session's document in the current view mode, redrawing only what a document change
 * event names, and turns pointer input into view changes (pan: middle button or Space + drag; zoom: Ctrl + wheel)
 * or gestures for the active tool. It only reads the session; edits go through the tools.
 */
public final class CanvasView {
    private final EditorSession session;
    private final ViewState view = new ViewState();
    private final TrimapBrush brush = new TrimapBrush(studio.matting.trimap.Trimap.FOREGROUND, 24);
    private final Toolbox toolbox;
    private final Pane viewport = new Pane();
    private final Pane overlay = new Pane();
    private final ImageView imageView = new ImageView();
    private final Label placeholder = new Label();
    private final Circle brushCursor = new Circle();
    private final StackPane node;
    private final Document.Listener docListener = this::onDocumentChanged;
    private Runnable viewChanged = () -> { };
    private LayerRenderer.Look look = LayerRenderer.Look.DEFAULT;
    private boolean showOriginal;

    private Document document;
    private int[] argb;
    private WritableImage frame;
    private ByteImage backgroundPixels; // the session's background rendered at the document's size, made on first use
    private boolean panKey, panning, toolDrag;
    private double dragX, dragY;

    public CanvasView(EditorSession session) {
        this.session = session;
        this.toolbox = Toolbox.standard(new ToolContext(session, brush, view, overlay));
        viewport.setId("canvas");
        viewport.setStyle("-fx-background-color: #3a3a3a;");
        Rectangle clip = new Rectangle();
        clip.widthProperty().bind(viewport.widthProperty());
        clip.heightProperty().bind(viewport.heightProperty());
        viewport.setClip(clip);
        viewport.setMinSize(100, 100);
        imageView.setSmooth(false);
        imageView.setPreserveRatio(false);
        overlay.setMouseTransparent(true);
        overlay.setManaged(false);
        brushCursor.setFill(Color.TRANSPARENT);
        brushCursor.setStroke(Color.WHITE);
        brushCursor.getStrokeDashArray().addAll(4.0, 3.0);
        brushCursor.setMouseTransparent(true);
        brushCursor.setVisible(false);
        viewport.getChildren().addAll(imageView, brushCursor, overlay);
        placeholder.setId("placeholder");
        placeholder.setStyle("-fx-background-color: rgba(0,0,0,0.7); -fx-text-fill: white; -fx-padding: 12; -fx-font-size: 14;");
        placeholder.setMouseTransparent(true);
        placeholder.setVisible(false);
        node = new StackPane(viewport, placeholder);
        StackPane.setAlignment(placeholder, Pos.CENTER);

        viewport.widthProperty().addListener((o, a, b) -> { if (!view.userZoomed()) fit(); });
        viewport.heightProperty().addListener((o, a, b) -> { if (!view.userZoomed()) fit(); });
        viewport.addEventHandler(MouseEvent.MOUSE_PRESSED, this::onPressed);
        viewport.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::onDragged);
        viewport.addEventHandler(MouseEvent.MOUSE_RELEASED, this::onReleased);
        viewport.addEventHandler(MouseEvent.MOUSE_MOVED, this::moveBrushCursor);
        viewport.addEventHandler(MouseEvent.MOUSE_EXITED, e -> brushCursor.setVisible(false));
        viewport.addEventHandler(ScrollEvent.SCROLL, this::onScroll);

        session.addListener(new EditorSession.Listener() {
            @Override public void documentReplaced(Document d) { show(d); }
            @Override public void backgroundChanged(Background b) { backgroundPixels = null; renderAll(); }
            @Override public void previewChanged() { if (view.mode().needsAlpha()) renderAll(); }
        });
    }

    public Node node() { return node; }

    public ViewState view() { return view; }

    public Toolbox toolbox() { return toolbox; }

    public TrimapBrush brush() { return brush; }

    /** Told after zoom, pan or the brush size changed (the status bar). */
    public void onViewChanged(Runnable r) { viewChanged = r; }

    public ViewMode mode() { return view.mode(); }

    public LayerRenderer.Look look() { return look; }

    /** New onion-skin / tint settings; redraws when one of those views is shown. */
    public void setLook(LayerRenderer.Look l) {
        look = l;
        if (view.mode() == ViewMode.ONION || view.mode() == ViewMode.TINT) renderAll();
    }

    /** While true the canvas shows the photo whatever the view (the "show original" key is held). */
    public void setShowOriginal(boolean on) {
        if (on == showOriginal) return;
        showOriginal = on;
        renderAll();
    }

    public boolean showOriginal() { return showOriginal; }

    /** Centres the view on an image rectangle (a problem spot), zooming in so it fills about a third of the canvas. */
    public void focus(Rect r) {
        if (document == null) return;
        double vw = viewport.getWidth(), vh = viewport.getHeight();
        double z = Math.min(vw / Math.max(1, 3.0 * r.width()), vh / Math.max(1, 3.0 * r.height()));
        // the spot fills about a third of the view: never zoom out to reach it, and at most 8× (or twice today's
        // zoom, for a small image that already fits the window above 8×)
        z = Math.max(view.zoom(), Math.min(z, Math.max(8, 2 * view.zoom())));
        view.zoomAt(z, vw / 2, vh / 2);
        double cx = view.toViewX(r.x() + r.width() / 2.0), cy = view.toViewY(r.y() + r.height() / 2.0);
        view.pan(vw / 2 - cx, vh / 2 - cy);
        applyTransform();
    }

    public void setMode(ViewMode m) {
        view.setMode(m);
        renderAll();
    }

    /** Space held: the primary button pans instead of using the tool. */
    public void setPanKey(boolean down) {
        panKey = down;
        viewport.setCursor(down ? Cursor.OPEN_HAND : Cursor.DEFAULT);
    }

    public void setBrushSize(double d) {
        brush.setDiameter(Math.round(d) == Math.round(brush.diameter()) ? (d > brush.diameter() ? d + 1 : d - 1) : d);
        brushCursor.setRadius(brush.diameter() / 2 * view.zoom());
        viewChanged.run();
    }

    /** Fits the image to the canvas and forgets the user's zoom. */
    public void fit() {
        if (document == null) return;
        view.fit(viewport.getWidth(), viewport.getHeight(), document.width(), document.height());
        applyTransform();
    }

    /** 100 %, centred on the middle of the canvas. */
    public void actualSize() {
        zoomAt(1, viewport.getWidth() / 2, viewport.getHeight() / 2);
    }

    private void zoomAt(double z, double vx, double vy) {
        if (document == null) return;
        view.zoomAt(z, vx, vy);
        applyTransform();
    }

    /** Image coordinates → screen coordinates of the canvas (for tests that drag on the image). */
    public Point2D imageToScreen(double ix, double iy) {
        return viewport.localToScreen(view.toViewX(ix), view.toViewY(iy));
    }

    /** The ARGB pixel the canvas currently shows at image (x, y) (for tests). */
    public int displayedPixel(int x, int y) { return frame.getPixelReader().getArgb(x, y); }

    // ---------------------------------------------------------------- rendering

    private void show(Document d) {
        if (document != null) document.removeListener(docListener);
        document = d;
        d.addListener(docListener);
        backgroundPixels = null;
        argb = new int[d.width() * d.height()];
        frame = new WritableImage(d.width(), d.height());
        imageView.setImage(frame);
        fit();
        renderAll();
    }

    private void onDocumentChanged(Document.Layer layer, Rect r) {
        ViewMode m = view.mode();
        switch (layer) {
            case TRIMAP -> { if (m == ViewMode.OVERLAY || m == ViewMode.TRIMAP) render(r); }
            // α and F are drawn from the session's preview, which follows them (refined) in its own event
            case ALPHA, FOREGROUND -> { if (m.needsAlpha() && session.preview().showsDocumentLayers()) render(r); updatePlaceholder(); }
            case MASK, IMAGE -> renderAll();
            case SETTINGS -> { }
        }
    }

    public void renderAll() {
        if (document != null) render(document.bounds());
        updatePlaceholder();
    }

    private void render(Rect r) {
        if (document == null) return;
        Rect rr = r.intersect(document.bounds());
        if (rr.isEmpty()) return;
        ViewMode m = showOriginal ? ViewMode.IMAGE : view.mode();
        LayerRenderer.render(document, session.preview().alpha(), session.preview().foreground(), session.preview().scale(), look, m, rr, argb,
                m.needsBackground() ? backgroundPixels() : null);
        frame.getPixelWriter().setPixels(rr.x(), rr.y(), rr.width(), rr.height(), PixelFormat.getIntArgbInstance(),
                argb, rr.y() * document.width() + rr.x(), document.width());
    }

    private ByteImage backgroundPixels() {
        if (backgroundPixels == null || !backgroundPixels.sameSize(document.width(), document.height()))
            backgroundPixels = session.background().render(document.width(), document.height());
        return backgroundPixels;
    }

    private void updatePlaceholder() {
        placeholder.setText(I18n.get("placeholder.noAlpha"));
        placeholder.setVisible(document != null && !showOriginal && view.mode().needsAlpha() && document.alpha() == null);
    }

    private void applyTransform() {
        if (document == null) return;
        imageView.setFitWidth(document.width() * view.zoom());
        imageView.setFitHeight(document.height() * view.zoom());
        imageView.setLayoutX(view.offsetX());
        imageView.setLayoutY(view.offsetY());
        brushCursor.setRadius(brush.diameter() / 2 * view.zoom());
        viewChanged.run();
    }

    // ---------------------------------------------------------------- pointer

    private Gesture gesture(MouseEvent e) {
        return new Gesture(view.toImageX(e.getX()), view.toImageY(e.getY()), e.getX(), e.getY());
    }

    private void onPressed(MouseEvent e) {
        viewport.requestFocus();
        if (document == null) return;
        dragX = e.getX();
        dragY = e.getY();
        if (e.getButton() == MouseButton.MIDDLE || (e.getButton() == MouseButton.PRIMARY && panKey)) {
            panning = true;
            viewport.setCursor(Cursor.CLOSED_HAND);
        } else if (e.getButton() == MouseButton.PRIMARY) {
            toolDrag = true;
            toolbox.active().pressed(gesture(e));
        }
        e.consume();
    }

    private void onDragged(MouseEvent e) {
        moveBrushCursor(e);
        if (panning) {
            view.pan(e.getX() - dragX, e.getY() - dragY);
            dragX = e.getX();
            dragY = e.getY();
            applyTransform();
        } else if (toolDrag) {
            toolbox.active().dragged(gesture(e));
        }
        e.consume();
    }

    private void onReleased(MouseEvent e) {
        if (panning) {
            panning = false;
            viewport.setCursor(panKey ? Cursor.OPEN_HAND : Cursor.DEFAULT);
        } else if (toolDrag) {
            toolDrag = false;
            toolbox.active().released(gesture(e));
        }
        e.consume();
    }

    private void moveBrushCursor(MouseEvent e) {
        Tool t = toolbox.active();
        brushCursor.setVisible(document != null && t.showsBrush());
        brushCursor.setCenterX(e.getX());
        brushCursor.setCenterY(e.getY());
        brushCursor.setRadius(brush.diameter() / 2 * view.zoom());
    }

    private void onScroll(ScrollEvent e) {
        if (e.isShortcutDown() || e.isControlDown()) {
            zoomAt(view.zoom() * Math.pow(1.0015, e.getDeltaY()), e.getX(), e.getY());
        } else if (document != null) {
            view.pan(e.getDeltaX(), e.getDeltaY());
            applyTransform();
        }
        e.consume();
    }
}
