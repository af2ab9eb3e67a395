package studio.matting.task;

import java.util.concurrent.CancellationException;

/**
 * What long work (segmentation, matting, foreground estimation, export) is told by its caller: where to report
 * progress and how to learn that it should stop. Engines poll {@link #checkCancelled()} between iterations so a
 * cancel from the UI or a Ctrl+C in the CLI takes effect within a fraction of a second.
 */
public interface TaskContext {
    /** @param fraction 0..1 of this task, @param message short stage text for a status bar */
    void progress(double fraction, String message);

    boolean isCancelled();

    default void checkCancelled() {
        if (isCancelled()) throw new CancellationException("cancelled");
    }

    /** A context that never cancels and ignores progress. */
    TaskContext NONE = new TaskContext() {
        @Override public void progress(double fraction, String message) { }
        @Override public boolean isCancelled() { return false; }
    };

    /** A view of this context covering [from, to] of its progress range, for multi-stage work. */
    default TaskContext sub(double from, double to) {
        TaskContext parent = this;
        return new TaskContext() {
            @Override public void progress(double fraction, String message) {
                parent.progress(from + (to - from) * Math.max(0, Math.min(1, fraction)), message);
            }
            @Override public boolean isCancelled() { return parent.isCancelled(); }
        };
    }
}
