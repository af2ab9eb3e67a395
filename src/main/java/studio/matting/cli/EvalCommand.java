package studio.matting.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import studio.matting.image.FileNames;
import studio.matting.image.AtomicFiles;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.io.ImageFolders;
import studio.matting.image.ImageLoadException;
import studio.matting.matting.MattingEngine;
import studio.matting.pipeline.Engines;
import studio.matting.matting.MattingException;
import studio.matting.metrics.MattingMetrics;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapFiles;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code eval}: matte a set of images with an engine and score the results against ground truth (SAD/MSE/Grad/Conn). */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Score a matting engine against ground-truth alpha (metrics over the trimap's unknown pixels, DIM conventions).",
                "Either --alphamatting DIR (input/, trimap1/, trimap2/, gt/) or --images/--trimaps/--gt (files matched by name).",
                "With --portraits DIR (images/, masks/, test.txt): a segmentation model's person IoU instead."})
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--alphamatting", paramLabel = "DIR", description = "alphamatting.com-layout folder")
    Path alphamatting;
    @Option(names = "--trimap-set", defaultValue = "both", description = "trimap1, trimap2 or both (with --alphamatting; default ${DEFAULT-VALUE})")
    String trimapSet;
    @Option(names = "--images", paramLabel = "DIR") Path images;
    @Option(names = "--trimaps", paramLabel = "DIR") Path trimaps;
    @Option(names = "--gt", paramLabel = "DIR") Path gt;
    @Option(names = "--engine", defaultValue = "closed-form", description = "engine id (default ${DEFAULT-VALUE})")
    String engineId;
    @Option(names = "--only", split = ",", paramLabel = "NAME", description = "evaluate only these image names (without extension)")
    List<String> only;
    @Option(names = "--csv", paramLabel = "FILE", description = "also write per-image rows as CSV")
    Path csv;
    @Option(names = "--overwrite", description = "replace an existing --csv file")
    boolean overwrite;
    @Option(names = "--portraits", paramLabel = "DIR",
            description = "score a segmentation model instead: person IoU on DIR/images, DIR/masks and the --split list")
    Path portraits;
    @Option(names = "--split", defaultValue = "test.txt", description = "with --portraits: the file of image IDs (default ${DEFAULT-VALUE})")
    String split;
    @Option(names = "--segmenter", paramLabel = "NAME", description = "with --portraits: the segmentation model's card name (default: the first found)")
    String segmenter;
    @Option(names = "--limit", defaultValue = "0", description = "with --portraits: only the first N images (0: all)")
    int limit;

    /** One input triple and the set it belongs to. */
    public record Case(String name, String set, Path image, Path trimap, Path gt) { }

    /** One scored image. */
    public record Row(Case c, MattingMetrics.Scores scores, double seconds) { }

    @Override
    public Integer call() {
        PrintStream out = System.out, err = System.err;
        if (portraits != null) {
            if (alphamatting != null || images != null) {
                err.println("eval: use either --portraits or --alphamatting/--images, not both");
                return 2;
            }
            return SegmentationEval.run(portraits, split, segmenter, limit, csv, overwrite, out, err);
        }
        List<Case> cases;
        MattingEngine engine;
        try {
            engine = Engines.matting(engineId); // registers the models found in the model folders too
            cases = cases();
        } catch (IllegalArgumentException | IOException e) {
            err.println("eval: " + e.getMessage());
            return 2;
        }
        if (cases.isEmpty()) {
            err.println("eval: no images found (check the folders and --only)");
            return 2;
        }
        if (csvWouldOverwrite(csv, overwrite, err)) return 2;
        out.printf(Locale.ROOT, "%-10s %-8s %9s %9s %9s %9s %8s%n", "image", "trimap", "SAD", "MSE", "Grad", "Conn", "time[s]");
        List<Row> rows = new ArrayList<>();
        int failed = 0;
        for (Case c : cases) {
            // A bad image is reported and left out of the means; the others are still scored.
            try {
                Row r = evaluate(engine, c, TaskContext.NONE);
                rows.add(r);
                out.printf(Locale.ROOT, "%-10s %-8s %9.3f %9.5f %9.3f %9.3f %8.2f%n", c.name(), c.set(), r.scores().sad(), r.scores().mse(),
                        r.scores().grad(), r.scores().conn(), r.seconds());
            } catch (ImageLoadException | MattingException | IllegalArgumentException | OutOfMemoryError e) {
                failed++;
                err.println("eval: " + c.name() + " (" + c.set() + "): " + MatteCommand.message(e) + " (left out)");
            }
        }
        if (failed > 0) err.printf(Locale.ROOT, "eval: %d of %d image(s) failed and are left out of the means%n", failed, cases.size());
        for (String set : rows.stream().map(r -> r.c().set()).distinct().toList()) {
            List<Row> rs = rows.stream().filter(r -> r.c().set().equals(set)).toList();
            out.printf(Locale.ROOT, "%-10s %-8s %9.3f %9.5f %9.3f %9.3f %8.2f%n", "mean(" + rs.size() + ")", set,
                    rs.stream().mapToDouble(r -> r.scores().sad()).average().orElse(0),
                    rs.stream().mapToDouble(r -> r.scores().mse()).average().orElse(0),
                    rs.stream().mapToDouble(r -> r.scores().grad()).average().orElse(0),
                    rs.stream().mapToDouble(r -> r.scores().conn()).average().orElse(0),
                    rs.stream().mapToDouble(Row::seconds).average().orElse(0));
        }
        boolean written = writeCsv(csv, overwrite, "image,trimap,engine,sad,mse,grad,conn,seconds", pw -> {
            for (Row r : rows)
                pw.printf(Locale.ROOT, "%s,%s,%s,%.6f,%.8f,%.6f,%.6f,%.3f%n", r.c().name(), r.c().set(), engineId, r.scores().sad(),
                        r.scores().mse(), r.scores().grad(), r.scores().conn(), r.seconds());
        }, err);
        return written && failed == 0 ? 0 : 1;
    }

    /** Checked before any work: an existing --csv is only replaced with --overwrite (reason printed). */
    static boolean csvWouldOverwrite(Path csv, boolean overwrite, PrintStream err) {
        if (csv == null || overwrite || !Files.exists(csv)) return false;
        err.println("eval: " + csv + " exists; pass --overwrite to replace it");
        return true;
    }

    /** Per-image rows to {@code csv} (if given) through a temp file and rename; false (reason printed) when it fails. */
    static boolean writeCsv(Path csv, boolean overwrite, String header, java.util.function.Consumer<PrintWriter> rows, PrintStream err) {
        if (csv == null) return true;
        try {
            AtomicFiles.write(csv, overwrite, os -> {
                PrintWriter pw = new PrintWriter(new java.io.OutputStreamWriter(os, StandardCharsets.UTF_8));
                pw.println(header);
                rows.accept(pw);
                pw.flush();
            });
            return true;
        } catch (IOException e) {
            err.println("eval: cannot write " + csv + ": " + e.getMessage());
            return false;
        }
    }

    public static Row evaluate(MattingEngine engine, Case c, TaskContext ctx) throws ImageLoadException, MattingException {
        ByteImage img = ImageFiles.readRgb(c.image());
        Trimap t = TrimapFiles.read(c.trimap());
        FloatImage truth = ImageFiles.readAlpha(c.gt());
        long t0 = System.nanoTime();
        FloatImage alpha = engine.matte(img, t, ctx);
        double sec = (System.nanoTime() - t0) / 1e9;
        return new Row(c, MattingMetrics.all(alpha, truth, t), sec);
    }

    List<Case> cases() throws IOException {
        if (alphamatting != null) {
            if (images != null || trimaps != null || gt != null)
                throw new IllegalArgumentException("use either --alphamatting or --images/--trimaps/--gt, not both");
            List<String> sets = switch (trimapSet) {
                case "trimap1" -> List.of("trimap1");
                case "trimap2" -> List.of("trimap2");
                case "both" -> List.of("trimap1", "trimap2");
                default -> throw new IllegalArgumentException("--trimap-set must be trimap1, trimap2 or both");
            };
            return alphamattingCases(alphamatting, sets, only);
        }
        if (images == null || trimaps == null || gt == null)
            throw new IllegalArgumentException("give --alphamatting DIR, or all of --images, --trimaps and --gt");
        return matched(images, trimaps, gt, trimaps.getFileName().toString(), only);
    }

    public static List<Case> alphamattingCases(Path dir, List<String> sets, List<String> only) throws IOException {
        return cases(ImageFolders.alphamatting(dir, sets, only));
    }

    /** Images whose base name has a trimap and a ground truth with the same base name (any image extension). */
    static List<Case> matched(Path images, Path trimaps, Path gt, String set, List<String> only) throws IOException {
        return cases(ImageFolders.matched(images, trimaps, gt, set, only));
    }

    private static List<Case> cases(List<ImageFolders.Match> ms) {
        return ms.stream().map(m -> new Case(m.name(), m.set(), m.image(), m.trimap(), m.gt())).toList();
    }

    /** The file in {@code dir} named {@code base} with any image extension (first by name), or null. */
    static Path sibling(Path dir, String base) throws IOException {
        return ImageFolders.sibling(dir, base);
    }
}
