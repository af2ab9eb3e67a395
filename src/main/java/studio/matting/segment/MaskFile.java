package studio.matting.segment;

import studio.matting.i18n.Messages;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageLoadException;
import studio.matting.image.ImageOps;
import studio.matting.matting.MattingException;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A mask (or trimap) stored as an image file, e.g. the output of another segmentation tool. A mask of a different
 * size is resampled to the image; a file holding only the three trimap levels is recognised as a trimap.
 */
public final class MaskFile implements Segmenter {
    /** What a file held: the soft mask always; the trimap only when the file was a trimap. */
    public record Loaded(FloatImage mask, Trimap trimap) {
        public boolean isTrimap() { return trimap != null; }
    }

    private final Path path;

    public MaskFile(Path path) { this.path = path; }

    public Path path() { return path; }

    @Override public String id() { return "mask-file"; }

    @Override public String displayName() { return "Mask file (" + path.getFileName() + ")"; }

    @Override
    public FloatImage segment(ByteImage rgb, TaskContext ctx) throws MattingException {
        try {
            return load(path, rgb.width, rgb.height).mask();
        } catch (ImageLoadException e) {
            throw new MattingException(e.getMessage(), e);
        }
    }

    /** The conventional sibling mask of an image: {@code photo.png} → {@code photo-mask.png}, if it exists. */
    public static Path siblingMask(Path image) {
        String name = image.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        Path p = image.resolveSibling(stem + "-mask.png");
        return Files.isRegularFile(p) ? p : null;
    }

    public static Loaded load(Path path, int width, int height) throws ImageLoadException {
        ByteImage gray = ImageFiles.readGray(path);
        if (gray.width != width || gray.height != height) {
            double ar = (double) gray.width / gray.height, ir = (double) width / height;
            if (Math.abs(ar - ir) > 0.02 * ir)
                throw new ImageLoadException(Messages.format("mask.sizeMismatch", path.getFileName(), gray.width, gray.height, width, height));
            gray = ImageOps.resize(gray, width, height);
        }
        boolean trimapLevels = true;
        boolean hasUnknown = false;
        for (int y = 0; y < gray.height && trimapLevels; y++) {
            int o = y * gray.stride;
            for (int x = 0; x < gray.width; x++) {
                int v = gray.data[o + x] & 0xFF;
                if (v == 128 || v == 127) hasUnknown = true;
                else if (v != 0 && v != 255) { trimapLevels = false; break; }
            }
        }
        FloatImage mask = ImageOps.toFloat(gray);
        Trimap trimap = trimapLevels && hasUnknown ? Trimap.fromGray(gray.compact()) : null;
        return new Loaded(mask, trimap);
    }
}
