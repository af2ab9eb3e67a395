package studio.matting.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import studio.matting.compositor.Background;
import studio.matting.export.ExportOptions;
import studio.matting.export.Exporter;
import studio.matting.image.AtomicFiles;
import studio.matting.image.ByteImage;
import studio.matting.image.FileProblems;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageOps;
import studio.matting.pipeline.AutoPipeline;
import studio.matting.pipeline.BatchJobs;
import studio.matting.pipeline.Engines;
import studio.matting.task.TaskContext;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Batch matting of a file or a folder: alpha / cut-out / composite / trimap for each image.
 * <p>An image's outputs are a set: they are written into a hidden staging folder beside their targets and moved into
 * place only once every one of them is written, so a full disk, a crash or SIGTERM never leaves half a set counted as
 * done. An image is skipped only when every requested output exists, is whole (header and end marker) and has the
 * image's size; otherwise it is redone. Staging folders and temporary files of killed runs are removed on the next run.
 */
@Command(name = "matte", mixinStandardHelpOptions = true,
        description = {"Matte images: segment (or use given trimaps/masks), build the trimap, compute α and foreground"
                + " colours, and write the outputs you ask for.",
                "Exit code: 0 all done (or skipped), 1 some images failed, 2 bad arguments (nothing was done),"
                        + " 130/143 interrupted (the image in progress finished or rolled back)."},
        sortOptions = false)
public final class MatteCommand implements Callable<Integer> {
    static final List<String> IMAGE_EXTENSIONS = List.of("jpg", "jpeg", "png", "bmp", "gif", "webp", "tif", "tiff");
    /** What this command writes: in a folder that is also an input folder, such files are outputs, not inputs. */
    private static final Pattern OUTPUT_NAME = Pattern.compile("(?i).+-(alpha|cutout|composite|trimap)\\.(png|jpe?g)");
    /** How long SIGTERM / Ctrl-C waits for the images in progress before rolling them back. */
    static final long STOP_GRACE_MS = Long.getLong("matting.stopGraceMs", 5000L);

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Image files or folders.")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, required = true, description = "Output folder (created if missing).")
    Path output;

    @Option(names = {"-r", "--recursive"}, description = "Descend into sub-folders (the folder structure is kept; the output folder is never taken as input).")
    boolean recursive;

    @Option(names = "--alpha", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Write NAME-alpha.png (default: ${DEFAULT-VALUE}).")
    boolean alpha;

    @Option(names = "--alpha16", description = "Write the alpha matte as 16-bit PNG.")
    boolean alpha16;

    @Option(names = "--cutout", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Write NAME-cutout.png, RGBA with clean foreground colours (default: ${DEFAULT-VALUE}).")
    boolean cutout;

    @Option(names = "--composite", description = "Write NAME-composite.png|jpg over --bg.")
    boolean composite;

    @Option(names = "--save-trimap", description = "Write NAME-trimap.png.")
    boolean saveTrimap;

    @Option(names = "--bg", defaultValue = "white",
            description = "Composite background: blue, red, white, #RRGGBB, R,G,B, checker or an image file (default: ${DEFAULT-VALUE}).")
    String bg;

    @Option(names = "--format", defaultValue = "png", description = "Composite format: png or jpg (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--quality", defaultValue = "0.92", description = "JPEG quality 0..1 (default: ${DEFAULT-VALUE}).")
    float quality;

    @Option(names = "--max-kb", defaultValue = "0", description = "Largest composite JPEG in KB (searches the quality).")
    int maxKb;

    @Option(names = "--size", description = "Make the composite an ID photo at this preset (1inch, 2inch, small2inch, passport, us2x2, WxH mm): head placed by the preset's rules, solid --bg.")
    String size;

    @Option(names = "--dpi", defaultValue = "300", description = "DPI written into PNG/JPEG (default: ${DEFAULT-VALUE}).")
    double dpi;

    @picocli.CommandLine.Mixin
    InputLayers layers = new InputLayers();

    @picocli.CommandLine.Mixin
    RefineOptions refine = new RefineOptions();

    @picocli.CommandLine.Mixin
    SelectOptions select = new SelectOptions();

    @Option(names = "--list-engines", help = true, description = "List the available engines and segmenters, then exit.")
    boolean listEngines;

    @Option(names = "--overwrite", description = "Replace existing outputs (default: skip images whose outputs all exist and are whole).")
    boolean overwrite;

    @Option(names = {"-j", "--jobs"}, description = "Images processed at once (default: one per core, at most one per GiB of heap).")
    int jobs = BatchJobs.defaultJobs();

    PrintStream out = System.out;
    PrintStream err = System.err;

    /** One input image, the sub-folder it goes to, and the base name of its outputs (distinct within the batch). */
    private record Item(Path file, Path relDir, String outStem, String note) {
        String label() {
            return relDir.resolve(file.getFileName()).toString();
        }
    }

    /** A problem found while scanning the inputs: reported, and counted as a failed image when it names a file. */
    private record ScanProblem(String what, boolean image) { }

    /** The images in progress, so SIGTERM can finish or roll them back. */
    private final Set<AtomicFiles.Staging> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile boolean rollback;

    @Override
    public Integer call() throws Exception {
        Engines.setDevice(layers.device);
        if (listEngines) {
            out.println("Matting engines: " + String.join(", ", Engines.mattingIds()));
            out.println("Segmenters:      " + String.join(", ", Engines.segmenterIds()));
            out.println("Device:          " + Engines.deviceDescription());
            for (String problem : Engines.modelProblems()) out.println("Refused model:   " + problem);
            return 0;
        }
        layers.warn = err;
        ExportOptions.CompositeFormat fmt = validate();
        Background background;
        try {
            background = BackgroundSpec.parse(bg);
        } catch (IOException e) {
            throw new IllegalArgumentException("--bg " + bg + ": " + e.getMessage(), e); // a bad background image is a bad argument
        }
        if (size != null) {
            IdPhotoCommand.preset(size); // fail fast on an unknown preset
            BackgroundSpec.parseColour(bg);
            composite = true;
        }
        if (!alpha && !cutout && !composite && !saveTrimap)
            throw new IllegalArgumentException("nothing to write: enable --alpha, --cutout, --composite or --save-trimap");
        Engines.matting(layers.engineId); // fail fast on an unknown engine id
        refine.start(overwrite);
        List<ScanProblem> problems = new ArrayList<>();
        List<Item> items = collect(problems);
        for (ScanProblem p : problems) err.println((p.image ? "error: " : "warning: ") + p.what);
        long scanFailures = problems.stream().filter(ScanProblem::image).count();
        if (items.isEmpty() && scanFailures == 0) {
            err.println("No images found in " + inputs);
            return 1;
        }
        if (layers.trimapSource != null && Files.isRegularFile(layers.trimapSource) && items.size() > 1)
            throw new IllegalArgumentException("--trimap FILE needs exactly one input image; give a folder for many");
        if (layers.maskSource != null && Files.isRegularFile(layers.maskSource) && items.size() > 1)
            throw new IllegalArgumentException("--mask FILE needs exactly one input image; give a folder for many");
        select.check(layers, items.stream().map(Item::file).toList(), err);
        for (Item item : items) if (item.note != null) err.println("note: " + item.label() + ": " + item.note);
        removeStaleParts(items);

        AtomicInteger failed = new AtomicInteger((int) scanFailures), skipped = new AtomicInteger(),
                written = new AtomicInteger(), notStarted = new AtomicInteger();
        AtomicBoolean summarised = new AtomicBoolean();
        ProgressBar bar = new ProgressBar(err, items.size());
        BatchJobs batch = new BatchJobs(Math.max(1, Math.min(jobs, items.size())));
        ExecutorService pool = Executors.newFixedThreadPool(batch.jobs(), r -> {
            Thread t = new Thread(r, "matte-worker");
            t.setDaemon(true);
            return t;
        });
        java.util.concurrent.CountDownLatch printed = new java.util.concurrent.CountDownLatch(1);
        Runnable summary = () -> {
            if (!summarised.compareAndSet(false, true)) {
                // The other thread prints it: wait, or the JVM could halt after this hook before the line is out.
                try {
                    printed.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            String line = String.format(Locale.ROOT, "%d done, %d skipped, %d failed", written.get(), skipped.get(), failed.get());
            if (stopping.get()) line = "interrupted: " + line + ", " + notStarted.get() + " not started (run again to do them)";
            out.println(line);
            out.flush();
            err.flush();
            printed.countDown();
        };
        Thread hook = new Thread(() -> stop(pool, summary), "matte-stop");
        boolean hooked = addHook(hook);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Item item : items) {
                futures.add(pool.submit(() -> {
                    if (stopping.get()) {
                        notStarted.incrementAndGet();
                        return;
                    }
                    try {
                        String outcome = batch.call(() -> process(item, fmt, background));
                        if (outcome.startsWith("skipped")) skipped.incrementAndGet(); else written.incrementAndGet();
                        bar.step(item.label(), outcome);
                    } catch (Exception | OutOfMemoryError | LinkageError e) {
                        failed.incrementAndGet();
                        bar.step(item.label(), "FAILED");
                        err.println("error: " + item.label() + ": " + message(e));
                    }
                }));
            }
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
        if (hooked) removeHook(hook);
        refine.finish(out);
        summary.run();
        return failed.get() > 0 ? 1 : 0;
    }

    /**
     * Options that would fail every image are refused before any work (exit 2): ranges, the output folder (empty name,
     * a file, not writable), and a --trimap / --mask that does not exist.
     */
    private ExportOptions.CompositeFormat validate() {
        if (jobs < 1) throw new IllegalArgumentException("--jobs must be >= 1");
        if (!(dpi > 0) || !Double.isFinite(dpi) || dpi > 100_000)
            throw new IllegalArgumentException("--dpi must be a positive number up to 100000 (got " + dpi + ")");
        if (!(quality > 0f && quality <= 1f)) throw new IllegalArgumentException("--quality must be in (0, 1] (got " + quality + ")");
        if (maxKb < 0) throw new IllegalArgumentException("--max-kb must not be negative");
        layers.validate();
        InputLayers.checkOutputFolder("-o/--output", output);
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "png" -> ExportOptions.CompositeFormat.PNG;
            case "jpg", "jpeg" -> ExportOptions.CompositeFormat.JPEG;
            default -> throw new IllegalArgumentException("--format must be png or jpg");
        };
    }

    private static boolean addHook(Thread hook) {
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            return true;
        } catch (IllegalStateException e) {
            return false; // already shutting down
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down: the hook is running and prints the summary
        }
    }

    /**
     * SIGTERM / Ctrl-C: start no more images, give the ones in progress {@link #STOP_GRACE_MS} to finish, roll back
     * the rest (their staging folders go; what was committed stays whole), then print the summary.
     */
    private void stop(ExecutorService pool, Runnable summary) {
        stopping.set(true);
        pool.shutdown();
        try {
            pool.awaitTermination(STOP_GRACE_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        rollback = true;
        int rolledBack = 0;
        for (AtomicFiles.Staging s : inFlight) if (s.abort()) rolledBack++;
        if (rolledBack > 0) err.println("interrupted: " + rolledBack + " image(s) in progress rolled back (nothing of them was written)");
        summary.run();
    }

    private String process(Item item, ExportOptions.CompositeFormat fmt, Background background) throws Exception {
        Path dir = output.resolve(item.relDir);
        ExportOptions opts = new ExportOptions(dir, item.outStem, alpha, alpha16, cutout, composite, fmt,
                quality, maxKb, saveTrimap, dpi, overwrite);
        List<Path> targets = Exporter.targets(opts);
        String redo = "";
        if (!overwrite) {
            List<Path> existing = Exporter.existingTargets(opts);
            if (!existing.isEmpty()) {
                int[] wh = ImageFiles.orientedSize(item.file);
                List<Path> bad = new ArrayList<>();
                for (Path t : targets) {
                    boolean idPhoto = size != null && t.equals(opts.compositePath());
                    if (!ImageFiles.isComplete(t, idPhoto ? 0 : wh[0], idPhoto ? 0 : wh[1])) bad.add(t);
                }
                if (bad.isEmpty()) return "skipped (outputs exist; --overwrite replaces them)";
                redo = ", redone: the earlier set was incomplete (" + bad.size() + " of " + targets.size() + " missing or damaged)";
            }
        }

        ByteImage rgb = ImageOps.toRgb(ImageFiles.read(item.file));
        AutoPipeline p = select.active() ? select.pipeline(layers, rgb, item.file, background) : layers.pipeline(rgb, item.file, item.relDir, background);
        refine.configure(p, item.relDir.resolve(item.file.getFileName()).toString());
        boolean idPhoto = size != null;
        p.run(composite && !idPhoto ? AutoPipeline.Stage.COMPOSITE : AutoPipeline.Stage.FOREGROUND, TaskContext.NONE, null);

        try (AtomicFiles.Staging staging = AtomicFiles.Staging.create(dir, item.outStem)) {
            inFlight.add(staging);
            if (rollback) staging.abort();
            try {
                ExportOptions staged = new ExportOptions(staging.dir(), item.outStem, alpha, alpha16, cutout, composite, fmt,
                        quality, maxKb, saveTrimap, dpi, true);
                String idNote = "";
                if (idPhoto) {
                    // The ID photo replaces the full-frame composite; the other outputs stay full frame.
                    ByteImage photo = IdPhotoCommand.render(p, rgb, IdPhotoCommand.preset(size), dpi, BackgroundSpec.parseColour(bg));
                    idNote = ", ID photo " + IdPhotoCommand.write(photo, staged.compositePath(), fmt == ExportOptions.CompositeFormat.JPEG, dpi, maxKb, quality, true);
                    staged = staged.withOutputs(alpha, alpha16, cutout, false, saveTrimap);
                }
                Exporter.Result r = Exporter.targets(staged).isEmpty() ? new Exporter.Result(List.of(), Float.NaN, 0)
                        : Exporter.export(new Exporter.Inputs(rgb, p.alpha(), p.foreground(), p.trimap(), background), staged);
                List<Path> committed = staging.commit(COMMIT_PAUSE_MS > 0 ? MatteCommand::pauseForTests : null);
                return committed.size() + " file(s)" + idNote
                        + (Float.isNaN(r.jpegQuality()) ? "" : String.format(Locale.ROOT, ", JPEG quality %.2f", r.jpegQuality()))
                        + (item.note == null ? "" : ", as " + item.outStem + "-*") + redo;
            } finally {
                inFlight.remove(staging);
            }
        }
    }

    /** Test hook: a pause between the files of a set being put in place, so a test can kill the process mid-set. */
    private static final long COMMIT_PAUSE_MS = Long.getLong("matting.test.commitPauseMs", 0L);

    private static void pauseForTests() {
        try {
            Thread.sleep(COMMIT_PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void removeStaleParts(List<Item> items) {
        Set<Path> dirs = new LinkedHashSet<>();
        dirs.add(output);
        for (Item i : items) dirs.add(output.resolve(i.relDir));
        int removed = 0;
        for (Path d : dirs) removed += AtomicFiles.removeStaleParts(d);
        if (removed > 0) err.println("note: removed " + removed + " temporary file(s) left by an interrupted earlier run");
    }

    /**
     * The images to do, in a stable order (inputs as given, each folder's files sorted), with distinct output names:
     * {@code photo.jpg} and {@code photo.png} in one output folder become {@code photo-*} and {@code photo.png-*}.
     */
    private List<Item> collect(List<ScanProblem> problems) throws IOException {
        Path outAbs = output.toAbsolutePath().normalize();
        Path outReal = realOrSelf(outAbs);
        List<Item> raw = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isRegularFile(in)) {
                raw.add(new Item(in, Path.of(""), stem(in.getFileName().toString()), null));
            } else if (Files.isDirectory(in)) {
                List<Item> found = new ArrayList<>();
                scan(in, outAbs, outReal, found, problems);
                found.sort((a, b) -> a.file.toString().compareTo(b.file.toString()));
                raw.addAll(found);
            } else if (Files.exists(in, LinkOption.NOFOLLOW_LINKS)) {
                String why;
                try {
                    Files.readAttributes(in, BasicFileAttributes.class);
                    why = "not a regular file or folder";
                } catch (IOException e) {
                    why = FileProblems.reason(e);
                }
                throw new IllegalArgumentException(in + ": " + why);
            } else {
                throw new IllegalArgumentException("no such file or folder: " + in);
            }
        }
        return distinctNames(raw);
    }

    private void scan(Path root, Path outAbs, Path outReal, List<Item> found, List<ScanProblem> problems) throws IOException {
        Map<Path, Boolean> isOutputDir = new HashMap<>();
        Path rootReal = realOrSelf(root.toAbsolutePath().normalize());
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), recursive ? Integer.MAX_VALUE : 1, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                Path real = realOrSelf(d.toAbsolutePath().normalize());
                if (!d.equals(root)) {
                    String n = d.getFileName().toString();
                    if (n.startsWith(".") && n.endsWith(".part")) return FileVisitResult.SKIP_SUBTREE; // a staging folder
                    if (real.equals(outReal) || real.startsWith(outReal) && !rootReal.startsWith(outReal)) {
                        return FileVisitResult.SKIP_SUBTREE; // our own outputs, never inputs
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                if (attrs.isDirectory() || !looksLikeImage(f)) return FileVisitResult.CONTINUE;
                String name = f.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".part")) return FileVisitResult.CONTINUE;
                Path parent = f.getParent();
                Path rel = root.relativize(parent);
                // When an input folder is also where its outputs go (-o equal to the input), skip what we wrote.
                boolean outputHere = isOutputDir.computeIfAbsent(parent, p -> sameFile(p, outAbs.resolve(rel)));
                if (outputHere && OUTPUT_NAME.matcher(name).matches()) return FileVisitResult.CONTINUE;
                found.add(new Item(f, rel, stem(name), null));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
                String why = e instanceof FileSystemLoopException ? "symbolic link loop" : FileProblems.reason(e);
                boolean image = looksLikeImage(f) && !Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS);
                problems.add(new ScanProblem((image ? "" : "skipped ") + f + ": " + why, image));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Gives each item an output base name no other item writing into the same folder has. */
    private static List<Item> distinctNames(List<Item> raw) {
        Map<String, Set<String>> taken = new HashMap<>();
        Map<String, Integer> count = new HashMap<>();
        for (Item i : raw) count.merge(key(i.relDir, i.outStem), 1, Integer::sum);
        List<Item> out = new ArrayList<>(raw.size());
        for (Item i : raw) {
            Set<String> used = taken.computeIfAbsent(i.relDir.toString(), k -> new HashSet<>());
            String s = i.outStem;
            String note = null;
            if (!used.add(s.toLowerCase(Locale.ROOT))) {
                String candidate = i.file.getFileName().toString();
                for (int n = 2; used.contains(candidate.toLowerCase(Locale.ROOT)) || count.containsKey(key(i.relDir, candidate)); n++)
                    candidate = s + "-" + n;
                used.add(candidate.toLowerCase(Locale.ROOT));
                note = "another input in this batch also makes " + s + "-*; this one's outputs are named " + candidate + "-*";
                s = candidate;
            }
            out.add(new Item(i.file, i.relDir, s, note));
        }
        return out;
    }

    private static String key(Path relDir, String stem) {
        return relDir + "\u0000" + stem.toLowerCase(Locale.ROOT);
    }

    private static Path realOrSelf(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException | RuntimeException e) {
            return p;
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static boolean looksLikeImage(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(n.substring(dot + 1));
    }

    static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    static String message(Throwable e) {
        if (e instanceof OutOfMemoryError) return "not enough memory for this image";
        if (e instanceof LinkageError) return "a library could not be loaded (" + e + ")";
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
