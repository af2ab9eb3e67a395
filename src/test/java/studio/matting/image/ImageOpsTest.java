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
}
