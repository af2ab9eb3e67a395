package studio.matting.ui;

/**
 * Turns JavaFX's start-up failures on machines without a usable display into a message a user can act on. Glass
 * reports them as bare {@link UnsupportedOperationException}s ("Unable to open DISPLAY", "Unable to load glass GTK
 * library") with a stack trace that says nothing about what to install or which parts still work.
 */
public final class DisplayProblem {
    private DisplayProblem() { }

    /** The explanation for {@code failure}, or null when it is not a display problem (then it is rethrown as is). */
    public static String explain(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (!(t instanceof UnsupportedOperationException) || m == null) continue;
            if (m.contains("DISPLAY")) {
                return "The editor needs a display, and none was found (" + m + "). Run it from a desktop session, "
                        + "or under a virtual one: xvfb-run -a mvn -q compile exec:java -Dexec.args=\"IMAGE\". "
                        + "The command line (matte, eval, bench, idphoto …) works without a display.";
            }
            if (m.contains("GTK")) {
                return "The editor needs GTK 3, which JavaFX could not load (" + m + "). On Debian or Ubuntu: "
                        + "sudo apt install libgtk-3-0. The command line (matte, eval, bench, idphoto …) works "
                        + "without it.";
            }
        }
        return null;
    }
}
