package studio.matting.trimap;

import studio.matting.image.ByteImage;
import studio.matting.image.Rect;

/**
 * A trimap: one byte a pixel, {@link #BACKGROUND} (0), {@link #UNKNOWN} (128) or {@link #FOREGROUND} (255), row-major
 * with stride == width. Matting engines solve α only where the trimap is unknown.
 */
public final class Trimap {
    public static final int BACKGROUND = 0;
    public static final int UNKNOWN = 128;
    public static final int FOREGROUND = 255;

    public final int width;
    public final int height;
    public final byte[] data;

    public Trimap(int width, int height) {
        this(width, height, new byte[Math.multiplyExact(width, height)]);
    }

    public Trimap(int width, int height, byte[] data) {
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("trimap size must be positive");
        if (data.length != width * height) throw new IllegalArgumentException("trimap data length != width*height");
        this.width = width;
        this.height = height;
        this.data = data;
    }

    /** Snaps any 8-bit gray image to the three trimap levels: &lt; 64 background, &gt; 191 foreground, else unknown. */
    public static Trimap fromGray(ByteImage gray) {
        if (gray.channels != 1) throw new IllegalArgumentException("trimap source must have one channel");
        Trimap t = new Trimap(gray.width, gray.height);
        for (int y = 0; y < gray.height; y++) {
            int s = y * gray.stride, d = y * gray.width;
            for (int x = 0; x < gray.width; x++) t.data[d + x] = (byte) snap(gray.data[s + x] & 0xFF);
        }
        return t;
    }

    public static int snap(int v) {
        return v < 64 ? BACKGROUND : v > 191 ? FOREGROUND : UNKNOWN;
    }

    public static Trimap filled(int width, int height, int value) {
        Trimap t = new Trimap(width, height);
        java.util.Arrays.fill(t.data, (byte) value);
        return t;
    }

    public int get(int x, int y) {
        return data[y * width + x] & 0xFF;
    }

    public void set(int x, int y, int value) {
        data[y * width + x] = (byte) value;
    }

    public boolean isUnknown(int i) {
        return (data[i] & 0xFF) == UNKNOWN;
    }

    public long count(int value) {
        byte b = (byte) value;
        long n = 0;
        for (byte v : data) if (v == b) n++;
        return n;
    }

    /** Bounding box of the unknown pixels, or an empty rect when there are none. */
    public Rect unknownBounds() {
        int minX = width, minY = height, maxX = -1, maxY = -1;
        byte u = (byte) UNKNOWN;
        for (int y = 0; y < height; y++) {
            int o = y * width;
            for (int x = 0; x < width; x++) {
                if (data[o + x] == u) {
                    if (x < minX) minX = x;
                    if (x > maxX) maxX = x;
                    if (y < minY) minY = y;
                    maxY = y;
                }
            }
        }
        return maxX < 0 ? new Rect(0, 0, 0, 0) : new Rect(minX, minY, maxX - minX + 1, maxY - minY + 1);
    }

    public ByteImage asGray() {
        return new ByteImage(width, height, 1, data, width);
    }

    /** Smallest rectangle holding every pixel where this trimap and {@code other} (same size) differ; empty if none. */
    public Rect differenceBounds(Trimap other) {
        if (other.width != width || other.height != height) throw new IllegalArgumentException("trimaps differ in size");
        int minX = width, minY = height, maxX = -1, maxY = -1;
        for (int y = 0; y < height; y++) {
            int o = y * width;
            int x0 = 0, x1 = width - 1;
            while (x0 < width && data[o + x0] == other.data[o + x0]) x0++;
            if (x0 == width) continue;
            while (data[o + x1] == other.data[o + x1]) x1--;
            minX = Math.min(minX, x0);
            maxX = Math.max(maxX, x1);
            minY = Math.min(minY, y);
            maxY = y;
        }
        return maxX < 0 ? new Rect(0, 0, 0, 0) : new Rect(minX, minY, maxX - minX + 1, maxY - minY + 1);
    }

    /** Copies the rectangle {@code r} (inside the trimap) out as a trimap of its own. */
    public Trimap crop(Rect r) {
        Trimap out = new Trimap(r.width(), r.height());
        for (int y = 0; y < r.height(); y++) System.arraycopy(data, (r.y() + y) * width + r.x(), out.data, y * r.width(), r.width());
        return out;
    }

    public Trimap copy() {
        return new Trimap(width, height, data.clone());
    }
}
