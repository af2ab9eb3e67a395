package studio.matting.task;

/**
 * Names the one thread that must never run heavy image work — the editor's FX thread, where a trimap regeneration
 * on a 24 MP photo freezes the window for seconds. Heavy core operations call {@link #checkHeavyWork}; with no
 * thread registered (the CLI, plain tests) the check costs one volatile read and never fires. Like Android's
 * StrictMode: a violation is a programming error and fails loudly instead of silently stuttering.
 */
public final class ThreadGuard {
    private static volatile Thread guarded;

    private ThreadGuard() { }

    /** Marks {@code t} (null: none) as the thread that heavy work must stay off. */
    public static void forbidHeavyWorkOn(Thread t) { guarded = t; }

    public static Thread guarded() { return guarded; }

    /** @throws IllegalStateException when called on the registered thread */
    public static void checkHeavyWork(String what) {
        Thread g = guarded;
        if (g != null && Thread.currentThread() == g)
            throw new IllegalStateException(what + " must run off the " + g.getName() + " thread (it would freeze the window)");
    }
}
