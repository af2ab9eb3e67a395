package studio.matting.ui.session;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.Rect;
import studio.matting.matting.MattingEngine;
import studio.matting.segment.Segmenter;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;

import java.util.concurrent.atomic.AtomicInteger;

/** Stand-ins for a model and an engine, shared by the session test and the window test. */
public final class TestFixtures {
    private TestFixtures() { }

    /** A "model" that segments a fixed box (x 100–380, y 200–400): stands in for a U-Net in the Mask menu. */
    public static Segmenter boxModel() {
        return new Segmenter() {
            @Override public String id() { return "box"; }
            @Override public String displayName() { return "Box model"; }
            @Override public FloatImage segment(ByteImage rgb, TaskContext ctx) {
                FloatImage m = new FloatImage(rgb.width, rgb.height, 1);
                for (int y = 200; y < 400; y++) for (int x = 100; x < 380; x++) m.set(x, y, 0, 1f);
                return m;
            }
        };
    }

    /** α straight from the trimap (unknown = 128/255), counting full and region mattes. */
    public static final class TrimapEngine implements MattingEngine {
        public final AtomicInteger full = new AtomicInteger(), region = new AtomicInteger();
        public volatile Rect lastRoi;
        /** When set, a full matte waits for it (a long matte a test can interleave with). */
        public volatile java.util.concurrent.CountDownLatch hold;
        /** Only images at least this wide wait for {@link #hold} (a draft at a reduced size goes through). */
        public volatile int holdMinWidth;

        @Override public String id() { return "test-trimap"; }
        @Override public String displayName() { return "Trimap copy (test)"; }
        @Override public FloatImage matte(ByteImage rgb, Trimap t, TaskContext ctx) {
            java.util.concurrent.CountDownLatch h = hold;
            if (h != null && rgb.width >= holdMinWidth) {
                try {
                    if (!h.await(20, java.util.concurrent.TimeUnit.SECONDS)) throw new IllegalStateException("test hold timed out");
                } catch (InterruptedException e) {
                    throw new java.util.concurrent.CancellationException("interrupted");
                }
            }
            full.incrementAndGet();
            return copy(t);
        }
        @Override public FloatImage matteRegion(ByteImage rgb, Trimap t, Rect roi, FloatImage previous, TaskContext ctx) {
            region.incrementAndGet();
            lastRoi = roi;
            return copy(t);
        }

        private static FloatImage copy(Trimap t) {
            FloatImage a = new FloatImage(t.width, t.height, 1);
            for (int i = 0; i < t.data.length; i++) a.data[i] = (t.data[i] & 0xFF) / 255f;
            return a;
        }
    }
}
