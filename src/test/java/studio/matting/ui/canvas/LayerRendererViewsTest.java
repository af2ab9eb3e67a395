package studio.matting.ui.canvas;

import org.junit.jupiter.api.Test;
import studio.matting.compositor.Background;
import studio.matting.document.Document;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.trimap.Trimap;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** The Select and Mask style views (onion skin, low-α tint, on black, on white) and the preview α override. */
class LayerRendererViewsTest {
    static final int W = 40, H = 20;

    /** A grey photo; α = 1 on the left half, 0 on the right; F a clean red. */
    private static Document doc() {
        ByteImage rgb = new ByteImage(W, H, 3);
        Arrays.fill(rgb.data, (byte) 100);
        Document d = new Document(null, rgb, 72, new FloatImage(W, H, 1), "test", Trimap.filled(W, H, Trimap.UNKNOWN));
        FloatImage a = new FloatImage(W, H, 1), f = new FloatImage(W, H, 3);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                a.set(x, y, 0, x < W / 2 ? 1f : 0f);
                f.set(x, y, 0, 200 / 255f);
                f.set(x, y, 1, 50 / 255f);
                f.set(x, y, 2, 50 / 255f);
            }
        d.setAlpha(a, null);
        d.setForeground(f);
        return d;
    }

    private static int[] render(Document d, ViewMode m, LayerRenderer.Look look, FloatImage alpha) {
        int[] argb = new int[W * H];
        ByteImage blue = Background.solid(0, 0, 255).render(W, H);
        LayerRenderer.render(d, alpha, d.foreground(), look, m, d.bounds(), argb, m.needsBackground() ? blue : null);
        return argb;
    }

    private static final int IN = 5 * W + 5, OUT = 5 * W + 30;

    @Test
    void onBlackAndOnWhite() {
        Document d = doc();
        int[] b = render(d, ViewMode.ON_BLACK, LayerRenderer.Look.DEFAULT, d.alpha());
        assertEquals(0xFFC83232, b[IN], "the subject in its clean colours");
        assertEquals(0xFF000000, b[OUT]);
        int[] w = render(d, ViewMode.ON_WHITE, LayerRenderer.Look.DEFAULT, d.alpha());
        assertEquals(0xFFC83232, w[IN]);
        assertEquals(0xFFFFFFFF, w[OUT]);
    }

    @Test
    void tintCoversLowAlphaWithTheChosenColourAndOpacity() {
        Document d = doc();
        int[] full = render(d, ViewMode.TINT, new LayerRenderer.Look(0.5, 0x00FF00, 1.0), d.alpha());
        assertEquals(0xFF00FF00, full[OUT], "opacity 100 %: the tint colour");
        assertEquals(0xFF646464, full[IN], "α = 1: the photo");
        int[] half = render(d, ViewMode.TINT, new LayerRenderer.Look(0.5, 0x00FF00, 0.5), d.alpha());
        assertEquals(0xFF32B232, half[OUT], "half way between grey 100 and green");
    }

    @Test
    void onionSkinShowsThePhotoAtItsOpacityOverTheBackground() {
        Document d = doc();
        int[] clear = render(d, ViewMode.ONION, new LayerRenderer.Look(0, 0xFF0000, 0.5), d.alpha());
        assertEquals(0xFF0000FF, clear[OUT], "opacity 0: the background");
        assertEquals(0xFFC83232, clear[IN]);
        int[] solid = render(d, ViewMode.ONION, new LayerRenderer.Look(1, 0xFF0000, 0.5), d.alpha());
        assertEquals(0xFF646464, solid[OUT], "opacity 100 %: the photo");
        int[] half = render(d, ViewMode.ONION, new LayerRenderer.Look(0.5, 0xFF0000, 0.5), d.alpha());
        assertEquals(0xFF3232B2, half[OUT]);
    }

    @Test
    void thePreviewAlphaReplacesTheDocumentsWhenGiven() {
        Document d = doc();
        FloatImage none = new FloatImage(W, H, 1);
        int[] argb = render(d, ViewMode.ALPHA, LayerRenderer.Look.DEFAULT, none);
        assertEquals(0xFF000000, argb[IN], "the refined / previous α is drawn, not the document's");
        assertEquals(0xFFFFFFFF, render(d, ViewMode.ALPHA, LayerRenderer.Look.DEFAULT, d.alpha())[IN]);
    }

    @Test
    void everyViewHasAMatteRuleAndTheCycleVisitsAll() {
        ViewMode m = ViewMode.IMAGE;
        java.util.Set<ViewMode> seen = java.util.EnumSet.noneOf(ViewMode.class);
        for (int i = 0; i < ViewMode.values().length; i++) {
            seen.add(m);
            m = m.next();
        }
        assertEquals(ViewMode.IMAGE, m);
        assertEquals(java.util.EnumSet.allOf(ViewMode.class), seen);
        assertFalse(ViewMode.OVERLAY.needsAlpha());
        assertTrue(ViewMode.ON_WHITE.needsAlpha() && ViewMode.ONION.needsAlpha() && ViewMode.TINT.needsAlpha());
    }

    /** A layer reduced by k reads as its nearest-neighbour enlargement: each layer pixel covers k×k photo pixels. */
    @Test
    void reducedLayersReadAsTheirEnlargementInEveryAlphaView() {
        Document d = doc();
        int k = 3, sw = (W + k - 1) / k, sh = (H + k - 1) / k;
        FloatImage small = new FloatImage(sw, sh, 1), smallF = new FloatImage(sw, sh, 3);
        for (int y = 0; y < sh; y++)
            for (int x = 0; x < sw; x++) {
                small.set(x, y, 0, ((x * 7 + y * 3) % 11) / 10f);
                for (int c = 0; c < 3; c++) smallF.set(x, y, c, ((x + y + c * 5) % 9) / 8f);
            }
        FloatImage big = new FloatImage(W, H, 1), bigF = new FloatImage(W, H, 3);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                big.set(x, y, 0, small.get(x / k, y / k, 0));
                for (int c = 0; c < 3; c++) bigF.set(x, y, c, smallF.get(x / k, y / k, c));
            }
        ByteImage blue = Background.solid(0, 0, 255).render(W, H);
        for (ViewMode m : ViewMode.values()) {
            if (!m.needsAlpha()) continue;
            int[] want = new int[W * H], got = new int[W * H];
            ByteImage bg = m.needsBackground() ? blue : null;
            LayerRenderer.render(d, big, bigF, 1, LayerRenderer.Look.DEFAULT, m, d.bounds(), want, bg);
            LayerRenderer.render(d, small, smallF, k, LayerRenderer.Look.DEFAULT, m, d.bounds(), got, bg);
            assertArrayEquals(want, got, m.name());
        }
        // a sub-rectangle reads the same pixels as the whole
        int[] part = new int[W * H], whole = new int[W * H];
        LayerRenderer.render(d, small, smallF, k, LayerRenderer.Look.DEFAULT, ViewMode.ALPHA, d.bounds(), whole, null);
        LayerRenderer.render(d, small, smallF, k, LayerRenderer.Look.DEFAULT, ViewMode.ALPHA, new studio.matting.image.Rect(7, 4, 20, 9), part, null);
        for (int y = 4; y < 13; y++)
            for (int x = 7; x < 27; x++) assertEquals(whole[y * W + x], part[y * W + x]);
    }
}
