package studio.matting.bench;

import studio.matting.compositor.Compositor;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageOps;
import studio.matting.image.Parallel;
import studio.matting.image.PngEncoder;
import studio.matting.io.ImageFolders;
import studio.matting.sample.SyntheticPortrait;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The {@code png} bench suite: encoding a 1200×1600 RGBA cut-out and its 8-bit alpha with ImageIO (what the app used
 * before) and with {@link PngEncoder} at several Deflate levels and filters — median time and size of each, so the
 * default is a measured choice.
 */
public final class PngBenchSuite implements Suite {
    @Override public String name() { return "png"; }

    @Override public String description() { return "PNG encoding of a 1200x1600 RGBA cut-out and alpha: ImageIO vs PngEncoder levels/filters (ms, KiB)"; }

    @Override
    public int run(BenchOptions o, PrintStream out) throws Exception {
        ByteImage[] imgs = inputs();
        out.printf(Locale.ROOT, "%d threads; cut-out %dx%d RGBA, alpha %dx%d gray%n", Parallel.threads(), imgs[0].width, imgs[0].height, imgs[1].width, imgs[1].height);
        out.printf(Locale.ROOT, "%-28s %12s %12s %12s %12s%n", "encoder", "rgba[ms]", "rgba[KiB]", "alpha[ms]", "alpha[KiB]");
        row(out, "imageio (before)", imgs, img -> {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            ImageFiles.encodePng(ImageFiles.toBufferedImage(img), 300, bos);
            return bos.toByteArray();
        });
        for (PngEncoder e : List.of(new PngEncoder(1, PngEncoder.Filter.UP), new PngEncoder(2, PngEncoder.Filter.UP),
                new PngEncoder(3, PngEncoder.Filter.UP), new PngEncoder(6, PngEncoder.Filter.UP), new PngEncoder(2, PngEncoder.Filter.SUB),
                new PngEncoder(2, PngEncoder.Filter.PAETH), new PngEncoder(2, PngEncoder.Filter.NONE))) {
            String name = e.toString().replace("png ", "") + (e.toString().equals(PngEncoder.DEFAULT.toString()) ? " *" : "");
            row(out, name, imgs, img -> e.encode(img, 300));
        }
        out.println("* = PngEncoder.DEFAULT, what ImageFiles.writePng uses");
        return 0;
    }

    @FunctionalInterface
    private interface Enc {
        byte[] encode(ByteImage img) throws Exception;
    }

    private static void row(PrintStream out, String name, ByteImage[] imgs, Enc enc) throws Exception {
        double[] r = time(imgs[0], enc), a = time(imgs[1], enc);
        out.printf(Locale.ROOT, "%-28s %12.1f %12.0f %12.1f %12.0f%n", name.replace(' ', '_'), r[0], r[1] / 1024, a[0], a[1] / 1024);
    }

    /** {median ms, bytes} after two warm-up runs. */
    private static double[] time(ByteImage img, Enc enc) throws Exception {
        int len = 0;
        for (int i = 0; i < 2; i++) len = enc.encode(img).length;
        double[] ms = new double[5];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            len = enc.encode(img).length;
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return new double[]{ms[ms.length / 2], len};
    }

    /** A photo-like 1200×1600 cut-out (a portraits test image upscaled, else the synthetic portrait) and its alpha. */
    private static ByteImage[] inputs() throws Exception {
        Path portraits = BenchOptions.shared().resolve("data").resolve("portraits");
        Path pseudo = BenchOptions.shared().resolve("data").resolve("pseudo-alpha").resolve("portraits");
        ByteImage rgb = null;
        FloatImage alpha = null;
        if (Files.isRegularFile(portraits.resolve("test.txt")) && Files.isDirectory(pseudo)) {
            for (String id : Files.readAllLines(portraits.resolve("test.txt"))) {
                Path img = ImageFolders.sibling(portraits.resolve("images"), id.trim());
                Path a = ImageFolders.sibling(pseudo, id.trim());
                if (img != null && a != null) {
                    rgb = ImageOps.toRgb(ImageFiles.read(img));
                    alpha = ImageFiles.readAlpha(a);
                    break;
                }
            }
        }
        if (rgb == null) {
            SyntheticPortrait p = SyntheticPortrait.render(600, 800, 3);
            rgb = ImageOps.toByte(p.image);
            alpha = p.alpha;
        }
        ByteImage big = ImageOps.resize(rgb, 1200, 1600);
        FloatImage bigA = ImageOps.resize(alpha, 1200, 1600);
        return new ByteImage[]{Compositor.cutout(big, bigA, null), ImageOps.toByte(bigA)};
    }
}
