package studio.matting.pipeline;

import org.junit.jupiter.api.Test;
import studio.matting.foreground.ForegroundEstimator;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
import studio.matting.matting.ClosedFormEngine;
import studio.matting.sample.SyntheticPortrait;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapGenerator;

import static org.junit.jupiter.api.Assertions.*;

class DraftMatteTest {
    @Test
    void theFactorBringsAPhotoToTheDraftSize() {
        assertEquals(4, DraftMatte.factor(3000, 4000), "12 MP -> 0.75 MP");
        assertEquals(1, DraftMatte.factor(800, 1000));
        assertTrue((long) 4000 * 6000 / (DraftMatte.factor(4000, 6000) * DraftMatte.factor(4000, 6000)) <= DraftMatte.DRAFT_PIXELS);
    }

    @Test
    void aReducedPixelIsUnknownWhenItsPixelsDisagree() {
        Trimap t = new Trimap(4, 2);
        byte[] row = {(byte) 255, (byte) 255, 0, (byte) 255};
        System.arraycopy(row, 0, t.data, 0, 4);
        System.arraycopy(row, 0, t.data, 4, 4);
        Trimap r = DraftMatte.reduce(t, 2);
        assertEquals(2, r.width);
        assertEquals(1, r.height);
        assertEquals(Trimap.FOREGROUND, r.data[0] & 0xFF);
        assertEquals(Trimap.UNKNOWN, r.data[1] & 0xFF, "0 beside 255");
    }

    @Test
    void theDraftKeepsTheKnownPixelsExactAndIsCloseToTheFullMatte() throws Exception {
        SyntheticPortrait p = SyntheticPortrait.render(360, 450, 5);
        ByteImage rgb = ImageOps.toByte(p.image);
        Trimap t = TrimapGenerator.fromMask(SyntheticPortrait.coarseMask(p.alpha), 7, 4);
        ClosedFormEngine engine = new ClosedFormEngine();
        AutoPipeline.ForegroundStage fg = new ForegroundEstimator()::estimate;
        FloatImage full = engine.matte(rgb, t, TaskContext.NONE);
        DraftMatte.Result d = DraftMatte.run(rgb, t, engine, fg, 2, TaskContext.NONE);
        assertEquals(2, d.factor());
        assertTrue(d.alpha().sameSize(360, 450) && d.foreground().sameSize(360, 450) && d.foreground().channels == 3);
        double sadFull = 0, sadDraft = 0;
        for (int y = 0; y < 450; y++) {
            for (int x = 0; x < 360; x++) {
                int i = y * 360 + x, v = t.data[i] & 0xFF;
                float truth = p.alpha.data[y * p.alpha.stride + x], a = d.alpha().data[y * d.alpha().stride + x];
                sadFull += Math.abs(full.data[y * full.stride + x] - truth);
                sadDraft += Math.abs(a - truth);
                if (v != Trimap.UNKNOWN) {
                    assertEquals(v == Trimap.FOREGROUND ? 1f : 0f, a);
                    for (int c = 0; c < 3; c++)
                        assertEquals((rgb.data[y * rgb.stride + x * 3 + c] & 0xFF) / 255f, d.foreground().data[y * d.foreground().stride + x * 3 + c], 1e-6);
                }
            }
        }
        System.out.printf("draft at 1/2: SAD %.3f vs full matte %.3f%n", sadDraft / 1000, sadFull / 1000);
        assertTrue(sadDraft < 2 * sadFull, "draft SAD " + sadDraft + " vs full " + sadFull);
    }

    @Test
    void expandingIsTheBandsBilinearUpsampleWithTheKnownPixelsExact() {
        // against the two steps it replaces: ImageOps.upsample inside the band, then the known pixels set exactly
        java.util.Random rnd = new java.util.Random(9);
        int w = 103, h = 77, k = 4, sw = (w + k - 1) / k, sh = (h + k - 1) / k;
        FloatImage a = new FloatImage(sw, sh, 1), f = new FloatImage(sw, sh, 3);
        for (int i = 0; i < a.data.length; i++) a.data[i] = rnd.nextFloat();
        for (int i = 0; i < f.data.length; i++) f.data[i] = rnd.nextFloat();
        ByteImage photo = new ByteImage(w, h, 3);
        rnd.nextBytes(photo.data);
        Trimap t = new Trimap(w, h);
        byte[] levels = {(byte) Trimap.BACKGROUND, (byte) Trimap.UNKNOWN, (byte) Trimap.FOREGROUND};
        for (int i = 0; i < t.data.length; i++) t.data[i] = levels[rnd.nextInt(3)];
        boolean[] band = new boolean[w * h];
        for (int i = 0; i < band.length; i++) band[i] = (t.data[i] & 0xFF) == Trimap.UNKNOWN;
        FloatImage alpha = ImageOps.upsample(a, k, w, h, band), fore = ImageOps.upsample(f, k, w, h, band);
        for (int i = 0; i < band.length; i++) {
            if (band[i]) continue;
            alpha.data[i] = (t.data[i] & 0xFF) == Trimap.FOREGROUND ? 1f : 0f;
            for (int c = 0; c < 3; c++) fore.data[i * 3 + c] = (photo.data[i * 3 + c] & 0xFF) / 255f;
        }
        DraftMatte.Result r = DraftMatte.expand(a, f, photo, t, k);
        assertArrayEquals(alpha.data, r.alpha().data);
        assertArrayEquals(fore.data, r.foreground().data);
        assertEquals(k, r.factor());
    }
}
