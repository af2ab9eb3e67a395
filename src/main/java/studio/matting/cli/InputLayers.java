package studio.matting.cli;

import picocli.CommandLine.Option;
import studio.matting.compositor.Background;
import studio.matting.image.ByteImage;
import studio.matting.pipeline.AutoPipeline;
import studio.matting.pipeline.Engines;
import studio.matting.segment.MaskFile;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

    @Option(names = "--kernel", defaultValue = "7", description = "Trimap kernel size (default: ${DEFAULT-VALUE}).")
    int kernel;

    @Option(names = "--iterations", defaultValue = "6", description = "Trimap erode/dilate iterations (default: ${DEFAULT-VALUE}).")
    int iterations;

    /** A pipeline for one image, its mask/trimap source chosen: given trimap, given mask, else the segmentation model. */
    AutoPipeline pipeline(ByteImage rgb, Path imageFile, Path relDir, Background background) throws IOException {
        AutoPipeline p = new AutoPipeline(rgb, null, Engines.matting(engineId), Engines.foregroundStage(), background);
        p.setMorphology(kernel, iterations);
        String stem = MatteCommand.stem(imageFile.getFileName().toString());
        Path trimapFile = companion(trimapSource, relDir, stem, "-trimap");
        Path maskFile = companion(maskSource, relDir, stem, "-mask");
        if (trimapFile != null) {
            Trimap t = TrimapFiles.read(trimapFile);
            if (t.width != rgb.width || t.height != rgb.height)
                throw new IOException("trimap " + trimapFile.getFileName() + " is " + t.width + "x" + t.height + ", image is " + rgb.width + "x" + rgb.height);
            p.setTrimap(t);
        } else if (maskFile != null) {
            p.setMask(MaskFile.load(maskFile, rgb.width, rgb.height).mask());
        } else {
            p.setSegmenter(Engines.defaultSegmenter().orElseThrow(() -> new IOException(
                    "no segmentation model found (models/): pass --trimap or --mask")));
        }
        return p;
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
