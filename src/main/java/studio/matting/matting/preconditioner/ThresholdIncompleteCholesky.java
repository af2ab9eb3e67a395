package studio.matting.matting.preconditioner;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

import studio.matting.image.Parallel;
import studio.matting.matting.solver.CsrMatrix;

/**
 * Incomplete Cholesky with threshold-based fill-in, ICT: A ≈ L Lᵀ where L may have entries outside A's pattern,
 * but an entry l_ij is dropped when |l_ij| ≤ threshold · Σ_{i≥j} |a_ij| (the column's absolute sum, as in pymatting's
 * {@code ichol}). On the matting Laplacian IC(0) throws away the long-range fill that the 5×5 stencil produces along
 * the unknown band, which is exactly what CG then has to recover in hundreds of iterations; keeping fill above
 * 1e-4 cuts that to tens.
 *
 * <p>Left-looking column algorithm. Since A is symmetric, column j of its lower triangle is row j of the CSR matrix
 * restricted to columns ≥ j, so no transpose is needed. L is stored column-wise (CSC) with the diagonal first in each
 * column and row indices sorted. For every earlier column k, {@code next[k]} points at its first entry with row ≥ the
 * current column, and the columns whose next entry lies in row j are chained in a linked list headed at
 * {@code head[j]}, so computing column j touches only the columns that actually contribute to it.
 *
 * <p><b>Parallel by domains.</b> Factorisation and both triangular solves are sequential by nature, so the unknowns
 * are reordered first: the index range is cut into {@code domains} contiguous pieces (row strips of the band, since
 * the Laplacian's unknowns are in raster order), every unknown coupled to a later piece goes to a separator placed
 * last, and the rest keep their order. Interior unknowns of two pieces are then never coupled, eliminating one piece
 * creates fill only inside it and in the separator, so the pieces factor and solve in parallel and only the
 * separator (about two image rows per cut) runs on one thread. The number of pieces depends on the problem size only,
 * never on the core count, so the result is the same on every machine. With one domain this is exactly the
 * sequential factorisation.
 *
 * <p>Fill is bounded: at most {@code maxPerColumn} off-diagonal entries per column are kept (the largest by
 * magnitude). A non-positive pivot restarts the factorisation on a shifted matrix ({@link DiagonalShift}).
 * {@link #apply} uses buffers owned by the instance: one instance serves one solver thread.
 */
public final class ThresholdIncompleteCholesky implements Preconditioner {
    public static final double DEFAULT_THRESHOLD = 1e-4;
    public static final int DEFAULT_MAX_PER_COLUMN = 96;
    /**
     * First diagonal shift tried by the default constructor. With ε = 1e-7 the unshifted ICT broke down on every
     * alphamatting.com image we measured (GT01/GT02/GT04 needed σ = 4e-4, 1e-4, 4e-4), and each failed attempt costs a
     * whole factorisation, so starting at 4e-4 saves one or two of them for a few more CG iterations at most.
     */
    public static final double DEFAULT_INITIAL_SHIFT = 4e-4;
    /**
     * First shift for a stroke's region re-matte ({@link #forWarmStart}). There CG starts next to the answer and
     * needs only a handful of iterations, so the factorisation is most of the cost, and a breakdown at 4e-4 (about a
     * quarter of the strokes on a 12 MP portrait: 10 k unknowns, ~40 ms per attempt) doubles it, while the looser
     * factor costs an iteration or two. Measured on 60 strokes of {@code bench --suite editor}, each solved both ways
     * in the same run: mean 63.2 vs 63.0 ms, 90th percentile 87 vs 84 ms, worst 115 vs 95 ms — the same on average,
     * without the slow tail. Full solves and coarse-to-fine tiles keep 4e-4 (1200×1600 portraits were no faster).
     */
    public static final double WARM_START_SHIFT = 1.6e-3;
    /**
     * Unknowns per domain the default constructor aims at, and at most this many domains: each cut adds a separator
     * (about two image rows) that is factored on one thread and loosens the factor a little — on alphamatting GT04
     * (219 k unknowns) 1/2/4/8 domains need 52/53/56/59 CG iterations — so a few domains are enough for a few cores.
     * 16 k rather than 32 k so that a 32–64 k-unknown system (the coarse level of a 1200×1600 photo, ~35 k) is split
     * too: it is solved before the tiles, with the other core idle. 1200×1600 coarse-to-fine, in turns: 0.54–0.57 →
     * 0.46–0.51 s, α the same to the printed digits; alphamatting trimap2 (27): time the same, SAD 7.561 → 7.556.
     */
    public static final int UNKNOWNS_PER_DOMAIN = 16_384;
    public static final int MAX_DOMAINS = 4;

    private final int n;
    private final double threshold;
    private final int maxPerColumn;
    private final long maxNonZeros;
    /** perm[new] = original index; null when there is one domain (no reordering). */
    private final int[] perm;
    /** domainStart[d] .. domainStart[d+1]: domain d in the new order; domainStart[domains] = separator start. */
    private final int[] domainStart;
    private final int domains, sepStart;
    private int[] colPtr;
    private int[] rowIdx;
    /** L's values in single precision: the solves are memory-bound, and the factor is only 1e-4-accurate anyway. */
    private float[] lv;
    /** Per domain column: position of its first separator-row entry (its "tail"). */
    private int[] tailPos;
    /** Per domain: its columns' forward contributions to the separator rows, summed after the parallel pass. */
    private final double[][] sepAcc;
    private final double shift;
    private final double[] zp;

    public ThresholdIncompleteCholesky(CsrMatrix a) {
        this(a, DEFAULT_THRESHOLD, DEFAULT_MAX_PER_COLUMN, DEFAULT_INITIAL_SHIFT, defaultBudget(), defaultDomains(a.n));
    }

    /** The default factorisation for a solve that starts next to its answer: first shift {@link #WARM_START_SHIFT}. */
    public static ThresholdIncompleteCholesky forWarmStart(CsrMatrix a) {
        return new ThresholdIncompleteCholesky(a, DEFAULT_THRESHOLD, DEFAULT_MAX_PER_COLUMN, WARM_START_SHIFT, defaultBudget(), defaultDomains(a.n));
    }

    /** Thrown when L would need more than the allowed number of stored entries; callers fall back to IC(0). */
    public static final class TooMuchFillException extends RuntimeException {
        public TooMuchFillException(long budget) {
            super("threshold incomplete Cholesky needs more than " + budget + " stored entries");
        }
    }

    /** L's entries take 8 bytes each; let them use at most a quarter of the heap. */
    private static long defaultBudget() {
        return Math.min(Integer.MAX_VALUE - 16L, Runtime.getRuntime().maxMemory() / 4 / 8);
    }

    /** One domain per {@link #UNKNOWNS_PER_DOMAIN} unknowns, at most {@link #MAX_DOMAINS}. */
    public static int defaultDomains(int n) {
        return Math.max(1, Math.min(MAX_DOMAINS, n / UNKNOWNS_PER_DOMAIN));
    }

    /** Tries the unshifted factorisation first; one domain. */
    public ThresholdIncompleteCholesky(CsrMatrix a, double threshold, int maxPerColumn) {
        this(a, threshold, maxPerColumn, 0, Integer.MAX_VALUE - 16L, 1);
    }

    public ThresholdIncompleteCholesky(CsrMatrix a, double threshold, int maxPerColumn, double initialShift, long maxNonZeros) {
        this(a, threshold, maxPerColumn, initialShift, maxNonZeros, 1);
    }

    /**
     * @param threshold relative drop tolerance (0 keeps everything: the exact Cholesky factor, given enough room)
     * @param maxPerColumn cap on kept off-diagonal entries per column of L
     * @param initialShift first σ tried; on breakdown it grows ×4 (from 1e-4 when it was 0)
     * @param maxNonZeros budget for L's stored entries (diagonal included)
     * @param domains pieces factored and solved in parallel (1: sequential, natural order)
     * @throws TooMuchFillException when the budget is exceeded
     */
    public ThresholdIncompleteCholesky(CsrMatrix a, double threshold, int maxPerColumn, double initialShift, long maxNonZeros, int domains) {
        if (threshold < 0 || !(threshold < Double.POSITIVE_INFINITY)) throw new IllegalArgumentException("threshold must be ≥ 0");
        if (!(initialShift >= 0)) throw new IllegalArgumentException("initialShift must be ≥ 0");
        if (maxPerColumn < 0) throw new IllegalArgumentException("maxPerColumn must be ≥ 0");
        if (domains < 1) throw new IllegalArgumentException("domains must be ≥ 1");
        this.n = a.n;
        this.threshold = threshold;
        this.maxPerColumn = maxPerColumn;
        this.maxNonZeros = Math.max(n, Math.min(maxNonZeros, Integer.MAX_VALUE - 16L));
        int k = Math.max(1, Math.min(domains, n / 64));
        CsrMatrix b = a;
        if (k > 1) {
            int[][] order = partition(a, k);
            perm = order[0];
            domainStart = order[1];
            b = permute(a, perm);
        } else {
            perm = null;
            domainStart = new int[]{0, n};
        }
        this.domains = domainStart.length - 1;
        this.sepStart = domainStart[this.domains];
        this.zp = perm == null ? null : new double[n];
        this.sepAcc = new double[this.domains][n - sepStart];
        CsrMatrix m = b;
        shift = DiagonalShift.find(initialShift, sigma -> factor(m, sigma), "threshold incomplete Cholesky");
    }

    /** Diagonal shift σ that was needed (0 when the plain factorisation succeeded). */
    public double shift() { return shift; }

    /** Stored entries of L (diagonal included). */
    public int nnz() { return colPtr[n]; }

    /** Parallel pieces actually used (after the size cap) and the separator's size. */
    public int domains() { return domains; }

    public int separatorSize() { return n - sepStart; }

    /**
     * Cuts [0, n) into k equal index ranges; an unknown with a neighbour in a later range is a separator unknown.
     * @return {perm (new → old), domain starts in the new order (k+1 entries, the last is the separator start)}
     */
    private static int[][] partition(CsrMatrix a, int k) {
        int n = a.n;
        int[] range = new int[k + 1];
        for (int d = 0; d <= k; d++) range[d] = (int) ((long) n * d / k);
        boolean[] sep = new boolean[n];
        for (int d = 0; d < k; d++) {
            for (int i = range[d]; i < range[d + 1]; i++) {
                int last = a.col[a.rowPtr[i + 1] - 1]; // columns sorted: the largest neighbour decides
                if (last >= range[d + 1]) sep[i] = true;
            }
        }
        int[] perm = new int[n];
        int[] starts = new int[k + 1];
        int p = 0;
        for (int d = 0; d < k; d++) {
            starts[d] = p;
            for (int i = range[d]; i < range[d + 1]; i++) if (!sep[i]) perm[p++] = i;
        }
        starts[k] = p;
        for (int i = 0; i < n; i++) if (sep[i]) perm[p++] = i;
        return new int[][]{perm, starts};
    }

    /** P A Pᵀ with sorted columns per row. */
    private static CsrMatrix permute(CsrMatrix a, int[] perm) {
        int n = a.n;
        int[] inv = new int[n];
        for (int i = 0; i < n; i++) inv[perm[i]] = i;
        int[] rp = new int[n + 1];
        for (int i = 0; i < n; i++) rp[i + 1] = rp[i] + (a.rowPtr[perm[i] + 1] - a.rowPtr[perm[i]]);
        int[] col = new int[rp[n]];
        double[] val = new double[rp[n]];
        Parallel.rows(n, Math.max(1, rp[n] / Math.max(1, n)), (r0, r1) -> {
            for (int i = r0; i < r1; i++) {
                int s = a.rowPtr[perm[i]], e = a.rowPtr[perm[i] + 1], o = rp[i];
                for (int q = s; q < e; q++) {
                    // insertion sort: rows have at most (4r+1)² entries
                    int c = inv[a.col[q]];
                    double v = a.val[q];
                    int t = o + (q - s);
                    while (t > o && col[t - 1] > c) { col[t] = col[t - 1]; val[t] = val[t - 1]; t--; }
                    col[t] = c;
                    val[t] = v;
                }
            }
        });
        return new CsrMatrix(n, rp, col, val);
    }

    /** Growable storage of L's entries for one phase of the factorisation. */
    private static final class Store {
        int[] rows;
        float[] vals;
        int nnz;

        Store(int cap) {
            rows = new int[Math.max(16, cap)];
            vals = new float[rows.length];
        }

        void ensure(int size, long max) {
            if (size <= rows.length) return;
            int cap = (int) Math.min(max, Math.max(size, (long) rows.length * 3 / 2));
            rows = Arrays.copyOf(rows, cap);
            vals = Arrays.copyOf(vals, cap);
        }
    }

    /** The dense per-column scratch of one worker, indexed by row − (first row of its pass). */
    private static final class Scratch {
        final double[] work;
        final boolean[] used;
        final int[] rows;
        final double[] mags;
        /** One bit per row of the span, all clear between columns ({@link #sortRows}). */
        final long[] bits;

        /** @param span rows [ls, n) of the pass, indexed from ls; @param maxCount most rows one column can collect */
        Scratch(int span, int maxCount) {
            work = new double[span];
            used = new boolean[span];
            rows = new int[maxCount];
            mags = new double[Math.max(1, maxCount)];
            bits = new long[(span + 63) >>> 6];
        }

        /**
         * Sorts rows[0, count) (distinct, each ≥ ls). A column's rows mostly lie within a few image rows of unknowns
         * after its own, so they are usually set in a bitmap and read back in order, a word per 64 rows; a column
         * whose rows spread further (into a separator far behind) is sorted by comparison.
         */
        void sortRows(int count, int ls) {
            if (count < 2) return;
            int lo = Integer.MAX_VALUE, hi = 0;
            for (int q = 0; q < count; q++) {
                int li = rows[q] - ls;
                if (li < lo) lo = li;
                if (li > hi) hi = li;
            }
            int w0 = lo >>> 6, w1 = hi >>> 6;
            if (w1 - w0 > 2 * count + 8) {
                Arrays.sort(rows, 0, count);
                return;
            }
            for (int q = 0; q < count; q++) {
                int li = rows[q] - ls;
                bits[li >>> 6] |= 1L << li;
            }
            int m = 0;
            for (int wd = w0; wd <= w1; wd++) {
                long b = bits[wd];
                if (b == 0) continue;
                bits[wd] = 0;
                int base = (wd << 6) + ls;
                while (b != 0) {
                    rows[m++] = base + Long.numberOfTrailingZeros(b);
                    b &= b - 1;
                }
            }
        }
    }

    private boolean factor(CsrMatrix a, double sigma) {
        int[] head = new int[n], link = new int[n], next = new int[n];
        int[] colBeg = new int[n], colEnd = new int[n];
        double[] colSum = new double[n];
        double[] diag = new double[n];
        Arrays.fill(head, -1);
        Parallel.rows(n, Math.max(1, a.nnz() / Math.max(1, n)), (r0, r1) -> {
            for (int j = r0; j < r1; j++) {
                double sum = 0, d = 0;
                for (int k = a.rowPtr[j]; k < a.rowPtr[j + 1]; k++) {
                    int c = a.col[k];
                    if (c < j) continue;
                    sum += Math.abs(a.val[k]);
                    if (c == j) d = a.val[k];
                }
                colSum[j] = sum;
                diag[j] = d * (1 + sigma);
            }
        });
        int sepLen = n - sepStart;
        Store[] parts = new Store[domains];
        AtomicBoolean failed = new AtomicBoolean(), tooMuch = new AtomicBoolean();
        // Phase 1: the domains, independently. Rows of a domain column lie in the domain or the separator.
        Parallel.each(domains, d -> {
            int s = domainStart[d], e = domainStart[d + 1];
            long budget = maxNonZeros;
            Store st = new Store((int) Math.min(budget, (long) (a.rowPtr[e] - a.rowPtr[s]) * 2 + 16));
            parts[d] = st;
            try {
                if (!columns(a, s, e, s, e, st, new Scratch(n - s, e - s + sepLen), head, link, next, colBeg, colEnd, colSum, diag, failed))
                    failed.set(true);
            } catch (TooMuchFillException ex) {
                tooMuch.set(true);
            }
        });
        if (tooMuch.get()) throw new TooMuchFillException(maxNonZeros);
        if (failed.get()) return false;
        // Merge the domains' storage, then hand every domain column with a separator tail to the separator phase.
        long total = 0;
        for (Store st : parts) total += st.nnz;
        if (total > maxNonZeros) throw new TooMuchFillException(maxNonZeros);
        long sepGuess = sepLen == 0 ? 0 : (long) (a.rowPtr[n] - a.rowPtr[sepStart]) * 4;
        int[] base = new int[domains];
        Store all;
        if (domains == 1 && sepLen == 0) {
            // one piece (every coarse-to-fine tile): its storage is L already, no merged copy needed
            all = parts[0];
            parts[0] = null;
        } else {
            all = new Store((int) Math.min(maxNonZeros, total + sepGuess + 16));
            int pos = 0;
            for (int d = 0; d < domains; d++) {
                base[d] = pos;
                System.arraycopy(parts[d].rows, 0, all.rows, pos, parts[d].nnz);
                System.arraycopy(parts[d].vals, 0, all.vals, pos, parts[d].nnz);
                pos += parts[d].nnz;
                parts[d] = null;
            }
            all.nnz = pos;
        }
        tailPos = new int[sepStart];
        for (int d = 0; d < domains; d++) {
            int off = base[d];
            for (int j = domainStart[d]; j < domainStart[d + 1]; j++) {
                colBeg[j] += off;
                colEnd[j] += off;
                int q = colBeg[j] + 1;
                while (q < colEnd[j] && all.rows[q] < sepStart) q++;
                tailPos[j] = q;
                if (q < colEnd[j]) {
                    next[j] = q;
                    int r = all.rows[q];
                    link[j] = head[r];
                    head[r] = j;
                }
            }
        }
        // Phase 2: the separator, on one thread, with contributions from every earlier column.
        if (sepLen > 0 && !columns(a, sepStart, n, sepStart, sepStart, all, new Scratch(sepLen, sepLen), head, link, next, colBeg, colEnd, colSum, diag, null))
            return false;
        colPtr = new int[n + 1];
        for (int j = 0; j < n; j++) colPtr[j] = colBeg[j];
        colPtr[n] = all.nnz;
        rowIdx = all.rows;
        lv = all.vals;
        return true;
    }

    /**
     * Left-looking ICT over columns [j0, j1). The scratch is indexed by row − ls over [ls, n) (a domain's rows, the
     * other domains' unused, then the separator's), so the innermost scatter needs no mapping. In a domain
     * (le &gt; ls) columns are linked into {@code head} only for the domain's own rows: the separator's lists are
     * shared by all domains and are built after they finish.
     */
    private boolean columns(CsrMatrix a, int j0, int j1, int ls, int le, Store st, Scratch sc, int[] head, int[] link, int[] next,
                            int[] colBeg, int[] colEnd, double[] colSum, double[] diag, AtomicBoolean stop) {
        for (int j = j0; j < j1; j++) {
            if (stop != null && (j & 1023) == 0 && stop.get()) return false;
            if (!(column(a, j, ls, le, st, sc, head, link, next, colBeg, colEnd, colSum, diag) > 1e-300)) return false;
        }
        return true;
    }

    /**
     * Column j of {@link #columns}; returns its pivot before the square root, which is not above 1e-300 at a breakdown.
     * A method of its own because as the body of the loop over a domain's columns it was compiled by on-stack
     * replacement beside its normal entry, and each deoptimisation recompiled the whole loop: JFR over a 24-portrait
     * {@code matte} run at 1200×1600, 8 C2 compilations of that loop, 0.83 CPU-s, against 7 smaller ones of this
     * method, 0.50 CPU-s (the factor the same).
     * <p>A breakdown is left to the caller rather than tested here: it is rare (the first one came a few photos into a
     * batch), so C2 compiled its branch as a trap, and taking it threw away this method's code, which was compiled
     * again (60–100 ms of C2 each time) while the factorisation ran interpreted. A broken column runs on with a NaN or
     * infinite pivot and its entries are dropped or stored like any other; the caller then stops, and the attempt is
     * discarded with its storage and scratch (each σ starts from fresh ones). Storing it counts against the fill
     * budget like any column, so a breakdown within one column of the budget falls back to IC(0) instead of a retry.
     */
    private double column(CsrMatrix a, int j, int ls, int le, Store st, Scratch sc, int[] head, int[] link, int[] next,
                           int[] colBeg, int[] colEnd, double[] colSum, double[] diag) {
        double[] work = sc.work;
        boolean[] used = sc.used;
        int[] rows = sc.rows;
        double[] mags = sc.mags;
        boolean phase1 = le > ls; // a domain: rows ≥ le are separator rows, not linked here
        int cnt = 0;
        for (int k = a.rowPtr[j]; k < a.rowPtr[j + 1]; k++) {
            int i = a.col[k];
            if (i <= j) continue;
            int li = i - ls;
            work[li] += a.val[k];
            if (!used[li]) { used[li] = true; rows[cnt++] = i; }
        }
        double djj = diag[j];
        // Every column k with l_jk ≠ 0 contributes −l_ik·l_jk to rows i > j and −l_jk² to the pivot.
        int k = head[j];
        int[] ri = st.rows;
        float[] rv = st.vals;
        while (k != -1) {
            int nextInList = link[k];
            int p = next[k], end = colEnd[k];
            double ljk = rv[p];
            djj -= ljk * ljk;
            p++;
            if (p < end) {
                next[k] = p;
                int r = ri[p];
                if (!phase1 || r < le) {
                    link[k] = head[r];
                    head[r] = k;
                }
                for (int q = p; q < end; q++) {
                    int i = ri[q];
                    int li = i - ls;
                    work[li] -= rv[q] * ljk;
                    if (!used[li]) { used[li] = true; rows[cnt++] = i; }
                }
            }
            k = nextInList;
        }
        double ljj = Math.sqrt(djj);
        // Drop small entries, then keep at most maxPerColumn of the largest.
        double drop = threshold * colSum[j];
        int kept = 0;
        for (int q = 0; q < cnt; q++) {
            int i = rows[q], li = i - ls;
            double v = work[li] / ljj;
            work[li] = v;
            if (Math.abs(v) > drop && v != 0) rows[kept++] = i;
            else { work[li] = 0; used[li] = false; }
        }
        if (kept > maxPerColumn) {
            for (int q = 0; q < kept; q++) {
                int i = rows[q];
                mags[q] = Math.abs(work[i - ls]);
            }
            Arrays.sort(mags, 0, kept);
            double cut = maxPerColumn == 0 ? Double.POSITIVE_INFINITY : mags[kept - maxPerColumn];
            int m = 0;
            for (int q = 0; q < kept; q++) {
                int i = rows[q], li = i - ls;
                // ties at the cut may let a few extra through; cap again strictly
                if (Math.abs(work[li]) >= cut && m < maxPerColumn) rows[m++] = i;
                else { work[li] = 0; used[li] = false; }
            }
            kept = m;
        }
        sc.sortRows(kept, ls);
        if ((long) st.nnz + kept + 1 > maxNonZeros) throw new TooMuchFillException(maxNonZeros);
        st.ensure(st.nnz + kept + 1, maxNonZeros);
        int nnz = st.nnz;
        colBeg[j] = nnz;
        st.rows[nnz] = j;
        st.vals[nnz++] = (float) ljj;
        for (int q = 0; q < kept; q++) {
            int i = rows[q], li = i - ls;
            st.rows[nnz] = i;
            st.vals[nnz++] = (float) work[li];
            work[li] = 0;
            used[li] = false;
        }
        st.nnz = nnz;
        colEnd[j] = nnz;
        if (kept > 0) {
            next[j] = colBeg[j] + 1;
            int r = st.rows[next[j]];
            if (!phase1 || r < le) {
                link[j] = head[r];
                head[r] = j;
            }
        }
        return djj;
    }

    @Override
    public void apply(double[] r, double[] z) {
        double[] y = perm == null ? z : zp;
        if (perm == null) System.arraycopy(r, 0, z, 0, n);
        else for (int i = 0; i < n; i++) y[i] = r[perm[i]];
        // Forward L y = r, column-oriented: the domains (each scatters into its own rows, and its columns' separator
        // tails into its own accumulator), the accumulators into the separator's rows, then the separator.
        Parallel.each(domains, d -> forwardDomain(y, domainStart[d], domainStart[d + 1], sepAcc[d]));
        for (int i = 0, sepLen = n - sepStart; i < sepLen; i++) {
            double s = 0;
            for (double[] acc : sepAcc) { s += acc[i]; acc[i] = 0; }
            y[sepStart + i] -= s;
        }
        for (int j = sepStart; j < n; j++) {
            int p = colPtr[j], e = colPtr[j + 1];
            double yj = y[j] / lv[p];
            y[j] = yj;
            for (int q = p + 1; q < e; q++) y[rowIdx[q]] -= lv[q] * yj;
        }
        // Backward Lᵀ z = y, a dot product per column (Lᵀ's rows are L's columns): the separator first, then the
        // domains, which only read separator values that are final by then.
        backward(y, sepStart, n);
        Parallel.each(domains, d -> backward(y, domainStart[d], domainStart[d + 1]));
        if (perm != null) for (int i = 0; i < n; i++) z[perm[i]] = y[i];
    }

    private void forwardDomain(double[] y, int s, int e, double[] acc) {
        for (int j = s; j < e; j++) {
            int p = colPtr[j], t = tailPos[j], end = colPtr[j + 1];
            double yj = y[j] / lv[p];
            y[j] = yj;
            for (int q = p + 1; q < t; q++) y[rowIdx[q]] -= lv[q] * yj;
            for (int q = t; q < end; q++) acc[rowIdx[q] - sepStart] += lv[q] * yj;
        }
    }

    /**
     * Four partial sums: a column holds ~50 entries, and one running sum would make every entry wait for the previous
     * addition's latency; the solve then ran at a fraction of the memory bandwidth it needs.
     */
    private void backward(double[] y, int s, int e) {
        for (int j = e - 1; j >= s; j--) {
            int p = colPtr[j], end = colPtr[j + 1], q = p + 1;
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (; q + 3 < end; q += 4) {
                s0 += lv[q] * y[rowIdx[q]];
                s1 += lv[q + 1] * y[rowIdx[q + 1]];
                s2 += lv[q + 2] * y[rowIdx[q + 2]];
                s3 += lv[q + 3] * y[rowIdx[q + 3]];
            }
            for (; q < end; q++) s0 += lv[q] * y[rowIdx[q]];
            y[j] = (y[j] - ((s0 + s1) + (s2 + s3))) / lv[p];
        }
    }

    @Override public String name() { return "ichol-t"; }
}
