package studio.matting.foreground;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
import studio.matting.image.Parallel;
import studio.matting.image.Rect;
import studio.matting.task.TaskContext;

/**
 * Multi-level foreground estimation (Germer, Uelwer, Conrad, Harmeling 2020, "Fast Multi-Level Foreground
 * Estimation"; pymatting's {@code estimate_foreground_ml}). For every pixel it solves the 2×2 least-squares system
 * <pre>
 *   min  (αF + (1−α)B − I)² + Σ_{neighbours j} (ε + ω|α − α_j|) ((F − F_j)² + (B − B_j)²)
 * </pre>
 * per channel, iterating from a 1×1 image up to full size (nearest-neighbour upsampling between levels), which makes
 * F and B smooth where α changes and exact where the compositing equation pins them. Each level's sweeps use red/black
 * (checkerboard) ordering so rows can be processed in parallel without races and the result is deterministic.
 */
public final class ForegroundEstimator {
    /** Estimated foreground and background, 3 channels each in [0,1]. */
    public record Result(FloatImage foreground, FloatImage background) { }

    private final double regularization;
    private final int smallIterations;
    private final int bigIterations;
    private final int smallSize;
    private final double gradientWeight;

    /** pymatting's defaults: ε = 1e-5, 10 iterations on levels ≤ 32 px, 2 above, ω = 1. */
    public ForegroundEstimator() { this(1e-5, 10, 2, 32, 1.0); }

    public ForegroundEstimator(double regularization, int smallIterations, int bigIterations, int smallSize, double gradientWeight) {
        this(regularization, smallIterations, bigIterations, smallSize, gradientWeight, TILED_FROM_PIXELS, TILE);
    }

    private ForegroundEstimator(double regularization, int smallIterations, int bigIterations, int smallSize, double gradientWeight,
                                int tiledFromPixels, int tile) {
        this.tiledFromPixels = tiledFromPixels;
        this.tile = tile;
        this.regularization = regularization;
        this.smallIterations = smallIterations;
        this.bigIterations = bigIterations;
        this.smallSize = smallSize;
        this.gradientWeight = gradientWeight;
    }

    /** @return F, 3 channels in [0,1] */
    public FloatImage estimate(ByteImage rgb, FloatImage alpha, TaskContext ctx) {
        check(rgb, alpha);
        return estimate(new PhotoSource(rgb, alpha), rgb.width, rgb.height, false, ctx).foreground();
    }

    public Result estimateBoth(ByteImage rgb, FloatImage alpha, TaskContext ctx) {
        check(rgb, alpha);
        return estimate(new PhotoSource(rgb, alpha), rgb.width, rgb.height, true, ctx);
    }

    private static void check(ByteImage rgb, FloatImage alpha) {
        if (!alpha.sameSize(rgb.width, rgb.height))
            throw new IllegalArgumentException("α is " + alpha.width + "x" + alpha.height + " but the image is " + rgb.width + "x" + rgb.height);
    }

    /** Core on flat arrays: {@code image} interleaved RGB in [0,1], {@code alpha} one value per pixel. */
    public Result estimate(float[] image, float[] alpha, int w0, int h0, TaskContext ctx) {
        return estimate(new ArraySource(image, alpha, w0), w0, h0, true, ctx);
    }

    /**
     * Levels of at least this many pixels are computed in tiles ({@link #TILE}): see {@link #tiledLevel}. 0 would
     * tile every level above {@code smallSize}; {@link Integer#MAX_VALUE} none (the test compares the two).
     */
    static final int TILED_FROM_PIXELS = 1 << 20;
    /**
     * Core side of a tile of a tiled level (default); each reads {@link #TILE_MARGIN} around it, so the margin costs
     * (1 + 2·16/side)² of the core: 1.56× at 128, 1.36× at 192. F the same for any side (checksum); CPU per estimate,
     * in process, 12 portraits at 1200×1600 / 3 at 3000×4000: 128 → 103–104 / 580–613 ms, 192 → 94–96 / 517–537 ms,
     * 256 → 94 / 507–573 ms, 96 → 114 ms.
     */
    static final int TILE = 192;
    /**
     * Why 16: a core pixel after a level's 2 iterations × 2 half-sweeps depends on pixels up to 4 px away, whose being
     * settled depends on α up to {@link #SETTLE_MARGIN} + 1 further; 4 + 9 &lt; 16, so the crop's clamped border never
     * reaches the core and the tile's core is exactly what the whole-level sweep computes.
     */
    static final int TILE_MARGIN = 16;

    private final int tiledFromPixels, tile;

    /** For the test: the same estimator with another tiling threshold and tile side. */
    ForegroundEstimator withTiling(int fromPixels, int tileSide) {
        return new ForegroundEstimator(regularization, smallIterations, bigIterations, smallSize, gradientWeight, fromPixels, tileSide);
    }

    /**
     * @param wantBackground false: the last level's B is not kept (the foreground stage needs F only, and at 12 MP B
     *                       is another 144 MB)
     */
    private Result estimate(Source src, int w0, int h0, boolean wantBackground, TaskContext ctx) {
        // Level 0 starts from the mean colour, which the 1×1 level then refines. Summed per row in parallel, then the
        // rows in order, so the start does not depend on the core count.
        double[] rowSums = new double[h0 * 3];
        Parallel.rows(h0, w0, (y0, y1) -> {
            for (int y = y0; y < y1; y++) src.rowSum(y, rowSums);
        });
        double[] mean = new double[3];
        for (int y = 0; y < h0; y++) for (int c = 0; c < 3; c++) mean[c] += rowSums[y * 3 + c];
        float[] fPrev = new float[3], bPrev = new float[3];
        for (int c = 0; c < 3; c++) fPrev[c] = (float) (mean[c] / ((double) w0 * h0));
        System.arraycopy(fPrev, 0, bPrev, 0, 3);
        int wPrev = 1, hPrev = 1;
        int levels = (int) Math.ceil(Math.log(Math.max(w0, h0)) / Math.log(2));
        float[] f = fPrev, b = bPrev;
        for (int level = 0; level <= levels; level++) {
            ctx.checkCancelled();
            ctx.progress(levels == 0 ? 0 : (double) level / levels, "estimating foreground colours");
            int w = levels == 0 ? w0 : (int) Math.round(Math.pow(w0, (double) level / levels));
            int h = levels == 0 ? h0 : (int) Math.round(Math.pow(h0, (double) level / levels));
            boolean small = w <= smallSize && h <= smallSize;
            int iterations = small ? smallIterations : bigIterations;
            int[] sx = nearest(w0, w), sy = nearest(h0, h);
            if (!small && (long) w * h >= tiledFromPixels) {
                f = new float[w * h * 3];
                b = level == levels && !wantBackground ? null : new float[w * h * 3];
                tiledLevel(src, sx, sy, w, h, fPrev, bPrev, wPrev, hPrev, f, b, iterations);
            } else {
                float[] im = src.rgbArray(w, h), al = src.alphaArray(w, h);
                if (im == null || al == null) {
                    float[] imL = new float[w * h * 3], alL = new float[w * h];
                    Parallel.rows(h, w, (y0, y1) -> {
                        src.rgb(sx, sy, 0, w, y0, y1, imL, y0 * w * 3);
                        src.alpha(sx, sy, 0, w, y0, y1, alL, y0 * w);
                    });
                    im = imL;
                    al = alL;
                }
                f = resizeNearest(fPrev, wPrev, hPrev, 3, w, h);
                b = resizeNearest(bPrev, wPrev, hPrev, 3, w, h);
                byte[] settled = small ? null : settle(im, al, f, b, w, h);
                for (int it = 0; it < iterations; it++)
                    for (int color = 0; color < 2; color++) sweep(im, al, f, b, w, h, color, 0, settled);
            }
            fPrev = f;
            bPrev = b;
            wPrev = w;
            hPrev = h;
        }
        ctx.progress(1, "foreground estimated");
        return new Result(new FloatImage(w0, h0, 3, f, w0 * 3), b == null ? null : new FloatImage(w0, h0, 3, b, w0 * 3));
    }

    /** pymatting's nearest source index of each of {@code dst} positions along a side of {@code src}. */
    static int[] nearest(int src, int dst) {
        int[] m = new int[dst];
        for (int x = 0; x < dst; x++) m[x] = Math.min(src - 1, (int) ((long) x * src / dst));
        return m;
    }

    /** Per-worker crop buffers of a tiled level, grown on demand and reused from tile to tile. */
    private static final class TileScratch {
        float[] im = new float[0], al = new float[0], f = new float[0], b = new float[0];

        void ensure(int n) {
            if (al.length >= n) return;
            im = new float[n * 3]; al = new float[n]; f = new float[n * 3]; b = new float[n * 3];
        }
    }

    private static final ThreadLocal<TileScratch> SCRATCH = ThreadLocal.withInitial(TileScratch::new);

    /**
     * One large level computed tile by tile, which gives the same F and B as sweeping the whole level (see
     * {@link #TILE_MARGIN}) but never holds the level's colours, α or settle masks: each tile reads its crop from the
     * source, and a tile with no soft pixel within {@link #SETTLE_MARGIN} of its core is written in closed form (F = I
     * where α = 1, B = I where α = 0, the previous level's values elsewhere) without a sweep. On a 12 MP photo
     * that removes ~0.6 GB of level-sized arrays, whose first touch by the kernel cost more than the sweeps themselves.
     * {@code b} may be null (the last level when B is not wanted).
     */
    private void tiledLevel(Source src, int[] sx, int[] sy, int w, int h, float[] fPrev, float[] bPrev, int wPrev, int hPrev,
                            float[] f, float[] b, int iterations) {
        int[] ux = nearest(wPrev, w), uy = nearest(hPrev, h);
        int nx = (w + tile - 1) / tile, ny = (h + tile - 1) / tile;
        Parallel.each(nx * ny, t -> {
            int cx0 = (t % nx) * tile, cy0 = (t / nx) * tile, cx1 = Math.min(w, cx0 + tile), cy1 = Math.min(h, cy0 + tile);
            // taken out while in use: should a nested parallel loop make this worker run another tile meanwhile, that
            // tile gets buffers of its own instead of these
            TileScratch s = SCRATCH.get();
            SCRATCH.remove();
            try {
                computeTile(src, sx, sy, w, h, fPrev, bPrev, wPrev, ux, uy, f, b, iterations, s, cx0, cy0, cx1, cy1);
            } finally {
                SCRATCH.set(s);
            }
        });
    }

    /** One tile of {@link #tiledLevel}: the core [cx0, cx1) × [cy0, cy1), with the scratch {@code s}. */
    private void computeTile(Source src, int[] sx, int[] sy, int w, int h, float[] fPrev, float[] bPrev, int wPrev, int[] ux, int[] uy,
                             float[] f, float[] b, int iterations, TileScratch s, int cx0, int cy0, int cx1, int cy1) {
        int gx0 = Math.max(0, cx0 - TILE_MARGIN), gy0 = Math.max(0, cy0 - TILE_MARGIN);
        int gx1 = Math.min(w, cx1 + TILE_MARGIN), gy1 = Math.min(h, cy1 + TILE_MARGIN);
        int gw = gx1 - gx0, gh = gy1 - gy0;
        s.ensure(gw * gh);
        float[] im = s.im, al = s.al, tf = s.f, tb = s.b;
        src.alpha(sx, sy, gx0, gx1, gy0, gy1, al, 0);
        if (!roughNear(al, gw, gh, cx0 - gx0, cy0 - gy0, cx1 - gx0, cy1 - gy0)) {
            // closed form: only the core's colours are read (most tiles of a photo: its background and the body)
            int cw = cx1 - cx0;
            src.rgb(sx, sy, cx0, cx1, cy0, cy1, im, 0);
            for (int y = cy0; y < cy1; y++) {
                int pr = uy[y] * wPrev;
                for (int x = cx0, j = (y - gy0) * gw + (cx0 - gx0), q = (y - cy0) * cw * 3; x < cx1; x++, j++, q += 3) {
                    int o = (y * w + x) * 3, p = (pr + ux[x]) * 3;
                    float a = al[j];
                    for (int c = 0; c < 3; c++) {
                        f[o + c] = a == 1f ? im[q + c] : fPrev[p + c];
                        if (b != null) b[o + c] = a == 1f ? bPrev[p + c] : im[q + c];
                    }
                }
            }
            return;
        }
        src.rgb(sx, sy, gx0, gx1, gy0, gy1, im, 0);
        for (int y = gy0; y < gy1; y++) {
            int pr = uy[y] * wPrev;
            for (int x = gx0, j = (y - gy0) * gw * 3; x < gx1; x++, j += 3) {
                int p = (pr + ux[x]) * 3;
                tf[j] = fPrev[p]; tf[j + 1] = fPrev[p + 1]; tf[j + 2] = fPrev[p + 2];
                tb[j] = bPrev[p]; tb[j + 1] = bPrev[p + 1]; tb[j + 2] = bPrev[p + 2];
            }
        }
        byte[] settled = settle(im, al, tf, tb, gw, gh);
        // the checkerboard is the whole level's, so a crop at an odd offset starts its colours the other way round
        int offset = (gx0 + gy0) & 1;
        for (int it = 0; it < iterations; it++)
            for (int color = 0; color < 2; color++) sweep(im, al, tf, tb, gw, gh, color, offset, settled);
        for (int y = cy0; y < cy1; y++) {
            int j = ((y - gy0) * gw + (cx0 - gx0)) * 3, o = (y * w + cx0) * 3, n = (cx1 - cx0) * 3;
            System.arraycopy(tf, j, f, o, n);
            if (b != null) System.arraycopy(tb, j, b, o, n);
        }
    }

    /**
     * Whether any pixel within {@link #SETTLE_MARGIN} of the core [x0, x1) × [y0, y1) of a w × h crop is rough (not
     * 0 or 1 with its four neighbours equal), i.e. whether {@link #settle} would leave any core pixel unsettled. The
     * neighbours of that ring lie inside the crop, so the answer is the whole level's.
     */
    private static boolean roughNear(float[] al, int w, int h, int x0, int y0, int x1, int y1) {
        int ax0 = Math.max(0, x0 - SETTLE_MARGIN), ay0 = Math.max(0, y0 - SETTLE_MARGIN);
        int ax1 = Math.min(w, x1 + SETTLE_MARGIN), ay1 = Math.min(h, y1 + SETTLE_MARGIN);
        for (int y = ay0; y < ay1; y++) {
            int o = y * w, up = Math.max(0, y - 1) * w, down = Math.min(h - 1, y + 1) * w;
            for (int x = ax0; x < ax1; x++) {
                float a = al[o + x];
                if (!((a == 0f || a == 1f) && al[up + x] == a && al[down + x] == a
                        && al[o + Math.max(0, x - 1)] == a && al[o + Math.min(w - 1, x + 1)] == a)) return true;
            }
        }
        return false;
    }

    /**
     * The input at nearest-sampled positions: columns {@code sx[x0..x1)} and rows {@code sy[y0..y1)} written row after
     * row from {@code off} (RGB interleaved; α clamped to [0,1] for a photo).
     */
    private interface Source {
        void rgb(int[] sx, int[] sy, int x0, int x1, int y0, int y1, float[] dst, int off);

        void alpha(int[] sx, int[] sy, int x0, int x1, int y0, int y1, float[] dst, int off);

        /** Σ of row y's colours into sums[3y..3y+2]. */
        void rowSum(int y, double[] sums);

        /** The whole level as arrays when the source already holds them at that size, else null. */
        default float[] rgbArray(int w, int h) { return null; }

        default float[] alphaArray(int w, int h) { return null; }
    }

    /** Flat arrays (the float API and the region estimate's crop), used as they are at full size. */
    private record ArraySource(float[] image, float[] alpha, int w0) implements Source {
        @Override public void rgb(int[] sx, int[] sy, int x0, int x1, int y0, int y1, float[] dst, int off) {
            for (int y = y0, d = off; y < y1; y++) {
                int row = sy[y] * w0;
                for (int x = x0; x < x1; x++, d += 3) {
                    int s = (row + sx[x]) * 3;
                    dst[d] = image[s]; dst[d + 1] = image[s + 1]; dst[d + 2] = image[s + 2];
                }
            }
        }

        @Override public void alpha(int[] sx, int[] sy, int x0, int x1, int y0, int y1, float[] dst, int off) {
            for (int y = y0, d = off; y < y1; y++) {
                int row = sy[y] * w0;
                for (int x = x0; x < x1; x++) dst[d++] = alpha[row + sx[x]];
            }
        }

        @Override public void rowSum(int y, double[] sums) {
            double r = 0, g = 0, b = 0;
            for (int i = y * w0 * 3, e = i + w0 * 3; i < e; i += 3) { r += image[i]; g += image[i + 1]; b += image[i + 2]; }
            sums[y * 3] = r; sums[y * 3 + 1] = g; sums[y * 3 + 2] = b;
        }

        @Override public float[] rgbArray(int w, int h) { return w == w0 && (long) w * h * 3 == image.length ? image : null; }

        @Override public float[] alphaArray(int w, int h) { return w == w0 && (long) w * h == alpha.length ? alpha : null; }
    }

    /**
     * A photo and its α read in place (colours / 255, gray replicated, a 4th channel ignored; α clamped), so no
     * photo-sized float copy of either is made.
     */
    private record PhotoSource(ByteImage rgb, FloatImage alpha) implements Source {
        @Override public void rgb(int[] sx, int[] sy, int x0, int x1, int y0, int y1, float[] dst, int off) {
            int ch = rgb.channels;
            for (int y = y0, d = off; y < y1; y++) {
                int row = sy[y] * rgb.stride;
                if (ch == 1) {
                    for (int x = x0; x < x1; x++, d += 3) {
                        float v = ImageOps.unit(rgb.data[row + sx[x]]);
                        dst[d] = v; dst[d + 1] = v; dst[d + 2] = v;
                    }
                } else {
                    for (int x = x0; x < x1; x++, d += 3) {
                        int s = row + sx[x] * ch;
                        dst[d] = ImageOps.unit(rgb.data[s]);
                        dst[d + 1] = ImageOps.unit(rgb.data[s + 1]);
                        dst[d + 2] = ImageOps.unit(rgb.data[s + 2]);
                    }
                }
            }
        }

        @Override public void alpha(int[] sx, int[] sy, int x0, int x1, int y0, int y1, float[] dst, int off) {
            int ach = alpha.channels;
            for (int y = y0, d = off; y < y1; y++) {
                int row = sy[y] * alpha.stride;
                for (int x = x0; x < x1; x++) {
                    float v = alpha.data[row + sx[x] * ach];
                    dst[d++] = v < 0 ? 0 : v > 1 ? 1 : v;
                }
            }
        }

        @Override public void rowSum(int y, double[] sums) {
            // whole bytes summed exactly, divided once: Σ b/255 without a float conversion per channel
            int ch = rgb.channels, s = y * rgb.stride;
            long r = 0, g = 0, b = 0;
            if (ch == 1) {
                for (int x = 0; x < rgb.width; x++, s++) r += rgb.data[s] & 0xFF;
                g = r;
                b = r;
            } else {
                for (int x = 0; x < rgb.width; x++, s += ch) {
                    r += rgb.data[s] & 0xFF; g += rgb.data[s + 1] & 0xFF; b += rgb.data[s + 2] & 0xFF;
                }
            }
            sums[y * 3] = r / 255.0; sums[y * 3 + 1] = g / 255.0; sums[y * 3 + 2] = b / 255.0;
        }
    }

    /**
     * Unsettled pixels are widened by this many pixels before the rest is settled: one level's sweeps move
     * information about 4 px (2 iterations × 2 half-sweeps), and what reaches the edge at one level came from half
     * that distance at the previous one, so 8 px keeps every value the edge depends on exactly as the full sweep has it.
     */
    static final int SETTLE_MARGIN = 8;

    /**
     * Marks the pixels whose update is known in closed form: α exactly 0 or 1 with all four neighbours equal and no
     * soft pixel within {@link #SETTLE_MARGIN}. There the smoothness weights are all ε (1e-5), so the 2×2 system gives
     * F = I (α = 1) or B = I (α = 0) up to O(ε), and the other colour only diffuses where α = 0 hides it. Those pixels
     * are set once and skipped by the sweeps, so a large level costs in proportion to its soft edge, not its area.
     * Returns 1 per settled pixel; the last {@code h} entries flag rows that have any unsettled pixel.
     */
    private static byte[] settle(float[] im, float[] al, float[] f, float[] b, int w, int h) {
        int np = w * h;
        byte[] settled = new byte[np + h];
        // active = not settled by its own 4-neighbourhood; then everything within SETTLE_MARGIN of an active pixel
        boolean[] rough = new boolean[np];
        Parallel.rows(h, w, (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                int up = Math.max(0, y - 1) * w, down = Math.min(h - 1, y + 1) * w, o = y * w;
                for (int x = 0; x < w; x++) {
                    int i = o + x;
                    float a = al[i];
                    boolean calm = (a == 0f || a == 1f) && al[up + x] == a && al[down + x] == a
                            && al[o + Math.max(0, x - 1)] == a && al[o + Math.min(w - 1, x + 1)] == a;
                    rough[i] = !calm;
                }
            }
        });
        boolean[] near = ImageOps.dilate(rough, w, h, SETTLE_MARGIN);
        Parallel.rows(h, w, (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                boolean active = false;
                for (int x = 0, i = y * w; x < w; x++, i++) {
                    if (!near[i]) {
                        settled[i] = 1;
                        float[] dst = al[i] == 1f ? f : b;
                        dst[i * 3] = im[i * 3];
                        dst[i * 3 + 1] = im[i * 3 + 1];
                        dst[i * 3 + 2] = im[i * 3 + 2];
                    } else {
                        settled[i] = 0;
                        active = true;
                    }
                }
                settled[np + y] = (byte) (active ? 1 : 0);
            }
        });
        return settled;
    }

    /** One half-sweep: the pixels with (x + y + offset) of the given parity ({@code offset}: a crop's origin parity). */
    private void sweep(float[] im, float[] al, float[] f, float[] b, int w, int h, int parity, int offset, byte[] settled) {
        final double eps = regularization, omega = gradientWeight;
        final int rowFlags = w * h;
        Parallel.rows(h, w, (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                if (settled != null && settled[rowFlags + y] == 0) continue;
                int row = y * w, up = (y > 0 ? y - 1 : 0) * w, down = (y < h - 1 ? y + 1 : h - 1) * w;
                for (int x = (y + parity + offset) & 1; x < w; x += 2) {
                    int i = row + x;
                    if (settled != null && settled[i] != 0) continue;
                    // neighbours clamped at the border, so an edge pixel counts itself
                    relax(im, al, f, b, i, row + (x > 0 ? x - 1 : 0), row + (x < w - 1 ? x + 1 : w - 1), up + x, down + x, eps, omega);
                }
            }
        });
    }

    /**
     * F and B of pixel i from its colour, α and the current F and B of its four neighbours (left, right, up, down):
     * pymatting's 2×2 normal equations. The neighbours are passed in, already clamped at the border: a loop over four
     * directions that clamped each one was most of the sweep's time.
     */
    private static void relax(float[] im, float[] al, float[] f, float[] b, int i, int jl, int jr, int ju, int jd, double eps, double omega) {
        double a0 = al[i], a1 = 1 - a0;
        double a00 = a0 * a0, a01 = a0 * a1, a11 = a1 * a1;
        double c0 = im[i * 3], c1 = im[i * 3 + 1], c2 = im[i * 3 + 2];
        double bf0 = a0 * c0, bf1 = a0 * c1, bf2 = a0 * c2;
        double bb0 = a1 * c0, bb1 = a1 * c1, bb2 = a1 * c2;
        double dl = eps + omega * Math.abs(a0 - al[jl]), dr = eps + omega * Math.abs(a0 - al[jr]);
        double du = eps + omega * Math.abs(a0 - al[ju]), dd = eps + omega * Math.abs(a0 - al[jd]);
        int l = jl * 3, r = jr * 3, u = ju * 3, d = jd * 3;
        // summed left to right, neighbour after neighbour: the same additions in the same order as one at a time
        a00 = a00 + dl + dr + du + dd;
        a11 = a11 + dl + dr + du + dd;
        bf0 = bf0 + dl * f[l] + dr * f[r] + du * f[u] + dd * f[d];
        bf1 = bf1 + dl * f[l + 1] + dr * f[r + 1] + du * f[u + 1] + dd * f[d + 1];
        bf2 = bf2 + dl * f[l + 2] + dr * f[r + 2] + du * f[u + 2] + dd * f[d + 2];
        bb0 = bb0 + dl * b[l] + dr * b[r] + du * b[u] + dd * b[d];
        bb1 = bb1 + dl * b[l + 1] + dr * b[r + 1] + du * b[u + 1] + dd * b[d + 1];
        bb2 = bb2 + dl * b[l + 2] + dr * b[r + 2] + du * b[u + 2] + dd * b[d + 2];
        double inv = 1.0 / (a00 * a11 - a01 * a01);
        double m00 = inv * a11, m01 = -inv * a01, m11 = inv * a00;
        f[i * 3] = clamp(m00 * bf0 + m01 * bb0);
        f[i * 3 + 1] = clamp(m00 * bf1 + m01 * bb1);
        f[i * 3 + 2] = clamp(m00 * bf2 + m01 * bb2);
        b[i * 3] = clamp(m01 * bf0 + m11 * bb0);
        b[i * 3 + 1] = clamp(m01 * bf1 + m11 * bb1);
        b[i * 3 + 2] = clamp(m01 * bf2 + m11 * bb2);
    }

    /** Margin around a re-estimated region: room for the multi-level smoothing to see the edge's surroundings. */
    public static final int REGION_MARGIN = 32;

    /**
     * Re-estimates F inside {@code roi} only and writes it into {@code foreground} (3 channels, image size): the
     * stroke re-matte's foreground step. Runs the multi-level estimate on a crop of the roi plus {@link #REGION_MARGIN},
     * so its cost follows the roi, not the image; outside the roi {@code foreground} is untouched.
     */
    public void estimateRegion(ByteImage rgb, FloatImage alpha, Rect roi, FloatImage foreground, TaskContext ctx) {
        if (!alpha.sameSize(rgb.width, rgb.height) || !foreground.sameSize(rgb.width, rgb.height) || foreground.channels != 3)
            throw new IllegalArgumentException("α, F and the image must have the same size (F with 3 channels)");
        Rect full = Rect.of(rgb.width, rgb.height);
        Rect r = roi.intersect(full);
        if (r.isEmpty()) return;
        Rect c = r.expand(REGION_MARGIN).intersect(full);
        int cw = c.width(), ch = c.height();
        float[] img = new float[cw * ch * 3];
        float[] a = new float[cw * ch];
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) {
                int gx = c.x() + x, gy = c.y() + y;
                int s = gy * rgb.stride + gx * rgb.channels, d = (y * cw + x) * 3;
                for (int k = 0; k < 3; k++) img[d + k] = ImageOps.unit(rgb.data[s + (rgb.channels == 1 ? 0 : k)]);
                float v = alpha.data[gy * alpha.stride + gx * alpha.channels];
                a[y * cw + x] = v < 0 ? 0 : v > 1 ? 1 : v;
            }
        }
        float[] f = estimate(img, a, cw, ch, ctx).foreground().data;
        for (int y = r.y(); y < r.bottom(); y++)
            System.arraycopy(f, ((y - c.y()) * cw + (r.x() - c.x())) * 3, foreground.data, y * foreground.stride + r.x() * 3, r.width() * 3);
    }

    private static float clamp(double v) {
        return ImageOps.clamp01((float) v); // the same as clamping the double first: a double <= 1 rounds to a float <= 1
    }

    /**
     * pymatting's nearest-neighbour resize: source index ⌊x·w_src/w_dst⌋. Rows in parallel: on a 12 MP photo the
     * levels' resizes of image, α, F and B touch about twice the photo's area.
     */
    static float[] resizeNearest(float[] src, int ws, int hs, int ch, int wd, int hd) {
        float[] out = new float[wd * hd * ch];
        // the source column of each destination column, once (a long division per pixel cost more than the copy)
        int[] sx = new int[wd];
        for (int x = 0; x < wd; x++) sx[x] = Math.min(ws - 1, (int) ((long) x * ws / wd)) * ch;
        Parallel.rows(hd, wd, (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                int srow = Math.min(hs - 1, (int) ((long) y * hs / hd)) * ws * ch, d = y * wd * ch;
                if (ch == 1) {
                    for (int x = 0; x < wd; x++) out[d + x] = src[srow + sx[x]];
                } else if (ch == 3) {
                    for (int x = 0; x < wd; x++, d += 3) {
                        int s = srow + sx[x];
                        out[d] = src[s]; out[d + 1] = src[s + 1]; out[d + 2] = src[s + 2];
                    }
                } else {
                    for (int x = 0; x < wd; x++, d += ch) for (int c = 0; c < ch; c++) out[d + c] = src[srow + sx[x] + c];
                }
            }
        });
        return out;
    }
}
