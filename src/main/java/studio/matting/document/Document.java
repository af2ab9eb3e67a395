package studio.matting.document;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageLoadException;
import studio.matting.image.ImageOps;
import studio.matting.image.Rect;
import studio.matting.segment.EllipseMask;
import studio.matting.segment.MaskFile;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapBrush;
import studio.matting.trimap.TrimapGenerator;
import studio.matting.trimap.TrimapHistory;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One editing session: the image and the layers derived from it, kept separate so each can be replaced on its own —
 * RGB image, soft person mask, trimap (edited in place, with undo), α and foreground colours (null until matted).
 * Plain Java with plain listeners so tests use it without JavaFX. Not thread-safe: mutate it from one thread (the
 * editor's FX thread) and hand copies to background work. No method but the convenience constructor does image
 * work: trimaps are made by the pipeline on a worker and handed in.
 */
public final class Document {
    public enum Layer { IMAGE, MASK, TRIMAP, ALPHA, FOREGROUND, SETTINGS }

    /** Called after a layer changed; {@code region} is the changed area (the whole image for a replacement). */
    @FunctionalInterface
    public interface Listener {
        void changed(Layer layer, Rect region);
    }

    private final Path path;
    private final ByteImage image;
    private final double dpi;
    private FloatImage mask;
    private final Trimap trimap;
    private final TrimapHistory history;
    private FloatImage alpha;
    private FloatImage foreground;
    private Band band = new Band(TrimapGenerator.DEFAULT_KERNEL, TrimapGenerator.DEFAULT_ITERATIONS, false);
    private String maskSource;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /**
     * A session whose trimap is the automatic one made from {@code mask} ({@link TrimapGenerator#fromMaskAuto}: the
     * band that fits the image's size, shaped by the mask's confidence), as {@code matte} makes it; the Band fields
     * show the default kernel and the iterations of that size ({@link TrimapGenerator#autoIterations}), and the band
     * stays automatic for later masks until they are changed. Call it off the UI thread.
     */
    public Document(Path path, ByteImage rgb, double dpi, FloatImage mask, String maskSource) {
        this(path, rgb, dpi, mask, maskSource, TrimapGenerator.fromMaskAuto(checkSize(mask, rgb)));
        this.band = new Band(TrimapGenerator.DEFAULT_KERNEL, autoIterations(rgb), true);
    }

    /**
     * How a new mask becomes a trimap: the automatic band ({@code auto}), or the plain erode/dilate with this kernel
     * and these iterations once the Band fields have been changed. Captured on the UI thread, used by the worker.
     */
    public record Band(int kernel, int iterations, boolean auto) { }

    private static int autoIterations(ByteImage rgb) {
        return TrimapGenerator.autoIterations(rgb.width, rgb.height, TrimapGenerator.DEFAULT_KERNEL);
    }

    /** A session starting from a given trimap (copied; no undo step). */
    public Document(Path path, ByteImage rgb, double dpi, FloatImage mask, String maskSource, Trimap start) {
        if (rgb.channels != 3) throw new IllegalArgumentException("document image must be RGB");
        checkSize(mask, rgb);
        if (start.width != rgb.width || start.height != rgb.height) throw new IllegalArgumentException("trimap size differs from the image");
        this.path = path;
        this.image = rgb;
        this.dpi = dpi;
        this.mask = mask;
        this.maskSource = maskSource;
        this.trimap = start.copy();
        this.history = new TrimapHistory(trimap);
    }

    /**
     * Opens an image and picks its starting mask: the sibling {@code name-mask.png} when there is one, else the
     * centred ellipse. Throws with a user-facing message on bad input.
     */
    public static Document open(Path imagePath) throws ImageLoadException {
        ImageFiles.Decoded d = ImageFiles.decode(imagePath);
        ByteImage rgb = ImageOps.toRgb(d.image());
        Path sibling = MaskFile.siblingMask(imagePath);
        if (sibling != null) {
            try {
                MaskFile.Loaded m = MaskFile.load(sibling, rgb.width, rgb.height);
                return m.isTrimap() ? new Document(imagePath, rgb, d.dpi(), m.mask(), sibling.getFileName().toString(), m.trimap())
                        : new Document(imagePath, rgb, d.dpi(), m.mask(), sibling.getFileName().toString());
            } catch (ImageLoadException ignored) {
                // An unusable sibling mask is not a reason to refuse the image: fall back to the ellipse.
            }
        }
        return new Document(imagePath, rgb, d.dpi(), EllipseMask.render(rgb.width, rgb.height,
                EllipseMask.Ellipse.centred(rgb.width, rgb.height)), "ellipse");
    }

    /**
     * A session restored from saved layers (a project file): the trimap is taken as it was saved, with no undo step,
     * and the mask is derived from it (foreground 1, unknown ½, background 0) so the sliders still have a mask to
     * regenerate from.
     */
    public static Document restore(Path imagePath, ByteImage rgb, double dpi, Trimap trimap, int kernelSize, int iterations) {
        FloatImage mask = new FloatImage(rgb.width, rgb.height, 1);
        for (int i = 0; i < trimap.data.length; i++) {
            int v = trimap.data[i] & 0xFF;
            mask.data[i] = v == Trimap.FOREGROUND ? 1f : v == Trimap.BACKGROUND ? 0f : 0.5f;
        }
        Document d = new Document(imagePath, rgb, dpi, mask, "project", trimap);
        d.band = new Band(kernelSize, iterations, false);
        return d;
    }

    public void addListener(Listener l) { listeners.add(Objects.requireNonNull(l)); }

    public void removeListener(Listener l) { listeners.remove(l); }

    private void fire(Layer layer, Rect r) {
        for (Listener l : listeners) l.changed(layer, r);
    }

    public Path path() { return path; }
    public ByteImage image() { return image; }
    public double dpi() { return dpi; }
    public int width() { return image.width; }
    public int height() { return image.height; }
    public Rect bounds() { return Rect.of(image.width, image.height); }
    public FloatImage mask() { return mask; }
    public String maskSource() { return maskSource; }
    public Trimap trimap() { return trimap; }
    public TrimapHistory history() { return history; }
    public FloatImage alpha() { return alpha; }
    public FloatImage foreground() { return foreground; }
    public int kernelSize() { return band.kernel(); }
    public int iterations() { return band.iterations(); }
    public Band band() { return band; }

    /**
     * Replaces the mask and, as one undoable step, the trimap made from it. The caller generates {@code trimap} (with
     * {@link #kernelSize()} / {@link #iterations()}) off the UI thread: this method does no image work beyond the copy.
     * Returns where the trimap changed.
     */
    public Rect setMask(FloatImage m, String source, Trimap trimap) {
        checkSize(m, image);
        this.mask = m;
        this.maskSource = source;
        fire(Layer.MASK, bounds());
        return replaceTrimap("New mask", trimap);
    }

    /**
     * Stores the morphology settings (the caller regenerates the trimap, usually off the UI thread); from now on new
     * masks get the plain erode/dilate band with them, not the automatic one.
     */
    public void setMorphology(int kernelSize, int iterations) {
        if (kernelSize < 1 || iterations < 0) throw new IllegalArgumentException("kernel >= 1, iterations >= 0");
        this.band = new Band(kernelSize, iterations, false);
        fire(Layer.SETTINGS, bounds());
    }

    /**
     * Back to the automatic band: the fields show the default kernel and the iterations of this image's size, and new
     * masks get {@link TrimapGenerator#fromMaskAuto} again (the caller regenerates the trimap off the UI thread).
     */
    public void useAutomaticBand() {
        this.band = new Band(TrimapGenerator.DEFAULT_KERNEL, autoIterations(image), true);
        fire(Layer.SETTINGS, bounds());
    }

    /** Copies {@code next} into the trimap as one undoable step (e.g. a slider change or a loaded trimap file). */
    public Rect replaceTrimap(String label, Trimap next) {
        if (next.width != image.width || next.height != image.height)
            throw new IllegalArgumentException("trimap size differs from the image");
        Rect changed = history.replace(label, next);
        if (!changed.isEmpty()) fire(Layer.TRIMAP, changed);
        return changed;
    }

    /** Starts a brush stroke: the following {@link #paint} calls form one undo step until {@link #endStroke}. */
    public void beginStroke(String label) { history.begin(label); }

    /** Paints a stroke segment (the first point included); returns the changed area. */
    public Rect paint(TrimapBrush brush, double x0, double y0, double x1, double y1) {
        boolean own = !history.inEdit();
        if (own) history.begin("Brush");
        history.touch(brush.strokeBounds(trimap, x0, y0, x1, y1));
        Rect r = brush.stroke(trimap, x0, y0, x1, y1);
        if (own) history.commit();
        if (!r.isEmpty()) fire(Layer.TRIMAP, r);
        return r;
    }

    public boolean endStroke() { return history.commit(); }

    /** Bucket fill from (x, y) by trimap level, as one undo step; returns the changed area (empty: nothing changed). */
    public Rect fill(String label, int x, int y, int value) {
        if (history.inEdit()) history.commit();
        Rect r = studio.matting.trimap.TrimapFill.fill(history, label, x, y, value);
        if (!r.isEmpty()) fire(Layer.TRIMAP, r);
        return r;
    }

    /**
     * Lasso: the polygon ({@code xy} interleaved image coordinates) takes {@code fillValue}, its outline unknown
     * {@code outlineWidth} px wide; one undo step. Returns the area that may have changed.
     */
    public Rect lasso(String label, double[] xy, int fillValue, double outlineWidth) {
        if (history.inEdit()) history.commit();
        Rect r = studio.matting.trimap.TrimapLasso.apply(history, label, xy, fillValue, outlineWidth);
        if (!r.isEmpty()) fire(Layer.TRIMAP, r);
        return r;
    }

    /** Paints a finder's fix (or any stroke set) as one undo step; returns where the trimap changed. */
    public Rect applyStrokes(String label, studio.matting.problems.Problem.Fix fix) {
        if (history.inEdit()) history.commit();
        history.begin(label);
        for (studio.matting.problems.Problem.Stroke s : fix.strokes()) history.touch(s.box());
        Rect r = fix.applyTo(trimap);
        history.commit();
        if (!r.isEmpty()) fire(Layer.TRIMAP, r);
        return r;
    }

    public Rect undo() {
        Rect r = history.undo();
        if (!r.isEmpty()) fire(Layer.TRIMAP, r);
        return r;
    }

    public Rect redo() {
        Rect r = history.redo();
        if (!r.isEmpty()) fire(Layer.TRIMAP, r);
        return r;
    }

    public void setAlpha(FloatImage a, Rect changed) {
        if (a != null) checkSize(a, image);
        this.alpha = a;
        fire(Layer.ALPHA, changed == null ? bounds() : changed);
    }

    /**
     * Writes a re-matted region into α (and F, when both exist) in place — a stroke's re-matte, whose cost must not
     * grow with the photo — and tells listeners about {@code roi} only. The patches are roi-sized.
     */
    public void patchMatte(Rect roi, FloatImage alphaPatch, FloatImage foregroundPatch) {
        if (alpha == null) throw new IllegalStateException("no matte to patch");
        if (!roi.equals(roi.intersect(bounds())) || alphaPatch.width != roi.width() || alphaPatch.height != roi.height())
            throw new IllegalArgumentException("patch " + roi + " does not fit the image");
        ImageOps.paste(alphaPatch, alpha, roi.x(), roi.y());
        fire(Layer.ALPHA, roi);
        if (foreground != null && foregroundPatch != null) {
            ImageOps.paste(foregroundPatch, foreground, roi.x(), roi.y());
            fire(Layer.FOREGROUND, roi);
        }
    }

    public void setForeground(FloatImage f) {
        if (f != null && (f.width != image.width || f.height != image.height))
            throw new IllegalArgumentException("foreground size differs from the image");
        this.foreground = f;
        fire(Layer.FOREGROUND, bounds());
    }

    private static FloatImage checkSize(FloatImage m, ByteImage img) {
        if (m.channels != 1) throw new IllegalArgumentException("mask/alpha must have one channel");
        if (m.width != img.width || m.height != img.height)
            throw new IllegalArgumentException("mask size " + m.width + "x" + m.height + " differs from image "
                    + img.width + "x" + img.height);
        return m;
    }
}
