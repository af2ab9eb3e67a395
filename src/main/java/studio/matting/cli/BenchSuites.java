package studio.matting.cli;

import studio.matting.compositor.CompositeBenchmark;
import studio.matting.inference.InferenceBenchmark;
import studio.matting.pipeline.Engines;

import java.io.PrintStream;
import java.nio.file.Path;

/** The `bench` suites that live outside the matting package: compositing and model inference. */
final class BenchSuites {
    private BenchSuites() { }

    static final class Composite implements BenchCommand.Suite {
        @Override public String name() { return "composite"; }

        @Override public String description() { return "compositing a 12-megapixel image and a 1920x1080 preview (ms)"; }

        @Override public int run(BenchCommand options, PrintStream out) {
            CompositeBenchmark.run(out);
            return 0;
        }
    }

    static final class Inference implements BenchCommand.Suite {
        @Override public String name() { return "inference"; }

        @Override public String description() { return "per-image latency of each model in the models folder, at its working size"; }

        @Override public int run(BenchCommand options, PrintStream out) {
            Engines.setDevice(options.device);
            InferenceBenchmark.run(out, options.models == null ? Path.of("models") : options.models);
            return 0;
        }
    }
}
