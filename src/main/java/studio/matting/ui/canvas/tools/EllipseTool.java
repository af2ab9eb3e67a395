package studio.matting.ui.canvas.tools;

import javafx.scene.input.KeyCode;
import javafx.scene.paint.Color;
import javafx.scene.shape.Ellipse;
import studio.matting.segment.EllipseMask;
import studio.matting.ui.I18n;

/** Drag a box: the ellipse inscribed in it becomes the mask (and the trimap is made from it in the background). */
public final class EllipseTool implements Tool {
    private final ToolContext ctx;
    private final Ellipse preview = new Ellipse();
    private boolean dragging;
    private double startX, startY;

    public EllipseTool(ToolContext ctx) {
        this.ctx = ctx;
        preview.setFill(Color.TRANSPARENT);
        preview.setStroke(Color.CYAN);
        preview.getStrokeDashArray().addAll(6.0, 4.0);
        preview.setMouseTransparent(true);
        preview.setVisible(false);
        ctx.overlay().getChildren().add(preview);
    }

    @Override public String id() { return "ellipse"; }

    @Override public KeyCode key() { return KeyCode.E; }

    @Override public void pressed(Gesture g) {
        if (ctx.session().document() == null) return;
        dragging = true;
        startX = g.x();
        startY = g.y();
        preview.setVisible(true);
        update(g);
    }

    @Override public void dragged(Gesture g) {
        if (dragging) update(g);
    }

    @Override public void released(Gesture g) {
        if (!dragging) return;
        dragging = false;
        preview.setVisible(false);
        EllipseMask.Ellipse el = EllipseMask.Ellipse.fromCorners(startX, startY, g.x(), g.y());
        if (el.rx() >= 2 && el.ry() >= 2) ctx.session().applyEllipse(el);
    }

    private void update(Gesture g) {
        double x0 = ctx.view().toViewX(startX), y0 = ctx.view().toViewY(startY);
        preview.setCenterX((x0 + g.viewX()) / 2);
        preview.setCenterY((y0 + g.viewY()) / 2);
        preview.setRadiusX(Math.abs(g.viewX() - x0) / 2);
        preview.setRadiusY(Math.abs(g.viewY() - y0) / 2);
    }

    @Override public String status() { return I18n.get("status.ellipseTool"); }
}
