package studio.matting.cli;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageOps;
import studio.matting.pipeline.Engines;
import studio.matting.matting.MattingException;
import studio.matting.metrics.SegmentationMetrics;
import studio.matting.segment.Segmenter;
import studio.matting.task.TaskContext;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code eval --portraits DIR}: person IoU of a segmentation model through the editor's own engine (ONNX Runtime,
 * the card's pre- and post-processing), on a folder laid out like Shen et al.'s portraits: {@code images/ID.jpg},
 * {@code masks/ID.png} and a split file listing the IDs. The Python {@code training/evaluate.py seg} reports the same
 * metric from PyTorch; this one checks the shipped model where it runs.
 */
final class SegmentationEval {
    record Row(String id, SegmentationMetrics.Scores scores, double seconds) { }

    private SegmentationEval() { }

    static int run(Path dir, String split, String model, int limit, Path csv, boolean overwrite, PrintStream out, PrintStream err) {
        Path list = dir.resolve(split);
        if (!Files.isRegularFile(list)) {
            err.println("eval: " + list + " not found (--portraits expects images/, masks/ and the --split file)");
            return 2;
        }
        if (EvalCommand.csvWouldOverwrite(csv, overwrite, err)) return 2;
        Segmenter seg = Engines.segmenter(model).orElse(null);
        if (seg == null) {
            err.println("eval: no segmentation model" + (model == null ? "" : " named " + model) + " in the models folder");
            return 2;
        }
        List<String> ids;
        try {
            ids = Files.readAllLines(list, StandardCharsets.UTF_8).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            err.println("eval: cannot read " + list + ": " + e.getMessage());
            return 2;
        }
        if (limit > 0 && ids.size() > limit) ids = ids.subList(0, limit);
        out.printf(Locale.ROOT, "%-12s %9s %9s %8s%n", "image", "IoU", "IoU(2cl)", "time[s]");
        List<Row> rows = new ArrayList<>();
        int failed = 0;
        for (String id : ids) {
            // A bad image or mask is reported and left out; the others are still scored.
            try {
                ByteImage img = ImageFiles.readRgb(find(dir.resolve("images"), id));
                FloatImage truth = matchSize(ImageFiles.readAlpha(find(dir.resolve("masks"), id)), img, id);
                long t0 = System.nanoTime();
                FloatImage prob = seg.segment(img, TaskContext.NONE);
                double sec = (System.nanoTime() - t0) / 1e9;
                Row r = new Row(id, SegmentationMetrics.iou(prob, truth), sec);
                rows.add(r);
                out.printf(Locale.ROOT, "%-12s %9.4f %9.4f %8.3f%n", id, r.scores().personIoU(), r.scores().twoClassIoU(), sec);
            } catch (MattingException | IllegalArgumentException | IOException | OutOfMemoryError e) {
                failed++;
                err.println("eval: " + id + ": " + MatteCommand.message(e) + " (left out)");
            }
        }
        if (failed > 0) err.printf(Locale.ROOT, "eval: %d of %d image(s) failed and are left out of the mean%n", failed, ids.size());
        double[] secs = rows.stream().mapToDouble(Row::seconds).sorted().toArray();
        out.printf(Locale.ROOT, "%-12s %9.4f %9.4f %8.3f  (%s, %d images, median time)%n", "mean", rows.stream().mapToDouble(r -> r.scores().personIoU()).average().orElse(0),
                rows.stream().mapToDouble(r -> r.scores().twoClassIoU()).average().orElse(0), secs.length == 0 ? 0 : secs[secs.length / 2], seg.displayName(), rows.size());
        boolean written = EvalCommand.writeCsv(csv, overwrite, "image,model,person_iou,two_class_iou,seconds", pw -> {
            for (Row r : rows)
                pw.printf(Locale.ROOT, "%s,%s,%.6f,%.6f,%.4f%n", r.id(), seg.id(), r.scores().personIoU(), r.scores().twoClassIoU(), r.seconds());
        }, err);
        return written && failed == 0 ? 0 : 1;
    }

    /**
     * The ground-truth mask at the image's size: a mask of another size but the same aspect ratio (within 2 %, as
     * {@code MaskFile} allows) is resampled, one of another shape is refused for this image.
     */
    static FloatImage matchSize(FloatImage truth, ByteImage img, String id) throws IOException {
        if (truth.width == img.width && truth.height == img.height) return truth;
        double tr = (double) truth.width / truth.height, ir = (double) img.width / img.height;
        if (Math.abs(tr - ir) > 0.02 * ir)
            throw new IOException("mask of " + id + " is " + truth.width + "x" + truth.height + ", image is " + img.width + "x" + img.height
                    + " (another shape, cannot be resampled)");
        return ImageOps.resize(truth, img.width, img.height);
    }

    /** ID with any image extension (the portraits use .jpg images and .png masks). */
    private static Path find(Path folder, String id) throws IOException {
        Path p = EvalCommand.sibling(folder, id);
        if (p == null) throw new IOException("no image " + id + ".* in " + folder);
        return p;
    }
}
