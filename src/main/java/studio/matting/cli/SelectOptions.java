package studio.matting.cli;

import picocli.CommandLine.Option;
import studio.matting.compositor.Background;
import studio.matting.image.ByteImage;
import studio.matting.image.ExifOrientation;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageLoadException;
import studio.matting.image.Rect;
import studio.matting.pipeline.AutoPipeline;
import studio.matting.pipeline.Engines;
import studio.matting.select.BoxSelection;
import studio.matting.select.Scribbles;
import studio.matting.select.SubjectSelector;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * {@code matte --box X,Y,W,H [--scribbles FILE]}: the subject is selected from a box (GrabCut, seeded by the
 * segmentation model when one is installed) instead of being found by the model alone. Everything is checked
 * before any image is matted: the box's syntax and size, the scribble file, and — from each image's header — that
 * the box overlaps the image.
 */
public final class SelectOptions {
    @Option(names = "--box", paramLabel = "X,Y,W,H",
            description = "Select the subject inside this box (pixels of the input image) instead of using the segmenter alone;"
                    + " the same box is used for every input.")
    String box;

    @Option(names = "--scribbles", paramLabel = "FILE",
            description = "With --box: a PNG the size of the image whose white marks mean subject and black marks background (grey or transparent: no mark).")
    Path scribbles;

    @Option(names = "--box-model", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "With --box: seed the selection from the segmentation model when one is installed (default: ${DEFAULT-VALUE}).")
    boolean boxModel;

    private Rect rect;
    private ByteImage marks;

    public boolean active() { return box != null; }

    /**
     * Checks everything that can be checked before any work; throws {@link IllegalArgumentException} (exit code 2)
     * with a message naming the problem. Prints a note when one box is applied to several images.
     */
    void check(InputLayers layers, List<Path> images, PrintStream err) {
        if (box == null) {
            if (scribbles != null) throw new IllegalArgumentException("--scribbles needs --box");
            return;
        }
        rect = parseBox(box);
        if (layers.trimapSource != null || layers.maskSource != null)
            throw new IllegalArgumentException("--box selects the subject itself: it cannot be combined with --trimap or --mask");
        if (scribbles != null) {
            try {
                marks = ImageFiles.read(scribbles);
            } catch (ImageLoadException e) {
                throw new IllegalArgumentException("--scribbles: " + e.getMessage(), e);
            }
        }
        for (Path image : images) {
            int[] size = headerSize(image);
            if (size == null) continue; // unreadable: the image itself fails later, with the loader's message
            checkInside(rect, size[0], size[1], image);
            if (marks != null) Scribbles.fromImage(marks, size[0], size[1]); // size check before any work
        }
        if (images.size() > 1)
            err.println("note: --box " + box + (scribbles == null ? "" : " and --scribbles") + " apply to each of the " + images.size() + " images");
    }

    /** The pipeline for one image: its mask from the box selection. */
    AutoPipeline pipeline(InputLayers layers, ByteImage rgb, Path file, Background background) {
        checkInside(rect, rgb.width, rgb.height, file); // the decoded size (the header check may have been skipped)
        AutoPipeline p = new AutoPipeline(rgb, null, Engines.matting(layers.engineId), Engines.foregroundStage(), background);
        layers.applyMorphology(p, rgb);
        ByteImage m = marks;
        p.setSegmenter(new BoxSelection(rect, m == null ? null : (w, h) -> Scribbles.fromImage(m, w, h),
                boxModel ? Engines.defaultSegmenter().orElse(null) : null, SubjectSelector.Options.defaults()));
        return p;
    }

    /** X,Y,W,H as four integers; width and height positive. */
    static Rect parseBox(String s) {
        String[] parts = s.split(",", -1);
        if (parts.length != 4)
            throw new IllegalArgumentException("--box needs X,Y,W,H (four integers, image pixels), got '" + s + "'");
        int[] v = new int[4];
        for (int i = 0; i < 4; i++) {
            try {
                v[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--box needs X,Y,W,H (four integers, image pixels), got '" + s + "'");
            }
        }
        if (v[2] <= 0 || v[3] <= 0)
            throw new IllegalArgumentException("--box width and height must be positive, got " + v[2] + "x" + v[3]);
        if ((long) v[0] + v[2] > Integer.MAX_VALUE || (long) v[1] + v[3] > Integer.MAX_VALUE)
            throw new IllegalArgumentException("--box " + s + " is too large");
        return new Rect(v[0], v[1], v[2], v[3]);
    }

    /** A box must overlap the image; a box reaching past an edge (a subject cut by the frame) is clipped. */
    static void checkInside(Rect r, int width, int height, Path image) {
        if (r.intersect(Rect.of(width, height)).isEmpty())
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--box %d,%d,%d,%d lies outside %s (%dx%d)",
                    r.x(), r.y(), r.width(), r.height(), image.getFileName(), width, height));
    }

    /** Width and height as the image will be decoded (EXIF rotation included), from the header only; null if unreadable. */
    static int[] headerSize(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) return null;
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) return null;
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0), h = reader.getHeight(0);
                if (reader.getFormatName().toLowerCase(Locale.ROOT).contains("jp")) {
                    byte[] head;
                    try (InputStream s = Files.newInputStream(file)) {
                        head = s.readNBytes(70_000); // the EXIF segment is at most 64 KB and comes first
                    }
                    if (ExifOrientation.read(head) >= 5) return new int[] {h, w}; // rotated by 90°
                }
                return new int[] {w, h};
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
