package studio.matting.image;

/**
 * A float image stored as one flat interleaved array, usually with values in [0, 1]. One channel holds an alpha matte
 * or a soft mask; three hold RGB (for example an estimated foreground F). Pixel (x, y) channel c lives at
 * {@code data[y * stride + x * channels + c]}.
 */
public final class FloatImage {
    public final int width;
    public final int height;
    public final int channels;
    public final int stride;
    public final float[] data;

    public FloatImage(int width, int height, int channels) {
        this(width, height, channels, new float[ByteImage.checkedSize(width, height, channels)], width * channels);
    }

    public FloatImage(int width, int height, int channels, float[] data, int stride) {
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        if (channels <= 0) throw new IllegalArgumentException("channels must be positive: " + channels);
        if (stride < width * channels) throw new IllegalArgumentException("stride " + stride + " < row length " + width * channels);
        if ((long) stride * (height - 1) + (long) width * channels > data.length)
            throw new IllegalArgumentException("data too short for " + width + "x" + height + "x" + channels);
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.stride = stride;
        this.data = data;
    }

    public float get(int x, int y, int c) {
        return data[y * stride + x * channels + c];
    }

    public void set(int x, int y, int c, float v) {
        data[y * stride + x * channels + c] = v;
    }

    public FloatImage copy() {
        return new FloatImage(width, height, channels, data.clone(), stride);
    }

    public boolean sameSize(int w, int h) {
        return width == w && height == h;
    }

    @Override
    public String toString() {
        return "FloatImage[" + width + "x" + height + "x" + channels + "]";
    }
}
