package studio.matting.idphoto;

import org.junit.jupiter.api.Test;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;

import static org.junit.jupiter.api.Assertions.*;

class IdPhotoTest {
    static final int W = 600, H = 800;
    static final double HEAD_CX = 300, HEAD_CY = 250, HEAD_RX = 90, HEAD_RY = 120;
    static final int NECK_X0 = 260, NECK_X1 = 340; // 80 px wide

    /** Head ellipse + neck + wide shoulders, the silhouette of a head-and-shoulders portrait. */
    static FloatImage personMask(double shift) {
        FloatImage m = new FloatImage(W, H, 1);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                double px = x + 0.5 - shift, py = y + 0.5;
                boolean head = sq((px - HEAD_CX) / HEAD_RX) + sq((py - HEAD_CY) / HEAD_RY) <= 1;
                boolean neck = px >= NECK_X0 && px < NECK_X1 && py >= 330 && py < 500;
                boolean shoulders = sq((px - 300) / 280) + sq((py - 900) / 420) <= 1;
                if (head || neck || shoulders) m.data[y * W + x] = 1f;
            }
        return m;
    }

    static double sq(double v) {
        return v * v;
    }

    @Test
    void presetPixelSizes() {
        assertSize(IdPhotoPreset.ONE_INCH, 300, 295, 413);
        assertSize(IdPhotoPreset.TWO_INCH, 300, 413, 579);
        assertSize(IdPhotoPreset.SMALL_TWO_INCH, 300, 413, 531);
        assertSize(IdPhotoPreset.PASSPORT, 300, 390, 567);
        assertSize(IdPhotoPreset.US, 300, 600, 600);
        assertSize(IdPhotoPreset.ONE_INCH, 600, 591, 827);
        assertSize(IdPhotoPreset.custom(40, 50), 300, 472, 591);
        assertEquals(IdPhotoPreset.PASSPORT, IdPhotoPreset.byId("passport"));
        assertThrows(IllegalArgumentException.class, () -> IdPhotoPreset.byId("nope"));
        assertThrows(IllegalArgumentException.class, () -> IdPhotoPreset.custom(0, 50));
    }

    private static void assertSize(IdPhotoPreset p, double dpi, int w, int h) {
        assertEquals(w, p.pixelWidth(dpi), p.name());
        assertEquals(h, p.pixelHeight(dpi), p.name());
    }

    @Test
    void backgroundPresets() {
        assertArrayEquals(new int[]{67, 142, 219}, BackgroundPreset.BLUE.rgb());
        assertEquals(BackgroundPreset.RED, BackgroundPreset.of(255, 0, 0));
        assertEquals(BackgroundPreset.CUSTOM, BackgroundPreset.of(1, 2, 3));
    }

    @Test
    void headLocatorFindsTopChinAndCentre() {
        HeadLocator.Head head = HeadLocator.locate(personMask(0));
        assertEquals(HEAD_CY - HEAD_RY, head.top(), 1.0);
        // The head ellipse narrows to the neck width at y = 250 + 120·sqrt(1 − (40/90)²) ≈ 357.5.
        assertEquals(357, head.chin(), 4);
        assertTrue(head.neck() >= head.chin() && head.neck() < 500, "neck " + head.neck());
        assertEquals(299.5, head.centerX(), 1.0);
        assertTrue(head.shouldersFound());
        HeadLocator.Head shifted = HeadLocator.locate(personMask(-70));
        assertEquals(229.5, shifted.centerX(), 1.0);
        assertThrows(IllegalArgumentException.class, () -> HeadLocator.locate(new FloatImage(10, 10, 1)));
    }

    @Test
    void headLocatorOnSoftSyntheticPortrait() {
        // 480×600 portrait: hair cap top at y = 108 (strands above it), head ellipse ends at 372, neck tapers to the
        // shoulders at 440.
        HeadLocator.Head head = HeadLocator.locate(studio.matting.sample.SyntheticPortrait.render(480, 600, 1).alpha);
        assertTrue(head.top() >= 60 && head.top() <= 110, "top " + head.top());
        assertTrue(head.chin() >= 340 && head.chin() <= 375, "chin " + head.chin());
        assertEquals(240, head.centerX(), 3);
    }

    @Test
    void cropPlacesHeadByTheRules() {
        FloatImage mask = personMask(25);
        ByteImage img = new ByteImage(W, H, 3);
        HeadLocator.Head head = HeadLocator.locate(mask);
        for (IdPhotoPreset p : IdPhotoPreset.STANDARD) {
            int w = p.pixelWidth(300), h = p.pixelHeight(300);
            IdPhotoCropper.Crop crop = IdPhotoCropper.crop(head, p, IdPhotoCropper.Adjust.NONE);
            assertEquals(p.aspect(), crop.width() / crop.height(), 1e-9);
            FloatImage out = IdPhotoCropper.alphaOf(IdPhotoCropper.renderLayers(img, mask, null, crop, w, h));
            HeadLocator.Head placed = HeadLocator.locate(out);
            IdPhotoCropper.Guides g = IdPhotoCropper.guides(p, w, h);
            assertEquals(g.headTop(), placed.top(), 2.0, p.name() + " head top");
            assertEquals(p.headRatio() * h, placed.height(), 4.0, p.name() + " head height");
            assertEquals(g.centerX(), placed.centerX(), 1.5, p.name() + " centre");
        }
    }

    @Test
    void adjustMovesAndZoomsTheCrop() {
        HeadLocator.Head head = HeadLocator.locate(personMask(0));
        IdPhotoPreset p = IdPhotoPreset.ONE_INCH;
        IdPhotoCropper.Crop base = IdPhotoCropper.crop(head, p, IdPhotoCropper.Adjust.NONE);
        IdPhotoCropper.Crop moved = IdPhotoCropper.crop(head, p, IdPhotoCropper.Adjust.NONE.moved(10, -5));
        assertEquals(base.x() + 10, moved.x(), 1e-9);
        assertEquals(base.y() - 5, moved.y(), 1e-9);
        IdPhotoCropper.Crop zoomed = IdPhotoCropper.crop(head, p, IdPhotoCropper.Adjust.NONE.zoomed(1.25));
        assertEquals(base.height() / 1.25, zoomed.height(), 1e-9);
    }

    @Test
    void renderFillsOutsideWithBackgroundAtExactSize() {
        FloatImage mask = personMask(0);
        ByteImage img = new ByteImage(W, H, 3);
        java.util.Arrays.fill(img.data, (byte) 20);
        HeadLocator.Head head = HeadLocator.locate(mask);
        IdPhotoCropper.Crop crop = IdPhotoCropper.crop(head, IdPhotoPreset.US, new IdPhotoCropper.Adjust(0, 0, 0.3)); // far out
        ByteImage photo = IdPhotoCropper.render(img, mask, null, crop, IdPhotoPreset.US, 300, BackgroundPreset.BLUE.rgb());
        assertEquals(600, photo.width);
        assertEquals(600, photo.height);
        assertEquals(67, photo.get(1, 1, 0));
        assertEquals(219, photo.get(598, 2, 2));
        // The head centre row shows the person (dark image colour).
        int hy = (int) ((head.top() + 20 - crop.y()) / crop.height() * 600);
        assertEquals(20, photo.get(300, hy, 1), 1);
    }

    @Test
    void sixInchSheetCounts() {
        PrintSheet.Options six = PrintSheet.Options.SIX_INCH;
        // 1-inch 295×413 px on 1200×1800 px with 24 px margins and gaps: 3 × 4 portrait beats 5 × 2 landscape.
        assertEquals(12, PrintSheet.layout(295, 413, 300, six).count());
        // 2-inch 413×579: 2 × 2 portrait, 4 × 1 landscape.
        assertEquals(4, PrintSheet.layout(413, 579, 300, six).count());
        // Without margins or gaps a 1-inch grid is 4 × 4.
        assertEquals(16, PrintSheet.layout(295, 413, 300, new PrintSheet.Options(4, 6, 0, 0, false)).count());

        ByteImage photo = new ByteImage(295, 413, 3);
        java.util.Arrays.fill(photo.data, (byte) 7);
        PrintSheet.Sheet s = PrintSheet.render(photo, 300, six);
        assertEquals(12, s.count());
        assertEquals(1200, s.image().width);
        assertEquals(1800, s.image().height);
        long dark = 0;
        for (byte b : s.image().data) if (b == 7) dark++;
        assertEquals(12L * 295 * 413 * 3, dark, "every copy must be drawn, none overlapping");
        assertThrows(IllegalArgumentException.class, () -> PrintSheet.render(new ByteImage(2000, 2000, 3), 300, six));
    }
}
