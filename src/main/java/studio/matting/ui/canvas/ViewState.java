package studio.matting.ui.canvas;

/**
 * Where the image sits on the canvas and what it shows: zoom, pan offset (view pixels) and view mode. Plain Java,
 * so the mapping between view and image coordinates is one piece of code for rendering, tools and tests.
 */
public final class ViewState {
    public static final double MIN_ZOOM = 0.02, MAX_ZOOM = 32;

    private double zoom = 1, tx, ty;
    private boolean userZoomed;
    private ViewMode mode = ViewMode.OVERLAY;

    public double zoom() { return zoom; }

    public double offsetX() { return tx; }

    public double offsetY() { return ty; }

    public ViewMode mode() { return mode; }

    public void setMode(ViewMode m) { mode = m; }

    /** True once the user zoomed or panned: resizing the window then keeps their view instead of refitting. */
    public boolean userZoomed() { return userZoomed; }

    public double toImageX(double viewX) { return (viewX - tx) / zoom; }

    public double toImageY(double viewY) { return (viewY - ty) / zoom; }

    public double toViewX(double imageX) { return tx + imageX * zoom; }

    public double toViewY(double imageY) { return ty + imageY * zoom; }

    /** Fits an image of {@code iw × ih} into a view of {@code vw × vh}, centred, with a small margin. */
    public void fit(double vw, double vh, int iw, int ih) {
        userZoomed = false;
        if (vw <= 0 || vh <= 0 || iw <= 0 || ih <= 0) return;
        zoom = Math.max(0.01, Math.min(vw / iw, vh / ih) * 0.97);
        tx = (vw - iw * zoom) / 2;
        ty = (vh - ih * zoom) / 2;
    }

    /** Zooms keeping the image point under view point (vx, vy) fixed. */
    public void zoomAt(double newZoom, double vx, double vy) {
        newZoom = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, newZoom));
        double ix = toImageX(vx), iy = toImageY(vy);
        zoom = newZoom;
        tx = vx - ix * zoom;
        ty = vy - iy * zoom;
        userZoomed = true;
    }

    public void pan(double dx, double dy) {
        tx += dx;
        ty += dy;
        userZoomed = true;
    }
}
