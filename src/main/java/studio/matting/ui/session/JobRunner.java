package studio.matting.ui.session;

import studio.matting.task.CancellationToken;
import studio.matting.task.TaskContext;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The editor's one way to do work off the UI thread: every job runs on one background thread and its outcome is
 * applied on the UI thread (through {@code ui}, {@code Platform::runLater} in the editor, a queue in tests). A job is
 * either plain (decode, save, export: nothing to cancel) or <em>exclusive</em> — segment and matte — of which one
 * runs at a time with a cancel token and progress; starting one cancels the previous. Use from the UI thread.
 */
public final class JobRunner {
    /** The work, on the background thread. */
    @FunctionalInterface
    public interface Work<T> {
        T run(TaskContext ctx) throws Exception;
    }

    /** What happened, told on the UI thread. */
    public interface Outcome<T> {
        void done(T result);

        /** The job threw (an {@link OutOfMemoryError} included); the message is the user's to read. */
        void failed(Throwable error);

        default void cancelled() { }
    }

    /** Told on the UI thread while an exclusive job runs: visible, fraction (or -1: indeterminate), stage text. */
    public interface ProgressListener {
        void progress(boolean running, double fraction, String message);
    }

    private final Executor ui;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "editor-worker");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong pending = new AtomicLong();
    private ProgressListener progress = (r, f, m) -> { };
    private CancellationToken running;
    private boolean runningRegion;

    public JobRunner(Executor ui) {
        this.ui = ui;
    }

    public void setProgressListener(ProgressListener l) { progress = l; }

    /** True while a job is queued or running, or its outcome is not applied yet (tests poll this instead of sleeping). */
    public boolean isBusy() { return pending.get() > 0; }

    /** A plain background job. */
    public <T> void submit(Work<T> work, Outcome<T> outcome) {
        execute(TaskContext.NONE, work, outcome, null);
    }

    /**
     * An exclusive job: cancels the one running, shows progress, and reports its outcome unless a newer job took its
     * place. {@code region} marks a brush re-matte, which a new stroke makes stale ({@link #cancelRegion}).
     */
    public <T> void start(boolean region, boolean showMessages, Work<T> work, Outcome<T> outcome) {
        cancel();
        CancellationToken[] self = new CancellationToken[1];
        CancellationToken token = new CancellationToken((f, msg) -> ui.execute(() -> {
            if (running == self[0]) progress.progress(true, f, showMessages ? msg : null);
        }));
        self[0] = token;
        running = token;
        runningRegion = region;
        progress.progress(true, -1, null);
        execute(token, work, outcome, token);
    }

    public void cancel() {
        if (running != null) running.cancel();
    }

    /** Cancels the running job if it is a region re-matte (a full matte the user asked for keeps running). */
    public void cancelRegion() {
        if (running != null && runningRegion) running.cancel();
    }

    public boolean isRunning() { return running != null; }

    /** True while an exclusive job other than a region re-matte runs (a full matte, a segmentation, a selection). */
    public boolean isRunningExclusive() { return running != null && !runningRegion; }

    public void shutdown() {
        cancel();
        worker.shutdownNow();
    }

    private <T> void execute(TaskContext ctx, Work<T> work, Outcome<T> outcome, CancellationToken token) {
        // A timer (re-matte, preview) may still fire after the window closed: the session is gone, drop the job.
        if (worker.isShutdown()) return;
        pending.incrementAndGet();
        worker.execute(() -> {
            T result = null;
            Throwable error = null;
            boolean cancelled = false;
            try {
                ctx.checkCancelled();
                result = work.run(ctx);
            } catch (CancellationException e) {
                cancelled = true;
            } catch (Exception | OutOfMemoryError e) {
                error = e;
            }
            T r = result;
            Throwable err = error;
            boolean stopped = cancelled || (token != null && token.isCancelled());
            // The session closed while this ran: nobody takes the outcome (and the UI executor may be gone).
            if (worker.isShutdown()) {
                pending.decrementAndGet();
                return;
            }
            try {
                ui.execute(() -> {
                    try {
                        if (token != null && running == token) {
                            running = null;
                            progress.progress(false, 0, null);
                        }
                        if (stopped) outcome.cancelled();
                        else if (err != null) outcome.failed(err);
                        else {
                            try {
                                outcome.done(r);
                            } catch (RuntimeException e) {
                                outcome.failed(e); // applying failed (a bad result, a guard): said, not swallowed
                            }
                        }
                    } finally {
                        // Counted down only once the outcome is applied, so "not busy" means the document is up to date.
                        pending.decrementAndGet();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                pending.decrementAndGet(); // the UI executor stopped between the check and the post
            }
        });
    }

    /** The message of an error for a dialog: its own text, else its type. */
    public static String message(Throwable e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** Adapts two lambdas to an {@link Outcome}. */
    public static <T> Outcome<T> outcome(java.util.function.Consumer<T> done, java.util.function.Consumer<Throwable> failed) {
        return new Outcome<>() {
            @Override public void done(T result) { done.accept(result); }
            @Override public void failed(Throwable error) { failed.accept(error); }
        };
    }

}
