package studio.matting.segment;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.Parallel;
import studio.matting.task.TaskContext;

/**
 * A model-free rough person mask: a filled ellipse with a soft edge. The default is centred a little low, the way a
 * head-and-shoulders portrait sits in the frame; the editor lets the user drag a different one.
 */
public final class EllipseMask implements Segmenter {
    /** Ellipse centre and radii in pixels. */
    public record Ellipse(double cx, double cy, double rx, double ry) {
        public static Ellipse centred(int w, int h) {
            return new Ellipse(w / 2.0, h * 0.55, w * 0.32, h * 0.42);
        }

        /** The ellipse inscribed in the box spanned by two corners (as dragged with the mouse). */
        public static Ellipse fromCorners(double x0, double y0, double x1, double y1) {
            return new Ellipse((x0 + x1) / 2, (y0 + y1) / 2, Math.abs(x1 - x0) / 2, Math.abs(y1 - y0) / 2);
        }
    }

    private final Ellipse ellipse;

    /** Uses the centred default ellipse for whatever image it is given. */
    public EllipseMask() { this(null); }

    public EllipseMask(Ellipse ellipse) { this.ellipse = ellipse; }

    @Override public String id() { return "ellipse"; }

    @Override public String displayName() { return "Ellipse"; }

    @Override
    public FloatImage segment(ByteImage rgb, TaskContext ctx) {
        Ellipse e = ellipse != null ? ellipse : Ellipse.centred(rgb.width, rgb.height);
        return render(rgb.width, rgb.height, e);
    }

    /** Renders the ellipse; the edge ramps from 1 to 0 over about 1.5 % of the smaller image side. */
    public static FloatImage render(int w, int h, Ellipse e) {
        FloatImage m = new FloatImage(w, h, 1);
        double rx = Math.max(1, e.rx()), ry = Math.max(1, e.ry());
        double feather = Math.max(1.5, 0.015 * Math.min(w, h));
        double rmin = Math.min(rx, ry);
        Parallel.rows(h, w, (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                double dy = (y + 0.5 - e.cy()) / ry;
                int o = y * m.stride;
                for (int x = 0; x < w; x++) {
                    double dx = (x + 0.5 - e.cx()) / rx;
                    // Normalised radius scaled back to pixels along the smaller axis: a cheap signed distance.
                    double d = (Math.sqrt(dx * dx + dy * dy) - 1) * rmin;
                    double v = 0.5 - d / feather;
                    m.data[o + x] = (float) Math.max(0, Math.min(1, v));
                }
            }
        });
        return m;
    }
}
