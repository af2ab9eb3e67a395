package studio.matting.problems;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.Parallel;
import studio.matting.image.Rect;
import studio.matting.refine.GaussianBlur;
import studio.matting.refine.MaxFilter;
import studio.matting.trimap.Trimap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds the places where a matte is probably wrong, each with a score and the obvious trimap fix:
 * <ul>
 * <li>{@link Problem.Kind#ISLAND}: components of α ≥ 0.1 that are not the subject (the component with the largest
 *     Σα, and any with at least 5 % of it) — stray blobs, cut off from the subject by α &lt; 0.1. Fix: paint
 *     background over it.</li>
 * <li>{@link Problem.Kind#HOLE}: components of α &lt; ½ that do not reach the image border, whose mean colour is
 *     closer to the solid foreground around them than to the nearby background (a real gap, say between arm and
 *     body, shows the background and is not reported). Fix: paint foreground.</li>
 * <li>{@link Problem.Kind#MID_ALPHA}: solid areas of 0.15 &lt; α &lt; 0.85 (≥ 85 % of a σ = 2 px neighbourhood, so
 *     hair, where mid α alternates with 0 and 1, is not one). Fix: paint foreground or background, by the mean α.</li>
 * <li>{@link Problem.Kind#COLOUR_FRINGE}: visible edge pixels (0.2 ≤ α &lt; 0.98) whose estimated foreground F lies
 *     nearer the local background colour than the local foreground colour (projected on the line between the two
 *     local means, which are taken from solid α ≤ 0.05 / ≥ 0.95 pixels within ±40 px). Fix: paint unknown there so
 *     the edge is re-matted, or background where the band already is unknown.</li>
 * <li>{@link Problem.Kind#WIDE_BAND}: 32 px tiles where the unknown band is at least 16 px wide and at least 6× the
 *     number of pixels in α's transition (0.02 &lt; α &lt; 0.98). Fix: paint foreground/background where α is
 *     already ≥ 0.98 / ≤ 0.02 more than 3 px from the transition.</li>
 * </ul>
 * Sizes scale with the image: the smallest problem is {@code max(12, pixels / 50 000)} pixels. The score is
 * {@code a / (a + a₀)} for the problem's weight a (Σα of an island, Σ(1−α) of a hole, pixels of a mid-α area, …) and
 * a per-kind a₀, times the colour evidence for holes and fringes and ½ for wide bands (slow rather than wrong).
 */
public final class ProblemFinder {
    static final float WEAK = 0.1f, SUBJECT_SHARE = 0.05f;
    static final float MID_LO = 0.15f, MID_HI = 0.85f, MID_SOLID = 0.85f;
    static final float FRINGE_MIN_ALPHA = 0.2f, SOLID_FG = 0.95f, SOLID_BG = 0.05f, FRINGE_T = 0.5f;
    static final float TRANS_LO = 0.02f, TRANS_HI = 0.98f;
    static final int CELL = 16, COLOUR_CELLS = 2, TILE = 32, WIDE_MIN = 16, WIDE_RATIO = 6, TIGHT_MARGIN = 3;

    private ProblemFinder() { }

    /** Smallest problem size in pixels for an image of this size. */
    public static int minArea(int w, int h) {
        return (int) Math.max(12, (long) w * h / 50_000);
    }

    /**
     * @param rgb        the photo (3 or 4 channels)
     * @param alpha      the matte
     * @param foreground estimated foreground colours, or null (no fringe check)
     * @param trimap     the trimap the matte came from, or null (no band check)
     * @return the problems, highest score first
     */
    public static List<Problem> find(ByteImage rgb, FloatImage alpha, FloatImage foreground, Trimap trimap) {
        int w = alpha.width, h = alpha.height;
        if (alpha.channels != 1) throw new IllegalArgumentException("alpha must have one channel");
        if (rgb.channels < 3 || !rgb.sameSize(w, h)) throw new IllegalArgumentException("image must be RGB and the size of α");
        if (foreground != null && (foreground.channels != 3 || !foreground.sameSize(w, h)))
            throw new IllegalArgumentException("foreground must be 3-channel and the size of α");
        if (trimap != null && (trimap.width != w || trimap.height != h)) throw new IllegalArgumentException("trimap size differs from α");
        float[] a = packed(alpha);
        int min = minArea(w, h);
        List<Problem> out = new ArrayList<>();
        Colours colours = new Colours(rgb, a, w, h);
        byte[] mask = new byte[w * h];
        int subjectArea = islands(a, w, h, min, mask, out);
        holes(rgb, a, w, h, min, subjectArea, colours, mask, out);
        midAlpha(a, w, h, min, mask, out);
        if (foreground != null) fringes(a, foreground, trimap, w, h, min, colours, mask, out);
        if (trimap != null) wideBand(a, trimap, w, h, min, out);
        out.sort(Comparator.comparingDouble(Problem::score).reversed());
        return out;
    }

    // ------------------------------------------------------------------ islands and holes

    /** @return the subject's area (pixels with α ≥ ½ in subject components) */
    private static int islands(float[] a, int w, int h, int min, byte[] mask, List<Problem> out) {
        threshold(a, mask, w, h, WEAK, 2f);
        Components c = Components.of(mask, w, h, true);
        if (c.count == 0) return 0;
        double[] sum = new double[c.count + 1];
        int[] strong = new int[c.count + 1];
        for (int i = 0; i < a.length; i++) {
            int l = c.label[i];
            if (l == 0) continue;
            sum[l] += a[i];
            if (a[i] >= 0.5f) strong[l]++;
        }
        double best = 0;
        for (int l = 1; l <= c.count; l++) best = Math.max(best, sum[l]);
        int subject = 0;
        for (int l = 1; l <= c.count; l++) {
            if (sum[l] >= SUBJECT_SHARE * best) {
                subject += strong[l];
                continue;
            }
            if (sum[l] < min * 0.5) continue;
            Rect box = box(c, l);
            byte[] m = componentMask(c, l, box.expand(2).intersect(Rect.of(w, h)));
            Rect fixBox = box.expand(2).intersect(Rect.of(w, h));
            dilate(m, fixBox.width(), fixBox.height(), 2);
            out.add(new Problem(Problem.Kind.ISLAND, box, sum[l] / (sum[l] + 4.0 * min),
                    new Problem.Fix(List.of(new Problem.Stroke(Trimap.BACKGROUND, fixBox, m)))));
        }
        return subject;
    }

    private static void holes(ByteImage rgb, float[] a, int w, int h, int min, int subjectArea, Colours colours, byte[] mask, List<Problem> out) {
        threshold(a, mask, w, h, -1f, 0.5f);
        Components c = Components.of(mask, w, h, false);
        double[] sum = new double[c.count + 1], r = new double[c.count + 1], g = new double[c.count + 1], b = new double[c.count + 1];
        int ic = rgb.channels;
        for (int y = 0; y < h; y++) {
            for (int x = 0, i = y * w; x < w; x++, i++) {
                int l = c.label[i];
                if (l == 0 || c.border[l]) continue;
                int s = y * rgb.stride + x * ic;
                sum[l] += 1 - a[i];
                r[l] += rgb.data[s] & 0xFF;
                g[l] += rgb.data[s + 1] & 0xFF;
                b[l] += rgb.data[s + 2] & 0xFF;
            }
        }
        for (int l = 1; l <= c.count; l++) {
            if (c.border[l] || c.area[l] < min || c.area[l] > 0.25 * subjectArea) continue;
            Rect box = box(c, l);
            int margin = Math.max(8, Math.max(box.width(), box.height()));
            double[] fg = colours.mean(box.expand(margin), true), bg = colours.mean(box.expand(margin * 4), false);
            if (fg == null) continue;
            double n = c.area[l];
            double[] hole = {r[l] / n / 255, g[l] / n / 255, b[l] / n / 255};
            double toFg = dist(hole, fg), toBg = bg == null ? 1 : dist(hole, bg);
            double fgLike = toBg / (toFg + toBg + 1e-6);
            if (fgLike <= 0.5) continue;
            Rect fixBox = box.expand(1).intersect(Rect.of(w, h));
            byte[] m = componentMask(c, l, fixBox);
            dilate(m, fixBox.width(), fixBox.height(), 1);
            out.add(new Problem(Problem.Kind.HOLE, box, fgLike * sum[l] / (sum[l] + 4.0 * min),
                    new Problem.Fix(List.of(new Problem.Stroke(Trimap.FOREGROUND, fixBox, m)))));
        }
    }

    // ------------------------------------------------------------------ mid α

    private static void midAlpha(float[] a, int w, int h, int min, byte[] mask, List<Problem> out) {
        float[] mid = new float[w * h], scratch = new float[w * h];
        Parallel.rows(h, w, (y0, y1) -> {
            for (int i = y0 * w, e = y1 * w; i < e; i++) mid[i] = a[i] > MID_LO && a[i] < MID_HI ? 1f : 0f;
        });
        GaussianBlur.blur(mid, mid, scratch, w, h, 2.0);
        threshold(mid, mask, w, h, MID_SOLID, 2f);
        Components c = Components.of(mask, w, h, true);
        double[] sum = new double[c.count + 1];
        for (int i = 0; i < a.length; i++) sum[c.label[i]] += a[i];
        for (int l = 1; l <= c.count; l++) {
            if (c.area[l] < 4 * min) continue;
            double meanA = sum[l] / c.area[l];
            Rect box = box(c, l);
            Rect fixBox = box.expand(3).intersect(Rect.of(w, h));
            byte[] m = componentMask(c, l, fixBox);
            dilate(m, fixBox.width(), fixBox.height(), 3);
            int level = meanA >= 0.5 ? Trimap.FOREGROUND : Trimap.BACKGROUND;
            out.add(new Problem(Problem.Kind.MID_ALPHA, box, c.area[l] / (c.area[l] + 16.0 * min),
                    new Problem.Fix(List.of(new Problem.Stroke(level, fixBox, m)))));
        }
    }

    // ------------------------------------------------------------------ colour fringe

    private static void fringes(float[] a, FloatImage fg, Trimap trimap, int w, int h, int min, Colours colours, byte[] mask, List<Problem> out) {
        float[] t = new float[w * h];
        Parallel.rows(h, w, (y0, y1) -> {
            double[] lf = new double[3], lb = new double[3];
            for (int y = y0; y < y1; y++) {
                for (int x = 0, i = y * w; x < w; x++, i++) {
                    mask[i] = 0;
                    float av = a[i];
                    if (av < FRINGE_MIN_ALPHA || av >= TRANS_HI) continue;
                    if (!colours.local(x, y, lf, lb)) continue;
                    double dr = lb[0] - lf[0], dg = lb[1] - lf[1], db = lb[2] - lf[2], dd = dr * dr + dg * dg + db * db;
                    if (dd < 0.03) continue; // foreground and background too alike to tell
                    int f = y * fg.stride + x * 3;
                    double tv = ((fg.data[f] - lf[0]) * dr + (fg.data[f + 1] - lf[1]) * dg + (fg.data[f + 2] - lf[2]) * db) / dd;
                    if (tv > FRINGE_T) {
                        mask[i] = 1;
                        t[i] = (float) Math.min(1, tv);
                    }
                }
            }
        });
        Components c = Components.of(mask, w, h, true);
        if (c.count == 0) return;
        double[] weight = new double[c.count + 1];
        int[] known = new int[c.count + 1];
        for (int i = 0; i < a.length; i++) {
            int l = c.label[i];
            if (l == 0) continue;
            weight[l] += a[i] * t[i];
            if (trimap != null && !trimap.isUnknown(i)) known[l]++;
        }
        for (int l = 1; l <= c.count; l++) {
            if (c.area[l] < Math.max(6, min / 2)) continue;
            Rect box = box(c, l);
            boolean reMatte = trimap == null || known[l] > 0;
            int grow = reMatte ? 3 : 0;
            Rect fixBox = box.expand(grow).intersect(Rect.of(w, h));
            byte[] m = componentMask(c, l, fixBox);
            if (grow > 0) dilate(m, fixBox.width(), fixBox.height(), grow);
            double mean = weight[l] / c.area[l];
            out.add(new Problem(Problem.Kind.COLOUR_FRINGE, box, Math.min(1, 2 * mean) * weight[l] / (weight[l] + 2.0 * min),
                    new Problem.Fix(List.of(new Problem.Stroke(reMatte ? Trimap.UNKNOWN : Trimap.BACKGROUND, fixBox, m)))));
        }
    }

    // ------------------------------------------------------------------ wide band

    private static void wideBand(float[] a, Trimap trimap, int w, int h, int min, List<Problem> out) {
        int tw = (w + TILE - 1) / TILE, th = (h + TILE - 1) / TILE;
        int[] unknown = new int[tw * th], trans = new int[tw * th];
        for (int y = 0; y < h; y++) {
            for (int x = 0, i = y * w; x < w; x++, i++) {
                if (!trimap.isUnknown(i)) continue;
                int t = (y / TILE) * tw + x / TILE;
                unknown[t]++;
                if (a[i] > TRANS_LO && a[i] < TRANS_HI) trans[t]++;
            }
        }
        byte[] flag = new byte[tw * th];
        boolean any = false;
        for (int t = 0; t < flag.length; t++) {
            int tx = t % tw, ty = t / tw;
            int side = Math.min(TILE, w - tx * TILE) + Math.min(TILE, h - ty * TILE);
            // a band crossing a tile is about side/2 long; its width is unknown / length
            if (unknown[t] >= WIDE_MIN * side / 2 && unknown[t] >= WIDE_RATIO * Math.max(trans[t], side / 2)) {
                flag[t] = 1;
                any = true;
            }
        }
        if (!any) return;
        // Pixels within TIGHT_MARGIN of the transition stay unknown.
        float[] near = new float[w * h], t1 = new float[w * h];
        Parallel.rows(h, w, (y0, y1) -> {
            for (int i = y0 * w, e = y1 * w; i < e; i++) near[i] = a[i] > TRANS_LO && a[i] < TRANS_HI ? 1f : 0f;
        });
        MaxFilter.rows(near, t1, w, h, TIGHT_MARGIN);
        MaxFilter.columns(t1, near, w, h, TIGHT_MARGIN);
        Components g = Components.of(flag, tw, th, true);
        for (int l = 1; l <= g.count; l++) {
            Rect box = new Rect(g.x0[l] * TILE, g.y0[l] * TILE, (g.x1[l] - g.x0[l] + 1) * TILE, (g.y1[l] - g.y0[l] + 1) * TILE).intersect(Rect.of(w, h));
            byte[] fgMask = new byte[box.width() * box.height()], bgMask = new byte[fgMask.length];
            long excess = 0;
            int minX = w, minY = h, maxX = -1, maxY = -1;
            for (int y = box.y(); y < box.bottom(); y++) {
                for (int x = box.x(); x < box.right(); x++) {
                    int i = y * w + x;
                    if (g.label[(y / TILE) * tw + x / TILE] != l || !trimap.isUnknown(i)) continue;
                    if (x < minX) minX = x;
                    if (x > maxX) maxX = x;
                    if (y < minY) minY = y;
                    if (y > maxY) maxY = y;
                    if (near[i] > 0) continue;
                    int m = (y - box.y()) * box.width() + (x - box.x());
                    if (a[i] >= TRANS_HI) fgMask[m] = 1;
                    else if (a[i] <= TRANS_LO) bgMask[m] = 1;
                    else continue;
                    excess++;
                }
            }
            if (excess < 4L * min || maxX < 0) continue;
            Rect tight = new Rect(minX, minY, maxX - minX + 1, maxY - minY + 1);
            double score = 0.5 * excess / (excess + 64.0 * min);
            out.add(new Problem(Problem.Kind.WIDE_BAND, tight, score, new Problem.Fix(List.of(
                    new Problem.Stroke(Trimap.FOREGROUND, box, fgMask), new Problem.Stroke(Trimap.BACKGROUND, box, bgMask)))));
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Local mean colours of solid foreground and solid background, on a grid of CELL px cells with summed-area tables. */
    static final class Colours {
        final int gw, gh;
        final double[][] fg = new double[4][], bg = new double[4][]; // r, g, b, count; (gw+1)×(gh+1) summed areas

        Colours(ByteImage rgb, float[] a, int w, int h) {
            gw = (w + CELL - 1) / CELL;
            gh = (h + CELL - 1) / CELL;
            for (int k = 0; k < 4; k++) {
                fg[k] = new double[(gw + 1) * (gh + 1)];
                bg[k] = new double[(gw + 1) * (gh + 1)];
            }
            int ic = rgb.channels, sw = gw + 1;
            for (int y = 0; y < h; y++) {
                int cy = y / CELL + 1;
                for (int x = 0, i = y * w; x < w; x++, i++) {
                    double[][] t = a[i] >= SOLID_FG ? fg : a[i] <= SOLID_BG ? bg : null;
                    if (t == null) continue;
                    int s = y * rgb.stride + x * ic, cell = cy * sw + x / CELL + 1;
                    t[0][cell] += (rgb.data[s] & 0xFF) / 255.0;
                    t[1][cell] += (rgb.data[s + 1] & 0xFF) / 255.0;
                    t[2][cell] += (rgb.data[s + 2] & 0xFF) / 255.0;
                    t[3][cell] += 1;
                }
            }
            for (double[][] t : new double[][][]{fg, bg})
                for (double[] p : t)
                    for (int cy = 1; cy <= gh; cy++)
                        for (int cx = 1; cx <= gw; cx++)
                            p[cy * sw + cx] += p[(cy - 1) * sw + cx] + p[cy * sw + cx - 1] - p[(cy - 1) * sw + cx - 1];
        }

        /** Mean colour of solid fg (or bg) pixels in the cells a pixel box covers, or null when there are none. */
        double[] mean(Rect box, boolean foreground) {
            int cx0 = Math.max(0, Math.floorDiv(box.x(), CELL)), cy0 = Math.max(0, Math.floorDiv(box.y(), CELL));
            int cx1 = Math.min(gw, Math.floorDiv(box.right() - 1, CELL) + 1), cy1 = Math.min(gh, Math.floorDiv(box.bottom() - 1, CELL) + 1);
            if (cx1 <= cx0 || cy1 <= cy0) return null;
            double[][] t = foreground ? fg : bg;
            double n = sum(t[3], cx0, cy0, cx1, cy1);
            if (n < 1) return null;
            return new double[]{sum(t[0], cx0, cy0, cx1, cy1) / n, sum(t[1], cx0, cy0, cx1, cy1) / n, sum(t[2], cx0, cy0, cx1, cy1) / n};
        }

        /** Local means around pixel (x, y) into lf / lb; false when either has no solid pixel nearby. */
        boolean local(int x, int y, double[] lf, double[] lb) {
            int cx = x / CELL, cy = y / CELL;
            int cx0 = Math.max(0, cx - COLOUR_CELLS), cy0 = Math.max(0, cy - COLOUR_CELLS);
            int cx1 = Math.min(gw, cx + COLOUR_CELLS + 1), cy1 = Math.min(gh, cy + COLOUR_CELLS + 1);
            double nf = sum(fg[3], cx0, cy0, cx1, cy1), nb = sum(bg[3], cx0, cy0, cx1, cy1);
            if (nf < 1 || nb < 1) return false;
            for (int k = 0; k < 3; k++) {
                lf[k] = sum(fg[k], cx0, cy0, cx1, cy1) / nf;
                lb[k] = sum(bg[k], cx0, cy0, cx1, cy1) / nb;
            }
            return true;
        }

        private double sum(double[] p, int cx0, int cy0, int cx1, int cy1) {
            int sw = gw + 1;
            return p[cy1 * sw + cx1] - p[cy0 * sw + cx1] - p[cy1 * sw + cx0] + p[cy0 * sw + cx0];
        }
    }

    private static float[] packed(FloatImage alpha) {
        int w = alpha.width, h = alpha.height;
        float[] a = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = alpha.data[y * alpha.stride + x];
                a[y * w + x] = v < 0 ? 0 : (v > 1 ? 1 : v);
            }
        }
        return a;
    }

    /** mask = lo ≤ v &lt; hi (with lo = −1 for "below hi" and hi = 2 for "at least lo"). */
    private static void threshold(float[] v, byte[] mask, int w, int h, float lo, float hi) {
        Parallel.rows(h, w, (y0, y1) -> {
            for (int i = y0 * w, e = y1 * w; i < e; i++) mask[i] = (byte) (v[i] >= lo && v[i] < hi ? 1 : 0);
        });
    }

    private static Rect box(Components c, int l) {
        return new Rect(c.x0[l], c.y0[l], c.x1[l] - c.x0[l] + 1, c.y1[l] - c.y0[l] + 1);
    }

    private static byte[] componentMask(Components c, int l, Rect box) {
        int w = c.width;
        byte[] m = new byte[box.width() * box.height()];
        for (int y = 0; y < box.height(); y++)
            for (int x = 0; x < box.width(); x++)
                if (c.label[(box.y() + y) * w + box.x() + x] == l) m[y * box.width() + x] = 1;
        return m;
    }

    /** Square dilation of a small mask by r px (the fix should cover the soft rim too). */
    private static void dilate(byte[] m, int w, int h, int r) {
        byte[] tmp = new byte[m.length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                byte v = 0;
                for (int k = Math.max(0, x - r); k <= Math.min(w - 1, x + r) && v == 0; k++) v = m[y * w + k];
                tmp[y * w + x] = v;
            }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                byte v = 0;
                for (int k = Math.max(0, y - r); k <= Math.min(h - 1, y + r) && v == 0; k++) v = tmp[k * w + x];
                m[y * w + x] = v;
            }
    }

    private static double dist(double[] p, double[] q) {
        double r = p[0] - q[0], g = p[1] - q[1], b = p[2] - q[2];
        return Math.sqrt(r * r + g * g + b * b);
    }
}
