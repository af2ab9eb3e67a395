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
}
