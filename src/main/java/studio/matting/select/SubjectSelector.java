package studio.matting.select;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
import studio.matting.image.Rect;
import studio.matting.matting.MattingException;
import studio.matting.segment.Segmenter;
import studio.matting.task.TaskContext;
import studio.matting.trimap.OpenCv;
import studio.matting.trimap.Trimap;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Foreground extraction from a box, without a model or helped by one: GrabCut (OpenCV) on a downscaled working copy
 * of the box and a margin around it, refined by foreground/background scribbles, and brought back to full size with
 * a guided upsampling so the edge follows the full-resolution colours.
 *
 * <p><b>With a model.</b> When a {@link Segmenter} is given, the box crop (where the subject fills the frame, as
 * segmentation models like it) is segmented and its probability seeds a second GrabCut run: probable foreground
 * where the model says subject, probable background elsewhere, so the colour models start from the model's split
 * instead of "everything in the box". Both runs (box alone, box + model) are local minima of the same GrabCut
 * energy; the selector keeps the one with the lower energy ({@link GrabCutEnergy}), so a model that misses the
 * subject cannot drag the result below plain GrabCut, and a better model (it only has to be better on the crop)
 * wins more often without any change here. The two runs go on the two cores in parallel.
 *
 * <p><b>Scribbles</b> are a {@link Trimap}-shaped layer: {@link Trimap#FOREGROUND} marks "this is subject",
 * {@link Trimap#BACKGROUND} "this is not", {@link Trimap#UNKNOWN} no mark. Marks outside the working region (the box
 * plus its margin) are ignored. A selector keeps its GrabCut state, so {@link #refine} with new scribbles resumes
 * from the current result instead of starting over — that is what makes a stroke cheap in the editor.
 *
 * <p>Cancellable between GrabCut iterations through the {@link TaskContext}, which also gets progress. Not
 * thread-safe; {@link #close} frees the native buffers.
 */
public final class SubjectSelector implements AutoCloseable {
    /** How a model's probability is used. */
    public enum PriorUse {
        /** not at all: plain GrabCut */
        IGNORE,
        /** always start GrabCut from the model's split */
        SEED,
        /** run GrabCut from the box and from the model's split, keep the lower-energy result (default) */
        BEST
    }

    /**
     * @param workingPixels     largest working copy (pixels of box + margin); GrabCut's cost grows with it
     * @param iterations        GrabCut iterations for a new box
     * @param refineIterations  GrabCut iterations after a scribble change (resumed from the current state)
     * @param margin            ring around the box (fraction of the box's longer side) that GrabCut learns the
     *                          background from
     * @param refineBoundary    guided upsampling to full size (false: bilinear enlargement of the working mask)
     * @param guidedRadius      guided filter window radius on the working copy
     * @param guidedEps         guided filter regularisation (colours in [0,1])
     * @param keepMain          keep only the largest foreground blob (and blobs touching a foreground scribble)
     * @param priorUse          what a model's probability does
     * @param minPriorFraction  a prior covering less than this fraction of the box is ignored (the model missed)
     */
    public record Options(long workingPixels, int iterations, int refineIterations, double margin, boolean refineBoundary,
                          int guidedRadius, double guidedEps, boolean keepMain, PriorUse priorUse, double minPriorFraction) {
        public Options {
            if (workingPixels < 1024) throw new IllegalArgumentException("workingPixels must be >= 1024");
            if (iterations < 1 || refineIterations < 1) throw new IllegalArgumentException("iterations must be >= 1");
            if (margin < 0) throw new IllegalArgumentException("margin must be >= 0");
            Objects.requireNonNull(priorUse, "priorUse");
        }

        public static Options defaults() {
            return new Options(100_000, 4, 2, 0.10, true, 2, 1e-3, true, PriorUse.BEST, 0.05);
        }

        public Options withWorkingPixels(long v) { return new Options(v, iterations, refineIterations, margin, refineBoundary, guidedRadius, guidedEps, keepMain, priorUse, minPriorFraction); }
        public Options withIterations(int v) { return new Options(workingPixels, v, refineIterations, margin, refineBoundary, guidedRadius, guidedEps, keepMain, priorUse, minPriorFraction); }
        public Options withRefineIterations(int v) { return new Options(workingPixels, iterations, v, margin, refineBoundary, guidedRadius, guidedEps, keepMain, priorUse, minPriorFraction); }
        public Options withMargin(double v) { return new Options(workingPixels, iterations, refineIterations, v, refineBoundary, guidedRadius, guidedEps, keepMain, priorUse, minPriorFraction); }
        public Options withRefineBoundary(boolean v) { return new Options(workingPixels, iterations, refineIterations, margin, v, guidedRadius, guidedEps, keepMain, priorUse, minPriorFraction); }
        public Options withGuided(int radius, double eps) { return new Options(workingPixels, iterations, refineIterations, margin, refineBoundary, radius, eps, keepMain, priorUse, minPriorFraction); }
        public Options withKeepMain(boolean v) { return new Options(workingPixels, iterations, refineIterations, margin, refineBoundary, guidedRadius, guidedEps, v, priorUse, minPriorFraction); }
        public Options withPriorUse(PriorUse v) { return new Options(workingPixels, iterations, refineIterations, margin, refineBoundary, guidedRadius, guidedEps, keepMain, v, minPriorFraction); }
    }

    private final ByteImage image;
    private final Rect box;
    private final Rect region;
    private final Options options;
    private final int ws, hs;
    /** The box on the working grid: [x0, y0, x1, y1). */
    private final int[] wbox;
    private final Mat work;
    private byte[] workBytes;
    private float[] prior;
    private Track track;
    private String source = "GrabCut";
    private double boxEnergy = Double.NaN, seedEnergy = Double.NaN;
    private FloatImage mask;

    private SubjectSelector(ByteImage rgb, Rect box, Options options) {
        OpenCv.load();
        this.image = rgb.channels == 3 ? rgb : ImageOps.toRgb(rgb);
        this.options = Objects.requireNonNull(options);
        Rect frame = Rect.of(image.width, image.height);
        Rect b = box.intersect(frame);
        if (b.isEmpty()) throw new IllegalArgumentException("the box " + describe(box) + " lies outside the " + image.width + "x" + image.height + " image");
        this.box = b;
        int m = (int) Math.ceil(options.margin() * Math.max(b.width(), b.height()));
        this.region = new Rect(b.x() - m, b.y() - m, b.width() + 2 * m, b.height() + 2 * m).intersect(frame);
        double area = (double) region.width() * region.height();
        double s = Math.min(1, Math.sqrt(options.workingPixels() / area));
        this.ws = Math.max(1, (int) Math.round(region.width() * s));
        this.hs = Math.max(1, (int) Math.round(region.height() * s));
        this.wbox = workingBox();
        this.work = new Mat();
    }

    /**
     * Selects the subject in {@code box} (image pixels; clipped to the image, which it must overlap).
     *
     * @param scribbles  F/B marks, same size as the image, or null
     * @param segmenter  a segmentation model to seed from (run on the box crop), or null
     * @param priorMask  a full-size soft mask to seed from when there is no segmenter (e.g. the editor's current
     *                   mask), or null
     */
    public static SubjectSelector select(ByteImage rgb, Rect box, Trimap scribbles, Segmenter segmenter, FloatImage priorMask,
                                         Options options, TaskContext ctx) throws MattingException {
        SubjectSelector sel = new SubjectSelector(rgb, box, options);
        try {
            sel.run(scribbles, segmenter, priorMask, ctx);
            return sel;
        } catch (RuntimeException | MattingException e) {
            sel.close();
            throw e;
        }
    }

    private void run(Trimap scribbles, Segmenter segmenter, FloatImage priorMask, TaskContext ctx) throws MattingException {
        ctx.progress(0, "Selecting");
        prepareWorkingCopy();
        ctx.checkCancelled();
        String model = null;
        if (options.priorUse() != PriorUse.IGNORE) {
            if (segmenter != null) {
                FloatImage prob = segmenter.segment(new ByteImage(ws, hs, 3, workBytes, ws * 3), ctx.sub(0.02, 0.2));
                if (!prob.sameSize(ws, hs)) prob = ImageOps.resize(prob, ws, hs);
                prior = plane(prob);
                model = segmenter.id();
            } else if (priorMask != null) {
                if (!priorMask.sameSize(image.width, image.height))
                    throw new IllegalArgumentException("prior mask size differs from the image");
                prior = plane(ImageOps.resize(ImageOps.crop(priorMask, region), ws, hs));
                model = "current mask";
            }
            if (prior != null && !usablePrior(prior)) {
                prior = null;
                source = "GrabCut (" + model + " found nothing in the box)";
            }
        }
        ctx.checkCancelled();
        TaskContext gc = ctx.sub(0.2, 0.9);
        if (prior == null) {
            track = new Track(null, scribbles);
            track.run(options.iterations(), true, gc);
        } else if (options.priorUse() == PriorUse.SEED) {
            track = new Track(prior, scribbles);
            track.run(options.iterations(), true, gc);
            source = "GrabCut + " + model;
        } else {
            Track fromBox = new Track(null, scribbles), fromPrior = new Track(prior, scribbles);
            // GrabCut is single-threaded: the second start goes on the other core.
            CompletableFuture<Void> other = CompletableFuture.runAsync(() -> fromBox.run(options.iterations(), true, quiet(gc)));
            RuntimeException failure = null;
            try {
                fromPrior.run(options.iterations(), true, gc);
            } catch (RuntimeException e) {
                failure = e;
            }
            try {
                other.join(); // before any close(): the other run still uses its native buffers
            } catch (CompletionException e) {
                if (failure == null) failure = e.getCause() instanceof RuntimeException r ? r : e;
            }
            if (failure == null) {
                boxEnergy = fromBox.energy();
                seedEnergy = fromPrior.energy();
            } else {
                fromBox.close();
                fromPrior.close();
                throw failure;
            }
            boolean seeded = seedEnergy <= boxEnergy;
            track = seeded ? fromPrior : fromBox;
            (seeded ? fromBox : fromPrior).close();
            source = seeded ? "GrabCut + " + model : "GrabCut (kept over the " + model + " seed: lower energy)";
        }
        finish(ctx.sub(0.9, 1));
    }

    /** Only cancellation, no progress: the parallel run must not make the progress bar jump back and forth. */
    private static TaskContext quiet(TaskContext ctx) {
        return new TaskContext() {
            @Override public void progress(double fraction, String message) { }
            @Override public boolean isCancelled() { return ctx.isCancelled(); }
        };
    }

    /** The current full-size soft mask in [0,1] (zero outside {@link #region()}). */
    public FloatImage mask() { return mask; }

    /** The part of the image the selection may change: the box plus its margin. */
    public Rect region() { return region; }

    public Rect box() { return box; }

    /** What made the mask, for a status bar, e.g. "GrabCut" or "GrabCut + portrait-unet". */
    public String source() { return source; }

    /** GrabCut energies of the box-only and the model-seeded runs (NaN when only one ran). */
    public double boxEnergy() { return boxEnergy; }

    public double seedEnergy() { return seedEnergy; }

    public int workingWidth() { return ws; }

    public int workingHeight() { return hs; }

    /**
     * Re-runs the selection from its current state with this set of scribbles (the whole layer, not a difference: a
     * mark erased since the last call is no longer enforced). Returns the new mask.
     */
    public FloatImage refine(Trimap scribbles, TaskContext ctx) {
        ctx.progress(0, "Refining selection");
        track.relabel(scribbles);
        track.run(options.refineIterations(), false, ctx.sub(0, 0.85));
        finish(ctx.sub(0.85, 1));
        return mask;
    }

    @Override
    public void close() {
        work.release();
        if (track != null) track.close();
    }

    // ---------------------------------------------------------------------------------------------------------

    /** One GrabCut state: labels, colour models, and which labels the box (not the user) fixed. */
    private final class Track implements AutoCloseable {
        final Mat labels = new Mat(hs, ws, CvType.CV_8UC1), bgd = new Mat(), fgd = new Mat();
        /** GC_BGD outside the box, FREE inside. */
        final byte[] lab = new byte[ws * hs];
        boolean hasFg, hasBg;

        Track(float[] seed, Trimap scribbles) {
            for (int y = 0; y < hs; y++)
                for (int x = 0; x < ws; x++) {
                    int i = y * ws + x;
                    if (!inBox(x, y)) lab[i] = Imgproc.GC_BGD;
                    else if (seed == null) lab[i] = Imgproc.GC_PR_FGD;
                    else lab[i] = (byte) (seed[i] >= 0.5f ? Imgproc.GC_PR_FGD : Imgproc.GC_PR_BGD);
                }
            addScribbles(scribbles);
        }

        /** Frees the previous scribbles' hard labels (keeping their current side) and applies the new ones. */
        void relabel(Trimap scribbles) {
            labels.get(0, 0, lab);
            for (int y = 0; y < hs; y++)
                for (int x = 0; x < ws; x++) {
                    int i = y * ws + x;
                    if (!inBox(x, y)) lab[i] = Imgproc.GC_BGD;
                    else if (lab[i] == Imgproc.GC_FGD) lab[i] = Imgproc.GC_PR_FGD;
                    else if (lab[i] == Imgproc.GC_BGD) lab[i] = Imgproc.GC_PR_BGD;
                }
            addScribbles(scribbles);
        }

        /** Every full-resolution mark reaches its working pixel, so a thin stroke survives the downscale. */
        private void addScribbles(Trimap scribbles) {
            if (scribbles != null) {
                if (scribbles.width != image.width || scribbles.height != image.height)
                    throw new IllegalArgumentException("scribbles are " + scribbles.width + "x" + scribbles.height + ", the image is " + image.width + "x" + image.height);
                double sx = (double) ws / region.width(), sy = (double) hs / region.height();
                byte f = (byte) Trimap.FOREGROUND, b = (byte) Trimap.BACKGROUND;
                for (int y = 0; y < region.height(); y++) {
                    int o = (region.y() + y) * scribbles.width + region.x();
                    int wy = Math.min(hs - 1, (int) (y * sy));
                    for (int x = 0; x < region.width(); x++) {
                        byte v = scribbles.data[o + x];
                        if (v != f && v != b) continue;
                        int wx = Math.min(ws - 1, (int) (x * sx));
                        if (v == f && !inBox(wx, wy)) continue; // outside the box stays background
                        lab[wy * ws + wx] = v == f ? (byte) Imgproc.GC_FGD : (byte) Imgproc.GC_BGD;
                    }
                }
            }
            hasFg = hasBg = false;
            for (byte v : lab) {
                if ((v & 1) != 0) hasFg = true; else hasBg = true;
                if (hasFg && hasBg) break;
            }
            if (hasFg && !hasBg) {
                // The box is the whole image and nothing says "background": GrabCut needs samples of both, so the
                // outermost ring of pixels starts as probable background.
                for (int x = 0; x < ws; x++) { soften(x); soften((hs - 1) * ws + x); }
                for (int y = 0; y < hs; y++) { soften(y * ws); soften(y * ws + ws - 1); }
                hasBg = true;
            }
            labels.put(0, 0, lab);
        }

        private void soften(int i) {
            if (lab[i] == Imgproc.GC_PR_FGD) lab[i] = Imgproc.GC_PR_BGD;
        }

        void run(int iterations, boolean init, TaskContext ctx) {
            if (!hasFg || !hasBg) return; // nothing to separate: the labels are the answer
            org.opencv.core.Rect unused = new org.opencv.core.Rect();
            for (int it = 0; it < iterations; it++) {
                ctx.checkCancelled();
                ctx.progress((double) it / iterations, "GrabCut " + (it + 1) + "/" + iterations);
                int mode = init && it == 0 ? Imgproc.GC_INIT_WITH_MASK : Imgproc.GC_EVAL;
                Imgproc.grabCut(work, labels, unused, bgd, fgd, 1, mode);
            }
            ctx.checkCancelled();
            labels.get(0, 0, lab);
        }

        double energy() {
            if (bgd.empty() || fgd.empty()) return Double.POSITIVE_INFINITY;
            double[] b = new double[(int) bgd.total()], f = new double[(int) fgd.total()];
            bgd.get(0, 0, b);
            fgd.get(0, 0, f);
            return GrabCutEnergy.energy(workBytes, ws, hs, lab, b, f);
        }

        @Override
        public void close() {
            labels.release();
            bgd.release();
            fgd.release();
        }
    }

    private boolean inBox(int x, int y) {
        return x >= wbox[0] && x < wbox[2] && y >= wbox[1] && y < wbox[3];
    }

    private void prepareWorkingCopy() {
        int rw = region.width(), rh = region.height(), ch = 3;
        byte[] buf = new byte[rw * rh * ch];
        for (int y = 0; y < rh; y++)
            System.arraycopy(image.data, (region.y() + y) * image.stride + region.x() * ch, buf, y * rw * ch, rw * ch);
        Mat full = new Mat(rh, rw, CvType.CV_8UC3);
        try {
            full.put(0, 0, buf);
            if (rw == ws && rh == hs) full.copyTo(work);
            else Imgproc.resize(full, work, new Size(ws, hs), 0, 0, Imgproc.INTER_AREA);
        } finally {
            full.release();
        }
        workBytes = rw == ws && rh == hs ? buf : new byte[ws * hs * 3];
        if (workBytes != buf) work.get(0, 0, workBytes);
    }

    /** The box on the working grid, as [x0, y0, x1, y1) — at least one pixel. */
    private int[] workingBox() {
        double sx = (double) ws / region.width(), sy = (double) hs / region.height();
        int x0 = (int) Math.floor((box.x() - region.x()) * sx), y0 = (int) Math.floor((box.y() - region.y()) * sy);
        int x1 = (int) Math.ceil((box.right() - region.x()) * sx), y1 = (int) Math.ceil((box.bottom() - region.y()) * sy);
        x0 = clamp(x0, 0, ws - 1);
        y0 = clamp(y0, 0, hs - 1);
        return new int[] {x0, y0, clamp(x1, x0 + 1, ws), clamp(y1, y0 + 1, hs)};
    }

    private boolean usablePrior(float[] p) {
        long in = 0, fg = 0;
        for (int y = wbox[1]; y < wbox[3]; y++)
            for (int x = wbox[0]; x < wbox[2]; x++) {
                in++;
                if (p[y * ws + x] >= 0.5f) fg++;
            }
        return fg > 0 && fg >= options.minPriorFraction() * in;
    }

    private void finish(TaskContext ctx) {
        byte[] lab = track.lab;
        float[] m = new float[ws * hs];
        for (int i = 0; i < m.length; i++) m[i] = (lab[i] & 1) != 0 ? 1f : 0f;
        if (options.keepMain()) keepMainBlobs(m, lab);
        ctx.checkCancelled();
        FloatImage out = new FloatImage(image.width, image.height, 1);
        if (options.refineBoundary()) GuidedUpsampler.upsample(work, m, image, region, out, options.guidedRadius(), options.guidedEps());
        else {
            FloatImage big = ImageOps.resize(new FloatImage(ws, hs, 1, m, ws), region.width(), region.height());
            for (int y = 0; y < region.height(); y++)
                System.arraycopy(big.data, y * region.width(), out.data, (region.y() + y) * out.stride + region.x(), region.width());
        }
        mask = out;
        ctx.progress(1, "Selected");
    }

    /**
     * Keeps the largest foreground blob and every blob holding a foreground scribble (8-connected): GrabCut often
     * adds background patches whose colours resemble the subject's, and a subject in one box is one piece.
     */
    private void keepMainBlobs(float[] m, byte[] lab) {
        Mat bin = new Mat(hs, ws, CvType.CV_8UC1), cc = new Mat(), stats = new Mat(), cent = new Mat();
        try {
            byte[] b = new byte[m.length];
            for (int i = 0; i < m.length; i++) b[i] = m[i] > 0.5f ? (byte) 1 : 0;
            bin.put(0, 0, b);
            int n = Imgproc.connectedComponentsWithStats(bin, cc, stats, cent, 8, CvType.CV_32S);
            if (n <= 2) return;
            int best = 1;
            double bestArea = stats.get(1, Imgproc.CC_STAT_AREA)[0];
            for (int k = 2; k < n; k++) {
                double a = stats.get(k, Imgproc.CC_STAT_AREA)[0];
                if (a > bestArea) { best = k; bestArea = a; }
            }
            int[] id = new int[m.length];
            cc.get(0, 0, id);
            boolean[] keep = new boolean[n];
            keep[best] = true;
            for (int i = 0; i < m.length; i++) if (lab[i] == Imgproc.GC_FGD && id[i] > 0) keep[id[i]] = true;
            for (int i = 0; i < m.length; i++) if (id[i] > 0 && !keep[id[i]]) m[i] = 0;
        } finally {
            bin.release();
            cc.release();
            stats.release();
            cent.release();
        }
    }

    private static float[] plane(FloatImage f) {
        if (f.channels == 1 && f.stride == f.width) return f.data;
        float[] p = new float[f.width * f.height];
        for (int y = 0; y < f.height; y++)
            for (int x = 0; x < f.width; x++) p[y * f.width + x] = f.data[y * f.stride + x * f.channels];
        return p;
    }

    private static int clamp(int v, int lo, int hi) { return Math.max(lo, Math.min(hi, v)); }

    static String describe(Rect r) { return r.x() + "," + r.y() + "," + r.width() + "," + r.height(); }
}
