package studio.matting.cli;

import picocli.CommandLine.Option;
import studio.matting.compositor.Background;
import studio.matting.image.ByteImage;
import studio.matting.image.ImageFiles;
import studio.matting.pipeline.AutoPipeline;
import studio.matting.pipeline.Engines;
import studio.matting.segment.MaskFile;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapGenerator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Options shared by {@code matte} and {@code idphoto}: where the mask or trimap comes from, the trimap morphology,
 * the engine and the device — and the one way both commands build their {@link AutoPipeline} from them.
 */
final class InputLayers {
    @Option(names = "--engine", defaultValue = "closed-form", description = "Matting engine id (default: ${DEFAULT-VALUE}); see `matte --list-engines`.")
    String engineId;

    @Option(names = "--device", defaultValue = "auto", description = "Model device: auto, cpu or cuda (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--trimap", description = "Use given trimaps: a file (one input) or a folder with NAME.png / NAME-trimap.png.")
    Path trimapSource;

    @Option(names = "--mask", description = "Use given masks instead of the segmenter: a file or a folder with NAME.png / NAME-mask.png.")
    Path maskSource;

    @Option(names = "--kernel", description = "Trimap kernel size (default 7). With --kernel or --iterations the trimap is a plain "
            + "erode/dilate; without both it fits the image (band width grows with the square root of the long side).")
    Integer kernel;

    @Option(names = "--iterations", description = "Trimap erode/dilate iterations (default: scaled with the image, 6 at 800 px).")
    Integer iterations;

    /** Where warnings go (a trimap that looks like a gradient); the commands point it at their error stream. */
    PrintStream warn = System.err;
    private final Set<Path> warned = ConcurrentHashMap.newKeySet();

    /**
     * Checks the options before any image is touched; a bad one is an {@link IllegalArgumentException}, which the
     * command line turns into exit code 2. A missing --trimap / --mask must not quietly fall back to the segmenter.
     */
    void validate() {
        if (kernel != null && (kernel < 1 || kernel > 255)) throw new IllegalArgumentException("--kernel must be between 1 and 255 (got " + kernel + ")");
        if (iterations != null && (iterations < 0 || iterations > 100)) throw new IllegalArgumentException("--iterations must be between 0 and 100 (got " + iterations + ")");
        checkSource("--trimap", trimapSource);
        checkSource("--mask", maskSource);
    }

    private static void checkSource(String option, Path p) {
        if (p == null) return;
        if (p.toString().isBlank()) throw new IllegalArgumentException(option + " needs a file or folder, not an empty name");
        if (!Files.exists(p)) {
            String why = Files.exists(p, LinkOption.NOFOLLOW_LINKS) ? "a broken or looping symbolic link" : "no such file or folder";
            throw new IllegalArgumentException(option + " " + p + ": " + why);
        }
        if (!Files.isReadable(p)) throw new IllegalArgumentException(option + " " + p + ": permission denied");
    }

    /**
     * Checks that {@code dir} can be an output folder (it need not exist yet): not a file, and writable where it
     * exists or where it will be created. Called before any work, so a bad -o is exit 2 and not found after an hour.
     */
    static void checkOutputFolder(String option, Path dir) {
        if (dir == null || dir.toString().isBlank())
            throw new IllegalArgumentException(option + " needs a folder name (an empty one would write into the current folder)");
        Path abs = dir.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) throw new IllegalArgumentException(option + " " + dir + ": no such location");
        if (!Files.isDirectory(existing))
            throw new IllegalArgumentException(option + " " + dir + ": " + (existing.equals(abs) ? "is a file, not a folder" : existing + " is a file, not a folder"));
        if (!Files.isWritable(existing))
            throw new IllegalArgumentException(option + " " + dir + ": " + (existing.equals(abs) ? "" : existing + ": ") + "permission denied (not writable)");
    }

    /**
     * With --kernel or --iterations a plain erode/dilate (the missing one: 7, or iterations scaled with the image);
     * without both the pipeline keeps its automatic trimap.
     */
    void applyMorphology(AutoPipeline p, ByteImage rgb) {
        if (kernel == null && iterations == null) return;
        int k = kernel != null ? kernel : TrimapGenerator.DEFAULT_KERNEL;
        p.setMorphology(k, iterations != null ? iterations : TrimapGenerator.autoIterations(rgb.width, rgb.height, k));
    }

    /** A pipeline for one image, its mask/trimap source chosen: given trimap, given mask, else the segmentation model. */
    AutoPipeline pipeline(ByteImage rgb, Path imageFile, Path relDir, Background background) throws IOException {
        AutoPipeline p = new AutoPipeline(rgb, null, Engines.matting(engineId), Engines.foregroundStage(), background);
        applyMorphology(p, rgb);
        String stem = MatteCommand.stem(imageFile.getFileName().toString());
        Path trimapFile = companion(trimapSource, relDir, stem, "-trimap");
        Path maskFile = companion(maskSource, relDir, stem, "-mask");
        if (trimapFile != null) {
            ByteImage gray = ImageFiles.readGray(trimapFile);
            if (gray.width != rgb.width || gray.height != rgb.height)
                throw new IOException("trimap " + trimapFile.getFileName() + " is " + gray.width + "x" + gray.height + ", image is " + rgb.width + "x" + rgb.height);
            warnIfNotTrimap(trimapFile, gray);
            p.setTrimap(Trimap.fromGray(gray));
        } else if (maskFile != null) {
            p.setMask(MaskFile.load(maskFile, rgb.width, rgb.height).mask());
        } else if (trimapSource != null || maskSource != null) {
            // Asked for given trimaps/masks: one missing for this image is its failure, not a quiet switch to the model.
            Path folder = trimapSource != null ? trimapSource : maskSource;
            String suffix = trimapSource != null ? "-trimap" : "-mask";
            throw new IOException("no " + (trimapSource != null ? "trimap" : "mask") + " for this image in " + folder
                    + " (looked for " + stem + ".png and " + stem + suffix + ".png" + (maskSource != null && trimapSource != null
                    ? ", and in " + maskSource : "") + ")");
        } else {
            p.setSegmenter(Engines.defaultSegmenter().orElseThrow(() -> new IOException(noSegmenterMessage())));
        }
        return p;
    }

    /** Why no segmenter is there, naming any model card that was refused (invalid JSON, hash mismatch …). */
    static String noSegmenterMessage() {
        List<String> problems = Engines.modelProblems();
        String base = "no segmentation model found (models/): pass --trimap or --mask";
        return problems.isEmpty() ? base : base + "; refused model card(s): " + String.join("; ", problems);
    }

    /**
     * A trimap has three levels; a gray ramp or soft mask given instead is snapped to them (below 64 background,
     * above 191 foreground), which is rarely what was meant, so say so, once per file.
     */
    private void warnIfNotTrimap(Path file, ByteImage gray) {
        long between = 0, total = (long) gray.width * gray.height;
        for (int y = 0; y < gray.height; y++) {
            int o = y * gray.stride;
            for (int x = 0; x < gray.width; x++) {
                int v = gray.data[o + x] & 0xFF;
                if (v > 12 && v < 243 && Math.abs(v - 128) > 12) between++;
            }
        }
        if (between > total / 20 && warned.add(file.toAbsolutePath().normalize())) {
            warn.printf(Locale.ROOT, "warning: trimap %s has %.0f%% of its pixels between the levels 0 / 128 / 255: it looks like a"
                    + " gradient or soft mask, not a trimap; values were snapped (below 64 background, above 191 foreground,"
                    + " else unknown). Give it as --mask to use it as a mask.%n", file.getFileName(), 100.0 * between / total);
            warn.flush();
        }
    }

    /** The trimap/mask for an image: the file itself, or NAME.png / NAME-suffix.png in the folder (same sub-folder). */
    private static Path companion(Path source, Path relDir, String stem, String suffix) {
        if (source == null) return null;
        if (Files.isRegularFile(source)) return source;
        for (Path dir : List.of(source.resolve(relDir), source)) {
            for (String n : List.of(stem + ".png", stem + suffix + ".png")) {
                Path p = dir.resolve(n);
                if (Files.isRegularFile(p)) return p;
            }
        }
        return null;
    }
}
