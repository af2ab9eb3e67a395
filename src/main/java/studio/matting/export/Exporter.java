package studio.matting.export;

import studio.matting.compositor.Background;
import studio.matting.compositor.Compositor;
import studio.matting.i18n.Messages;
import studio.matting.image.AtomicFiles;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageOps;
import studio.matting.trimap.Trimap;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes the results of a matting session. Every file is written atomically (temp file + rename), and nothing is
 * written at all when one of the targets exists and overwriting was not allowed: the caller asks the user first
 * (see {@link #existingTargets}).
 */
public final class Exporter {
    /** Lowest JPEG quality the size search will go down to (1 on the usual 1–100 scale). */
    public static final int MIN_QUALITY = 1;

    private Exporter() { }

    /** What to export from: the image, its matte, optionally the estimated foreground, trimap and background. */
    public record Inputs(ByteImage image, FloatImage alpha, FloatImage foreground, Trimap trimap, Background background) {
        public Inputs {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(alpha, "alpha");
        }

        /** The same inputs with the colours decontaminated by {@code amount} % (0 = photo colours, 100 = F as given). */
        public Inputs decontaminated(double amount) {
            if (foreground == null) return this;
            return new Inputs(image, alpha, studio.matting.refine.Decontamination.blend(image, foreground, amount), trimap, background);
        }
    }

    /** @param jpegQuality quality used for the composite JPEG (0..1), NaN when no JPEG was written */
    public record Result(List<Path> written, float jpegQuality, long compositeBytes) { }

    /** The targets these options would write that already exist. */
    public static List<Path> existingTargets(ExportOptions o) {
        List<Path> out = new ArrayList<>();
        for (Path p : targets(o)) if (Files.exists(p)) out.add(p);
        return out;
    }

    public static List<Path> targets(ExportOptions o) {
        List<Path> t = new ArrayList<>();
        if (o.alpha()) t.add(o.alphaPath());
        if (o.cutout()) t.add(o.cutoutPath());
        if (o.composite()) t.add(o.compositePath());
        if (o.trimap()) t.add(o.trimapPath());
        return t;
    }

    public static Result export(Inputs in, ExportOptions o) throws IOException {
        List<Path> targets = targets(o);
        if (targets.isEmpty()) throw new ExportException(Messages.format("export.nothing"));
        if (!o.overwrite()) {
            List<Path> existing = existingTargets(o);
            if (!existing.isEmpty())
                throw new FileAlreadyExistsException(existing.get(0).toString(), null,
                        existing.size() + " file(s) already exist; allow overwriting to replace them");
        }
        if (o.trimap() && in.trimap() == null) throw new ExportException(Messages.format("export.noTrimap"));
        if (o.composite() && in.background() == null) throw new ExportException(Messages.format("export.noBackground"));

        // Encode the composite before writing anything, so a size limit that cannot be met leaves no files behind.
        byte[] jpeg = null;
        float quality = Float.NaN;
        ByteImage composite = null;
        if (o.composite()) {
            composite = Compositor.composite(in.image(), in.alpha(), in.foreground(), in.background());
            if (o.compositeFormat() == ExportOptions.CompositeFormat.JPEG) {
                if (o.maxJpegKb() > 0) {
                    JpegFit fit = fitJpeg(composite, o.maxJpegKb(), o.dpi());
                    jpeg = fit.bytes();
                    quality = fit.quality();
                } else {
                    quality = o.jpegQuality();
                    jpeg = ImageFiles.encodeJpeg(composite, quality, o.dpi());
                }
            }
        }

        List<Path> written = new ArrayList<>();
        long compositeBytes = 0;
        if (o.alpha()) {
            if (o.alpha16()) ImageFiles.writePng16(in.alpha(), o.alphaPath(), o.dpi(), o.overwrite());
            else ImageFiles.writePng(ImageOps.toByte(in.alpha()), o.alphaPath(), o.dpi(), o.overwrite());
            written.add(o.alphaPath());
        }
        if (o.cutout()) {
            ImageFiles.writePng(Compositor.cutout(in.image(), in.alpha(), in.foreground()), o.cutoutPath(), o.dpi(), o.overwrite());
            written.add(o.cutoutPath());
        }
        if (o.composite()) {
            if (jpeg != null) AtomicFiles.write(o.compositePath(), o.overwrite(), jpeg);
            else ImageFiles.writePng(composite, o.compositePath(), o.dpi(), o.overwrite());
            compositeBytes = Files.size(o.compositePath());
            written.add(o.compositePath());
        }
        if (o.trimap()) {
            ImageFiles.writePng(in.trimap().asGray(), o.trimapPath(), o.dpi(), o.overwrite());
            written.add(o.trimapPath());
        }
        return new Result(List.copyOf(written), quality, compositeBytes);
    }

    /** A JPEG that fits a size limit, and the quality (0..1) it was encoded at. */
    public record JpegFit(byte[] bytes, float quality) { }

    /**
     * Binary search for the highest quality (on the 1–100 scale) whose JPEG is at most {@code maxKb} KB (1 KB = 1024
     * bytes). JPEG size grows with quality almost monotonically, so about 7 encodes suffice.
     */
    public static JpegFit fitJpeg(ByteImage rgb, int maxKb, double dpi) throws IOException {
        if (maxKb <= 0) throw new IllegalArgumentException("maxKb must be positive");
        long limit = maxKb * 1024L;
        byte[] low = ImageFiles.encodeJpeg(rgb, MIN_QUALITY / 100f, dpi);
        if (low.length > limit)
            throw new ExportException(String.format(Locale.ROOT,
                    "Cannot fit the JPEG into %d KB: even the lowest quality (%d) gives %.1f KB. Allow a larger size or export a smaller image.",
                    maxKb, MIN_QUALITY, low.length / 1024.0));
        int lo = MIN_QUALITY, hi = 100;
        byte[] best = low;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            byte[] b = ImageFiles.encodeJpeg(rgb, mid / 100f, dpi);
            if (b.length <= limit) {
                lo = mid;
                best = b;
            } else {
                hi = mid - 1;
            }
        }
        return new JpegFit(best, lo / 100f);
    }
}
