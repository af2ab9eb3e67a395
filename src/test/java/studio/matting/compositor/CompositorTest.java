package studio.matting.compositor;

import org.junit.jupiter.api.Test;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
import studio.matting.sample.SyntheticPortrait;

import static org.junit.jupiter.api.Assertions.*;

class CompositorTest {
    private static final SyntheticPortrait P = SyntheticPortrait.render(240, 300, 7);

    @Test
    void compositeOverSolidMatchesAnalyticResult() {
        ByteImage img = ImageOps.toByte(P.image);
        int br = 67, bg = 142, bb = 219;
        ByteImage c = Compositor.composite(img, P.alpha, P.foreground, Background.solid(br, bg, bb));
        int[] b = {br, bg, bb};
        int worst = 0;
        for (int y = 0; y < img.height; y++)
            for (int x = 0; x < img.width; x++) {
                float a = P.alpha.get(x, y, 0);
                for (int ch = 0; ch < 3; ch++) {
                    double expect = 255.0 * a * P.foreground.get(x, y, ch) + (1 - a) * b[ch];
                    worst = Math.max(worst, (int) Math.ceil(Math.abs(c.get(x, y, ch) - expect) - 1e-3));
                }
            }
        assertTrue(worst <= 1, "max error " + worst + "/255");
        // The test must see soft pixels, otherwise it proves little.
        long soft = 0;
        for (float a : P.alpha.data) if (a > 0.05f && a < 0.95f) soft++;
        assertTrue(soft > 100, "soft pixels: " + soft);
    }

    @Test
    void compositeOverPictureUsesCoverCrop() {
        // 2:1 background over a 1:1 image: the centre half of the picture must be used, scaled 1:1 here.
        ByteImage bgImg = new ByteImage(20, 10, 3);
        for (int y = 0; y < 10; y++) for (int x = 0; x < 20; x++) bgImg.set(x, y, 0, x * 10);
        ByteImage img = new ByteImage(10, 10, 3);
        FloatImage alpha = new FloatImage(10, 10, 1); // fully transparent: output is the background
        ByteImage c = Compositor.composite(img, alpha, null, Background.image(bgImg));
        for (int x = 0; x < 10; x++) assertEquals((x + 5) * 10, c.get(x, 3, 0));
    }

    @Test
    void cutoutAndPremultiplied() {
        ByteImage img = ImageOps.toByte(P.image);
        ByteImage straight = Compositor.cutout(img, P.alpha, P.foreground);
        ByteImage premul = Compositor.premultiplied(img, P.alpha, P.foreground);
        for (int y = 0; y < img.height; y += 7)
            for (int x = 0; x < img.width; x += 5) {
                float a = P.alpha.get(x, y, 0);
                assertEquals(Math.round(a * 255), straight.get(x, y, 3), 1);
                assertEquals(straight.get(x, y, 3), premul.get(x, y, 3));
                for (int ch = 0; ch < 3; ch++) {
                    assertEquals(P.foreground.get(x, y, ch) * 255, straight.get(x, y, ch), 0.51);
                    assertEquals(a * P.foreground.get(x, y, ch) * 255, premul.get(x, y, ch), 0.51);
                }
            }
    }

    @Test
    void nullForegroundFallsBackToImage() {
        ByteImage img = new ByteImage(4, 1, 3);
        for (int i = 0; i < img.data.length; i++) img.data[i] = (byte) 200;
        FloatImage a = new FloatImage(4, 1, 1, new float[]{0f, 0.5f, 1f, 1f}, 4);
        ByteImage c = Compositor.composite(img, a, null, Background.solid(0, 0, 100));
        assertEquals(0, c.get(0, 0, 0));
        assertEquals(100, c.get(1, 0, 0));
        assertEquals(150, c.get(1, 0, 2));
        assertEquals(200, c.get(2, 0, 1));
    }

    @Test
    void previewIsDownscaledAndCached() {
        ByteImage img = ImageOps.toByte(P.image);
        Compositor comp = new Compositor();
        ByteImage p1 = comp.compositePreview(img, P.alpha, P.foreground, Background.solid(255, 255, 255), 100);
        assertEquals(80, p1.width);
        assertEquals(100, p1.height);
        ByteImage p2 = comp.compositePreview(img, P.alpha, P.foreground, Background.checker(), 100);
        assertEquals(80, p2.width);
        // Preview of a downscaled composite approximates the downscaled full composite.
        ByteImage full = ImageOps.resize(Compositor.composite(img, P.alpha, P.foreground, Background.solid(255, 255, 255)), 80, 100);
        double err = 0;
        for (int i = 0; i < full.data.length; i++) err += Math.abs((full.data[i] & 0xFF) - (p1.data[i] & 0xFF));
        assertTrue(err / full.data.length < 3, "mean preview error " + err / full.data.length);
    }

    @Test
    void boxReduceAveragesBlocksIncludingShortEdges() {
        ByteImage b = new ByteImage(5, 3, 1, new byte[]{0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28}, 5);
        ByteImage r = ImageOps.boxReduce(b, 2);
        assertEquals(3, r.width);
        assertEquals(2, r.height);
        assertEquals(6, r.get(0, 0, 0));   // (0+2+10+12)/4
        assertEquals(13, r.get(2, 0, 0));  // (8+18)/2
        assertEquals(28, r.get(2, 1, 0));  // 28 alone
        FloatImage f = ImageOps.boxReduce(ImageOps.toFloat(b), 2);
        assertEquals(6 / 255f, f.get(0, 0, 0), 1e-6);
        assertEquals(25 / 255f, f.get(1, 1, 0), 1e-6);  // (24+26)/2, last row alone
    }

    @Test
    void boxReduceOfColourMatchesAPlainBlockAverage() {
        // 3 channels take their own loop; sizes that leave short blocks on both edges
        java.util.Random rnd = new java.util.Random(3);
        for (int k : new int[]{2, 3, 5}) {
            int w = 23, h = 17;
            ByteImage b = new ByteImage(w, h, 3);
            rnd.nextBytes(b.data);
            ByteImage r = ImageOps.boxReduce(b, k);
            for (int oy = 0; oy < r.height; oy++)
                for (int ox = 0; ox < r.width; ox++)
                    for (int c = 0; c < 3; c++) {
                        int sum = 0, n = 0;
                        for (int y = oy * k; y < Math.min(h, oy * k + k); y++)
                            for (int x = ox * k; x < Math.min(w, ox * k + k); x++) { sum += b.get(x, y, c); n++; }
                        assertEquals((sum + n / 2) / n, r.get(ox, oy, c), "k " + k + " at " + ox + "," + oy);
                    }
        }
    }

    @Test
    void mismatchedSizesAreRefused() {
        ByteImage img = new ByteImage(4, 4, 3);
        assertThrows(IllegalArgumentException.class, () -> Compositor.composite(img, new FloatImage(3, 4, 1), null, Background.checker()));
    }
}
