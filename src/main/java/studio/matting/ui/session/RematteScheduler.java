package studio.matting.ui.session;

import studio.matting.image.Rect;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Collects where the trimap changed and, after a short pause without further change, asks for one region re-matte
 * of the union — so a stroke, an undo, a slider move or a new mask re-mattes without pressing Matte, and a burst of
 * changes costs one solve. While a stroke is open the changes only accumulate; the pause starts when it ends.
 */
public final class RematteScheduler {
    public static final long DELAY_MS = 400;

    private final Delay delay;
    private final BooleanSupplier wanted;
    private static final Rect EMPTY = new Rect(0, 0, 0, 0);
    private Rect pending = EMPTY;
    private boolean strokeOpen;

    /**
     * @param wanted whether a re-matte makes sense now (a matte exists, auto re-matte is on, an engine is chosen)
     * @param rematte runs the re-matte of the given region (UI thread)
     */
    public RematteScheduler(Delay.Factory delays, BooleanSupplier wanted, Consumer<Rect> rematte) {
        this.wanted = wanted;
        this.delay = delays.create(DELAY_MS, () -> {
            Rect r = pending;
            pending = EMPTY;
            if (!r.isEmpty() && this.wanted.getAsBoolean()) rematte.accept(r);
        });
    }

    /** The trimap changed in {@code r}. */
    public void changed(Rect r) {
        if (r.isEmpty() || !wanted.getAsBoolean()) return;
        pending = pending.union(r);
        if (!strokeOpen) delay.restart();
    }

    public void strokeStarted() {
        strokeOpen = true;
        delay.stop();
    }

    public void strokeEnded() {
        strokeOpen = false;
        if (!pending.isEmpty() && wanted.getAsBoolean()) delay.restart();
        else pending = EMPTY;
    }

    /** Forgets what was pending (a new document). */
    public void reset() {
        delay.stop();
        pending = EMPTY;
        strokeOpen = false;
    }

    /** True while a re-matte is waiting for its pause to end. */
    public boolean isScheduled() { return delay.isPending(); }

    /** The region waiting to be re-matted. */
    public Rect pending() { return pending; }
}
