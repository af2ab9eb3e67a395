package studio.matting.matting;

import studio.matting.image.ByteImage;
import studio.matting.image.ImageOps;
import studio.matting.image.Parallel;
import studio.matting.task.TaskContext;

/**
 * Coarse-to-fine closed-form solve for large images. Most of an automatic trimap's unknown band is really 0 or 1; only
 * a thin soft edge (hair, blur) needs the full-resolution Laplacian. So: halve the image (2×2 box colours; a coarse
 * pixel is known only when its four children are known and agree), solve there (recursively while still large),
 * upsample α through the coarse level's local linear model ({@link #guidedUpsample}), and re-solve at full resolution
 * only the unknown pixels within {@link #DETAIL_RADIUS} of a soft upsampled value ({@link #SOFT_LO} &lt; α &lt;
 * {@link #SOFT_HI}) that the coarse model does not already explain ({@link #resolves}), warm-started from the
 * upsampled α, in independent overlapping tiles ({@link #TILE}); the other unknown pixels are pinned to the upsampled
 * α and keep it (rounding them to 0/1 instead lost faint strands: SAD +45 % on the synthetic portrait).
 */
final class CoarseToFine {
    /**
     * Upsampled α strictly between these is "soft" and gets re-solved at full resolution. Measured on 1200×1600
     * portraits (segmenter trimap, SAD against pseudo-alpha): 0.02 re-solves 90 % of the band, 0.1 about 60 % at the
     * same SAD, 0.2 half with SAD starting to move; no re-solve at all (bilinear α only) was up to 2.6 % worse.
     */
    static final float SOFT_LO = 0.1f, SOFT_HI = 0.9f;
    /**
     * Soft pixels are widened by this many pixels (the solve needs room for the edge to move). 3 before the guided
     * upsampling; with it, 2 re-solves 10 % fewer pixels at the same SAD against pseudo-alpha (see {@link #GUIDED_EPSILON}).
     */
    static final int DETAIL_RADIUS = 2;
    /**
     * Which soft pixels are re-solved: those whose upsampled α is well inside (MID, 1 − MID), and the rest of the soft
     * ones only where the coarse level's colour-line model fits badly (a coarse pixel's worst window residual above
     * FIT_TAU, in α², see {@link #guidedUpsample}). Where a window's α is an affine function of its colours, which is
     * what the Laplacian's solution is locally, the guided upsampling already gives the full-resolution answer; a
     * re-solve there changes nothing but costs the time. Measured on 12 portraits at 1200×1600 (automatic trimap; SAD
     * ×1e-3 against the one-system full-resolution solve / against pseudo-alpha / closed-form CPU ms per photo / fine
     * unknowns; the one-system solve itself scores 25.793 against pseudo-alpha) and on synthetic 1200×1600 composites
     * with ground truth (SAD, 3 seeds): every soft pixel 1.909 / 25.787 / 303–307 / 62.9 k, synthetic 19.785;
     * τ 4e-4 alone 2.503 / 25.806 / 215 / 29.5 k, 19.261; τ 1e-4 alone 2.200 / 25.802 / 266 / 48.9 k;
     * τ 4e-4 with MID 0.2: 2.203 / 25.793 / 260 / 52.7 k, 19.742 (kept: as close to pseudo-alpha as the exact solve);
     * MID 0.25: 25.796 / 248; MID 0.3: 25.797 / 253; τ 2e-3 with MID 0.2: 25.808.
     */
    static final float MID = 0.2f, FIT_TAU = 4e-4f;
    /**
     * Ridge term on the colour covariance of {@link #guidedUpsample}'s windows ({@link #GUIDED_RADIUS}: 3×3 coarse
     * pixels), colours in [0, 1]. Measured on 12 portraits at 1200×1600 (automatic trimap; SAD ×1e-3 against the
     * one-system full-resolution solve / against pseudo-alpha at 600×800), fine level re-solving everything:
     * bilinear 1.682 / 25.788, guided 1e-5 1.601 / 25.784; with nothing re-solved 3.152 / 25.849 vs 2.861 / 25.827
     * (1e-4: 3.065 / 25.817, 1e-3: 3.296 / 25.818); with detail radius 2 and overlap 8, ε 3e-6 / 1e-5 / 3e-5 gave
     * 1.897 / 1.909 / 1.931 and 25.789 / 25.787 / 25.787, a 5×5 window 1.914 / 25.783.
     */
    static final double GUIDED_EPSILON = 1e-5;
    static final int GUIDED_RADIUS = 1;
    /**
     * The full-resolution re-solve runs in tiles of this side (0: one system for the whole image). The coarse level
     * already carried α across the band, so what is left is local; each tile solves its detail pixels plus
     * {@link #TILE_OVERLAP} around it (the rest pinned to the upsampled α) and keeps its core. Tiles are independent,
     * so they run in parallel, and none of the per-solve work walks the whole photo. Measured (2 cores, a training
     * run beside it; 12 portraits at 1200×1600 / 2 at 3000×4000, automatic trimap, SAD against pseudo-alpha): one
     * system 718 ms / 3.70 s per image, SAD 26.061 / 49.422; tiles of 256 with 16 px overlap 548 ms / 2.56 s, SAD
     * 26.057 / 49.417 (128/8: faster on 1200×1600 but SAD 26.073; 192/16 at 12 MP: SAD 49.437). With the guided
     * upsampling the pins around a tile are closer to the answer, and an overlap of 8 keeps the SAD against
     * pseudo-alpha (1200×1600: 25.787 with overlap 8, 25.792 with 4; tiles of 128 / 192 / 384: 25.788 / 25.796 / 25.791)
     * for 5–10 % less solve time.
     */
    static final int TILE = 256, TILE_OVERLAP = 8;

    private CoarseToFine() { }

    static ClosedFormEngine.Solved solve(ClosedFormEngine engine, float[] colors, int w, int h, boolean[] unknown, float[] known,
                                         TaskContext ctx) {
        return solve(engine, colors, w, h, unknown, known, TILE, TILE_OVERLAP, ctx);
    }

    /** @param tile the fine level's tile side (0: one system), {@code overlap} its overlap */
    static ClosedFormEngine.Solved solve(ClosedFormEngine engine, float[] colors, int w, int h, boolean[] unknown, float[] known,
                                         int tile, int overlap, TaskContext ctx) {
        return solve(engine, Colours.of(colors, w), w, h, unknown, known.clone(), tile, overlap, ctx);
    }

    /**
     * The photo's own colours ({@link Colours#of(ByteImage)}: no photo-sized float copy) and a {@code known} that the
     * solve takes over: it becomes the returned α (12 MP: 144 + 48 + 48 MB fewer fresh pages than copying them).
     */
    static ClosedFormEngine.Solved solveOwning(ClosedFormEngine engine, Colours colours, int w, int h, boolean[] unknown, float[] known,
                                               TaskContext ctx) {
        return solve(engine, colours, w, h, unknown, known, TILE, TILE_OVERLAP, ctx);
    }

    /**
     * Colours in [0,1] of a level, read a crop at a time: the full-resolution level reads the photo's bytes, the
     * coarse levels their own reduced arrays.
     */
    interface Colours {
        /** Interleaved RGB of [x0, x0 + cw) × [y0, y0 + ch) into {@code dst} from {@code off}, row after row. */
        void crop(int x0, int y0, int cw, int ch, float[] dst, int off);

        /** The whole w × h level as one array (for a single system over it). */
        default float[] all(int w, int h) {
            float[] c = new float[w * h * 3];
            crop(0, 0, w, h, c, 0);
            return c;
        }

        static Colours of(float[] colors, int w) {
            return (x0, y0, cw, ch, dst, off) -> {
                for (int y = 0; y < ch; y++) System.arraycopy(colors, ((y0 + y) * w + x0) * 3, dst, off + y * cw * 3, cw * 3);
            };
        }

        static Colours of(ByteImage img) {
            return (x0, y0, cw, ch, dst, off) -> ClosedFormEngine.colorsInto(img, x0, y0, cw, ch, dst, off);
        }
    }

    /** {@code known} is the caller's no longer: it is filled in and returned as α. */
    private static ClosedFormEngine.Solved solve(ClosedFormEngine engine, Colours colours, int w, int h, boolean[] unknown, float[] known,
                                                 int tile, int overlap, TaskContext ctx) {
        long minPixels = engine.options().coarseToFinePixels();
        if ((long) w * h < minPixels || w < 32 || h < 32) return engine.solve(colours.all(w, h), w, h, unknown, known, null, ctx);
        int w2 = (w + 1) / 2, h2 = (h + 1) / 2, n2 = w2 * h2;
        float[] c2 = new float[n2 * 3];
        boolean[] u2 = new boolean[n2];
        float[] k2 = new float[n2];
        int[] nu = new int[1];
        Parallel.rows(h2, w2, (y0, y1) -> {
            // the two source rows of a coarse row (the last one twice when h is odd)
            float[] rows = new float[2 * w * 3];
            for (int y = y0; y < y1; y++) {
                int ya = 2 * y, yb = Math.min(h - 1, 2 * y + 1);
                colours.crop(0, ya, w, 1, rows, 0);
                colours.crop(0, yb, w, 1, rows, w * 3);
                for (int x = 0; x < w2; x++) {
                    int i2 = y * w2 + x, cnt = 0;
                    float r = 0, g = 0, b = 0;
                    boolean unk = false, mixed = false;
                    float first = -1;
                    for (int dy = 0; dy < 2; dy++) {
                        int yy = Math.min(h - 1, 2 * y + dy);
                        for (int dx = 0; dx < 2; dx++) {
                            int xx = Math.min(w - 1, 2 * x + dx), i = yy * w + xx, c = (dy * w + xx) * 3;
                            r += rows[c]; g += rows[c + 1]; b += rows[c + 2];
                            cnt++;
                            if (unknown[i]) unk = true;
                            else if (first < 0) first = known[i];
                            else if (known[i] != first) mixed = true;
                        }
                    }
                    c2[i2 * 3] = r / cnt; c2[i2 * 3 + 1] = g / cnt; c2[i2 * 3 + 2] = b / cnt;
                    if (unk || mixed) u2[i2] = true;
                    else k2[i2] = first;
                }
            }
        });
        for (boolean b : u2) if (b) nu[0]++;
        ClosedFormEngine.Solved coarse = nu[0] == n2 || nu[0] == 0
                ? engine.solve(c2, w2, h2, u2, k2, null, ctx.sub(0, 0.3))
                : solve(engine, Colours.of(c2, w2), w2, h2, u2, k2, tile, overlap, ctx.sub(0, 0.3));
        // only the unknown band reads the upsampled α
        float[] fit = new float[n2];
        float[] up = guidedUpsample(c2, coarse.alpha(), w2, h2, u2, colours, w, h, unknown, GUIDED_EPSILON, GUIDED_RADIUS, fit);
        // Soft pixels that need the re-solve, widened by DETAIL_RADIUS, restricted to the unknown band.
        boolean[] soft = new boolean[w * h];
        Parallel.rows(h, w, (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                int row2 = (y / 2) * w2;
                for (int x = 0, i = y * w; x < w; x++, i++) soft[i] = unknown[i] && resolves(up[i], fit[row2 + x / 2]);
            }
        });
        boolean[] detail = ImageOps.dilate(soft, w, h, DETAIL_RADIUS);
        float[] pinned = known; // ours: the unknown band is overwritten with α
        int[] perRow = new int[h];
        Parallel.rows(h, w, (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                int n = 0;
                for (int i = y * w, e = i + w; i < e; i++) {
                    if (!unknown[i]) { detail[i] = false; continue; }
                    if (detail[i]) n++;
                    else pinned[i] = Math.max(0f, Math.min(1f, up[i]));
                }
                perRow[y] = n;
            }
        });
        int nDetail = 0;
        for (int c : perRow) nDetail += c;
        if (nDetail == 0) return new ClosedFormEngine.Solved(pinned, coarse.stats());
        ClosedFormEngine.Solved fine = tile > 0 ? solveTiled(engine, colours, w, h, detail, pinned, up, tile, overlap, ctx.sub(0.3, 1))
                : engine.solve(colours.all(w, h), w, h, detail, pinned, up, ctx.sub(0.3, 1));
        return new ClosedFormEngine.Solved(fine.alpha(), fine.stats().plus(coarse.stats()));
    }

    /** Whether a full-resolution unknown with upsampled α {@code up}, under a coarse pixel of fit residual {@code fit}, is re-solved. */
    static boolean resolves(float up, float fit) {
        return up > SOFT_LO && up < SOFT_HI && (up > MID && up < 1 - MID || fit > FIT_TAU);
    }

    /**
     * α at full resolution from the coarse level's local linear model (Levin et al. 2008, §5; the fast guided filter):
     * in each coarse window α ≈ a·I + b, with a, b fitted to the coarse α by ridge regression (ε on the colour
     * covariance); each coarse pixel averages the a, b of the windows that hold it; these are upsampled bilinearly and
     * applied to the full-resolution colours, so the edge lands where the photo's own edge is instead of where a
     * bilinear α would smear it. Written only at {@code where} (the full-resolution unknowns), and only the coarse
     * pixels those read are fitted; {@code u2} must be set at every coarse pixel that holds a {@code where} pixel (as
     * the coarse level's unknowns are). a and b are stored for those coarse pixels only: 4 bytes of index per coarse
     * pixel and 32 per fitted one, instead of two planes of 16 bytes per coarse pixel (96 MB at 12 MP).
     */
    static float[] guidedUpsample(float[] c2, float[] a2, int w2, int h2, boolean[] u2, Colours colours, int w, int h,
                                  boolean[] where, double eps, int r) {
        return guidedUpsample(c2, a2, w2, h2, u2, colours, w, h, where, eps, r, null);
    }

    /**
     * As above; when {@code fitErr} is given (w2 × h2), it receives at each tap pixel (a coarse pixel within 1 of
     * {@code u2}) the largest residual of the windows whose a, b that pixel averages: mean over the window of
     * (a·I + b − α)², the ridge term left out. Zero where α is exactly affine in the colours.
     */
    static float[] guidedUpsample(float[] c2, float[] a2, int w2, int h2, boolean[] u2, Colours colours, int w, int h,
                                  boolean[] where, double eps, int r, float[] fitErr) {
        int n2 = w2 * h2;
        // the bilinear taps of a full-resolution unknown lie within 1 of a coarse unknown; their averages reach r further
        boolean[] taps = ImageOps.dilate(u2, w2, h2, 1), fitted = ImageOps.dilate(taps, w2, h2, r);
        // a, b are kept only for the fitted pixels (a band of the coarse level), 4 floats each, found through slot[]
        int[] slot = new int[n2];
        int nf = 0;
        for (int i = 0; i < n2; i++) slot[i] = fitted[i] ? nf++ : -1;
        float[] ab = new float[nf * 4], coef = new float[nf * 4];
        // each window's residual, by slot like its coefficients
        float[] err1 = fitErr == null ? null : new float[nf];
        Parallel.rows(h2, w2 * (2 * r + 1) * (2 * r + 1), (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                int ya = Math.max(0, y - r), yb = Math.min(h2 - 1, y + r);
                for (int x = 0; x < w2; x++) {
                    int i = y * w2 + x;
                    if (!fitted[i]) continue;
                    int xa = Math.max(0, x - r), xb = Math.min(w2 - 1, x + r);
                    double sr = 0, sg = 0, sb = 0, srr = 0, srg = 0, srb = 0, sgg = 0, sgb = 0, sbb = 0, sa = 0, sra = 0, sga = 0, sba = 0, saa = 0;
                    for (int yy = ya; yy <= yb; yy++) {
                        for (int q = yy * w2 + xa, e = yy * w2 + xb; q <= e; q++) {
                            double cr = c2[3 * q], cg = c2[3 * q + 1], cb = c2[3 * q + 2], al = a2[q];
                            sr += cr; sg += cg; sb += cb;
                            srr += cr * cr; srg += cr * cg; srb += cr * cb; sgg += cg * cg; sgb += cg * cb; sbb += cb * cb;
                            sa += al; sra += cr * al; sga += cg * al; sba += cb * al; saa += al * al;
                        }
                    }
                    double inv = 1.0 / ((yb - ya + 1) * (xb - xa + 1));
                    double mr = sr * inv, mg = sg * inv, mb = sb * inv, ma = sa * inv;
                    double s00 = srr * inv - mr * mr + eps, s01 = srg * inv - mr * mg, s02 = srb * inv - mr * mb;
                    double s11 = sgg * inv - mg * mg + eps, s12 = sgb * inv - mg * mb, s22 = sbb * inv - mb * mb + eps;
                    double vr = sra * inv - mr * ma, vg = sga * inv - mg * ma, vb = sba * inv - mb * ma;
                    // (Σ + εI)⁻¹ v by the adjugate: Σ + εI is symmetric positive definite
                    double i00 = s11 * s22 - s12 * s12, i01 = s02 * s12 - s01 * s22, i02 = s01 * s12 - s02 * s11;
                    double i11 = s00 * s22 - s02 * s02, i12 = s01 * s02 - s00 * s12, i22 = s00 * s11 - s01 * s01;
                    double det = s00 * i00 + s01 * i01 + s02 * i02;
                    double ar = (i00 * vr + i01 * vg + i02 * vb) / det, ag = (i01 * vr + i11 * vg + i12 * vb) / det;
                    double ab3 = (i02 * vr + i12 * vg + i22 * vb) / det;
                    int o = 4 * slot[i];
                    coef[o] = (float) ar;
                    coef[o + 1] = (float) ag;
                    coef[o + 2] = (float) ab3;
                    coef[o + 3] = (float) (ma - ar * mr - ag * mg - ab3 * mb);
                    if (err1 != null) {
                        // E[(a·(I − μ) − (α − mα))²] = var α − 2 a·v + aᵀΣa, with Σ without the ridge
                        double va = saa * inv - ma * ma;
                        double q00 = s00 - eps, q11 = s11 - eps, q22 = s22 - eps;
                        double asa = ar * (q00 * ar + s01 * ag + s02 * ab3) + ag * (s01 * ar + q11 * ag + s12 * ab3) + ab3 * (s02 * ar + s12 * ag + q22 * ab3);
                        err1[slot[i]] = (float) Math.max(0, va - 2 * (ar * vr + ag * vg + ab3 * vb) + asa);
                    }
                }
            }
        });
        Parallel.rows(h2, w2 * (2 * r + 1) * (2 * r + 1), (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                int ya = Math.max(0, y - r), yb = Math.min(h2 - 1, y + r);
                for (int x = 0; x < w2; x++) {
                    int i = y * w2 + x;
                    if (!taps[i]) continue;
                    int xa = Math.max(0, x - r), xb = Math.min(w2 - 1, x + r);
                    float s0 = 0, s1 = 0, s2 = 0, s3 = 0, em = 0;
                    // every pixel within r of a tap is fitted, so its slot exists
                    for (int yy = ya; yy <= yb; yy++) {
                        for (int p = yy * w2 + xa, e = yy * w2 + xb; p <= e; p++) {
                            int q = 4 * slot[p];
                            s0 += coef[q]; s1 += coef[q + 1]; s2 += coef[q + 2]; s3 += coef[q + 3];
                            if (err1 != null) em = Math.max(em, err1[slot[p]]);
                        }
                    }
                    float inv = 1f / ((yb - ya + 1) * (xb - xa + 1));
                    int o = 4 * slot[i];
                    ab[o] = s0 * inv; ab[o + 1] = s1 * inv; ab[o + 2] = s2 * inv; ab[o + 3] = s3 * inv;
                    if (fitErr != null) fitErr[i] = em;
                }
            }
        });
        // ImageOps.upsample's taps by 2, applied per full-resolution unknown: no 4-plane photo-sized array
        ImageOps.UpsampleTaps cols = ImageOps.upsampleTaps(2, w2, w, 1), rows = ImageOps.upsampleTaps(2, h2, h, w2);
        int[] xa = cols.lo(), xb = cols.hi();
        float[] tx = cols.t();
        float[] out = new float[w * h];
        Parallel.rows(h, w, (y0, y1) -> {
            float[] row = new float[w * 3];
            for (int y = y0; y < y1; y++) {
                int lo = -1, hi = -1;
                for (int x = 0, i = y * w; x < w; x++, i++) if (where[i]) { if (lo < 0) lo = x; hi = x; }
                if (lo < 0) continue;
                colours.crop(lo, y, hi - lo + 1, 1, row, 0);
                int ra = rows.lo()[y], rb = rows.hi()[y];
                float ty = rows.t()[y];
                for (int x = lo, i = y * w + lo, c = 0; x <= hi; x++, i++, c += 3) {
                    if (!where[i]) continue;
                    // the four taps lie within 1 of this pixel's coarse unknown: all of them are taps, so fitted
                    int p00 = 4 * slot[ra + xa[x]], p01 = 4 * slot[ra + xb[x]], p10 = 4 * slot[rb + xa[x]], p11 = 4 * slot[rb + xb[x]];
                    float t = tx[x], v = 0;
                    for (int k = 0; k < 4; k++) {
                        float top = ab[p00 + k] * (1 - t) + ab[p01 + k] * t;
                        float bot = ab[p10 + k] * (1 - t) + ab[p11 + k] * t;
                        float coefK = top * (1 - ty) + bot * ty;
                        v += k < 3 ? coefK * row[c + k] : coefK;
                    }
                    out[i] = v;
                }
            }
        });
        return out;
    }

    /**
     * The detail pixels solved tile by tile: tile t solves the detail pixels within {@code overlap} of its core, on a
     * crop that adds the Laplacian's reach (2·radius), with everything else pinned ({@code pinned}, and {@code warm}
     * for detail pixels outside its reach); only the core's α is kept, written into {@code pinned} at the detail pixels
     * (so pass a copy you own: tiles read it only elsewhere, and no second photo-sized plane is made). Stats: {@code unknown} is the detail pixels
     * (each once), non-zeros and seconds are summed over tiles (CPU seconds: the tiles run in parallel), iterations
     * and residual are the worst tile's.
     */
    static ClosedFormEngine.Solved solveTiled(ClosedFormEngine engine, float[] colors, int w, int h, boolean[] detail, float[] pinned,
                                               float[] warm, int tile, int overlap, TaskContext ctx) {
        return solveTiled(engine, Colours.of(colors, w), w, h, detail, pinned, warm, tile, overlap, ctx);
    }

    private static ClosedFormEngine.Solved solveTiled(ClosedFormEngine engine, Colours colours, int w, int h, boolean[] detail, float[] pinned,
                                                      float[] warm, int tile, int overlap, TaskContext ctx) {
        int nx = (w + tile - 1) / tile, ny = (h + tile - 1) / tile;
        int[] load = new int[nx * ny];
        Parallel.rows(ny, w * tile, (t0, t1) -> {
            for (int ty = t0; ty < t1; ty++)
                for (int y = ty * tile, ye = Math.min(h, y + tile); y < ye; y++)
                    for (int x = 0, o = y * w; x < w; x++) if (detail[o + x]) load[ty * nx + x / tile]++;
        });
        // Largest first, one tile per task: tiles differ tenfold in detail pixels, and the pool's fixed chunks left one
        // core finishing a heavy chunk alone (1200×1600: the solve 0.511-0.540 -> 0.493 s; 12 MP in turns: 1.90-2.11
        // -> 1.45-1.98 s). Tiles write only their own core's detail pixels, so the order does not change α.
        int[] tiles = java.util.stream.IntStream.range(0, load.length).filter(t -> load[t] > 0).boxed()
                .sorted((p, q) -> load[q] != load[p] ? Integer.compare(load[q], load[p]) : Integer.compare(p, q))
                .mapToInt(Integer::intValue).toArray();
        int nTiles = tiles.length;
        ClosedFormEngine.Stats[] stats = new ClosedFormEngine.Stats[nTiles];
        int[] solved = new int[nTiles];
        int reach = 2 * engine.options().radius();
        // The tiles report no progress of their own, and a cancel stops a tile at its next check.
        TaskContext quiet = new TaskContext() {
            @Override public void progress(double fraction, String message) { }
            @Override public boolean isCancelled() { return ctx.isCancelled(); }
        };
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        final int count = nTiles;
        Parallel.each(nTiles, k -> {
            int t = tiles[k], cx0 = (t % nx) * tile, cy0 = (t / nx) * tile;
            int cx1 = Math.min(w, cx0 + tile), cy1 = Math.min(h, cy0 + tile);
            int ex0 = Math.max(0, cx0 - overlap), ey0 = Math.max(0, cy0 - overlap);
            int ex1 = Math.min(w, cx1 + overlap), ey1 = Math.min(h, cy1 + overlap);
            int gx0 = Math.max(0, ex0 - reach), gy0 = Math.max(0, ey0 - reach);
            int gx1 = Math.min(w, ex1 + reach), gy1 = Math.min(h, ey1 + reach);
            int gw = gx1 - gx0, gh = gy1 - gy0;
            float[] c = new float[gw * gh * 3], kn = new float[gw * gh], wm = new float[gw * gh];
            boolean[] u = new boolean[gw * gh];
            colours.crop(gx0, gy0, gw, gh, c, 0);
            for (int y = gy0; y < gy1; y++) {
                boolean rowIn = y >= ey0 && y < ey1;
                for (int x = gx0, j = (y - gy0) * gw, i = y * w + gx0; x < gx1; x++, j++, i++) {
                    wm[j] = warm[i];
                    if (detail[i] && rowIn && x >= ex0 && x < ex1) u[j] = true;
                    else kn[j] = detail[i] ? Math.max(0f, Math.min(1f, warm[i])) : pinned[i];
                }
            }
            ClosedFormEngine.Solved s = engine.solve(c, gw, gh, u, kn, wm, quiet);
            for (int y = cy0; y < cy1; y++)
                for (int x = cx0, i = y * w + cx0, j = (y - gy0) * gw + (cx0 - gx0); x < cx1; x++, i++, j++)
                    if (detail[i]) { pinned[i] = s.alpha()[j]; solved[k]++; }
            stats[k] = s.stats();
            int d = done.incrementAndGet();
            if (d % Math.max(1, count / 20) == 0) ctx.progress((double) d / count, "re-solving the edge detail");
        });
        int unknown = 0, iterations = 0;
        long nnz = 0;
        double res = 0, lap = 0, ic = 0, cg = 0;
        boolean converged = true;
        String pre = "none";
        for (int k = 0; k < nTiles; k++) {
            ClosedFormEngine.Stats st = stats[k];
            unknown += solved[k];
            nnz += st.nonZeros();
            iterations = Math.max(iterations, st.iterations());
            res = Math.max(res, st.relativeResidual());
            converged &= st.converged();
            lap += st.laplacianSeconds();
            ic += st.preconditionerSeconds();
            cg += st.solveSeconds();
            pre = st.preconditioner();
        }
        return new ClosedFormEngine.Solved(pinned, new ClosedFormEngine.Stats(unknown, nnz, iterations, res, converged, lap, ic, cg, pre, 1));
    }
}
