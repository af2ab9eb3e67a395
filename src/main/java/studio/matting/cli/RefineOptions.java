package studio.matting.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import studio.matting.pipeline.AutoPipeline;
import studio.matting.pipeline.Engines;
import studio.matting.problems.Problem;
import studio.matting.problems.ProblemFinder;
import studio.matting.problems.ProblemsJson;
import studio.matting.refine.Decontamination;
import studio.matting.refine.Refinements;
import studio.matting.refine.RefiningEngine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Edge refinement options shared by {@code matte} and {@code idphoto} (a picocli mixin): Smooth, Feather, Contrast,
 * Shift Edge, Decontaminate and the problem-spot list. A command calls {@link #start} before its images,
 * {@link #configure} on each image's pipeline and {@link #finish} at the end.
 */
public final class RefineOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    private double smooth, feather, contrast, shiftEdge;
    private double decontaminate = Refinements.NONE.decontaminate();

    @Option(names = "--problems", paramLabel = "FILE.json",
            description = "Write the probable matte problems (islands, holes, mid-α areas, colour fringes, too wide bands): kind, box, score, fix.")
    Path problems;

    private final List<ProblemsJson.Entry> found = new ArrayList<>();
    private boolean overwrite;

    @Option(names = "--smooth", paramLabel = "0-100", description = "Smooth the hard boundary's jagged bits (scale smooth/10 px; default 0).")
    void smooth(double v) { smooth = range("--smooth", v, 0, Refinements.MAX_SMOOTH); }

    @Option(names = "--feather", paramLabel = "PX", description = "Feather: Gaussian blur of α, σ in px, 0-250 (default 0).")
    void feather(double v) { feather = range("--feather", v, 0, Refinements.MAX_FEATHER); }

    @Option(names = "--contrast", paramLabel = "0-100", description = "Contrast in %%: steepen soft transitions; 100 = hard threshold (default 0).")
    void contrast(double v) { contrast = range("--contrast", v, 0, Refinements.MAX_CONTRAST); }

    @Option(names = "--shift-edge", paramLabel = "-100..100", description = "Shift Edge in %% of half the unknown band: - moves the edge in, + out (default 0).")
    void shiftEdge(double v) { shiftEdge = range("--shift-edge", v, -Refinements.MAX_SHIFT, Refinements.MAX_SHIFT); }

    @Option(names = "--decontaminate", paramLabel = "0-100",
            description = "Decontaminate colours in %%: 0 = the photo's colours at the edge, 100 = estimated foreground colours (default 100).")
    void decontaminate(double v) { decontaminate = range("--decontaminate", v, 0, Refinements.MAX_DECONTAMINATE); }

    private double range(String name, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi))
            throw new ParameterException(spec.commandLine(), String.format(Locale.ROOT, "%s must be between %s and %s, got %s",
                    name, trim(lo), trim(hi), trim(v)));
        return v;
    }

    private static String trim(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? Long.toString((long) v) : Double.toString(v);
    }

    public Refinements settings() {
        return new Refinements(smooth, feather, contrast, shiftEdge, decontaminate);
    }

    /** Before any image: refuses an existing --problems file unless overwriting (so no work is lost at the end). */
    void start(boolean overwrite) {
        this.overwrite = overwrite;
        if (problems != null && !overwrite && Files.exists(problems))
            throw new IllegalArgumentException(problems + " already exists; add --overwrite to replace it");
    }

    /**
     * Hooks the settings into one image's pipeline: the engine's α is refined before the foreground colours are
     * estimated for it, the colours are decontaminated by the amount, and with --problems the finder looks at the
     * result (α and the undecontaminated foreground).
     */
    void configure(AutoPipeline p, String name) {
        Refinements r = settings();
        if (!r.alphaIdentity()) p.setEngine(new RefiningEngine(p.engine(), r));
        if (r.decontaminate() == 100 && problems == null) return;
        AutoPipeline.ForegroundStage estimator = Engines.foregroundStage();
        p.setForegroundStage((rgb, alpha, ctx) -> {
            var fg = estimator.estimate(rgb, alpha, ctx);
            if (problems != null) {
                List<Problem> list = ProblemFinder.find(rgb, alpha, fg, p.trimap());
                synchronized (found) {
                    found.add(new ProblemsJson.Entry(name, rgb.width, rgb.height, list));
                }
            }
            return Decontamination.blend(rgb, fg, r.decontaminate());
        });
    }

    /** After all images: writes the --problems file (if asked) and says how many were found. */
    void finish(PrintStream out) throws IOException {
        if (problems == null) return;
        List<ProblemsJson.Entry> entries;
        synchronized (found) {
            entries = new ArrayList<>(found);
        }
        entries.sort(Comparator.comparing(ProblemsJson.Entry::image));
        Path parent = problems.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        ProblemsJson.write(problems, entries, overwrite);
        int n = entries.stream().mapToInt(e -> e.problems().size()).sum();
        out.printf(Locale.ROOT, "%s: %d problem(s) in %d image(s)%n", problems, n, entries.size());
    }
}
