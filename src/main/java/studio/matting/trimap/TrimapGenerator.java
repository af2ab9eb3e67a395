package studio.matting.trimap;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
import studio.matting.image.Parallel;
import studio.matting.task.ThreadGuard;

/**
 * Trimap from a soft mask, as in the reference {@code gen_trimap(mask, k_size=7, iterations=6)}: threshold the mask,
 * erode it with an elliptical kernel (that is the sure foreground) and dilate it (outside that is the sure
 * background); the band in between is unknown. The band is about {@code 2 * iterations * (kSize / 2)} pixels wide.
 */
public final class TrimapGenerator {
    public static final int DEFAULT_KERNEL = 7;
    public static final int DEFAULT_ITERATIONS = 6;
    public static final float DEFAULT_THRESHOLD = 0.5f;

    /** Band half-width of the defaults (7 × 6 → 3 px × 6 iterations) on the 800 px long side they were tuned for. */
    static final double AUTO_HALF_BAND = 18.0, AUTO_BASE_SIDE = 800.0;

    private TrimapGenerator() { }

    /** The editor's iterations slider ends here; a wider band is painted, not generated. */
    public static final int MAX_AUTO_ITERATIONS = 30;

    /**
     * Iterations that give the kernel's band the width that fits this image: the segmenter's mask is upsampled
     * from its working size (320 px), so its edge error grows with the photo, and a band tuned for 600 × 800 is
     * too narrow for a 4000 px photo — but a band as wide as that error lets closed-form leak where foreground and
     * background colours meet. Measured at 1200 × 1600 (portraits test and fullbody val, 20 each, SAD against
     * pseudo-alpha and IoU): 6, 9 and 12 iterations are within 1 % of each other, 12 a little worse on both sets and
     * twice as slow as 6. So the half band grows with the square root of the long side (18 px at 800, 25 at 1600,
     * 40 at 4000): never narrower than the defaults, never more than {@link #MAX_AUTO_ITERATIONS}.
     */
    public static int autoIterations(int width, int height, int kernelSize) {
        double half = AUTO_HALF_BAND * Math.sqrt(Math.max(1.0, Math.max(width, height) / AUTO_BASE_SIDE));
        long it = Math.round(half / Math.max(1, kernelSize / 2));
        return (int) Math.max(DEFAULT_ITERATIONS, Math.min(MAX_AUTO_ITERATIONS, it));
    }

    /**
     * The automatic trimap: the default band scaled to the image ({@link #autoIterations}), measured as a Euclidean
     * distance from the thresholded mask's boundary (a round band, as the elliptical kernel's), and shaped by how sure
     * the mask is ({@link #adaptiveBand}). Kernel/iteration settings override it ({@link #fromMask(FloatImage, int, int)}).
     * An earlier version made every unsure mask level (0.1–0.9) unknown, however far from the edge; measured at
     * 1200 × 1600 that cost 1 % IoU on full bodies, 1 % SAD on portraits and 2–4× the matting time, so it was dropped.
     */
    public static Trimap fromMaskAuto(FloatImage mask) {
        int w = mask.width, h = mask.height;
        int half = Math.max(1, autoIterations(w, h, DEFAULT_KERNEL) * (DEFAULT_KERNEL / 2));
        return adaptiveBand(ImageOps.toByte(mask), half);
    }

    /**
     * Mask levels strictly between these (0.05 and 0.95 of 255) are unsure: the segmenter hesitates there, which is
     * where hair, fur and motion blur are — a clothes or skin edge comes out of it as a step of a few pixels.
     */
    static final int UNSURE_LOW = 13, UNSURE_HIGH = 242;

    /**
     * The band of {@code half} px where the mask's level is unsure ({@link #UNSURE_LOW} – {@link #UNSURE_HIGH}) and of
     * {@code half / 2} where it is sure: a hard edge gets a narrow band that closed-form cannot leak through, and the
     * hesitant edge around hair keeps the whole width. Measured on 2026-12-03 (40 of portraits {@code test.txt} and of
     * fullbody {@code val.txt}, upscaled 2× and at their own size; SAD against pseudo-alpha, and "hair SAD" over the
     * pixels where pseudo-alpha is soft): 1200 × 1600 portraits SAD 23.21 → 22.96, hair SAD 10.60 → 10.48, full-body
     * IoU 0.9398 → 0.9434, a quarter fewer unknowns; at their own size SAD 23.65 → 23.14, hair 10.61 → 10.48, full-body
     * IoU 0.9278 → 0.9367. A uniform {@code half / 2} scores as well on the whole image but cuts flyaway hair off
     * (hair SAD 10.81); widening the unsure part to 1.5 × {@code half} finds a little more hair (10.32) for 25 % more
     * unknowns than this. A mask without grades (a loaded binary mask: fewer unsure pixels than boundary pixels) says
     * nothing about where it is unsure, so it gets the uniform band of {@code half}, as before.
     */
    static Trimap adaptiveBand(ByteImage mask, int half) {
        return band(mask, Math.max(1, half / 2), half, BAND_TILE);
    }

    /** Core side of a tile of {@link #band}. */
    static final int BAND_TILE = 256;

    /**
     * Unknown = within the band's half-width of the thresholded mask's boundary (Euclidean), by distance transforms in
     * tiles: only tiles with both sides within that width of their core need one ({@link #bandTile}); the others are
     * all foreground or all background. A 12 MP photo's band touches a fraction of its tiles, so this transforms that
     * fraction instead of the whole photo twice. {@code sure == unsure}: the uniform band.
     *
     * @param sure   band half-width where the mask's level is sure
     * @param unsure band half-width where it is unsure, and everywhere when the mask has no grades to tell the two apart
     */
    static Trimap band(ByteImage mask, int sure, int unsure, int tile) {
        OpenCv.load();
        int w = mask.width, h = mask.height;
        int level = Math.round(DEFAULT_THRESHOLD * 255f);
        int nx = (w + tile - 1) / tile, ny = (h + tile - 1) / tile;
        byte[] fg = new byte[w * h];
        // per tile: 1 = has foreground, 2 = has background
        byte[] sides = new byte[nx * ny];
        // per tile row, on every 4th image row (the choice below needs a share, not a count): unsure pixels, and
        // pixels whose left or upper neighbour is on the other side (the boundary)
        long[] unsureCount = new long[ny], edgeCount = new long[ny];
        boolean adaptive = sure != unsure;
        Parallel.rows(ny, w * tile, (t0, t1) -> {
            for (int ty = t0; ty < t1; ty++) {
                long un = 0, edge = 0;
                for (int y = ty * tile, ye = Math.min(h, y + tile); y < ye; y++) {
                    int s = y * mask.stride, d = y * w;
                    for (int x = 0; x < w; x++) {
                        boolean in = (mask.data[s + x] & 0xFF) >= level;
                        fg[d + x] = (byte) (in ? 255 : 0);
                        sides[ty * nx + x / tile] |= (byte) (in ? 1 : 2);
                    }
                    if (!adaptive || (y & 3) != 0) continue;
                    for (int x = 0; x < w; x++) {
                        int m = mask.data[s + x] & 0xFF;
                        if (m > UNSURE_LOW && m < UNSURE_HIGH) un++;
                        boolean in = m >= level;
                        if ((x > 0 && fg[d + x] != fg[d + x - 1])
                                || (y > 0 && in != ((mask.data[s - mask.stride + x] & 0xFF) >= level))) edge++;
                    }
                }
                unsureCount[ty] = un;
                edgeCount[ty] = edge;
            }
        });
        long un = 0, edge = 0;
        for (int ty = 0; ty < ny; ty++) { un += unsureCount[ty]; edge += edgeCount[ty]; }
        boolean graded = adaptive && un >= edge;
        int near = graded ? sure : unsure, far = unsure;
        ByteImage levels = graded ? mask : null;
        Trimap t = new Trimap(w, h);
        int half = Math.max(near, far);
        int reach = (half + tile) / tile; // tiles within half (+1) of a core, on each side
        Parallel.each(nx * ny, k -> {
            int tx = k % nx, ty = k / nx, seen = 0;
            for (int j = Math.max(0, ty - reach); j <= Math.min(ny - 1, ty + reach); j++)
                for (int i = Math.max(0, tx - reach); i <= Math.min(nx - 1, tx + reach); i++) seen |= sides[j * nx + i];
            int x0 = tx * tile, y0 = ty * tile, x1 = Math.min(w, x0 + tile), y1 = Math.min(h, y0 + tile);
            if (seen == 3) {
                bandTile(fg, levels, w, h, near, far, x0, y0, x1, y1, t.data);
                return;
            }
            byte v = (byte) (seen == 1 ? Trimap.FOREGROUND : Trimap.BACKGROUND);
            for (int y = y0; y < y1; y++) java.util.Arrays.fill(t.data, y * w + x0, y * w + x1, v);
        });
        return t;
    }

    /**
     * The band inside the core [x0, x1) × [y0, y1): both distance transforms on the core plus the wider half-width + 1
     * around it. The same as the whole photo's transform wherever it matters: a pixel's nearest opposite pixel within
     * that width lies inside the crop (and the chamfer path to it inside their bounding box), and where there is none
     * the crop's distance is at least the true one, so still above it; the crop's replicated edge adds only pixels
     * farther than the edge pixels they copy. A pixel is unknown within {@code near} px of the boundary, or within
     * {@code far} px where {@code levels} (null: nowhere) is unsure.
     */
    private static void bandTile(byte[] fg, ByteImage levels, int w, int h, int near, int far, int x0, int y0, int x1, int y1, byte[] out) {
        int half = Math.max(near, far);
        int gx0 = Math.max(0, x0 - half - 1), gy0 = Math.max(0, y0 - half - 1);
        int gx1 = Math.min(w, x1 + half + 1), gy1 = Math.min(h, y1 + half + 1);
        int cw = gx1 - gx0, ch = gy1 - gy0;
        byte[] in = new byte[cw * ch], out2 = new byte[cw * ch];
        for (int y = 0; y < ch; y++) {
            System.arraycopy(fg, (gy0 + y) * w + gx0, in, y * cw, cw);
            for (int x = 0, i = y * cw; x < cw; x++, i++) out2[i] = (byte) ~in[i];
        }
        float[] dIn = distance(in, cw, ch), dOut = distance(out2, cw, ch);
        for (int y = y0; y < y1; y++)
            for (int x = x0, i = (y - gy0) * cw + (x0 - gx0), o = y * w + x0; x < x1; x++, i++, o++) {
                float di = dIn[i], dout = dOut[i];
                int lim = near;
                // the level decides only between near and far (one of the two distances is 0)
                if (levels != null && Math.max(di, dout) > near && Math.max(di, dout) <= far) {
                    int m = levels.data[y * levels.stride + x] & 0xFF;
                    if (m > UNSURE_LOW && m < UNSURE_HIGH) lim = far;
                }
                out[o] = (byte) (di > lim ? Trimap.FOREGROUND : dout > lim ? Trimap.BACKGROUND : Trimap.UNKNOWN);
            }
    }

    /** Distance of each non-zero pixel to the nearest zero pixel; the frame edge is not a boundary. */
    private static float[] distance(byte[] bin, int w, int h) {
        // one replicated pixel around the frame, so a person cut by the frame stays foreground up to the edge
        int pw = w + 2, ph = h + 2;
        byte[] padded = new byte[pw * ph];
        for (int y = 0; y < ph; y++) {
            int sy = Math.min(h - 1, Math.max(0, y - 1));
            System.arraycopy(bin, sy * w, padded, y * pw + 1, w);
            padded[y * pw] = bin[sy * w];
            padded[y * pw + pw - 1] = bin[sy * w + w - 1];
        }
        Mat src = new Mat(ph, pw, CvType.CV_8UC1), dist = new Mat();
        try {
            src.put(0, 0, padded);
            Imgproc.distanceTransform(src, dist, Imgproc.DIST_L2, Imgproc.DIST_MASK_5);
            // row by row without the padding, so no second photo-sized float array is made
            float[] out = new float[w * h], row = new float[w];
            for (int y = 0; y < h; y++) {
                dist.get(y + 1, 1, row);
                System.arraycopy(row, 0, out, y * w, w);
            }
            return out;
        } finally {
            src.release();
            dist.release();
        }
    }

    public static Trimap fromMask(FloatImage mask, int kernelSize, int iterations) {
        return fromMask(ImageOps.toByte(mask), kernelSize, iterations, DEFAULT_THRESHOLD);
    }

    public static Trimap fromMask(ByteImage mask, int kernelSize, int iterations) {
        return fromMask(mask, kernelSize, iterations, DEFAULT_THRESHOLD);
    }

    /**
     * @param mask       one-channel 8-bit soft mask (255 = person)
     * @param kernelSize elliptical kernel diameter, &gt;= 1
     * @param iterations erosion / dilation repeats, &gt;= 0
     * @param threshold  mask level in [0,1] above which a pixel counts as foreground before morphology
     */
    public static Trimap fromMask(ByteImage mask, int kernelSize, int iterations, float threshold) {
        ThreadGuard.checkHeavyWork("trimap generation");
        if (mask.channels != 1) mask = ImageOps.toGray(mask);
        if (kernelSize < 1) throw new IllegalArgumentException("kernel size must be >= 1");
        if (iterations < 0) throw new IllegalArgumentException("iterations must be >= 0");
        OpenCv.load();
        int w = mask.width, h = mask.height;
        // A zero threshold would make every pixel foreground; the smallest useful level is 1.
        int level = Math.max(1, Math.round(Math.max(0f, Math.min(1f, threshold)) * 255f));
        byte[] bin = new byte[w * h];
        for (int y = 0; y < h; y++) {
            int s = y * mask.stride, d = y * w;
            for (int x = 0; x < w; x++) bin[d + x] = (byte) ((mask.data[s + x] & 0xFF) >= level ? 255 : 0);
        }
        Mat src = new Mat(h, w, CvType.CV_8UC1);
        Mat eroded = new Mat(), dilated = new Mat();
        Mat kernel = Imgproc.getStructuringElement(Imgproc.MORPH_ELLIPSE, new Size(kernelSize, kernelSize));
        try {
            src.put(0, 0, bin);
            org.opencv.core.Point anchor = new org.opencv.core.Point(-1, -1);
            // Pixels outside the image count as neither: replicate the border so a person cut by the frame edge
            // stays foreground at the edge instead of growing an unknown band along it.
            Imgproc.erode(src, eroded, kernel, anchor, iterations, Core.BORDER_REPLICATE);
            Imgproc.dilate(src, dilated, kernel, anchor, iterations, Core.BORDER_REPLICATE);
            byte[] er = new byte[w * h], di = new byte[w * h];
            eroded.get(0, 0, er);
            dilated.get(0, 0, di);
            Trimap t = new Trimap(w, h);
            for (int i = 0; i < w * h; i++) {
                t.data[i] = (byte) (er[i] != 0 ? Trimap.FOREGROUND : di[i] == 0 ? Trimap.BACKGROUND : Trimap.UNKNOWN);
            }
            return t;
        } finally {
            src.release();
            eroded.release();
            dilated.release();
            kernel.release();
        }
    }
}
