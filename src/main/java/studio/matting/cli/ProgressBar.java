package studio.matting.cli;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar with ETA on a terminal, or one line per finished item when the output is redirected. */
final class ProgressBar {
    private final PrintStream out;
    private final int total;
    private final boolean interactive;
    private final long start = System.nanoTime();
    private int done;

    ProgressBar(PrintStream out, int total) {
        this.out = out;
        this.total = total;
        this.interactive = System.console() != null;
    }

    synchronized void step(String item, String outcome) {
        done++;
        double elapsed = (System.nanoTime() - start) / 1e9;
        double eta = done == 0 ? 0 : elapsed / done * (total - done);
        if (interactive) {
            int width = 30, filled = total == 0 ? width : (int) Math.round(width * (double) done / total);
            out.printf(Locale.ROOT, "\r[%s%s] %d/%d  %s  ETA %s   ", "#".repeat(filled), " ".repeat(width - filled), done, total,
                    outcome, clock(eta));
            if (done == total) out.println();
        } else {
            out.printf(Locale.ROOT, "[%d/%d] %s: %s (elapsed %s, ETA %s)%n", done, total, item, outcome, clock(elapsed), clock(eta));
        }
        out.flush();
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
