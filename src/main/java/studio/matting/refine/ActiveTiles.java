package studio.matting.refine;

import studio.matting.image.Parallel;

/**
 * The TILE × TILE tiles of an α plane where a neighbourhood operation of a given reach can change anything. A matte is
 * mostly exactly 0 or exactly 1; a blur or a grey dilation maps a region that is one constant as far as its reach to
 * that constant, and so does every intermediate plane of such an operation. So each pass computes only the active
 * runs of a row and copies its input elsewhere, which is exact (the copied values are the true ones) and makes the
 * cost follow the edge's length instead of the photo's area.
 *
 * <p>Seeds are the tiles that are not all 0 or all 1, and the all-0 tiles next to an all-1 tile and vice versa (an
 * edge on a tile border); the active set is the seeds dilated by ⌈reach / TILE⌉ tiles (square neighbourhood, as
 * separable passes reach a square).
 */
final class ActiveTiles {
    static final int TILE = 8;
    /** Above this share of active tiles the bookkeeping costs more than it saves: callers run the dense passes. */
    static final double DENSE_ABOVE = 0.6;

    final int width, height, tilesX, tilesY;
    private final int[][] runs; // per tile row: x0, x1, x0, x1 … in pixels

    private ActiveTiles(int width, int height, int tilesX, int tilesY, int[][] runs) {
        this.width = width;
        this.height = height;
        this.tilesX = tilesX;
        this.tilesY = tilesY;
        this.runs = runs;
    }

    /** Active tiles of {@code a} (w × h, packed) for an operation reaching {@code reach} px; null when mostly active. */
    static ActiveTiles of(float[] a, int w, int h, int reach) {
        if (2L * reach >= Math.min(w, h)) return null; // a reach across the image leaves next to nothing inactive
        int tx = (w + TILE - 1) / TILE, ty = (h + TILE - 1) / TILE;
        // per tile: 0 = all 0, 1 = all 1, 2 = anything else
        byte[] kind = new byte[tx * ty];
        Parallel.rows(ty, w * TILE, (t0, t1) -> {
            for (int j = t0; j < t1; j++) {
                int y0 = j * TILE, y1 = Math.min(h, y0 + TILE);
                for (int i = 0; i < tx; i++) {
                    int x0 = i * TILE, x1 = Math.min(w, x0 + TILE);
                    boolean zeros = true, ones = true;
                    for (int y = y0; y < y1 && (zeros || ones); y++) {
                        int o = y * w;
                        for (int x = x0; x < x1; x++) {
                            float v = a[o + x];
                            zeros &= v == 0f;
                            ones &= v == 1f;
                        }
                    }
                    kind[j * tx + i] = (byte) (zeros ? 0 : ones ? 1 : 2);
                }
            }
        });
        boolean[] seed = new boolean[tx * ty];
        for (int j = 0; j < ty; j++)
            for (int i = 0; i < tx; i++) {
                byte k = kind[j * tx + i];
                boolean s = k == 2;
                for (int dj = -1; dj <= 1 && !s; dj++)
                    for (int di = -1; di <= 1 && !s; di++) {
                        int jj = j + dj, ii = i + di;
                        if (jj >= 0 && jj < ty && ii >= 0 && ii < tx && kind[jj * tx + ii] != k) s = true;
                    }
                seed[j * tx + i] = s;
            }
        int k = (Math.max(0, reach) + TILE - 1) / TILE;
        boolean[] rowsDilated = new boolean[tx * ty];
        for (int j = 0; j < ty; j++) {
            int last = -1 - k; // column of the last seed seen, for a running window
            for (int i = 0; i < tx + k; i++) {
                if (i < tx && seed[j * tx + i]) last = i;
                int c = i - k; // window [c − k, c + k] holds a seed iff last ≥ c − k (last ≤ c + k = i holds)
                if (c >= 0 && last >= c - k) rowsDilated[j * tx + c] = true;
            }
        }
        boolean[] active = new boolean[tx * ty];
        int count = 0;
        for (int i = 0; i < tx; i++) {
            int last = -1 - k;
            for (int j = 0; j < ty + k; j++) {
                if (j < ty && rowsDilated[j * tx + i]) last = j;
                int c = j - k;
                if (c >= 0 && last >= c - k) {
                    active[c * tx + i] = true;
                    count++;
                }
            }
        }
        if (count > DENSE_ABOVE * tx * ty) return null;
        int[][] runs = new int[ty][];
        int[] buf = new int[tx + 1];
        for (int j = 0; j < ty; j++) {
            int n = 0;
            for (int i = 0; i < tx; i++) {
                if (!active[j * tx + i]) continue;
                int start = i;
                while (i + 1 < tx && active[j * tx + i + 1]) i++;
                buf[n++] = start * TILE;
                buf[n++] = Math.min(w, (i + 1) * TILE);
            }
            runs[j] = java.util.Arrays.copyOf(buf, n);
        }
        return new ActiveTiles(w, h, tx, ty, runs);
    }

    /** The active runs of row y: x0, x1 pairs (pixels, x1 exclusive), in order. */
    int[] runs(int y) {
        return runs[y / TILE];
    }

    /** Whether tile (i, j) is active (for column-wise passes). */
    boolean active(int i, int j) {
        int[] r = runs[j];
        int x = i * TILE;
        for (int k = 0; k < r.length; k += 2) if (x >= r[k] && x < r[k + 1]) return true;
        return false;
    }

    /** Copies row y of src to dst outside the active runs (the pass's input is the true value there). */
    void copyInactive(float[] src, float[] dst, int y) {
        int o = y * width, at = 0;
        int[] r = runs(y);
        for (int k = 0; k < r.length; k += 2) {
            if (r[k] > at) System.arraycopy(src, o + at, dst, o + at, r[k] - at);
            at = r[k + 1];
        }
        if (at < width) System.arraycopy(src, o + at, dst, o + at, width - at);
    }

    /** Share of active tiles (for benchmarks and tests). */
    double activeShare() {
        long n = 0;
        for (int[] r : runs)
            for (int k = 0; k < r.length; k += 2) n += (r[k + 1] - r[k] + TILE - 1) / TILE;
        return n / (double) ((long) tilesX * tilesY);
    }
}
