package studio.matting.bench;

import java.io.PrintStream;

/** A named group of measurements run by {@code bench --suite NAME}. */
public interface Suite {
    String name();

    String description();

    /** @return exit code, 0 on success (a suite whose data is absent prints why and returns 0) */
    int run(BenchOptions options, PrintStream out) throws Exception;
}
