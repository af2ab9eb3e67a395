package studio.matting.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import studio.matting.matting.MattingBenchSuite;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bench}: speed measurements, grouped in named suites ({@code --suite matting}, default all). A suite is a
 * class implementing {@link Suite}; other parts of the app register theirs in {@link #SUITES} (compositing,
 * inference, ...) without touching the command's options.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure speed: per-suite timings (closed-form solve, CG iterations, peak heap, foreground estimation, ...).")
public final class BenchCommand implements Callable<Integer> {
    /** A named group of measurements. */
    public interface Suite {
        String name();

        String description();

        /** @return exit code, 0 on success */
        int run(BenchCommand options, PrintStream out) throws Exception;
    }

    /** Registered suites in run order; add new ones here. */
    public static final Map<String, Suite> SUITES = new LinkedHashMap<>();

    static {
        register(new MattingBenchSuite());
        register(new BenchSuites.Composite());
        register(new BenchSuites.Inference());
    }

    public static synchronized void register(Suite s) { SUITES.put(s.name(), s); }

    @Option(names = "--suite", split = ",", paramLabel = "NAME", description = "suites to run (default: all)")
    public List<String> suites;
    @Option(names = "--alphamatting", paramLabel = "DIR", description = "alphamatting.com-layout folder (default: <shared>/data/alphamatting)")
    public Path alphamatting;
    @Option(names = "--trimap-set", defaultValue = "trimap2", description = "trimap1 or trimap2 (default ${DEFAULT-VALUE})")
    public String trimapSet;
    @Option(names = "--images", paramLabel = "DIR", description = "instead of --alphamatting: images ...")
    public Path images;
    @Option(names = "--trimaps", paramLabel = "DIR", description = "... and trimaps matched by name")
    public Path trimaps;
    @Option(names = "--only", split = ",", paramLabel = "NAME", description = "only these image names")
    public List<String> only;
    @Option(names = "--limit", defaultValue = "0", description = "at most this many images (0 = all)")
    public int limit;
    @Option(names = "--models", paramLabel = "DIR", description = "inference suite: model folder (default: models)")
    public Path models;
    @Option(names = "--device", defaultValue = "auto", description = "inference suite: auto, cpu or cuda (default ${DEFAULT-VALUE})")
    public String device;
    @Option(names = "--compare-jacobi", description = "also solve with a Jacobi preconditioner (slow) for comparison")
    public boolean compareJacobi;

    /** The data folder: --alphamatting, else {@code matting.shared} (or ../shared) + /data/alphamatting. */
    public Path alphamattingDir() {
        if (alphamatting != null) return alphamatting;
        return Path.of(System.getProperty("matting.shared", "../shared")).resolve("data").resolve("alphamatting");
    }

    @Override
    public Integer call() {
        List<Suite> run = new ArrayList<>();
        if (suites == null || suites.isEmpty()) run.addAll(SUITES.values());
        else for (String n : suites) {
            Suite s = SUITES.get(n);
            if (s == null) {
                System.err.println("bench: unknown suite '" + n + "'; available: " + String.join(", ", SUITES.keySet()));
                return 2;
            }
            run.add(s);
        }
        int rc = 0;
        for (Suite s : run) {
            System.out.println("== " + s.name() + ": " + s.description());
            try {
                rc = Math.max(rc, s.run(this, System.out));
            } catch (Exception e) {
                System.err.println("bench: suite " + s.name() + " failed: " + e);
                rc = 1;
            }
        }
        return rc;
    }
}
