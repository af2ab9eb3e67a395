package studio.matting.idphoto;

import studio.matting.image.FloatImage;

/**
 * Finds the head in a person mask (a soft segmentation mask or an alpha matte, one channel in [0,1]) from the width
 * profile of the silhouette: going down from the first row of the person, the width grows to the widest part of the
 * head, shrinks to the neck and then jumps at the shoulders.
 * <ul>
 *   <li>{@code top}: first row at least a tenth as wide as the head (flyaway strands are ignored);</li>
 *   <li>{@code neck}: the narrowest row between the widest head row and the shoulders;</li>
 *   <li>{@code chin}: where the head's taper meets the neck — the first row below the widest head row that is within
 *       10 % of the neck width (or below 45 % of the head width, for necks that keep tapering). Real necks are near-constant in width, so the narrowest row alone could lie anywhere
 *       along the neck; the chin line is what ID-photo rules measure the head height to;</li>
 *   <li>{@code centerX}: mean x of the person pixels between top and chin (the face centre line).</li>
 * </ul>
 * When no narrowing is found (no shoulders, or a blob-like mask) the head is taken as the upper half of the silhouette
 * and {@code shouldersFound} is false, so the UI can say the placement is a guess.
 */
public final class HeadLocator {
    private HeadLocator() { }

    public record Head(int top, int chin, int neck, double centerX, int headWidth, boolean shouldersFound) {
        public int height() {
            return Math.max(1, chin - top);
        }
    }

    public static Head locate(FloatImage mask) {
        return locate(mask, 0.5f);
    }

    public static Head locate(FloatImage mask, float threshold) {
        if (mask.channels != 1) throw new IllegalArgumentException("the head locator needs a one-channel mask");
        int w = mask.width, h = mask.height;
        double[] count = new double[h];
        double[] sumX = new double[h];
        for (int y = 0; y < h; y++) {
            int o = y * mask.stride;
            int n = 0;
            long sx = 0;
            for (int x = 0; x < w; x++) {
                if (mask.data[o + x] >= threshold) {
                    n++;
                    sx += x;
                }
            }
            count[y] = n;
            sumX[y] = sx;
        }
        double[] c = smooth(count);
        double minRun = Math.max(2, w * 0.01);
        int top = -1, bottom = -1;
        for (int y = 0; y < h; y++) {
            if (count[y] >= minRun) {
                if (top < 0) top = y;
                bottom = y;
            }
        }
        if (top < 0) throw new IllegalArgumentException("No person found in the mask: it is empty.");

        double max = 0;
        int maxY = top, end = bottom + 1;
        boolean narrowed = false, shoulders = false;
        for (int y = top; y <= bottom; y++) {
            if (!narrowed) {
                if (c[y] > max) {
                    max = c[y];
                    maxY = y;
                } else if (c[y] < 0.85 * max && y - top > 3) {
                    narrowed = true;
                }
            }
            if (narrowed && c[y] > 1.3 * max) {
                end = y;
                shoulders = true;
                break;
            }
        }
        int chin, neck;
        if (narrowed) {
            neck = maxY;
            for (int y = maxY; y < end; y++) if (c[y] < c[neck]) neck = y;
            chin = neck;
            // A neck that keeps tapering (or a collar) has no plateau; the head/neck junction is then where the
            // width has fallen below about half the head width, as it does at the jaw.
            double limit = Math.max(c[neck] * 1.1 + 1, 0.45 * max);
            for (int y = maxY; y <= neck; y++) {
                if (c[y] <= limit) {
                    chin = y;
                    break;
                }
            }
        } else {
            chin = top + (bottom - top) / 2;
            neck = chin;
        }
        // Flyaway strands above the crown are not the top of the head: start where the row is a tenth of the head wide.
        for (int y = top; y <= maxY; y++) {
            if (c[y] >= 0.1 * max) {
                top = y;
                break;
            }
        }
        if (chin <= top) chin = Math.min(bottom, top + 1);
        double sx = 0, n = 0;
        int headWidth = 0;
        for (int y = top; y <= chin; y++) {
            sx += sumX[y];
            n += count[y];
            headWidth = Math.max(headWidth, (int) count[y]);
        }
        double cx = n > 0 ? sx / n : w / 2.0;
        return new Head(top, chin, neck, cx, headWidth, shoulders);
    }

    private static double[] smooth(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double s = v[i];
            int k = 1;
            if (i > 0) { s += v[i - 1]; k++; }
            if (i + 1 < v.length) { s += v[i + 1]; k++; }
            out[i] = s / k;
        }
        return out;
    }
}
