package studio.matting.select;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageOps;
import studio.matting.image.Rect;
import studio.matting.matting.MattingEngine;
import studio.matting.metrics.SegmentationMetrics;
import studio.matting.pipeline.Engines;
import studio.matting.segment.Segmenter;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapGenerator;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Box-selection evaluation: for every image of a split (DIR/images/ID.*, DIR/masks/ID.png, DIR/SPLIT), the box is
 * the true mask's bounding box grown by a margin on each side (4 % by default, as a user's drag would be), and each
 * step of the selection is scored by person IoU against the mask:
 * <pre>
 *   grabcut     plain GrabCut from the box (working copy, bilinear enlargement)
 *   blob        + keep the main blob
 *   seg-crop    the segmentation model alone, run on the box crop
 *   seeded      GrabCut started from the model's crop probability (+ main blob)
 *   oracle      the better of blob and seeded per image (what a perfect choice between the two would reach)
 *   best        both runs, the lower GrabCut energy kept (the default)
 *   refined     best + guided upsampling to full resolution (what `matte --box` uses for its mask)
 *   matte       refined → trimap → closed-form α, thresholded at 0.5 (only with --matte; slow)
 *   scribbles   refined, then one refinement with simulated strokes on the worst errors (only with --scribbles)
 * </pre>
 * Rerun it with a new model in models/ to see what the combination gains:
 * {@code java -cp target/classes:$(cat cp.txt) studio.matting.select.SelectEval ../shared/data/fullbody}.
 */
public final class SelectEval {
    private SelectEval() { }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Path dir = null, csv = null;
        String split = "val.txt", model = null;
        int limit = 0;
        double boxMargin = 0.04;
        boolean matte = false, scribbles = false, simulated = false;
        SubjectSelector.Options opt = SubjectSelector.Options.defaults();
        List<String> only = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--split" -> split = args[++i];
                case "--limit" -> limit = Integer.parseInt(args[++i]);
                case "--segmenter" -> model = args[++i];
                case "--box-margin" -> boxMargin = Double.parseDouble(args[++i]);
                case "--csv" -> csv = Path.of(args[++i]);
                case "--matte" -> matte = true;
                case "--scribbles" -> scribbles = true;
                case "--simulated-prior" -> simulated = true;
                case "--variants" -> only = Arrays.asList(args[++i].split(","));
                case "--working-pixels" -> opt = opt.withWorkingPixels(Long.parseLong(args[++i]));
                case "--iterations" -> opt = opt.withIterations(Integer.parseInt(args[++i]));
                case "--margin" -> opt = opt.withMargin(Double.parseDouble(args[++i]));
                case "--prior-use" -> opt = opt.withPriorUse(SubjectSelector.PriorUse.valueOf(args[++i].toUpperCase(Locale.ROOT)));
                case "--guided" -> {
                    String[] g = args[++i].split(",");
                    opt = opt.withGuided(Integer.parseInt(g[0]), Double.parseDouble(g[1]));
                }
                case "-h", "--help" -> {
                    out.println("usage: SelectEval DIR [--split val.txt] [--limit N] [--segmenter NAME] [--box-margin 0.04]"
                            + " [--matte] [--scribbles] [--variants a,b] [--csv FILE] [--working-pixels N] [--iterations N]"
                            + " [--margin F] [--prior-use ignore|seed|best] [--guided R,EPS]");
                    return 0;
                }
                default -> {
                    if (a.startsWith("-") || dir != null) {
                        err.println("SelectEval: unknown argument " + a);
                        return 2;
                    }
                    dir = Path.of(a);
                }
            }
        }
        if (dir == null) {
            err.println("SelectEval: give the data folder (images/, masks/, the split file), e.g. ../shared/data/fullbody");
            return 2;
        }
        Path list = dir.resolve(split);
        if (!Files.isRegularFile(list)) {
            err.println("SelectEval: " + list + " not found");
            return 2;
        }
        List<String> ids = Files.readAllLines(list, StandardCharsets.UTF_8).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (limit > 0 && ids.size() > limit) ids = ids.subList(0, limit);
        Segmenter seg = Engines.segmenter(model).orElse(null);
        if (seg == null) err.println("SelectEval: no segmentation model found: the model steps are skipped");
        MattingEngine engine = matte ? Engines.matting("closed-form") : null;

        List<String> variants = new ArrayList<>(List.of("grabcut", "blob"));
        if (seg != null) variants.addAll(List.of("seg-crop", "seeded", "oracle", "best"));
        variants.add("refined");
        if (simulated) variants.addAll(List.of("sim-prior", "sim-seeded", "sim-best"));
        if (matte) variants.add("matte");
        if (scribbles) variants.add("scribbles");
        if (only != null) variants.retainAll(only);
        Map<String, double[]> iou = new LinkedHashMap<>(), secs = new LinkedHashMap<>();
        for (String v : variants) {
            iou.put(v, new double[ids.size()]);
            secs.put(v, new double[ids.size()]);
        }
        out.printf(Locale.ROOT, "%-8s %s%n", "image", String.join(" ", variants.stream().map(v -> String.format(Locale.ROOT, "%9s", v)).toList()));
        StringBuilder csvText = new StringBuilder("image," + String.join(",", variants) + "\n");
        for (int n = 0; n < ids.size(); n++) {
            String id = ids.get(n);
            ByteImage img = ImageFiles.readRgb(find(dir.resolve("images"), id));
            FloatImage truth = ImageFiles.readAlpha(find(dir.resolve("masks"), id));
            Rect box = boxOf(truth, boxMargin);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-8s", id));
            csvText.append(id);
            for (String v : variants) {
                long t0 = System.nanoTime();
                FloatImage m = switch (v) {
                    case "grabcut" -> selectMask(img, box, null, (Segmenter) null, opt.withKeepMain(false).withRefineBoundary(false));
                    case "blob" -> selectMask(img, box, null, (Segmenter) null, opt.withRefineBoundary(false));
                    case "seg-crop" -> segmentCrop(img, box, seg);
                    case "seeded" -> selectMask(img, box, null, seg, opt.withRefineBoundary(false).withPriorUse(SubjectSelector.PriorUse.SEED));
                    case "oracle" -> null; // the better of blob and seeded, scored below
                    case "best" -> selectMask(img, box, null, seg, opt.withRefineBoundary(false));
                    case "refined" -> selectMask(img, box, null, seg, opt);
                    case "matte" -> {
                        FloatImage sel = selectMask(img, box, null, seg, opt);
                        Trimap t = TrimapGenerator.fromMask(sel, TrimapGenerator.DEFAULT_KERNEL, TrimapGenerator.DEFAULT_ITERATIONS);
                        yield engine.matte(img, t, TaskContext.NONE);
                    }
                    case "sim-prior" -> simulatedPrior(truth, box);
                    case "sim-seeded" -> selectMask(img, box, null, simulatedPrior(truth, box), opt.withPriorUse(SubjectSelector.PriorUse.SEED));
                    case "sim-best" -> selectMask(img, box, null, simulatedPrior(truth, box), opt);
                    case "scribbles" -> withSimulatedScribbles(img, box, truth, seg, opt);
                    default -> throw new IllegalStateException(v);
                };
                double s = (System.nanoTime() - t0) / 1e9;
                double score = m == null ? Math.max(iou.get("blob")[n], iou.get("seeded")[n]) : SegmentationMetrics.iou(m, truth).personIoU();
                iou.get(v)[n] = score;
                secs.get(v)[n] = s;
                line.append(String.format(Locale.ROOT, " %9.4f", score));
                csvText.append(String.format(Locale.ROOT, ",%.5f", score));
            }
            csvText.append('\n');
            out.println(line);
        }
        out.printf(Locale.ROOT, "%-8s %s%n", "mean", String.join(" ", variants.stream().map(v ->
                String.format(Locale.ROOT, "%9.4f", Arrays.stream(iou.get(v)).average().orElse(0))).toList()));
        out.printf(Locale.ROOT, "%-8s %s%n", "median s", String.join(" ", variants.stream().map(v -> {
            double[] t = secs.get(v).clone();
            Arrays.sort(t);
            return String.format(Locale.ROOT, "%9.3f", t.length == 0 ? 0 : t[t.length / 2]);
        }).toList()));
        out.printf(Locale.ROOT, "(%d images of %s, box = mask bounds + %.0f %% a side, %s, %s)%n", ids.size(), list, boxMargin * 100,
                seg == null ? "no model" : seg.displayName(), opt);
        if (csv != null) {
            try (PrintWriter pw = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
                pw.print(csvText);
            }
        }
        return 0;
    }

    static FloatImage selectMask(ByteImage img, Rect box, Trimap scribbles, Segmenter seg, SubjectSelector.Options opt) throws Exception {
        try (SubjectSelector s = SubjectSelector.select(img, box, scribbles, seg, null, opt, TaskContext.NONE)) {
            return s.mask();
        }
    }

    static FloatImage selectMask(ByteImage img, Rect box, Trimap scribbles, FloatImage prior, SubjectSelector.Options opt) throws Exception {
        try (SubjectSelector s = SubjectSelector.select(img, box, scribbles, null, prior, opt, TaskContext.NONE)) {
            return s.mask();
        }
    }

    /**
     * A stand-in for a better model than the bundled one: the true mask seen through a coarse grid (24 cells across
     * the box) and shifted right by 3 % of the box, so it is right about the subject and wrong about its edges.
     */
    static FloatImage simulatedPrior(FloatImage truth, Rect box) {
        int cells = 24;
        int gw = cells, gh = Math.max(1, (int) Math.round(cells * (double) box.height() / box.width()));
        FloatImage coarse = ImageOps.resize(ImageOps.resize(ImageOps.crop(truth, box), gw, gh), box.width(), box.height());
        FloatImage out = new FloatImage(truth.width, truth.height, 1);
        int shift = (int) Math.round(0.03 * box.width());
        for (int y = 0; y < box.height(); y++)
            for (int x = 0; x < box.width(); x++) {
                int tx = box.x() + x + shift;
                if (tx < truth.width) out.data[(box.y() + y) * out.stride + tx] = coarse.data[y * coarse.stride + x];
            }
        return out;
    }

    /** The model alone on the box crop, pasted back into a full-size mask. */
    static FloatImage segmentCrop(ByteImage img, Rect box, Segmenter seg) throws Exception {
        FloatImage p = seg.segment(ImageOps.crop(img, box), TaskContext.NONE);
        FloatImage out = new FloatImage(img.width, img.height, 1);
        for (int y = 0; y < box.height(); y++)
            System.arraycopy(p.data, y * p.stride, out.data, (box.y() + y) * out.stride + box.x(), box.width());
        return out;
    }

    /**
     * One round of simulated user strokes: short horizontal F strokes in the largest missed foreground and B strokes
     * in the largest false-positive area, then a refinement — how much a few strokes buy.
     */
    static FloatImage withSimulatedScribbles(ByteImage img, Rect box, FloatImage truth, Segmenter seg, SubjectSelector.Options opt) throws Exception {
        try (SubjectSelector s = SubjectSelector.select(img, box, null, seg, null, opt, TaskContext.NONE)) {
            Trimap marks = ScribbleSimulator.strokes(s.mask(), truth, 3, Math.max(3, img.width / 100));
            return s.refine(marks, TaskContext.NONE);
        }
    }

    /** Bounding box of the mask (&gt; 0.5), grown by {@code margin} of its width/height on each side, clipped. */
    public static Rect boxOf(FloatImage mask, double margin) {
        int minX = mask.width, minY = mask.height, maxX = -1, maxY = -1;
        for (int y = 0; y < mask.height; y++)
            for (int x = 0; x < mask.width; x++)
                if (mask.data[y * mask.stride + x * mask.channels] > 0.5f) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
        if (maxX < 0) return Rect.of(mask.width, mask.height);
        int w = maxX - minX + 1, h = maxY - minY + 1;
        int mx = (int) Math.round(margin * w), my = (int) Math.round(margin * h);
        return new Rect(minX - mx, minY - my, w + 2 * mx, h + 2 * my).intersect(Rect.of(mask.width, mask.height));
    }

    private static Path find(Path folder, String id) throws IOException {
        for (String ext : List.of(".png", ".jpg", ".jpeg")) {
            Path p = folder.resolve(id + ext);
            if (Files.isRegularFile(p)) return p;
        }
        throw new IOException("no image " + id + ".* in " + folder);
    }
}
