package studio.matting.bench;

import studio.matting.pipeline.Engines;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of bench suites, in run order, and the runner the CLI's {@code bench} calls. */
public final class BenchSuites {
    private static final Map<String, Suite> SUITES = new LinkedHashMap<>();

    static {
        register(new MattingBenchSuite());
        register(new PipelineBenchSuite());
        register(new EditorBenchSuite());
        register(new PngBenchSuite());
        register(simple("select", "box selection and a scribble refinement on a generated 12 MP photo (ms)",
                (o, out) -> SelectBenchmark.run(out, 5)));
        register(simple("refine", "edge refinements on a 12 MP matte: the editor's preview and full resolution (ms)",
                (o, out) -> RefineBenchmark.run(out, false)));
        register(simple("composite", "compositing a 12-megapixel image and a 1920x1080 preview (ms)", (o, out) -> CompositeBenchmark.run(out)));
        register(simple("inference", "per-image latency of each model in the models folder, at its working size", (o, out) -> {
            Engines.setDevice(o.device());
            InferenceBenchmark.run(out, o.modelsDir());
        }));
    }

    private BenchSuites() { }

    public static synchronized void register(Suite s) { SUITES.put(s.name(), s); }

    public static synchronized Map<String, Suite> all() { return Collections.unmodifiableMap(new LinkedHashMap<>(SUITES)); }

    /**
     * Runs the named suites (all when {@code names} is null or empty), each under a {@code == name: description}
     * header. @return 2 for an unknown name (nothing run), else the worst suite exit code (1 when one threw)
     */
    public static int run(List<String> names, BenchOptions options, PrintStream out, PrintStream err) {
        Map<String, Suite> all = all();
        List<Suite> run = new ArrayList<>();
        if (names == null || names.isEmpty()) run.addAll(all.values());
        else for (String n : names) {
            Suite s = all.get(n);
            if (s == null) {
                err.println("bench: unknown suite '" + n + "'; available: " + String.join(", ", all.keySet()));
                return 2;
            }
            run.add(s);
        }
        int rc = 0;
        for (Suite s : run) {
            out.println("== " + s.name() + ": " + s.description());
            try {
                rc = Math.max(rc, s.run(options, out));
            } catch (Exception e) {
                err.println("bench: suite " + s.name() + " failed: " + e);
                rc = 1;
            }
        }
        return rc;
    }

    @FunctionalInterface
    private interface Body {
        void run(BenchOptions o, PrintStream out) throws Exception;
    }

    private static Suite simple(String name, String description, Body body) {
        return new Suite() {
            @Override public String name() { return name; }

            @Override public String description() { return description; }

            @Override public int run(BenchOptions o, PrintStream out) throws Exception {
                body.run(o, out);
                return 0;
            }
        };
    }
}
