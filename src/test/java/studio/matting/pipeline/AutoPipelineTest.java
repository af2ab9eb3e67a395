package studio.matting.pipeline;

import org.junit.jupiter.api.Test;
import studio.matting.compositor.Background;
import studio.matting.foreground.ForegroundEstimator;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
import studio.matting.matting.ClosedFormEngine;
import studio.matting.matting.MattingException;
import studio.matting.sample.SyntheticPortrait;
import studio.matting.segment.Segmenter;
import studio.matting.task.CancellationToken;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;
import static studio.matting.pipeline.AutoPipeline.Stage.*;

class AutoPipelineTest {
    private static final SyntheticPortrait P = SyntheticPortrait.render(120, 150, 3);
    private static final ByteImage RGB = ImageOps.toByte(P.image);

    /** A segmenter that returns the sample's coarse mask and counts its calls. */
    static final class CountingSegmenter implements Segmenter {
        final AtomicInteger calls = new AtomicInteger();
        @Override public String id() { return "test"; }
        @Override public String displayName() { return "test"; }
        @Override public FloatImage segment(ByteImage rgb, TaskContext ctx) {
            calls.incrementAndGet();
            return ImageOps.toFloat(SyntheticPortrait.coarseMask(P.alpha));
        }
    }

    private AutoPipeline pipeline(CountingSegmenter seg) {
        AutoPipeline p = new AutoPipeline(RGB, seg, new ClosedFormEngine(), new ForegroundEstimator()::estimate, Background.solid(67, 142, 219));
        p.setMorphology(5, 2);
        return p;
    }

    @Test
    void fullRunProducesEveryLayerAndOnlyDownstreamStagesRerun() throws MattingException {
        CountingSegmenter seg = new CountingSegmenter();
        AutoPipeline p = pipeline(seg);
        List<AutoPipeline.Stage> started = new ArrayList<>();
        p.run(COMPOSITE, TaskContext.NONE, started::add);
        assertEquals(List.of(SEGMENT, TRIMAP, MATTE, FOREGROUND, COMPOSITE), started);
        assertNotNull(p.mask());
        assertNotNull(p.alpha());
        assertNotNull(p.foreground());
        assertEquals(RGB.width, p.composite().width);
        // α is soft in the band and exact where the trimap is sure
        int soft = 0;
        for (int i = 0; i < p.trimap().data.length; i++) {
            int t = p.trimap().data[i] & 0xFF;
            float a = p.alpha().data[i];
            if (t == Trimap.FOREGROUND) assertEquals(1f, a);
            if (t == Trimap.BACKGROUND) assertEquals(0f, a);
            if (t == Trimap.UNKNOWN && a > 0.02f && a < 0.98f) soft++;
        }
        assertTrue(soft > 100, "soft pixels " + soft);

        p.run(TaskContext.NONE);
        assertEquals(List.of(), p.lastRun(), "nothing changed, nothing recomputed");

        p.setBackground(Background.solid(255, 255, 255));
        p.run(TaskContext.NONE);
        assertEquals(List.of(COMPOSITE), p.lastRun());

        Trimap edited = p.trimap().copy();
        for (int x = 0; x < 20; x++) edited.set(x, 0, Trimap.BACKGROUND);
        p.setTrimap(edited);
        p.run(TaskContext.NONE);
        assertEquals(List.of(MATTE, FOREGROUND, COMPOSITE), p.lastRun());

        p.setMorphology(7, 3);
        p.run(TaskContext.NONE);
        assertEquals(List.of(TRIMAP, MATTE, FOREGROUND, COMPOSITE), p.lastRun());
        assertEquals(1, seg.calls.get(), "the segmenter ran once");
    }

    @Test
    void runUntilStopsEarlyAndCancelStops() throws MattingException {
        AutoPipeline p = pipeline(new CountingSegmenter());
        p.run(TRIMAP, TaskContext.NONE, null);
        assertEquals(List.of(SEGMENT, TRIMAP), p.lastRun());
        assertNull(p.alpha());
        assertTrue(p.isStale(MATTE));

        CancellationToken token = new CancellationToken();
        token.cancel();
        assertThrows(CancellationException.class, () -> p.run(token));
        assertNull(p.alpha());
    }

    @Test
    void noSegmenterAndNoMaskIsAClearError() {
        AutoPipeline p = new AutoPipeline(RGB, null, new ClosedFormEngine(), new ForegroundEstimator()::estimate, Background.checker());
        MattingException e = assertThrows(MattingException.class, () -> p.run(TaskContext.NONE));
        assertTrue(e.getMessage().contains("segmentation model"), e.getMessage());
    }
}
