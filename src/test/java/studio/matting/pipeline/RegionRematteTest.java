package studio.matting.pipeline;

import org.junit.jupiter.api.Test;
import studio.matting.foreground.ForegroundEstimator;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
import studio.matting.image.Rect;
import studio.matting.matting.ClosedFormEngine;
import studio.matting.matting.MattingEngine;
import studio.matting.sample.SyntheticPortrait;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapBrush;
import studio.matting.trimap.TrimapGenerator;

import static org.junit.jupiter.api.Assertions.*;

/** The editor's stroke re-matte on a crop against the whole-image region calls it stands for. */
class RegionRematteTest {
    private static final SyntheticPortrait P = SyntheticPortrait.render(240, 300, 5);
    private static final ByteImage RGB = ImageOps.toByte(P.image);

    private record State(Trimap trimap, FloatImage alpha, FloatImage foreground) { }

    /** A full matte, then an unknown stroke across the edge: the editor's state before the re-matte. */
    private static State matted(ClosedFormEngine engine, Rect[] dirty) throws Exception {
        Trimap t = TrimapGenerator.fromMask(SyntheticPortrait.coarseMask(P.alpha), TrimapGenerator.DEFAULT_KERNEL, 4);
        FloatImage a = engine.matte(RGB, t, TaskContext.NONE);
        FloatImage f = new ForegroundEstimator().estimate(RGB, a, TaskContext.NONE);
        int y = 150, x = 0;
        while (x < 239 && a.data[y * a.stride + x] < 0.5f) x++;
        dirty[0] = new TrimapBrush(Trimap.UNKNOWN, 24).stroke(t, x - 20, y, x + 20, y + 10);
        return new State(t, a, f);
    }

    @Test
    void cropPatchEqualsTheWholeImageRegionCalls() throws Exception {
        ClosedFormEngine engine = new ClosedFormEngine();
        Rect[] dirty = new Rect[1];
        State s = matted(engine, dirty);
        Rect roi = dirty[0];
        assertFalse(roi.isEmpty());

        FloatImage wantA = s.alpha().copy(), wantF = s.foreground().copy();
        engine.matteRegionInto(RGB, s.trimap(), roi, wantA, TaskContext.NONE);
        new ForegroundEstimator().estimateRegion(RGB, wantA, roi, wantF, TaskContext.NONE);

        RegionRematte.Crop crop = RegionRematte.crop(RGB, s.trimap(), s.alpha(), roi, engine);
        assertTrue(crop.area().width() < RGB.width || crop.area().height() < RGB.height, "a crop, not the photo");
        assertEquals(roi.intersect(Rect.of(RGB.width, RGB.height)), crop.imageRoi());
        FloatImage gotA = s.alpha().copy(), gotF = s.foreground().copy();
        RegionRematte.Patch p = RegionRematte.run(crop, engine, new ForegroundEstimator()::estimate, TaskContext.NONE);
        assertEquals(crop.imageRoi(), p.roi());
        assertEquals(roi.width(), p.alpha().width);
        p.applyTo(gotA, gotF);

        int changed = 0;
        for (int i = 0; i < wantA.data.length; i++) {
            assertEquals(wantA.data[i], gotA.data[i], 1e-6, "alpha at " + i);
            if (wantA.data[i] != s.alpha().data[i]) changed++;
        }
        for (int i = 0; i < wantF.data.length; i++) assertEquals(wantF.data[i], gotF.data[i], 1e-6, "F at " + i);
        assertTrue(changed > 0, "the stroke changed the matte");
        // nothing outside the roi moved
        for (int y = 0; y < RGB.height; y++)
            for (int x = 0; x < RGB.width; x++)
                if (!roi.contains(x, y)) assertEquals(s.alpha().data[y * s.alpha().stride + x], gotA.data[y * gotA.stride + x]);
    }

    @Test
    void engineWithUnknownContextGetsTheWholeImage() {
        MattingEngine any = new MattingEngine() {
            @Override public String id() { return "any"; }
            @Override public String displayName() { return "any"; }
            @Override public FloatImage matte(ByteImage rgb, Trimap trimap, TaskContext ctx) { return new FloatImage(rgb.width, rgb.height, 1); }
        };
        Trimap t = Trimap.filled(RGB.width, RGB.height, Trimap.UNKNOWN);
        RegionRematte.Crop crop = RegionRematte.crop(RGB, t, new FloatImage(RGB.width, RGB.height, 1), new Rect(10, 10, 20, 20), any);
        assertEquals(Rect.of(RGB.width, RGB.height), crop.area());
        assertEquals(new Rect(10, 10, 20, 20), crop.roi());
        assertNull(RegionRematte.crop(RGB, t, new FloatImage(RGB.width, RGB.height, 1), new Rect(500, 500, 20, 20), any), "off the image");
        assertEquals(ForegroundEstimator.REGION_MARGIN, RegionRematte.context(new ClosedFormEngine()), "the estimator's margin is the wider");
    }
}
