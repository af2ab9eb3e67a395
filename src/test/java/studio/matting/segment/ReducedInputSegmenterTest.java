package studio.matting.segment;

import org.junit.jupiter.api.Test;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.task.TaskContext;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ReducedInputSegmenterTest {
    /** "Segments" the red channel (255 = person) and records the sizes it was given. */
    private static final class RedChannel implements Segmenter {
        final List<int[]> seen = new ArrayList<>();

        @Override public String id() { return "red"; }

        @Override public String displayName() { return "red channel"; }

        @Override public FloatImage segment(ByteImage rgb, TaskContext ctx) {
            seen.add(new int[] {rgb.width, rgb.height});
            FloatImage m = new FloatImage(rgb.width, rgb.height, 1);
            for (int y = 0; y < rgb.height; y++)
                for (int x = 0; x < rgb.width; x++) m.data[y * m.stride + x] = (rgb.data[y * rgb.stride + x * rgb.channels] & 0xFF) / 255f;
            return m;
        }
    }

    /** Person = red where x < ex and y < ey. */
    private static ByteImage photo(int w, int h, int ex, int ey) {
        ByteImage img = new ByteImage(w, h, 3);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) img.data[y * img.stride + x * 3] = (byte) (x < ex && y < ey ? 255 : 0);
        return img;
    }

    @Test
    void aPhotoBelowTwiceTheSizeGoesInAsItIs() throws Exception {
        RedChannel inner = new RedChannel();
        ReducedInputSegmenter s = new ReducedInputSegmenter(inner, 1000);
        assertEquals(1, s.factor(1200, 1999));
        FloatImage m = s.segment(photo(1200, 1999, 600, 1500), TaskContext.NONE);
        assertArrayEquals(new int[] {1200, 1999}, inner.seen.get(0));
        assertEquals(1f, m.data[1400 * m.stride + 599]);
        assertEquals(0f, m.data[1400 * m.stride + 600]);
        assertEquals("red", s.id());
    }

    @Test
    void aLargePhotoIsSegmentedReducedAndItsMaskLinesUpWithThePhoto() throws Exception {
        RedChannel inner = new RedChannel();
        ReducedInputSegmenter s = new ReducedInputSegmenter(inner, 1000);
        // 3001 is not a multiple of 3: the last row of blocks is partial, and the edges near it must still line up
        int w = 2050, h = 3001, ex = 2041, ey = 2995;
        assertEquals(3, s.factor(w, h));
        FloatImage m = s.segment(photo(w, h, ex, ey), TaskContext.NONE);
        assertArrayEquals(new int[] {684, 1001}, inner.seen.get(0), "the inner segmenter got the photo at 1/3");
        assertTrue(m.sameSize(w, h) && m.channels == 1);
        for (float v : m.data) assertTrue(v >= 0 && v <= 1);
        // where the mask crosses 0.5 along a row and down a column: within a block of the true edge
        int crossX = -1, crossY = -1;
        for (int x = 1; x < w; x++) if (m.data[1000 * m.stride + x - 1] >= 0.5f && m.data[1000 * m.stride + x] < 0.5f) crossX = x;
        for (int y = 1; y < h; y++) if (m.data[(y - 1) * m.stride + 1000] >= 0.5f && m.data[y * m.stride + 1000] < 0.5f) crossY = y;
        assertTrue(Math.abs(crossX - ex) <= 3, "edge at x " + crossX + " for " + ex);
        assertTrue(Math.abs(crossY - ey) <= 3, "edge at y " + crossY + " for " + ey);
        assertEquals(1f, m.data[100 * m.stride + 100], 1e-6);
        assertEquals(0f, m.data[(h - 1) * m.stride + 100], 1e-6, "below the bottom edge, in the partial block row");
    }

    @Test
    void aChainsWorkingSizeMaskIsResizedToTheReducedPhotoThenUpByTheFactor() throws Exception {
        // an inner segmenter whose own map is a quarter of what it was given: the reduced photo's mask is that map
        // resized to the reduced size, and the photo's is that brought up by the factor, aligned with its blocks
        RedChannel red = new RedChannel();
        Segmenter quarter = new Segmenter() {
            @Override public String id() { return "quarter"; }
            @Override public String displayName() { return "quarter"; }
            @Override public FloatImage segment(ByteImage rgb, TaskContext ctx) throws studio.matting.matting.MattingException {
                return Segmenter.resizeToImage(maskAtWorkingSize(rgb, ctx), rgb.width, rgb.height);
            }
            @Override public FloatImage maskAtWorkingSize(ByteImage rgb, TaskContext ctx) throws studio.matting.matting.MattingException {
                return red.segment(studio.matting.image.ImageOps.boxReduce(rgb, 4), ctx);
            }
        };
        ReducedInputSegmenter s = new ReducedInputSegmenter(quarter, 1000);
        int w = 2400, h = 3000;
        ByteImage photo = photo(w, h, 1200, 2000);
        FloatImage m = s.segment(photo, TaskContext.NONE);
        assertArrayEquals(new int[] {200, 250}, red.seen.get(0), "the 1/3 photo reduced once more by the chain itself");
        ByteImage reduced = studio.matting.image.ImageOps.boxReduce(photo, 3);
        FloatImage expected = studio.matting.image.ImageOps.upsample(
                Segmenter.resizeToImage(quarter.maskAtWorkingSize(reduced, TaskContext.NONE), reduced.width, reduced.height), 3, w, h, null);
        assertArrayEquals(expected.data, m.data);
        assertEquals(1f, m.data[1000 * m.stride + 1100], 1e-6f);
        assertEquals(0f, m.data[2500 * m.stride + 1100], 1e-6f);
    }
}
