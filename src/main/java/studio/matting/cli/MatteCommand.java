package studio.matting.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import studio.matting.compositor.Background;
import studio.matting.export.ExportOptions;
import studio.matting.export.Exporter;
import studio.matting.image.ByteImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageOps;
import studio.matting.pipeline.AutoPipeline;
import studio.matting.pipeline.Engines;
import studio.matting.task.TaskContext;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Batch matting of a file or a folder: alpha / cut-out / composite / trimap for each image. */
@Command(name = "matte", mixinStandardHelpOptions = true,
        description = {"Matte images: segment (or use given trimaps/masks), build the trimap, compute α and foreground"
                + " colours, and write the outputs you ask for.",
                "Exit code: 0 all done (or skipped), 1 some images failed, 2 bad arguments."},
        sortOptions = false)
public final class MatteCommand implements Callable<Integer> {
    static final List<String> IMAGE_EXTENSIONS = List.of("jpg", "jpeg", "png", "bmp", "gif", "webp");

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Image files or folders.")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, required = true, description = "Output folder (created if missing).")
    Path output;

    @Option(names = {"-r", "--recursive"}, description = "Descend into sub-folders (the folder structure is kept).")
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
    SelectOptions select = new SelectOptions();

    @picocli.CommandLine.Mixin
    RefineOptions refine = new RefineOptions();

    @Option(names = "--list-engines", help = true, description = "List the available engines and segmenters, then exit.")
    boolean listEngines;

    @Option(names = "--overwrite", description = "Replace existing outputs (default: skip images whose outputs exist).")
    boolean overwrite;

    @Option(names = {"-j", "--jobs"}, description = "Images processed at once (default: half the cores, at least 1).")
    int jobs = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    PrintStream out = System.out;
    PrintStream err = System.err;

    private record Item(Path file, Path relDir) { }

    @Override
    public Integer call() throws Exception {
        Engines.setDevice(layers.device);
        if (listEngines) {
            out.println("Matting engines: " + String.join(", ", Engines.mattingIds()));
            out.println("Segmenters:      " + String.join(", ", Engines.segmenterIds()));
            out.println("Device:          " + Engines.deviceDescription());
            return 0;
        }
        if (jobs < 1) throw new IllegalArgumentException("--jobs must be >= 1");
        ExportOptions.CompositeFormat fmt = switch (format.toLowerCase(Locale.ROOT)) {
            case "png" -> ExportOptions.CompositeFormat.PNG;
            case "jpg", "jpeg" -> ExportOptions.CompositeFormat.JPEG;
            default -> throw new IllegalArgumentException("--format must be png or jpg");
        };
        Background background = BackgroundSpec.parse(bg);
        if (size != null) {
            IdPhotoCommand.preset(size); // fail fast on an unknown preset
            BackgroundSpec.parseColour(bg);
            composite = true;
        }
        if (!alpha && !cutout && !composite && !saveTrimap)
            throw new IllegalArgumentException("nothing to write: enable --alpha, --cutout, --composite or --save-trimap");
        Engines.matting(layers.engineId); // fail fast on an unknown engine id
        refine.start(overwrite);
        List<Item> items = collect();
        if (items.isEmpty()) {
            err.println("No images found in " + inputs);
            return 1;
        }
        if (layers.trimapSource != null && Files.isRegularFile(layers.trimapSource) && items.size() > 1)
            throw new IllegalArgumentException("--trimap FILE needs exactly one input image; give a folder for many");
        select.check(layers, items.stream().map(Item::file).toList(), err);

        AtomicInteger failed = new AtomicInteger(), skipped = new AtomicInteger(), written = new AtomicInteger();
        ProgressBar bar = new ProgressBar(err, items.size());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, items.size()), r -> {
            Thread t = new Thread(r, "matte-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Item item : items) {
                futures.add(pool.submit(() -> {
                    String name = item.relDir.resolve(item.file.getFileName()).toString();
                    try {
                        String outcome = process(item, fmt, background);
                        if (outcome.startsWith("skipped")) skipped.incrementAndGet(); else written.incrementAndGet();
                        bar.step(name, outcome);
                    } catch (Exception | OutOfMemoryError e) {
                        failed.incrementAndGet();
                        bar.step(name, "FAILED");
                        err.println("error: " + name + ": " + message(e));
                    }
                }));
            }
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
        out.printf(Locale.ROOT, "%d done, %d skipped, %d failed%n", written.get(), skipped.get(), failed.get());
        refine.finish(out);
        return failed.get() > 0 ? 1 : 0;
    }

    private String process(Item item, ExportOptions.CompositeFormat fmt, Background background) throws Exception {
        String stem = stem(item.file.getFileName().toString());
        ExportOptions opts = new ExportOptions(output.resolve(item.relDir), stem, alpha, alpha16, cutout, composite, fmt,
                quality, maxKb, saveTrimap, dpi, overwrite);
        if (!overwrite && !Exporter.existingTargets(opts).isEmpty()) return "skipped (outputs exist; --overwrite replaces them)";

        ByteImage rgb = ImageOps.toRgb(ImageFiles.read(item.file));
        AutoPipeline p = select.active() ? select.pipeline(layers, rgb, item.file, background) : layers.pipeline(rgb, item.file, item.relDir, background);
        refine.configure(p, item.relDir.resolve(item.file.getFileName()).toString());
        boolean idPhoto = size != null;
        p.run(composite && !idPhoto ? AutoPipeline.Stage.COMPOSITE : AutoPipeline.Stage.FOREGROUND, TaskContext.NONE, null);
        String idNote = "";
        if (idPhoto) {
            // The ID photo replaces the full-frame composite; the other outputs stay full frame.
            ByteImage photo = IdPhotoCommand.render(p, rgb, IdPhotoCommand.preset(size), dpi, BackgroundSpec.parseColour(bg));
            idNote = ", ID photo " + IdPhotoCommand.write(photo, opts.compositePath(), fmt == ExportOptions.CompositeFormat.JPEG, dpi, maxKb, quality, overwrite);
            opts = opts.withOutputs(alpha, alpha16, cutout, false, saveTrimap);
        }
        Exporter.Result r = Exporter.targets(opts).isEmpty() ? new Exporter.Result(List.of(), Float.NaN, 0)
                : Exporter.export(new Exporter.Inputs(rgb, p.alpha(), p.foreground(), p.trimap(), background), opts);
        return (r.written().size() + (idPhoto ? 1 : 0)) + " file(s)" + idNote + (Float.isNaN(r.jpegQuality()) ? "" : String.format(Locale.ROOT, ", JPEG quality %.2f", r.jpegQuality()));
    }

    private List<Item> collect() throws IOException {
        List<Item> items = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isRegularFile(in)) {
                items.add(new Item(in, Path.of("")));
            } else if (Files.isDirectory(in)) {
                try (Stream<Path> s = recursive ? Files.walk(in) : Files.list(in)) {
                    s.filter(Files::isRegularFile).filter(MatteCommand::looksLikeImage).sorted()
                            .forEach(f -> items.add(new Item(f, in.relativize(f.getParent()))));
                }
            } else {
                throw new IllegalArgumentException("no such file or folder: " + in);
            }
        }
        return items;
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
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
