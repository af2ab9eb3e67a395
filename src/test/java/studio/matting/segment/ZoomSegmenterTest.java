package studio.matting.segment;

import org.junit.jupiter.api.Test;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.Rect;
import studio.matting.task.TaskContext;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ZoomSegmenterTest {
    static final ZoomSegmenter.Options OPTIONS = new ZoomSegmenter.Options(0.7, 0.2, 0.02);

    /**
     * A segmenter that sees a person as a box of ones, but only "resolves" it when the photo is small: on a photo
     * wider than {@code sharpWidth} it answers 0.6 (unsure), on a smaller one (a zoomed crop) 1. Records the sizes
     * it was asked for; the person is marked in the photo by red pixels.
     */
    static final class Resolving implements Segmenter {
        final int sharpWidth;
        final List<String> calls = new ArrayList<>();

        Resolving(int sharpWidth) { this.sharpWidth = sharpWidth; }

        @Override public String id() { return "resolving"; }
        @Override public String displayName() { return "Resolving"; }
        @Override public FloatImage segment(ByteImage rgb, TaskContext ctx) {
            calls.add(rgb.width + "x" + rgb.height);
            FloatImage m = new FloatImage(rgb.width, rgb.height, 1);
            float v = rgb.width > sharpWidth ? 0.6f : 1f;
            for (int y = 0; y < rgb.height; y++)
                for (int x = 0; x < rgb.width; x++) if (rgb.get(x, y, 0) == 255) m.set(x, y, 0, v);
            return m;
        }
    }

    static ByteImage photoWithPerson(int w, int h, Rect person) {
        ByteImage img = new ByteImage(w, h, 3);
        for (int y = person.y(); y < person.bottom(); y++)
            for (int x = person.x(); x < person.right(); x++) img.set(x, y, 0, 255);
        return img;
    }

    @Test
    void aSmallPersonIsSegmentedAgainOnTheirBox() throws Exception {
        Rect person = new Rect(140, 60, 20, 50);
        ByteImage photo = photoWithPerson(300, 200, person);
        Resolving inner = new Resolving(100);
        ZoomSegmenter z = new ZoomSegmenter(inner, OPTIONS);
        FloatImage m = z.segment(photo, TaskContext.NONE);
        assertEquals(1, z.lastPasses());
        // box 20 x 50, margin 0.2 * 50 + 8 = 18: the crop is 56 x 86 at (122, 42)
        assertEquals(List.of("300x200", "56x86"), inner.calls);
        assertEquals(1f, m.get(150, 80, 0), "inside the box: the zoomed pass");
        assertEquals(0f, m.get(121, 80, 0));
        assertEquals(0f, m.get(10, 10, 0));
        assertTrue(m.sameSize(300, 200));
    }

    static void fill(FloatImage m, Rect r, float v) {
        for (int y = r.y(); y < r.bottom(); y++) for (int x = r.x(); x < r.right(); x++) m.set(x, y, 0, v);
    }

    @Test
    void eachBlobGetsABoxAndOverlappingBoxesMerge() {
        FloatImage first = new FloatImage(300, 200, 1);
        fill(first, new Rect(140, 60, 20, 50), 0.9f);
        assertEquals(List.of(new Rect(122, 42, 56, 86)), ZoomSegmenter.zoomBoxes(first, OPTIONS));
        // a box clipped by the frame: 10 x 30 at the corner, margin 0.2 * 30 + 8 = 14
        FloatImage corner = new FloatImage(300, 200, 1);
        fill(corner, new Rect(0, 0, 10, 30), 1f);
        assertEquals(List.of(new Rect(0, 0, 24, 44)), ZoomSegmenter.zoomBoxes(corner, OPTIONS));
        // two people far apart: two boxes, the larger first
        FloatImage two = new FloatImage(300, 200, 1);
        fill(two, new Rect(20, 100, 10, 30), 1f);
        fill(two, new Rect(240, 60, 20, 50), 1f);
        assertEquals(List.of(new Rect(222, 42, 56, 86), new Rect(6, 86, 38, 58)), ZoomSegmenter.zoomBoxes(two, OPTIONS));
        // side by side: their boxes overlap and merge into one
        FloatImage pair = new FloatImage(300, 200, 1);
        fill(pair, new Rect(100, 60, 20, 50), 1f);
        fill(pair, new Rect(130, 60, 20, 50), 1f);
        assertEquals(List.of(new Rect(82, 42, 86, 86)), ZoomSegmenter.zoomBoxes(pair, OPTIONS));
        // a speck under 2 % of the person (and under 16 px) gets no box
        FloatImage speck = new FloatImage(300, 200, 1);
        fill(speck, new Rect(140, 60, 20, 50), 1f);
        fill(speck, new Rect(280, 10, 3, 3), 1f);
        assertEquals(List.of(new Rect(122, 42, 56, 86)), ZoomSegmenter.zoomBoxes(speck, OPTIONS));
    }

    @Test
    void atMostFourBoxesRunAgain() {
        FloatImage crowd = new FloatImage(600, 100, 1);
        for (int i = 0; i < 6; i++) fill(crowd, new Rect(10 + i * 100, 40, 8 + i, 20), 1f);
        List<Rect> boxes = ZoomSegmenter.zoomBoxes(crowd, OPTIONS);
        assertEquals(ZoomSegmenter.MAX_PASSES, boxes.size());
        // margins 0.2 * 20 + 8 = 12: the widest blob (x 510, 13 px) comes first, the two narrowest are left out
        assertEquals(new Rect(498, 28, 37, 44), boxes.get(0));
        assertTrue(boxes.stream().noneMatch(b -> b.x() == 0 || b.x() == 98), boxes.toString());
    }

    @Test
    void aPersonWhoFillsTheFrameOrNobodyRunsOnce() throws Exception {
        Resolving inner = new Resolving(100);
        ZoomSegmenter z = new ZoomSegmenter(inner, OPTIONS);
        // 200 x 180 of a 300 x 200 frame (with margins nearly all of it)
        z.segment(photoWithPerson(300, 200, new Rect(50, 10, 200, 180)), TaskContext.NONE);
        assertEquals(0, z.lastPasses());
        assertEquals(1, inner.calls.size());
        z.segment(new ByteImage(300, 200, 3), TaskContext.NONE);
        assertEquals(0, z.lastPasses(), "nobody: nothing to zoom on");
        assertEquals(2, inner.calls.size());
        assertTrue(ZoomSegmenter.zoomBoxes(new FloatImage(30, 20, 1), OPTIONS).isEmpty());
    }

    @Test
    void optionsRefuseNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new ZoomSegmenter.Options(0, 0.2, 0.02));
        assertThrows(IllegalArgumentException.class, () -> new ZoomSegmenter.Options(1.5, 0.2, 0.02));
        assertThrows(IllegalArgumentException.class, () -> new ZoomSegmenter.Options(0.7, -1, 0.02));
        assertThrows(IllegalArgumentException.class, () -> new ZoomSegmenter.Options(0.7, 0.2, 2));
        assertEquals("resolving", new ZoomSegmenter(new Resolving(1), OPTIONS).id());
    }
}
