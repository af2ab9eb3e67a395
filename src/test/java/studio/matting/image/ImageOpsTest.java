package studio.matting.image;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ImageOpsTest {
    @Test
    void dilationMatchesANaiveChebyshevDilation() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(9);
        for (int[] size : new int[][] {{37, 23}, {1, 40}, {64, 1}, {300, 211}}) {
            int w = size[0], h = size[1];
            boolean[] m = new boolean[w * h];
            for (int i = 0; i < m.length; i++) m[i] = rnd.nextInt(97) == 0;
            for (int r : new int[] {0, 1, 3, 8}) {
                boolean[] got = ImageOps.dilate(m, w, h, r);
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++) {
                        boolean want = false;
                        for (int yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r) && !want; yy++)
                            for (int xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) if (m[yy * w + xx]) { want = true; break; }
                        assertEquals(want, got[y * w + x], w + "x" + h + " r " + r + " at " + x + "," + y);
                    }
            }
        }
    }

    @Test
    void enlargingIsBilinearWithCentresAlignedAndShrinkingAveragesBoxes() {
        // the plain per-pixel formulas, separable (x first, then y), against the table-driven resize
        java.util.Random rnd = new java.util.Random(5);
        FloatImage src = new FloatImage(37, 23, 3);
        for (int i = 0; i < src.data.length; i++) src.data[i] = rnd.nextFloat();
        for (int[] size : new int[][] {{185, 115}, {100, 23}, {37, 60}, {12, 9}}) {
            int w = size[0], h = size[1];
            FloatImage got = ImageOps.resize(src, w, h);
            FloatImage tmp = new FloatImage(w, src.height, 3);
            double sx = (double) src.width / w, sy = (double) src.height / h;
            for (int y = 0; y < src.height; y++)
                for (int x = 0; x < w; x++)
                    for (int c = 0; c < 3; c++) tmp.data[(y * w + x) * 3 + c] = naive(src.data, y * src.width * 3, 3, c, src.width, x, sx);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    for (int c = 0; c < 3; c++) {
                        float want;
                        if (sy > 1) {
                            double a = y * sy, b = a + sy, sum = 0;
                            for (int i = (int) a; i < Math.min(src.height, (int) Math.ceil(b)); i++)
                                sum += tmp.data[(i * w + x) * 3 + c] * (float) ((Math.min(b, i + 1) - Math.max(a, i)) / sy);
                            want = (float) sum;
                        } else {
                            double fy = (y + 0.5) * sy - 0.5;
                            int i0 = (int) Math.floor(fy);
                            float t = (float) (fy - i0);
                            int ia = Math.max(0, Math.min(src.height - 1, i0)), ib = Math.max(0, Math.min(src.height - 1, i0 + 1));
                            want = tmp.data[(ia * w + x) * 3 + c] * (1 - t) + tmp.data[(ib * w + x) * 3 + c] * t;
                        }
                        assertEquals(want, got.data[(y * w + x) * 3 + c], 1e-6, w + "x" + h + " at " + x + "," + y);
                    }
        }
    }

    private static float naive(float[] data, int row, int ch, int c, int n, int x, double scale) {
        if (scale > 1) {
            double a = x * scale, b = a + scale, sum = 0;
            for (int i = (int) a; i < Math.min(n, (int) Math.ceil(b)); i++) sum += data[row + i * ch + c] * (Math.min(b, i + 1) - Math.max(a, i));
            return (float) (sum / scale);
        }
        double sx = (x + 0.5) * scale - 0.5;
        int i0 = (int) Math.floor(sx);
        float t = (float) (sx - i0);
        int ia = Math.max(0, Math.min(n - 1, i0)), ib = Math.max(0, Math.min(n - 1, i0 + 1));
        return data[row + ia * ch + c] * (1 - t) + data[row + ib * ch + c] * t;
    }

    @Test
    void unitIsTheByteDividedBy255ForEveryByte() {
        for (int b = -128; b < 128; b++) {
            byte v = (byte) b;
            assertEquals((v & 0xFF) / 255f, ImageOps.unit(v), 0f, "byte " + (v & 0xFF));
        }
        assertEquals(0f, ImageOps.unit((byte) 0));
        assertEquals(1f, ImageOps.unit((byte) 255));
    }
}
