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
    static final ZoomSegmenter.Options OPTIONS = new ZoomSegmenter.Options(0.7, 0.2);

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
        assertTrue(z.lastZoomed());
        // box 20 x 50, margin 0.2 * 50 + 8 = 18: the crop is 56 x 86 at (122, 42)
        assertEquals(List.of("300x200", "56x86"), inner.calls);
        assertEquals(1f, m.get(150, 80, 0), "inside the box: the zoomed pass");
        assertEquals(0f, m.get(121, 80, 0));
        assertEquals(0f, m.get(10, 10, 0));
        assertTrue(m.sameSize(300, 200));
    }

    @Test
    void thePartOutsideTheBoxKeepsTheFirstPass() throws Exception {
        FloatImage first = new FloatImage(300, 200, 1);
        for (int y = 60; y < 110; y++) for (int x = 140; x < 160; x++) first.set(x, y, 0, 0.9f);
        Rect box = ZoomSegmenter.zoomBox(first, OPTIONS);
        assertEquals(new Rect(122, 42, 56, 86), box);
        // a box clipped by the frame
        FloatImage corner = new FloatImage(300, 200, 1);
        for (int y = 0; y < 30; y++) for (int x = 0; x < 10; x++) corner.set(x, y, 0, 1f);
        assertEquals(new Rect(0, 0, 24, 44), ZoomSegmenter.zoomBox(corner, OPTIONS));
    }

    @Test
    void aPersonWhoFillsTheFrameOrNobodyRunsOnce() throws Exception {
        Resolving inner = new Resolving(100);
        ZoomSegmenter z = new ZoomSegmenter(inner, OPTIONS);
        // 200 x 180 of a 300 x 200 frame (with margins nearly all of it)
        z.segment(photoWithPerson(300, 200, new Rect(50, 10, 200, 180)), TaskContext.NONE);
        assertFalse(z.lastZoomed());
        assertEquals(1, inner.calls.size());
        z.segment(new ByteImage(300, 200, 3), TaskContext.NONE);
        assertFalse(z.lastZoomed(), "nobody: nothing to zoom on");
        assertEquals(2, inner.calls.size());
        assertNull(ZoomSegmenter.zoomBox(new FloatImage(30, 20, 1), OPTIONS));
    }

    @Test
    void optionsRefuseNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new ZoomSegmenter.Options(0, 0.2));
        assertThrows(IllegalArgumentException.class, () -> new ZoomSegmenter.Options(1.5, 0.2));
        assertThrows(IllegalArgumentException.class, () -> new ZoomSegmenter.Options(0.7, -1));
        assertEquals("resolving", new ZoomSegmenter(new Resolving(1), OPTIONS).id());
    }
}
