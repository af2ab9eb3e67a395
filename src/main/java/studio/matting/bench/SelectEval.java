package studio.matting.bench;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageOps;
import studio.matting.image.Rect;
import studio.matting.matting.MattingEngine;
import studio.matting.metrics.SegmentationMetrics;
import studio.matting.pipeline.Engines;
import studio.matting.segment.Segmenter;
import studio.matting.select.ScribbleSimulator;
import studio.matting.select.SubjectSelector;
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
 *   grabcut     plain GrabCut from the box (main blob kept), working copy enlarged bilinearly
 *   gc+ref      the same with the guided upsampling to full resolution
 *   seg-crop    the segmentation model alone, run on the box crop
 *   seeded      GrabCut started from the model's crop probability (bilinear), seed+ref with the guided upsampling
 *   agree       IoU in the box between the seeded result and the model's mask (-1: the model found nothing)
 *   comb+ref    the combination `matte --box` uses: seed+ref where agree &gt;= --min-agreement, else gc+ref
 *   sim-*       the same with a simulated better model (--simulated-prior: the true mask on a coarse grid, shifted)
 *   matte       comb+ref → trimap → closed-form α, thresholded at 0.5 (--matte; slow)
 *   scribbles   after one refinement with simulated strokes on the largest errors (--scribbles)
 * </pre>
 * It ends with a sweep of the agreement threshold, so a new model's best setting can be read off.
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
                case "--working-pixels" -> opt = opt.withWorkingPixels(Long.parseLong(args[++i]));
                case "--iterations" -> opt = opt.withIterations(Integer.parseInt(args[++i]));
                case "--margin" -> opt = opt.withMargin(Double.parseDouble(args[++i]));
                case "--min-agreement" -> opt = opt.withMinAgreement(Double.parseDouble(args[++i]));
                case "--prior-use" -> opt = opt.withPriorUse(SubjectSelector.PriorUse.valueOf(args[++i].toUpperCase(Locale.ROOT)));
                case "--guided" -> {
                    String[] g = args[++i].split(",");
                    opt = opt.withGuided(Integer.parseInt(g[0]), Double.parseDouble(g[1]));
                }
                case "-h", "--help" -> {
                    out.println("usage: SelectEval DIR [--split val.txt] [--limit N] [--segmenter NAME] [--box-margin 0.04]"
                            + " [--matte] [--scribbles] [--simulated-prior] [--min-agreement T] [--csv FILE] [--working-pixels N] [--iterations N]"
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

        List<String> cols = new ArrayList<>(List.of("grabcut", "gc+ref"));
        if (seg != null) cols.addAll(List.of("seg-crop", "seeded", "seed+ref", "agree", "comb+ref"));
        if (simulated) cols.addAll(List.of("sim-prior", "sim+ref", "sim-agree", "simcomb"));
        if (matte) cols.add("matte");
        if (scribbles) cols.add("scribbles");
        double tau = opt.minAgreement();
        SubjectSelector.Options seedOpt = opt.withPriorUse(SubjectSelector.PriorUse.SEED);
        Map<String, double[]> iou = new LinkedHashMap<>();
        for (String v : cols) iou.put(v, new double[ids.size()]);
        double[] boxSecs = new double[ids.size()], combSecs = new double[ids.size()];
        out.printf(Locale.ROOT, "%-8s %s%n", "image", String.join(" ", cols.stream().map(v -> String.format(Locale.ROOT, "%9s", v)).toList()));
        StringBuilder csvText = new StringBuilder("image," + String.join(",", cols) + "\n");
        for (int n = 0; n < ids.size(); n++) {
            String id = ids.get(n);
            ByteImage img = ImageFiles.readRgb(find(dir.resolve("images"), id));
            FloatImage truth = ImageFiles.readAlpha(find(dir.resolve("masks"), id));
            Rect box = boxOf(truth, boxMargin);
            Map<String, Double> row = new LinkedHashMap<>();
            long t0 = System.nanoTime();
            FloatImage gcRef;
            try (SubjectSelector s = SubjectSelector.select(img, box, null, null, null, opt, TaskContext.NONE)) {
                boxSecs[n] = (System.nanoTime() - t0) / 1e9;
                gcRef = s.mask();
                row.put("grabcut", score(s.otherUpsampling(), truth));
                row.put("gc+ref", score(gcRef, truth));
            }
            FloatImage chosen = gcRef;
            if (seg != null) {
                row.put("seg-crop", score(segmentCrop(img, box, seg), truth));
                t0 = System.nanoTime();
                try (SubjectSelector s = SubjectSelector.select(img, box, null, seg, null, seedOpt, TaskContext.NONE)) {
                    combSecs[n] = boxSecs[n] + (System.nanoTime() - t0) / 1e9; // BEST runs the two on two cores
                    row.put("seeded", score(s.otherUpsampling(), truth));
                    row.put("seed+ref", score(s.mask(), truth));
                    double a = s.agreement();
                    row.put("agree", Double.isNaN(a) ? -1 : a);
                    boolean keep = !Double.isNaN(a) && a >= tau;
                    row.put("comb+ref", keep ? row.get("seed+ref") : row.get("gc+ref"));
                    if (keep) chosen = s.mask();
                }
            }
            if (simulated) {
                FloatImage p = simulatedPrior(truth, box);
                row.put("sim-prior", score(p, truth));
                try (SubjectSelector s = SubjectSelector.select(img, box, null, null, p, seedOpt, TaskContext.NONE)) {
                    row.put("sim+ref", score(s.mask(), truth));
                    double a = s.agreement();
                    row.put("sim-agree", Double.isNaN(a) ? -1 : a);
                    row.put("simcomb", !Double.isNaN(a) && a >= tau ? row.get("sim+ref") : row.get("gc+ref"));
                }
            }
            if (matte) {
                Trimap t = TrimapGenerator.fromMask(chosen, TrimapGenerator.DEFAULT_KERNEL, TrimapGenerator.DEFAULT_ITERATIONS);
                row.put("matte", score(engine.matte(img, t, TaskContext.NONE), truth));
            }
            if (scribbles) row.put("scribbles", score(withSimulatedScribbles(img, box, truth, seg, opt), truth));
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-8s", id));
            csvText.append(id);
            for (String v : cols) {
                iou.get(v)[n] = row.get(v);
                line.append(String.format(Locale.ROOT, " %9.4f", row.get(v)));
                csvText.append(String.format(Locale.ROOT, ",%.5f", row.get(v)));
            }
            csvText.append('\n');
            out.println(line);
        }
        out.printf(Locale.ROOT, "%-8s %s%n", "mean", String.join(" ", cols.stream().map(v ->
                String.format(Locale.ROOT, "%9.4f", Arrays.stream(iou.get(v)).average().orElse(0))).toList()));
        out.printf(Locale.ROOT, "median seconds: box selection %.3f, with the model seed run after it %.3f (this machine, as loaded)%n",
                median(boxSecs), median(combSecs));
        for (String[] pair : new String[][] {{"seed+ref", "agree"}, {"sim+ref", "sim-agree"}}) {
            if (!iou.containsKey(pair[0])) continue;
            StringBuilder sweep = new StringBuilder("keep the seeded run when " + pair[1] + " >= t:");
            for (double t : new double[] {0, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 2}) {
                double sum = 0;
                for (int n = 0; n < ids.size(); n++) sum += iou.get(pair[1])[n] >= t ? iou.get(pair[0])[n] : iou.get("gc+ref")[n];
                sweep.append(String.format(Locale.ROOT, "  t=%s %.4f", t > 1 ? "never" : String.valueOf(t), sum / ids.size()));
            }
            out.println(sweep);
        }
        out.printf(Locale.ROOT, "(%d images of %s, box = mask bounds + %.0f %% a side, %s, %s)%n", ids.size(), list, boxMargin * 100,
                seg == null ? "no model" : seg.displayName(), opt);
        if (csv != null) {
            try (PrintWriter pw = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
                pw.print(csvText);
            }
        }
        return 0;
    }

    private static double score(FloatImage m, FloatImage truth) {
        return SegmentationMetrics.iou(m, truth).personIoU();
    }

    private static double median(double[] v) {
        double[] t = v.clone();
        Arrays.sort(t);
        return t.length == 0 ? 0 : t[t.length / 2];
    }

    /** The last selection's agreement with its model (for the agree columns). */
    private static double lastAgreement = Double.NaN;

    static FloatImage selectMask(ByteImage img, Rect box, Trimap scribbles, Segmenter seg, SubjectSelector.Options opt) throws Exception {
        try (SubjectSelector s = SubjectSelector.select(img, box, scribbles, seg, null, opt, TaskContext.NONE)) {
            lastAgreement = s.agreement();
            return s.mask();
        }
    }

    static FloatImage selectMask(ByteImage img, Rect box, Trimap scribbles, FloatImage prior, SubjectSelector.Options opt) throws Exception {
        try (SubjectSelector s = SubjectSelector.select(img, box, scribbles, null, prior, opt, TaskContext.NONE)) {
            lastAgreement = s.agreement();
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
