package studio.matting.image;

/** An axis-aligned pixel rectangle, half-open: x in [x, x + width), y in [y, y + height). */
public record Rect(int x, int y, int width, int height) {
    public Rect {
        if (width < 0 || height < 0) throw new IllegalArgumentException("negative rectangle size");
    }

    public static Rect of(int width, int height) {
        return new Rect(0, 0, width, height);
    }

    public int right() { return x + width; }

    public int bottom() { return y + height; }

    public boolean isEmpty() { return width == 0 || height == 0; }

    public Rect expand(int margin) {
        return new Rect(x - margin, y - margin, width + 2 * margin, height + 2 * margin);
    }

    public Rect intersect(Rect o) {
        int nx = Math.max(x, o.x), ny = Math.max(y, o.y);
        int r = Math.min(right(), o.right()), b = Math.min(bottom(), o.bottom());
        return (r <= nx || b <= ny) ? new Rect(nx, ny, 0, 0) : new Rect(nx, ny, r - nx, b - ny);
    }

    public Rect union(Rect o) {
        if (isEmpty()) return o;
        if (o.isEmpty()) return this;
        int nx = Math.min(x, o.x), ny = Math.min(y, o.y);
        return new Rect(nx, ny, Math.max(right(), o.right()) - nx, Math.max(bottom(), o.bottom()) - ny);
    }

    public boolean contains(int px, int py) {
        return px >= x && py >= y && px < right() && py < bottom();
    }
}
