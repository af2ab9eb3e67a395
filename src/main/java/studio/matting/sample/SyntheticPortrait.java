package studio.matting.sample;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageOps;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Renders the project's own sample: a head-and-shoulders figure with soft, hair-like strands and a semi-transparent
 * veil over a textured background. Every layer is rendered with analytic coverage, so the exact α and foreground
 * colours F are known — {@code I = αF + (1−α)B} holds by construction, which gives tests a true ground truth.
 * <p>Run {@code mvn -q compile exec:java -Dexec.mainClass=studio.matting.sample.SyntheticPortrait -Dexec.args=assets}
 * to regenerate {@code assets/}.
 */
public final class SyntheticPortrait {
    public final FloatImage image;      // 3 channels
    public final FloatImage alpha;      // 1 channel
    public final FloatImage foreground; // 3 channels, F (defined where α > 0, hair colour elsewhere)
    public final FloatImage background; // 3 channels

    private SyntheticPortrait(FloatImage image, FloatImage alpha, FloatImage foreground, FloatImage background) {
        this.image = image;
        this.alpha = alpha;
        this.foreground = foreground;
        this.background = background;
    }

    public static SyntheticPortrait render(int width, int height, long seed) {
        FloatImage bg = background(width, height, seed);
        FloatImage premul = new FloatImage(width, height, 3);
        FloatImage alpha = new FloatImage(width, height, 1);
        double s = Math.min(width / 480.0, height / 600.0);
        double cx = width / 2.0;
        // Layers bottom to top: shoulders, neck, head, hair cap, strands, veil.
        ellipse(premul, alpha, cx, height + 40 * s, 210 * s, 200 * s, new float[]{0.20f, 0.33f, 0.55f}, 1f);
        ellipse(premul, alpha, cx, height * 0.62, 45 * s, 70 * s, new float[]{0.86f, 0.66f, 0.55f}, 1f);
        ellipse(premul, alpha, cx, height * 0.42, 95 * s, 120 * s, new float[]{0.92f, 0.72f, 0.60f}, 1f);
        float[] hair = {0.30f, 0.19f, 0.10f};
        ellipse(premul, alpha, cx, height * 0.36, 104 * s, 108 * s, hair, 1f, height * 0.36 - 20 * s);
        strands(premul, alpha, cx, height * 0.36, 104 * s, 108 * s, hair, s, seed);
        veil(premul, alpha, cx + 120 * s, height * 0.70, 70 * s, 90 * s, new float[]{0.95f, 0.90f, 0.98f}, 0.45f);

        FloatImage fg = new FloatImage(width, height, 3);
        FloatImage img = new FloatImage(width, height, 3);
        for (int i = 0; i < width * height; i++) {
            float a = alpha.data[i];
            for (int c = 0; c < 3; c++) {
                float p = premul.data[i * 3 + c];
                fg.data[i * 3 + c] = a > 1e-6f ? Math.min(1f, p / a) : hair[c];
                img.data[i * 3 + c] = p + (1 - a) * bg.data[i * 3 + c];
            }
        }
        return new SyntheticPortrait(img, alpha, fg, bg);
    }

    private static FloatImage background(int w, int h, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        FloatImage bg = new FloatImage(w, h, 3);
        double f1 = 0.045 + rnd.nextDouble() * 0.01, f2 = 0.11, ph = rnd.nextDouble() * 6;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // Leafy texture: smooth gradient, two interfering waves and fine noise, so the background is not flat
                // (closed-form matting must separate strands from a textured backdrop).
                double t = 0.5 + 0.25 * Math.sin(x * f1 + ph) * Math.cos(y * f1 * 0.8) + 0.12 * Math.sin((x + 2 * y) * f2);
                double n = (rnd.nextDouble() - 0.5) * 0.06;
                int i = (y * w + x) * 3;
                bg.data[i] = clamp((float) (0.30 + 0.35 * t + n));
                bg.data[i + 1] = clamp((float) (0.55 + 0.30 * t * (double) y / h + n));
                bg.data[i + 2] = clamp((float) (0.35 + 0.20 * (1 - t) + n));
            }
        }
        return bg;
    }

    /** "Over" a filled ellipse with a one-pixel anti-aliased edge; optional cut below yMax (for the hair cap). */
    private static void ellipse(FloatImage premul, FloatImage alpha, double cx, double cy, double rx, double ry, float[] col, float opacity) {
        ellipse(premul, alpha, cx, cy, rx, ry, col, opacity, Double.POSITIVE_INFINITY);
    }

    private static void ellipse(FloatImage premul, FloatImage alpha, double cx, double cy, double rx, double ry, float[] col,
                                float opacity, double yMax) {
        int w = alpha.width, h = alpha.height;
        for (int y = Math.max(0, (int) (cy - ry - 2)); y < Math.min(h, (int) (cy + ry + 2)); y++) {
            for (int x = Math.max(0, (int) (cx - rx - 2)); x < Math.min(w, (int) (cx + rx + 2)); x++) {
                double dx = (x + 0.5 - cx) / rx, dy = (y + 0.5 - cy) / ry;
                double r = Math.sqrt(dx * dx + dy * dy);
                double dist = (r - 1) * Math.min(rx, ry); // approximate signed distance in pixels
                double cov = Math.max(0, Math.min(1, 0.5 - dist));
                if (y + 0.5 > yMax) cov *= Math.max(0, Math.min(1, 0.5 - (y + 0.5 - yMax)));
                over(premul, alpha, y * w + x, col, (float) (cov * opacity));
            }
        }
    }

    /** Thin anti-aliased curved strands radiating from the hair cap, some fading out: hair-level soft edges. */
    private static void strands(FloatImage premul, FloatImage alpha, double cx, double cy, double rx, double ry, float[] col,
                                double s, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed * 31 + 7);
        int n = 90;
        for (int k = 0; k < n; k++) {
            double ang = Math.PI * (1.05 + 0.9 * rnd.nextDouble()); // upper half
            double len = (25 + 55 * rnd.nextDouble()) * s;
            double curl = (rnd.nextDouble() - 0.5) * 0.04;
            double width = (0.35 + 0.6 * rnd.nextDouble()) * s;
            float op = (float) (0.55 + 0.45 * rnd.nextDouble());
            double px = cx + Math.cos(ang) * rx * 0.92, py = cy + Math.sin(ang) * ry * 0.92;
            double dir = ang;
            int steps = (int) Math.ceil(len / 1.5);
            for (int st = 0; st < steps; st++) {
                double nx = px + Math.cos(dir) * 1.5, ny = py + Math.sin(dir) * 1.5;
                float fade = op * (float) (1.0 - (double) st / steps * 0.8);
                segment(premul, alpha, px, py, nx, ny, width, col, fade);
                px = nx;
                py = ny;
                dir += curl;
            }
        }
    }

    private static void segment(FloatImage premul, FloatImage alpha, double x0, double y0, double x1, double y1, double halfWidth,
                                float[] col, float opacity) {
        int w = alpha.width, h = alpha.height;
        int minX = Math.max(0, (int) (Math.min(x0, x1) - halfWidth - 2)), maxX = Math.min(w - 1, (int) (Math.max(x0, x1) + halfWidth + 2));
        int minY = Math.max(0, (int) (Math.min(y0, y1) - halfWidth - 2)), maxY = Math.min(h - 1, (int) (Math.max(y0, y1) + halfWidth + 2));
        double vx = x1 - x0, vy = y1 - y0, len2 = vx * vx + vy * vy;
        for (int y = minY; y <= maxY; y++) {
            for (int x = minX; x <= maxX; x++) {
                double qx = x + 0.5 - x0, qy = y + 0.5 - y0;
                double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, (qx * vx + qy * vy) / len2));
                double dx = qx - t * vx, dy = qy - t * vy;
                double d = Math.sqrt(dx * dx + dy * dy);
                double cov = Math.max(0, Math.min(1, halfWidth + 0.5 - d));
                // Consecutive segments overlap; keep the strongest coverage instead of stacking them.
                int i = y * w + x;
                float a = (float) (cov * opacity);
                if (a > 0) overMax(premul, alpha, i, col, a);
            }
        }
    }

    private static void veil(FloatImage premul, FloatImage alpha, double cx, double cy, double rx, double ry, float[] col, float opacity) {
        int w = alpha.width, h = alpha.height;
        for (int y = Math.max(0, (int) (cy - ry)); y < Math.min(h, (int) (cy + ry)); y++) {
            for (int x = Math.max(0, (int) (cx - rx)); x < Math.min(w, (int) (cx + rx)); x++) {
                double dx = (x + 0.5 - cx) / rx, dy = (y + 0.5 - cy) / ry;
                double r2 = dx * dx + dy * dy;
                if (r2 >= 1) continue;
                // Gaussian-like falloff: a semi-transparent scarf with no hard edge.
                over(premul, alpha, y * w + x, col, (float) (opacity * (1 - r2) * (1 - r2)));
            }
        }
    }

    private static void over(FloatImage premul, FloatImage alpha, int i, float[] col, float a) {
        if (a <= 0) return;
        float old = alpha.data[i];
        alpha.data[i] = a + (1 - a) * old;
        for (int c = 0; c < 3; c++) premul.data[i * 3 + c] = a * col[c] + (1 - a) * premul.data[i * 3 + c];
    }

    /** Overlapping strand segments: raise coverage to a, never beyond, so a strand has one opacity along its length. */
    private static void overMax(FloatImage premul, FloatImage alpha, int i, float[] col, float a) {
        float old = alpha.data[i];
        if (a <= old) {
            // Already at least this opaque; if it was covered by the strand itself the colour is the same.
            float extra = a * (1 - old);
            if (extra <= 0) return;
        }
        over(premul, alpha, i, col, a);
    }

    private static float clamp(float v) {
        return ImageOps.clamp01(v);
    }

    /** Writes portrait.png, portrait-alpha.png, portrait-foreground.png, portrait-background.png, portrait-mask.png. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "assets");
        SyntheticPortrait p = render(480, 600, 2026);
        ImageFiles.writePng(ImageOps.toByte(p.image), dir.resolve("portrait.png"));
        ImageFiles.writePng(ImageOps.toByte(p.alpha), dir.resolve("portrait-alpha.png"));
        ImageFiles.writePng(ImageOps.toByte(p.foreground), dir.resolve("portrait-foreground.png"));
        ImageFiles.writePng(ImageOps.toByte(p.background), dir.resolve("portrait-background.png"));
        ImageFiles.writePng(coarseMask(p.alpha), dir.resolve("portrait-mask.png"));
    }

    /** What a segmentation network would give: the α thresholded at 0.5 — strands and veil lost, edges hard. */
    public static ByteImage coarseMask(FloatImage alpha) {
        ByteImage m = new ByteImage(alpha.width, alpha.height, 1);
        for (int i = 0; i < alpha.data.length; i++) m.data[i] = (byte) (alpha.data[i] >= 0.5f ? 255 : 0);
        return m;
    }
}
