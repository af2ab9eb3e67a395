package studio.matting.select;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.Rect;
import studio.matting.metrics.SegmentationMetrics;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapBrush;

import java.util.SplittableRandom;

/**
 * A generated photo for tests and benchmarks with a known mask: a textured red/orange ellipse on a textured blue-green background.
 * With {@code decoy}, the box's right half outside the ellipse is a yellow texture that appears nowhere outside the
 * box — GrabCut from the box alone cannot know it is background (its background model never saw yellow) and keeps it,
 * which is exactly the case a background scribble fixes.
 */
public final class SelectScene {
    public final ByteImage image;
    public final FloatImage truth;
    public final Rect box;
    public final int cx, cy, rx, ry;

    private SelectScene(ByteImage image, FloatImage truth, Rect box, int cx, int cy, int rx, int ry) {
        this.image = image;
        this.truth = truth;
        this.box = box;
        this.cx = cx;
        this.cy = cy;
        this.rx = rx;
        this.ry = ry;
    }

    public static SelectScene render(int w, int h, boolean decoy, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int cx = w / 2, cy = h / 2 + h / 40, rx = (int) (w * 0.22), ry = (int) (h * 0.33);
        int m = Math.max(2, w / 40);
        Rect box = new Rect(cx - rx - m, cy - ry - m, 2 * rx + 2 * m, 2 * ry + 2 * m);
        ByteImage img = new ByteImage(w, h, 3);
        FloatImage truth = new FloatImage(w, h, 1);
        double fx = 32.0 / w, fy = 32.0 / h; // texture scale follows the image size, so a large scene looks the same
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double ex = (x + 0.5 - cx) / rx, ey = (y + 0.5 - cy) / ry;
                boolean in = ex * ex + ey * ey <= 1;
                int r, g, b;
                int n = rnd.nextInt(-22, 23);
                if (in) {
                    r = 205 + n;
                    g = 70 + (int) (35 * Math.sin(x * fx * 1.7) * Math.cos(y * fy * 1.3)) + n / 2;
                    b = 45 + n / 2;
                } else if (decoy && box.contains(x, y) && x > cx) {
                    r = 225 + n / 2;
                    g = 205 + (int) (20 * Math.sin((x + y) * fx)) + n / 2;
                    b = 60 + n / 2;
                } else {
                    r = 40 + n / 2;
                    g = 120 + (int) (45 * Math.sin(x * fx * 0.9 + Math.cos(y * fy * 1.1))) + n;
                    b = 150 + (int) (30 * Math.cos(y * fy * 0.7)) + n;
                }
                img.set(x, y, 0, clamp(r));
                img.set(x, y, 1, clamp(g));
                img.set(x, y, 2, clamp(b));
                truth.data[y * w + x] = in ? 1f : 0f;
            }
        return new SelectScene(img, truth, box, cx, cy, rx, ry);
    }

    /** A background stroke down the yellow decoy and along its top (what a user would draw to remove it). */
    public Trimap decoyStroke() {
        Trimap t = Trimap.filled(image.width, image.height, Trimap.UNKNOWN);
        TrimapBrush b = new TrimapBrush(Trimap.BACKGROUND, Math.max(4, image.width / 40.0));
        int x = box.right() - box.width() / 12, y0 = box.y() + box.height() / 8, y1 = box.bottom() - box.height() / 8;
        b.stroke(t, x, y0, x, y1);
        double top = box.y() + image.height / 40.0;
        b.stroke(t, cx + rx / 2.0 + rx * 0.45, top, box.right() - image.width / 80.0, top);
        return t;
    }

    public double iou(FloatImage mask) {
        return SegmentationMetrics.iou(mask, truth).personIoU();
    }

    private static int clamp(int v) { return Math.max(0, Math.min(255, v)); }
}
