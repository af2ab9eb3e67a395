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
                throw new IllegalStateException("OpenCV native library could not be loaded: " + t.getMessage(), t);
            }
            loaded = true;
        }
    }
}
