package studio.matting.bench;

import studio.matting.compositor.Background;
import studio.matting.export.ExportOptions;
import studio.matting.export.Exporter;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageOps;
import studio.matting.image.Parallel;
import studio.matting.io.ImageFolders;
import studio.matting.matting.ClosedFormEngine;
import studio.matting.pipeline.AutoPipeline;
import studio.matting.pipeline.BatchJobs;
import studio.matting.pipeline.Engines;
import studio.matting.segment.Segmenter;
import studio.matting.task.TaskContext;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * The {@code pipeline} bench suite: what {@code matte} does to one photo with its default outputs, stage by stage —
 * decode, segment, trimap, matte, foreground, encode (alpha + cut-out PNG) — per image and as a mean (the first
 * image is run once more beforehand to warm the JIT, so the mean is the marginal per-image time). Without
 * {@code --images} it makes 1200×1600 JPEGs from {@code portraits/} test images (2× upscale) in a temporary folder,
 * or from the bundled {@code assets/portrait.png}, and compares α with {@code pseudo-alpha/portraits} when present.
 */
public final class PipelineBenchSuite implements Suite {
    /** Portrait test images made into 1200×1600 photos when no --images and no --limit are given. */
    static final int DEFAULT_IMAGES = 12;
    static final int WIDTH = 1200, HEIGHT = 1600;

    @Override public String name() { return "pipeline"; }

    @Override public String description() { return "matte's stages per 1200x1600 photo: decode, segment, trimap, matte, foreground, encode (s)"; }

    @Override
    public int run(BenchOptions o, PrintStream out) throws Exception {
        Optional<Segmenter> seg = segmenter(o);
        if (seg.isEmpty()) {
            out.println("skipped: no segmentation model in " + o.modelsDir().toAbsolutePath());
            return 0;
        }
        Path tmp = Files.createTempDirectory("bench-pipeline");
        try {
            Path refDir = o.reference();
            List<Path> photos;
            if (o.images() != null) {
                photos = list(o.images());
            } else {
                Path portraits = BenchOptions.shared().resolve("data").resolve("portraits");
                int limit = o.limit() > 0 ? o.limit() : DEFAULT_IMAGES;
                photos = portraitPhotos(portraits, tmp.resolve("in"), limit);
                if (photos.isEmpty()) {
                    Path asset = Path.of("assets", "portrait.png");
                    if (!Files.isRegularFile(asset)) {
                        out.println("skipped: no portraits at " + portraits.toAbsolutePath() + " and no " + asset);
                        return 0;
                    }
                    photos = List.of(upscaled(asset, tmp.resolve("in"), "portrait"));
                } else if (refDir == null) {
                    Path pseudo = BenchOptions.shared().resolve("data").resolve("pseudo-alpha").resolve("portraits");
                    if (Files.isDirectory(pseudo)) refDir = pseudo;
                }
            }
            if (o.images() != null && o.limit() > 0 && photos.size() > o.limit()) photos = photos.subList(0, o.limit());
            if (photos.isEmpty()) {
                out.println("skipped: no images");
                return 0;
            }
            ClosedFormEngine engine = new ClosedFormEngine(o.closedForm());
            out.printf(Locale.ROOT, "%d threads, segmenter %s, engine %s%s, outputs alpha + cut-out PNG%s%n", Parallel.threads(),
                    seg.get().id(), engine.id(), o.coarseToFine() ? " (coarse-to-fine from 1.5 MP)" : " (full-resolution band)",
                    refDir == null ? "" : ", reference α " + refDir);
            run(photos.get(0), seg.get(), engine, tmp.resolve("out"), new double[7], new double[7]); // JIT warm-up, not reported
            out.printf(Locale.ROOT, "%-12s %9s %7s %7s %7s %7s %7s %7s %7s %9s %8s%n", "image", "size", "decode", "segment", "trimap",
                    "matte", "fg", "encode", "total", "unknown", "refSAD");
            double[] sum = new double[7], cpuSum = new double[7];
            double sumRef = 0;
            int nRef = 0;
            List<String> errors = new ArrayList<>();
            List<Path> good = new ArrayList<>();
            for (Path photo : photos) {
                String stem = stem(photo);
                Path ref = refDir == null ? null : ImageFolders.sibling(refDir, stem);
                double[] t = new double[7], cpu = new double[7];
                Run r;
                try {
                    r = run(photo, seg.get(), engine, tmp.resolve("out"), t, cpu);
                } catch (Exception e) { // a bad image is reported and left out of the means; the rest go on
                    errors.add("error: " + photo.getFileName() + ": " + e.getMessage());
                    continue;
                }
                good.add(photo);
                double refSad = ref == null ? Double.NaN : refSad(r.alpha(), ref);
                for (int i = 0; i < 7; i++) { sum[i] += t[i]; cpuSum[i] += cpu[i]; }
                if (!Double.isNaN(refSad)) { sumRef += refSad; nRef++; }
                out.printf(Locale.ROOT, "%-12s %9s %7.3f %7.3f %7.3f %7.3f %7.3f %7.3f %7.3f %9d %8s%n", stem, r.rgb().width + "x" + r.rgb().height,
                        t[0], t[1], t[2], t[3], t[4], t[5], t[6], r.unknown(), Double.isNaN(refSad) ? "-" : String.format(Locale.ROOT, "%.2f", refSad));
            }
            int n = Math.max(1, photos.size() - errors.size());
            out.printf(Locale.ROOT, "%-12s %9s %7.3f %7.3f %7.3f %7.3f %7.3f %7.3f %7.3f %9s %8s%n", "mean(" + (photos.size() - errors.size()) + ")", "-",
                    sum[0] / n, sum[1] / n, sum[2] / n, sum[3] / n, sum[4] / n, sum[5] / n, sum[6] / n, "-",
                    nRef == 0 ? "-" : String.format(Locale.ROOT, "%.2f", sumRef / nRef));
            out.printf(Locale.ROOT, "%-12s %9s %7.3f %7.3f %7.3f %7.3f %7.3f %7.3f %7.3f%n", "cpu(" + (photos.size() - errors.size()) + ")", "-",
                    cpuSum[0] / n, cpuSum[1] / n, cpuSum[2] / n, cpuSum[3] / n, cpuSum[4] / n, cpuSum[5] / n, cpuSum[6] / n);
            out.println("cpu: the process's CPU seconds in each stage (all threads, the JIT and GC included), mean per image");
            if (nRef > 0) out.println("refSAD: Σ|α − reference| / 1000 over the whole image, at the reference's size");
            if (good.size() > 1) {
                int jobs = o.jobs() > 0 ? o.jobs() : BatchJobs.defaultJobs();
                double wall = batch(good, seg.get(), engine, tmp.resolve("batch"), jobs);
                out.printf(Locale.ROOT, "batch: %d images with %d in flight (as matte -j %d): %.3f s per image (%.2f s wall); one at a time: %.3f s%n",
                        good.size(), jobs, jobs, wall / good.size(), wall, sum[6] / n);
            }
            for (String e : errors) out.println(e); // after the table, so it parses as one block
            return errors.isEmpty() ? 0 : 1;
        } finally {
            deleteTree(tmp);
        }
    }

    /** Wall seconds for all photos through {@code jobs} workers, each image as {@link #run} (what matte's batch does). */
    static double batch(List<Path> photos, Segmenter seg, ClosedFormEngine engine, Path outDir, int jobs) throws Exception {
        BatchJobs gate = new BatchJobs(jobs);
        ExecutorService pool = Executors.newFixedThreadPool(jobs);
        try {
            long t0 = System.nanoTime();
            List<Future<Run>> done = new ArrayList<>();
            for (Path photo : photos) done.add(pool.submit(() -> gate.call(() -> run(photo, seg, engine, outDir, new double[7], new double[7]))));
            for (Future<Run> f : done) f.get();
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Optional<Segmenter> segmenter(BenchOptions o) {
        Engines.setDevice(o.device());
        return Engines.defaultSegmenter();
    }

    /** What one run left: the decoded photo, α and the trimap's unknown count. */
    record Run(ByteImage rgb, FloatImage alpha, long unknown) { }

    /**
     * One photo through matte's path; stage seconds into t (decode, segment, trimap, matte, fg, encode, total) and the
     * process's CPU seconds over the same spans into {@code cpu} (meaningful when one photo runs at a time).
     */
    static Run run(Path photo, Segmenter seg, ClosedFormEngine engine, Path outDir, double[] t, double[] cpu) throws Exception {
        long c0 = processCpu(), t0 = System.nanoTime();
        ByteImage rgb = ImageOps.toRgb(ImageFiles.read(photo));
        long c1 = processCpu(), t1 = System.nanoTime();
        AutoPipeline p = new AutoPipeline(rgb, seg, engine, Engines.foregroundStage(), Background.solid(255, 255, 255));
        Map<AutoPipeline.Stage, Long> start = new EnumMap<>(AutoPipeline.Stage.class);
        Map<AutoPipeline.Stage, Long> startCpu = new EnumMap<>(AutoPipeline.Stage.class);
        p.run(AutoPipeline.Stage.FOREGROUND, TaskContext.NONE, s -> {
            startCpu.put(s, processCpu());
            start.put(s, System.nanoTime());
        });
        long c2 = processCpu(), t2 = System.nanoTime();
        Files.createDirectories(outDir);
        ExportOptions opts = new ExportOptions(outDir, stem(photo), true, false, true, false, ExportOptions.CompositeFormat.PNG,
                0.92f, 0, false, 300, true);
        Exporter.export(new Exporter.Inputs(rgb, p.alpha(), p.foreground(), p.trimap(), p.background()), opts);
        long c3 = processCpu(), t3 = System.nanoTime();
        stages(t0, t1, start, t2, t3, t);
        stages(c0, c1, startCpu, c2, c3, cpu);
        return new Run(rgb, p.alpha(), p.trimap().count(128));
    }

    /**
     * Stage spans from one clock's marks (nanoseconds): decode [start, decoded), the pipeline's stages from their
     * starts, the foreground up to {@code fgEnd}, encode [fgEnd, end), and the total, in seconds into {@code out}.
     */
    private static void stages(long start, long decoded, Map<AutoPipeline.Stage, Long> at, long fgEnd, long end, double[] out) {
        long seg0 = at.get(AutoPipeline.Stage.SEGMENT), tri0 = at.get(AutoPipeline.Stage.TRIMAP);
        long mat0 = at.get(AutoPipeline.Stage.MATTE), fg0 = at.get(AutoPipeline.Stage.FOREGROUND);
        out[0] = (decoded - start) / 1e9;
        out[1] = (tri0 - seg0) / 1e9;
        out[2] = (mat0 - tri0) / 1e9;
        out[3] = (fg0 - mat0) / 1e9;
        out[4] = (fgEnd - fg0) / 1e9;
        out[5] = (end - fgEnd) / 1e9;
        out[6] = (end - start) / 1e9;
    }

    private static final java.lang.management.OperatingSystemMXBean OS = java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** The process's CPU time in ns (all threads, native ones included); 0 where the platform does not say. */
    static long processCpu() {
        return OS instanceof com.sun.management.OperatingSystemMXBean os ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    /** Σ|α − ref| / 1000 with α resized to the reference's size (box filter when shrinking). */
    static double refSad(FloatImage alpha, Path ref) throws Exception {
        FloatImage r = ImageFiles.readAlpha(ref);
        FloatImage a = alpha.sameSize(r.width, r.height) ? alpha : ImageOps.resize(alpha, r.width, r.height);
        double s = 0;
        for (int y = 0; y < r.height; y++)
            for (int x = 0; x < r.width; x++) s += Math.abs(a.data[y * a.stride + x] - r.data[y * r.stride + x]);
        return s / 1000;
    }

    /** The first {@code limit} ids of portraits/test.txt, upscaled to 1200×1600 JPEGs in {@code dir}. */
    static List<Path> portraitPhotos(Path portraits, Path dir, int limit) throws Exception {
        Path list = portraits.resolve("test.txt");
        if (!Files.isRegularFile(list)) return List.of();
        List<Path> out = new ArrayList<>();
        for (String id : Files.readAllLines(list)) {
            id = id.trim();
            if (id.isEmpty()) continue;
            Path img = ImageFolders.sibling(portraits.resolve("images"), id);
            if (img == null) continue;
            out.add(upscaled(img, dir, id));
            if (out.size() >= limit) break;
        }
        return out;
    }

    private static Path upscaled(Path src, Path dir, String stem) throws Exception {
        Files.createDirectories(dir);
        ByteImage rgb = ImageOps.toRgb(ImageFiles.read(src));
        ByteImage big = ImageOps.resize(rgb, WIDTH, HEIGHT);
        Path p = dir.resolve(stem + ".jpg");
        ImageFiles.writeJpeg(big, p, 0.92f, 300, true);
        return p;
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(f -> ImageFolders.baseName(f) != null).sorted().toList();
        }
    }

    private static String stem(Path p) {
        String b = ImageFolders.baseName(p);
        return b == null ? p.getFileName().toString() : b;
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}
