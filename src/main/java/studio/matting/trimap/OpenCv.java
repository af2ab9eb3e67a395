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

    /**
     * Seeds OpenCV's generator of the calling thread (it is per thread). GrabCut starts its colour mixtures by k-means
     * from it, so without a fixed seed the same photo and labels can give another mask (on fullbody val.txt box
     * selection moved by 0.006 of IoU from that alone). Call right before an initialising grabCut.
     */
    public static void seedRandom() {
        org.opencv.core.Core.setRNGSeed(SEED);
    }

    static final int SEED = 0x5eed;

    /** The innermost cause that says something: openpnp often wraps the real error in one with no message. */
    static String reason(Throwable t) {
        String best = t.getClass().getSimpleName();
        for (Throwable c = t; c != null; c = c.getCause())
            if (c.getMessage() != null && !c.getMessage().isBlank()) best = c.getClass().getSimpleName() + ": " + c.getMessage();
        return best;
    }
}
