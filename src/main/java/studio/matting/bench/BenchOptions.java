package studio.matting.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What the suites read, filled by the CLI (or a test) — plain values, no command-line types.
 *
 * @param alphamatting alphamatting.com-layout folder, or null for {@code <shared>/data/alphamatting}
 * @param trimapSet    trimap1 or trimap2
 * @param images       matting suite: images matched with {@code trimaps}; pipeline suite: the photos to run
 * @param trimaps      matting suite: trimaps matched by name
 * @param only         only these image names (null: all)
 * @param limit        at most this many images (0: all)
 * @param models       model folder (null: {@code models})
 * @param device       auto, cpu or cuda
 * @param compareJacobi also solve with a Jacobi preconditioner
 * @param reference    pipeline suite: reference α folder matched by name (e.g. pseudo-alpha), or null
 * @param coarseToFine pipeline suite: use the coarse-to-fine solve for large images (false: full-resolution band)
 * @param tolerance    closed-form CG relative tolerance (0: the engine's default)
 * @param jobs         pipeline suite: images in flight for the batch line, as {@code matte -j} (0: matte's default)
 */
public record BenchOptions(Path alphamatting, String trimapSet, Path images, Path trimaps, List<String> only, int limit,
                           Path models, String device, boolean compareJacobi, Path reference, boolean coarseToFine,
                           double tolerance, int jobs) {
    public static BenchOptions defaults() {
        return new BenchOptions(null, "trimap2", null, null, null, 0, null, "auto", false, null, true, 0, 0);
    }

    /** The closed-form options the suites run: the app's defaults, with --tolerance and --full-band applied. */
    public studio.matting.matting.ClosedFormEngine.Options closedForm() {
        var d = studio.matting.matting.ClosedFormEngine.Options.DEFAULT;
        if (tolerance > 0) d = d.withTolerance(tolerance);
        return coarseToFine ? d : d.withCoarseToFinePixels(Long.MAX_VALUE);
    }

    /** {@code matting.shared} (default ../shared), where the data and peers live. */
    public static Path shared() {
        return Path.of(System.getProperty("matting.shared", "../shared"));
    }

    public Path alphamattingDir() {
        return alphamatting != null ? alphamatting : shared().resolve("data").resolve("alphamatting");
    }

    public Path modelsDir() {
        return models != null ? models : Path.of("models");
    }

    public BenchOptions withImages(Path img, Path tri) {
        return new BenchOptions(alphamatting, trimapSet, img, tri, only, limit, models, device, compareJacobi, reference, coarseToFine,
                tolerance, jobs);
    }
}
