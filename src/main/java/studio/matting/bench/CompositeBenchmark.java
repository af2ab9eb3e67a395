package studio.matting.bench;

import studio.matting.compositor.Background;
import studio.matting.compositor.Compositor;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.Parallel;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Compositing speed: a 12-megapixel (4000×3000) full-resolution composite over a solid colour and over a photo
 * background, a preview of the same inputs with the long side at most 1920 px, and a full composite at 1920×1080. Reports the
 * median of several runs after a warm-up. Run with {@code run(System.out)} (wired into the {@code bench} command).
 */
public final class CompositeBenchmark {
    private CompositeBenchmark() { }

    public static void run(PrintStream out) {
        int w = 4000, h = 3000;
        ByteImage image = new ByteImage(w, h, 3);
        FloatImage alpha = new FloatImage(w, h, 1);
        FloatImage fg = new FloatImage(w, h, 3);
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < image.data.length; i++) image.data[i] = (byte) rnd.nextInt(256);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) alpha.data[y * w + x] = Math.min(1f, Math.max(0f, (float) (1.5 - Math.hypot(x - w / 2.0, y - h / 2.0) / 1000.0)));
        for (int i = 0; i < fg.data.length; i++) fg.data[i] = (float) rnd.nextDouble();
        ByteImage bgImage = new ByteImage(2400, 1600, 3);
        for (int i = 0; i < bgImage.data.length; i++) bgImage.data[i] = (byte) rnd.nextInt(256);
        Background solid = Background.solid(67, 142, 219);
        Background photo = Background.image(bgImage);

        out.printf(Locale.ROOT, "compositor (%d threads)%n", Parallel.threads());
        report(out, "composite 4000x3000 solid, F given", time(() -> Compositor.composite(image, alpha, fg, solid)));
        report(out, "composite 4000x3000 solid, F = image", time(() -> Compositor.composite(image, alpha, null, solid)));
        photo.render(w, h); // the scaled background is cached after the first use, as in the app
        report(out, "composite 4000x3000 photo background", time(() -> Compositor.composite(image, alpha, fg, photo)));
        report(out, "cut-out RGBA 4000x3000", time(() -> Compositor.cutout(image, alpha, fg)));
        report(out, "preview <=1920 (1334x1000) first call: downscale + composite", time(() -> new Compositor().compositePreview(image, alpha, fg, solid, 1920)));
        Compositor preview = new Compositor();
        preview.compositePreview(image, alpha, fg, solid, 1920);
        report(out, "preview <=1920 (1334x1000) cached inputs", time(() -> preview.compositePreview(image, alpha, fg, solid, 1920)));
        ByteImage screenImg = new ByteImage(1920, 1080, 3);
        FloatImage screenA = new FloatImage(1920, 1080, 1);
        FloatImage screenF = new FloatImage(1920, 1080, 3);
        Arrays.fill(screenA.data, 0.5f);
        report(out, "composite 1920x1080 solid, F given", time(() -> Compositor.composite(screenImg, screenA, screenF, solid)));
    }

    private static double[] time(Runnable r) {
        for (int i = 0; i < 3; i++) r.run();
        int n = 7;
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    private static void report(PrintStream out, String what, double[] sorted) {
        out.printf(Locale.ROOT, "  %-55s median %8.1f ms  (min %.1f, max %.1f)%n", what, sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1]);
    }

    public static void main(String[] args) {
        run(System.out);
    }
}
