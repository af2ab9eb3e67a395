package studio.matting.trimap;

/** Loads OpenCV's native library once. openpnp's loadShared() fails on Java 12+, so loadLocally() is used. */
public final class OpenCv {
    private static volatile boolean loaded;

    private OpenCv() { }

    public static void load() {
        if (loaded) return;
        synchronized (OpenCv.class) {
            if (loaded) return;
            try {
                nu.pattern.OpenCV.loadLocally();
            } catch (Throwable t) {
                throw new IllegalStateException("OpenCV's native library could not be loaded (" + reason(t) + "). It is unpacked "
                        + "into the temporary folder (" + System.getProperty("java.io.tmpdir") + "): check that it exists, "
                        + "is writable and not full, and that no file-size limit (ulimit -f) stops it", t);
            }
            loaded = true;
        }
    }

    /** The innermost cause that says something: openpnp often wraps the real error in one with no message. */
    static String reason(Throwable t) {
        String best = t.getClass().getSimpleName();
        for (Throwable c = t; c != null; c = c.getCause())
            if (c.getMessage() != null && !c.getMessage().isBlank()) best = c.getClass().getSimpleName() + ": " + c.getMessage();
        return best;
    }
}
