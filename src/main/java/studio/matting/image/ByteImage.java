package studio.matting.image;

import java.util.Objects;

/**
 * An 8-bit image stored as one flat interleaved array. Channels are 1 (gray / mask), 3 (RGB) or 4 (RGBA, straight
 * alpha). Pixel (x, y) channel c lives at {@code data[y * stride + x * channels + c]}.
 */
public final class ByteImage {
    public final int width;
    public final int height;
    public final int channels;
    public final int stride;
    public final byte[] data;

    public ByteImage(int width, int height, int channels) {
        this(width, height, channels, new byte[checkedSize(width, height, channels)], width * channels);
    }

    public ByteImage(int width, int height, int channels, byte[] data, int stride) {
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        if (channels != 1 && channels != 3 && channels != 4) throw new IllegalArgumentException("channels must be 1, 3 or 4: " + channels);
        if (stride < width * channels) throw new IllegalArgumentException("stride " + stride + " < row length " + width * channels);
        Objects.requireNonNull(data, "data");
        if ((long) stride * (height - 1) + (long) width * channels > data.length)
            throw new IllegalArgumentException("data too short for " + width + "x" + height + "x" + channels);
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.stride = stride;
        this.data = data;
    }

    static int checkedSize(int width, int height, int channels) {
        long n = (long) width * height * channels;
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("image too large: " + width + "x" + height + "x" + channels);
        return (int) n;
    }

    public int index(int x, int y) {
        return y * stride + x * channels;
    }

    /** Unsigned sample value 0..255. */
    public int get(int x, int y, int c) {
        return data[y * stride + x * channels + c] & 0xFF;
    }

    public void set(int x, int y, int c, int value) {
        data[y * stride + x * channels + c] = (byte) value;
    }

    public boolean sameSize(int w, int h) {
        return width == w && height == h;
    }

    public ByteImage copy() {
        return new ByteImage(width, height, channels, data.clone(), stride);
    }

    /** A tightly packed copy (stride == width * channels). */
    public ByteImage compact() {
        if (stride == width * channels) return copy();
        ByteImage out = new ByteImage(width, height, channels);
        for (int y = 0; y < height; y++) System.arraycopy(data, y * stride, out.data, y * out.stride, width * channels);
        return out;
    }

    @Override
    public String toString() {
        return "ByteImage[" + width + "x" + height + "x" + channels + "]";
    }
}
