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
        /**
         * run GrabCut from the box and from the model's split; keep the seeded result when it still agrees with the
         * model ({@link Options#minAgreement}: the colours confirm the model), else the box-only one (default)
         */
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
     * @param minAgreement      with {@link PriorUse#BEST}: the seeded result is kept when its IoU with the model's mask
     *                          (inside the box) is at least this; above 1: the lower GrabCut energy decides instead.
     *                          0.7 was best with person-unet 3.0.0 on fullbody/val.txt (sweep in the README)
     */
    public record Options(long workingPixels, int iterations, int refineIterations, double margin, boolean refineBoundary,
                          int guidedRadius, double guidedEps, boolean keepMain, PriorUse priorUse, double minPriorFraction,
                          double minAgreement) {
        public Options {
            if (workingPixels < 1024) throw new IllegalArgumentException("workingPixels must be >= 1024");
            if (iterations < 1 || refineIterations < 1) throw new IllegalArgumentException("iterations must be >= 1");
            if (margin < 0) throw new IllegalArgumentException("margin must be >= 0");
            Objects.requireNonNull(priorUse, "priorUse");
        }

        public static Options defaults() {
            return new Options(100_000, 4, 2, 0.10, true, 2, 1e-3, true, PriorUse.BEST, 0.05, 0.70);
        }

        public Options withWorkingPixels(long v) { return new Options(v, iterations, refineIterations, margin, refineBoundary, guidedRadius, guidedEps, keepMain, priorUse, minPriorFraction, minAgreement); }
        public Options withIterations(int v) { return new Options(workingPixels, v, refineIterations, margin, refineBoundary, guidedRadius, guidedEps, keepMain, priorUse, minPriorFraction, minAgreement); }
        public Options withRefineIterations(int v) { return new Options(workingPixels, iterations, v, margin, refineBoundary, guidedRadius, guidedEps, keepMain, priorUse, minPriorFraction, minAgreement); }
        public Options withMargin(double v) { return new Options(workingPixels, iterations, refineIterations, v, refineBoundary, guidedRadius, guidedEps, keepMain, priorUse, minPriorFraction, minAgreement); }
        public Options withRefineBoundary(boolean v) { return new Options(workingPixels, iterations, refineIterations, margin, v, guidedRadius, guidedEps, keepMain, priorUse, minPriorFraction, minAgreement); }
        public Options withGuided(int radius, double eps) { return new Options(workingPixels, iterations, refineIterations, margin, refineBoundary, radius, eps, keepMain, priorUse, minPriorFraction, minAgreement); }
        public Options withKeepMain(boolean v) { return new Options(workingPixels, iterations, refineIterations, margin, refineBoundary, guidedRadius, guidedEps, v, priorUse, minPriorFraction, minAgreement); }
        public Options withMinAgreement(double v) { return new Options(workingPixels, iterations, refineIterations, margin, refineBoundary, guidedRadius, guidedEps, keepMain, priorUse, minPriorFraction, v); }
        public Options withPriorUse(PriorUse v) { return new Options(workingPixels, iterations, refineIterations, margin, refineBoundary, guidedRadius, guidedEps, keepMain, v, minPriorFraction, minAgreement); }
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
    private double boxEnergy = Double.NaN, seedEnergy = Double.NaN, agreement = Double.NaN;
    private FloatImage mask;
    private float[] lastSmall;
    private Rect changed = new Rect(0, 0, 0, 0);

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
            agreement = agreement(track.lab, prior);
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
                agreement = agreement(fromPrior.lab, prior);
            } else {
                fromBox.close();
                fromPrior.close();
                throw failure;
            }
            boolean seeded = agreement >= options.minAgreement() || (options.minAgreement() > 1 && seedEnergy <= boxEnergy);
            track = seeded ? fromPrior : fromBox;
            (seeded ? fromBox : fromPrior).close();
            source = seeded ? "GrabCut + " + model : "GrabCut (the colours contradict " + model + ")";
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

    /** IoU, inside the box, of the model-seeded GrabCut result and the model's own mask (NaN when not run). */
    public double agreement() { return agreement; }

    private double agreement(byte[] lab, float[] p) {
        long both = 0, either = 0;
        for (int y = wbox[1]; y < wbox[3]; y++)
            for (int x = wbox[0]; x < wbox[2]; x++) {
                int i = y * ws + x;
                boolean a = (lab[i] & 1) != 0, b = p[i] >= 0.5f;
                if (a && b) both++;
                if (a || b) either++;
            }
        return either == 0 ? 0 : (double) both / either;
    }

    public int workingWidth() { return ws; }

    public int workingHeight() { return hs; }

    /**
     * Re-runs the selection with this set of scribbles (the whole layer, not a difference: a mark erased since the
     * last call is no longer enforced), keeping the working copy, the model's answer and the start chosen for this
     * box. GrabCut restarts from that start rather than from its last labels: from there a small background stroke
     * cannot win a region the foreground colour model has already absorbed. Returns the new mask.
     */
    public FloatImage refine(Trimap scribbles, TaskContext ctx) {
        ctx.progress(0, "Refining selection");
        track.reset(scribbles);
        // A fresh start of the colour models (k-means): resuming them keeps the region the stroke is about in the
        // foreground model, and the stroke's few pixels cannot outvote it.
        track.run(options.refineIterations(), true, ctx.sub(0, 0.85));
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

        /** The start labels: box (and model), before any scribble. */
        final byte[] start = new byte[ws * hs];

        Track(float[] seed, Trimap scribbles) {
            for (int y = 0; y < hs; y++)
                for (int x = 0; x < ws; x++) {
                    int i = y * ws + x;
                    if (!inBox(x, y)) start[i] = Imgproc.GC_BGD;
                    else if (seed == null) start[i] = Imgproc.GC_PR_FGD;
                    else start[i] = (byte) (seed[i] >= 0.5f ? Imgproc.GC_PR_FGD : Imgproc.GC_PR_BGD);
                }
            if (wbox[0] == 0 && wbox[1] == 0 && wbox[2] == ws && wbox[3] == hs) {
                // The box is the whole image: GrabCut needs background samples, so a thin frame starts as probable
                // background (a subject cut by the frame gets it back, the colours decide).
                int band = Math.max(1, Math.min(ws, hs) / 30);
                for (int y = 0; y < hs; y++)
                    for (int x = 0; x < ws; x++)
                        if ((x < band || y < band || x >= ws - band || y >= hs - band) && start[y * ws + x] == Imgproc.GC_PR_FGD)
                            start[y * ws + x] = Imgproc.GC_PR_BGD;
            }
            reset(scribbles);
        }

        void reset(Trimap scribbles) {
            System.arraycopy(start, 0, lab, 0, lab.length);
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
            labels.put(0, 0, lab);
        }

        void run(int iterations, boolean init, TaskContext ctx) {
            if (!hasFg || !hasBg) return; // nothing to separate: the labels are the answer
            org.opencv.core.Rect unused = new org.opencv.core.Rect();
            for (int it = 0; it < iterations; it++) {
                ctx.checkCancelled();
                ctx.progress((double) it / iterations, "GrabCut " + (it + 1) + "/" + iterations);
                int mode = init && it == 0 ? Imgproc.GC_INIT_WITH_MASK : Imgproc.GC_EVAL;
                if (mode == Imgproc.GC_INIT_WITH_MASK) OpenCv.seedRandom(); // the same box gives the same selection
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
        float[] m = workingMask();
        ctx.checkCancelled();
        if (mask != null && lastSmall != null && options.refineBoundary()) {
            // A refinement: only the part of the image whose working pixels changed (plus the filter's reach) is
            // computed again; the rest is the previous mask.
            Rect moved = changedWorkingArea(lastSmall, m);
            FloatImage out = mask.copy();
            changed = moved.isEmpty() ? moved : toImage(moved.expand(2 * options.guidedRadius() + 2));
            if (!changed.isEmpty())
                GuidedUpsampler.upsample(work, m, image, region, changed, out, options.guidedRadius(), options.guidedEps());
            mask = out;
        } else {
            mask = fullSize(m, options.refineBoundary());
            changed = region;
        }
        lastSmall = m;
        ctx.progress(1, "Selected");
    }

    /**
     * The part of the image the last {@link #select} or {@link #refine} changed (the whole working region after a
     * selection, the moved part after a refinement), for the editor's undo history and re-matting.
     */
    public Rect changedBounds() { return changed; }

    /** The current result enlarged the other way than the options say (for the evaluation of the refinement step). */
    public FloatImage otherUpsampling() {
        return fullSize(workingMask(), !options.refineBoundary());
    }

    private float[] workingMask() {
        byte[] lab = track.lab;
        float[] m = new float[ws * hs];
        for (int i = 0; i < m.length; i++) m[i] = (lab[i] & 1) != 0 ? 1f : 0f;
        if (options.keepMain()) keepMainBlobs(m, lab);
        return m;
    }

    private Rect changedWorkingArea(float[] a, float[] b) {
        int minX = ws, minY = hs, maxX = -1, maxY = -1;
        for (int y = 0; y < hs; y++)
            for (int x = 0; x < ws; x++)
                if (a[y * ws + x] != b[y * ws + x]) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = y;
                }
        return maxX < 0 ? new Rect(0, 0, 0, 0) : new Rect(minX, minY, maxX - minX + 1, maxY - minY + 1);
    }

    /** A working-grid rectangle as image pixels (rounded outwards), inside the region. */
    private Rect toImage(Rect w) {
        double sx = (double) region.width() / ws, sy = (double) region.height() / hs;
        int x0 = (int) Math.floor(w.x() * sx), y0 = (int) Math.floor(w.y() * sy);
        int x1 = (int) Math.ceil(w.right() * sx), y1 = (int) Math.ceil(w.bottom() * sy);
        return new Rect(region.x() + x0, region.y() + y0, x1 - x0, y1 - y0).intersect(region);
    }

    private FloatImage fullSize(float[] m, boolean guided) {
        FloatImage out = new FloatImage(image.width, image.height, 1);
        if (guided) GuidedUpsampler.upsample(work, m, image, region, out, options.guidedRadius(), options.guidedEps());
        else {
            FloatImage big = ImageOps.resize(new FloatImage(ws, hs, 1, m, ws), region.width(), region.height());
            for (int y = 0; y < region.height(); y++)
                System.arraycopy(big.data, y * region.width(), out.data, (region.y() + y) * out.stride + region.x(), region.width());
        }
        return out;
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
