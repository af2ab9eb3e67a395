package studio.matting.project;

import studio.matting.image.ByteImage;
import studio.matting.refine.Refinements;
import studio.matting.trimap.Trimap;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * A saved editing session: the image (by path and/or pixels), the trimap (null where the session has none yet), the
 * matting settings and the background.
 *
 * @param imagePath absolute path of the source image, or null for an image that only lives in the project
 * @param image     the RGB pixels (always present in memory)
 */
public record Project(Path imagePath, ByteImage image, Trimap trimap, String engineId, int kernelSize, int iterations,
                      BackgroundSpec background, Refinements refinements) {

    /** A project without edge refinements (older files, the CLI). */
    public Project(Path imagePath, ByteImage image, Trimap trimap, String engineId, int kernelSize, int iterations,
                   BackgroundSpec background) {
        this(imagePath, image, trimap, engineId, kernelSize, iterations, background, Refinements.NONE);
    }

    public Project withRefinements(Refinements r) {
        return new Project(imagePath, image, trimap, engineId, kernelSize, iterations, background, r);
    }

    public Project {
        Objects.requireNonNull(image, "image");
        if (refinements == null) refinements = Refinements.NONE;
        if (trimap != null && (trimap.width != image.width || trimap.height != image.height))
            throw new IllegalArgumentException("trimap " + trimap.width + "x" + trimap.height + " does not match image " + image.width + "x" + image.height);
    }

    /** What is behind the subject. type: "solid" (colour), "image" (imagePath), "checker" (transparency). */
    public record BackgroundSpec(String type, String color, String imagePath) {
        public static BackgroundSpec solid(int r, int g, int b) {
            return new BackgroundSpec("solid", hex(r, g, b), null);
        }

        public static BackgroundSpec checker() {
            return new BackgroundSpec("checker", null, null);
        }

        public static BackgroundSpec image(String path) {
            return new BackgroundSpec("image", null, path);
        }

        public int[] rgb() {
            return parseHex(color);
        }
    }

    public static String hex(int r, int g, int b) {
        return String.format(Locale.ROOT, "#%02X%02X%02X", r & 0xFF, g & 0xFF, b & 0xFF);
    }

    public static int[] parseHex(String s) {
        if (s == null || !s.matches("#[0-9A-Fa-f]{6}")) throw new IllegalArgumentException("not a colour '#RRGGBB': " + s);
        int v = Integer.parseInt(s.substring(1), 16);
        return new int[]{(v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF};
    }
}
