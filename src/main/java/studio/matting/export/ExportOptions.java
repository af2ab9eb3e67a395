package studio.matting.export;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What to export and how. Files are named {@code <baseName>-alpha.png}, {@code -cutout.png}, {@code -composite.png|jpg}
 * and {@code -trimap.png} inside {@code directory}.
 *
 * @param maxJpegKb when &gt; 0 and the composite is a JPEG, the largest quality whose file fits is searched for
 */
public record ExportOptions(Path directory, String baseName,
                            boolean alpha, boolean alpha16,
                            boolean cutout,
                            boolean composite, CompositeFormat compositeFormat, float jpegQuality, int maxJpegKb,
                            boolean trimap,
                            double dpi, boolean overwrite) {

    public enum CompositeFormat { PNG, JPEG }

    public ExportOptions {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(compositeFormat, "compositeFormat");
        if (baseName == null || baseName.isBlank()) throw new IllegalArgumentException("file name must not be empty");
        if (baseName.contains("/") || baseName.contains("\\")) throw new IllegalArgumentException("file name must not contain a path separator: " + baseName);
        if (!(jpegQuality > 0f && jpegQuality <= 1f)) throw new IllegalArgumentException("JPEG quality must be in (0, 1]: " + jpegQuality);
        if (maxJpegKb < 0) throw new IllegalArgumentException("maximum JPEG size must not be negative");
        if (!(dpi >= 0) && !Double.isNaN(dpi)) throw new IllegalArgumentException("DPI must not be negative");
    }

    /** Sensible defaults: 8-bit alpha, cut-out and PNG composite at 300 DPI, never overwriting. */
    public static ExportOptions defaults(Path directory, String baseName) {
        return new ExportOptions(directory, baseName, true, false, true, true, CompositeFormat.PNG, 0.92f, 0, false, 300, false);
    }

    public ExportOptions withOverwrite(boolean value) {
        return new ExportOptions(directory, baseName, alpha, alpha16, cutout, composite, compositeFormat, jpegQuality, maxJpegKb, trimap, dpi, value);
    }

    public ExportOptions withComposite(CompositeFormat format, float quality, int maxKb) {
        return new ExportOptions(directory, baseName, alpha, alpha16, cutout, true, format, quality, maxKb, trimap, dpi, overwrite);
    }

    public ExportOptions withOutputs(boolean alpha, boolean alpha16, boolean cutout, boolean composite, boolean trimap) {
        return new ExportOptions(directory, baseName, alpha, alpha16, cutout, composite, compositeFormat, jpegQuality, maxJpegKb, trimap, dpi, overwrite);
    }

    public ExportOptions withDpi(double value) {
        return new ExportOptions(directory, baseName, alpha, alpha16, cutout, composite, compositeFormat, jpegQuality, maxJpegKb, trimap, value, overwrite);
    }

    public Path alphaPath() { return directory.resolve(baseName + "-alpha.png"); }

    public Path cutoutPath() { return directory.resolve(baseName + "-cutout.png"); }

    public Path compositePath() {
        return directory.resolve(baseName + "-composite." + (compositeFormat == CompositeFormat.JPEG ? "jpg" : "png"));
    }

    public Path trimapPath() { return directory.resolve(baseName + "-trimap.png"); }
}
