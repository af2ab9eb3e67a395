package studio.matting.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The image file names the tools accept and how an output name is derived from an input's: one list, one rule. */
public final class FileNames {
    /** Extensions (lower case, no dot) of the formats {@link ImageFiles} decodes. */
    public static final List<String> IMAGE_EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif", "webp", "tif", "tiff");

    private FileNames() { }

    /** The name without its last extension ("photo.v2.jpg" → "photo.v2"); a leading dot is part of the name. */
    public static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    public static String stem(Path file) {
        return stem(file.getFileName().toString());
    }

    /** The last extension in lower case without the dot, or "" when there is none. */
    public static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }

    public static boolean isImage(String fileName) {
        return IMAGE_EXTENSIONS.contains(extension(fileName));
    }

    /** Glob patterns for file dialogs ("*.png", …). */
    public static List<String> imagePatterns() {
        return IMAGE_EXTENSIONS.stream().map(e -> "*." + e).toList();
    }
}
