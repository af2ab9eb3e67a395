package studio.matting.ui.session;

/**
 * A restartable one-shot timer whose action runs on the UI thread: a JavaFX {@code PauseTransition} in the editor,
 * a hand-fired stand-in in tests (so they need no sleep to see "nothing was scheduled").
 */
public interface Delay {
    /** (Re)starts the countdown; the action runs once it elapses without another restart. */
    void restart();

    void stop();

    boolean isPending();

    /** Makes a delay of {@code millis} that runs {@code action}. */
    @FunctionalInterface
    interface Factory {
        Delay create(long millis, Runnable action);
    }
}
