package studio.matting.ui.canvas;

import org.junit.jupiter.api.Test;
import studio.matting.document.Document;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.Rect;
import studio.matting.segment.EllipseMask;
import studio.matting.trimap.Trimap;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class LayerRendererTest {
    private static Document doc() {
        ByteImage rgb = new ByteImage(64, 48, 3);
        Arrays.fill(rgb.data, (byte) 100);
        FloatImage mask = EllipseMask.render(64, 48, new EllipseMask.Ellipse(32, 24, 20, 16));
        Document d = new Document(null, rgb, 72, mask, "ellipse");
        d.setMorphology(3, 1);
        d.replaceTrimap("Regenerate", studio.matting.trimap.TrimapGenerator.fromMask(d.mask(), d.kernelSize(), d.iterations()));
        return d;
    }

    @Test
    void viewsMapLayersToPixels() {
        Document d = doc();
        int[] argb = new int[64 * 48];
        LayerRenderer.render(d, ViewMode.TRIMAP, d.bounds(), argb, null);
        assertEquals(0xFFFFFFFF, argb[24 * 64 + 32], "foreground is white");
        assertEquals(0xFF000000, argb[0], "background is black");
        LayerRenderer.render(d, ViewMode.OVERLAY, d.bounds(), argb, null);
        int fg = argb[24 * 64 + 32], bg = argb[0];
        assertTrue((fg >> 8 & 0xFF) > (fg >> 16 & 0xFF), "foreground tinted green");
        assertTrue((bg >> 16 & 0xFF) > (bg >> 8 & 0xFF), "background tinted red");
        // Without alpha the alpha view falls back to the photo (the editor shows a notice on top).
        LayerRenderer.render(d, ViewMode.ALPHA, d.bounds(), argb, null);
        assertEquals(0xFF646464, argb[0]);
        FloatImage a = new FloatImage(64, 48, 1);
        a.set(5, 5, 0, 1f);
        d.setAlpha(a, null);
        LayerRenderer.render(d, ViewMode.ALPHA, d.bounds(), argb, null);
        assertEquals(0xFFFFFFFF, argb[5 * 64 + 5]);
        assertEquals(0xFF000000, argb[0]);
    }

    @Test
    void rendersOnlyTheDirtyRect() {
        Document d = doc();
        int[] argb = new int[64 * 48];
        Arrays.fill(argb, 7);
        LayerRenderer.render(d, ViewMode.TRIMAP, new Rect(10, 10, 5, 4), argb, null);
        for (int y = 0; y < 48; y++)
            for (int x = 0; x < 64; x++) {
                boolean inside = x >= 10 && x < 15 && y >= 10 && y < 14;
                assertEquals(inside, argb[y * 64 + x] != 7, "pixel " + x + "," + y);
            }
        assertEquals(Trimap.BACKGROUND, d.trimap().get(0, 0));
    }

    @Test
    void compositeBlendsForegroundOverTheChosenBackgroundAndSplitShowsBeforeAfter() {
        Document d = doc();
        FloatImage a = new FloatImage(64, 48, 1);
        FloatImage f = new FloatImage(64, 48, 3);
        for (int i = 0; i < 64 * 48; i++) { f.data[i * 3] = 1f; } // pure red foreground
        a.set(40, 5, 0, 1f);
        a.set(41, 5, 0, 0.5f);
        d.setAlpha(a, null);
        d.setForeground(f);
        ByteImage blue = studio.matting.compositor.Background.solid(67, 142, 219).render(64, 48);
        int[] argb = new int[64 * 48];
        LayerRenderer.render(d, ViewMode.COMPOSITE, d.bounds(), argb, blue);
        assertEquals(0xFFFF0000, argb[5 * 64 + 40], "α = 1 shows F");
        assertEquals(0xFF438EDB, argb[0], "α = 0 shows the background");
        int half = argb[5 * 64 + 41];
        assertEquals((255 + 67) / 2.0, half >> 16 & 0xFF, 1.0);
        assertEquals(142 / 2.0, half >> 8 & 0xFF, 1.0);

        LayerRenderer.render(d, ViewMode.SPLIT, d.bounds(), argb, blue);
        assertEquals(0xFF646464, argb[0], "left half is the original photo");
        assertEquals(0xFF438EDB, argb[63], "right half is the composite");
        assertEquals(0xFFFFFFFF, argb[10 * 64 + 32], "divider");
    }

    @Test
    void compositeViewShowsExactlyTheExportedPixels() {
        for (boolean withForeground : new boolean[]{true, false}) {
            Document d = doc();
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
            for (int i = 0; i < d.image().data.length; i++) d.image().data[i] = (byte) rnd.nextInt(256);
            FloatImage a = new FloatImage(64, 48, 1);
            for (int i = 0; i < a.data.length; i++) a.data[i] = (float) rnd.nextDouble() * 1.2f - 0.1f; // out of range too
            FloatImage f = new FloatImage(64, 48, 3);
            for (int i = 0; i < f.data.length; i++) f.data[i] = (float) rnd.nextDouble();
            d.setAlpha(a, null);
            if (withForeground) d.setForeground(f);
            studio.matting.compositor.Background bg = studio.matting.compositor.Background.checker();
            ByteImage exported = studio.matting.compositor.Compositor.composite(d.image(), a, withForeground ? f : null, bg);
            int[] argb = new int[64 * 48];
            LayerRenderer.render(d, ViewMode.COMPOSITE, d.bounds(), argb, bg.render(64, 48));
            for (int y = 0; y < 48; y++)
                for (int x = 0; x < 64; x++) {
                    int e = 0xFF000000 | exported.get(x, y, 0) << 16 | exported.get(x, y, 1) << 8 | exported.get(x, y, 2);
                    assertEquals(e, argb[y * 64 + x], "pixel " + x + "," + y + (withForeground ? " with F" : " without F"));
                }
        }
    }
}
