package studio.matting.task;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/** A simple {@link TaskContext}: a cancel flag plus an optional progress callback. Thread-safe. */
public final class CancellationToken implements TaskContext {
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final BiConsumer<Double, String> listener;

    public CancellationToken() { this(null); }

    public CancellationToken(BiConsumer<Double, String> listener) { this.listener = listener; }

    public void cancel() { cancelled.set(true); }

    @Override public boolean isCancelled() { return cancelled.get(); }

    @Override public void progress(double fraction, String message) {
        if (listener != null) listener.accept(fraction, message);
    }
}
