package studio.matting.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import studio.matting.bench.BenchOptions;
import studio.matting.bench.BenchSuites;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code bench}: speed measurements in named suites ({@code --suite matting,pipeline}, default all). The suites live
 * in {@code studio.matting.bench} ({@link BenchSuites}); this command only turns its options into {@link BenchOptions}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure speed: per-suite timings (closed-form solve, CG iterations, peak heap, pipeline stages, stroke re-matte, PNG encoding, ...).")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--suite", split = ",", paramLabel = "NAME", description = "suites to run (default: all)")
    List<String> suites;
    @Option(names = "--alphamatting", paramLabel = "DIR", description = "alphamatting.com-layout folder (default: <shared>/data/alphamatting)")
    Path alphamatting;
    @Option(names = "--trimap-set", defaultValue = "trimap2", description = "trimap1 or trimap2 (default ${DEFAULT-VALUE})")
    String trimapSet;
    @Option(names = "--images", paramLabel = "DIR", description = "matting: images (with --trimaps) instead of --alphamatting; pipeline: the photos to run")
    Path images;
    @Option(names = "--trimaps", paramLabel = "DIR", description = "matting: trimaps matched by name")
    Path trimaps;
    @Option(names = "--reference", paramLabel = "DIR", description = "pipeline: reference α matched by name (e.g. pseudo-alpha) for an error column")
    Path reference;
    @Option(names = "--full-band", description = "pipeline: solve the whole full-resolution band (no coarse-to-fine), for comparison")
    boolean fullBand;
    @Option(names = "--only", split = ",", paramLabel = "NAME", description = "only these image names")
    List<String> only;
    @Option(names = "--limit", defaultValue = "0", description = "at most this many images (0 = all)")
    int limit;
    @Option(names = "--models", paramLabel = "DIR", description = "model folder (default: models)")
    Path models;
    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or cuda (default ${DEFAULT-VALUE})")
    String device;
    @Option(names = "--tolerance", defaultValue = "0", paramLabel = "TOL",
            description = "closed-form CG relative tolerance (default: the engine's, 1e-5; pymatting's is 1e-7)")
    double tolerance;
    @Option(names = {"-j", "--jobs"}, defaultValue = "0", paramLabel = "N",
            description = "pipeline: images in flight for the batch line, as matte -j (default: matte's, one per core)")
    int jobs;
    @Option(names = "--compare-jacobi", description = "matting: also solve with a Jacobi preconditioner (slow) for comparison")
    boolean compareJacobi;

    @Override
    public Integer call() {
        BenchOptions o = new BenchOptions(alphamatting, trimapSet, images, trimaps, only, limit, models, device, compareJacobi, reference, !fullBand, tolerance, jobs);
        return BenchSuites.run(suites, o, System.out, System.err);
    }
}
