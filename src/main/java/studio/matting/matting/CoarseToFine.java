package studio.matting.matting;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
import studio.matting.image.Parallel;
import studio.matting.task.TaskContext;

/**
 * Coarse-to-fine closed-form solve for large images. Most of an automatic trimap's unknown band is really 0 or 1; only
 * a thin soft edge (hair, blur) needs the full-resolution Laplacian. So: halve the image (2×2 box colours; a coarse
 * pixel is known only when its four children are known and agree), solve there (recursively while still large),
 * upsample α bilinearly, and re-solve at full resolution only the unknown pixels within {@link #DETAIL_RADIUS} of a
 * soft upsampled value ({@link #SOFT_LO} &lt; α &lt; {@link #SOFT_HI}), warm-started from the upsampled α, in
 * independent overlapping tiles ({@link #TILE}); the other unknown pixels are pinned to the upsampled α and keep it
 * (rounding them to 0/1 instead lost faint strands: SAD +45 % on the synthetic portrait).
 */
final class CoarseToFine {
    /**
     * Upsampled α strictly between these is "soft" and gets re-solved at full resolution. Measured on 1200×1600
     * portraits (segmenter trimap, SAD against pseudo-alpha): 0.02 re-solves 90 % of the band, 0.1 about 60 % at the
     * same SAD, 0.2 half with SAD starting to move; no re-solve at all (bilinear α only) was up to 2.6 % worse.
     */
    static final float SOFT_LO = 0.1f, SOFT_HI = 0.9f;
    /** Soft pixels are widened by this many pixels (the solve needs room for the edge to move). */
    static final int DETAIL_RADIUS = 3;
    /**
     * The full-resolution re-solve runs in tiles of this side (0: one system for the whole image). The coarse level
     * already carried α across the band, so what is left is local; each tile solves its detail pixels plus
     * {@link #TILE_OVERLAP} around it (the rest pinned to the upsampled α) and keeps its core. Tiles are independent,
     * so they run in parallel, and none of the per-solve work walks the whole photo. Measured (2 cores, a training
     * run beside it; 12 portraits at 1200×1600 / 2 at 3000×4000, automatic trimap, SAD against pseudo-alpha): one
     * system 718 ms / 3.70 s per image, SAD 26.061 / 49.422; tiles of 256 with 16 px overlap 548 ms / 2.56 s, SAD
     * 26.057 / 49.417 (128/8: faster on 1200×1600 but SAD 26.073; 192/16 at 12 MP: SAD 49.437).
     */
    static final int TILE = 256, TILE_OVERLAP = 16;

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
        float[] up = ImageOps.upsample(new FloatImage(w2, h2, 1, coarse.alpha(), w2), 2, w, h, unknown).data;
        // Soft pixels, widened by DETAIL_RADIUS (separable: rows, then columns), restricted to the unknown band.
        boolean[] soft = new boolean[w * h];
        Parallel.rows(h, w, (y0, y1) -> {
            for (int i = y0 * w, e = y1 * w; i < e; i++) soft[i] = unknown[i] && up[i] > SOFT_LO && up[i] < SOFT_HI;
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
