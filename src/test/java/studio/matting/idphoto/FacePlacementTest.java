package studio.matting.idphoto;

import org.junit.jupiter.api.Test;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** Rules as data, placement geometry, levelling, refusals and sheets on generated cases (no photos needed). */
class FacePlacementTest {
    static final int[] BLUE = BackgroundPreset.BLUE.rgb(), WHITE = BackgroundPreset.WHITE.rgb();

    /** A face as the locator would report it, upright, box 200 px at (400, 300), crown exactly at the skull estimate. */
    static FaceLocator.FaceSubject subject(double crownAboveSkull) {
        double fx = 400, fy = 300, fw = 200;
        double crown = fy - FaceLocator.CROWN_ABOVE * fw - crownAboveSkull;
        return new FaceLocator.FaceSubject(fx + fw / 2, fy + fw / 2, 0, 0, fx, fy, fw, fw, fy + 0.38 * fw, true, crown, false,
                fy + fw * (1 + FaceLocator.CHIN_BELOW), 2000, 2000);
    }

    @Test
    void presetSizesAndRulesAreData() {
        assertEquals(358, IdPhotoPreset.ID_CARD.pixelWidth(350));
        assertEquals(441, IdPhotoPreset.ID_CARD.pixelHeight(350));
        assertEquals(413, IdPhotoPreset.ICAO.pixelWidth(300));
        assertEquals(531, IdPhotoPreset.ICAO.pixelHeight(300));
        assertEquals(591, IdPhotoPreset.CANADA.pixelWidth(300));
        assertEquals(827, IdPhotoPreset.CANADA.pixelHeight(300));
        assertEquals(354, IdPhotoPreset.JAPAN.pixelWidth(300));
        assertEquals(600, IdPhotoPreset.INDIA.pixelWidth(300));
        assertEquals(new IdPhotoPreset.Range(32, 36), IdPhotoPreset.ICAO.headMm());
        assertEquals(new IdPhotoPreset.Range(25, 35), IdPhotoPreset.US.headMm());
        assertEquals(new IdPhotoPreset.Range(28, 35), IdPhotoPreset.US.eyeFromBottomMm());
        for (IdPhotoPreset p : IdPhotoPreset.STANDARD) {
            assertFalse(p.source().isBlank(), p.id());
            assertSame(p, IdPhotoPreset.byId(p.id()));
        }
        assertEquals(12, IdPhotoPreset.STANDARD.size());
        assertTrue(IdPhotoPreset.US.acceptsBackground(WHITE));
        assertFalse(IdPhotoPreset.US.acceptsBackground(BLUE));
        assertTrue(IdPhotoPreset.ONE_INCH.acceptsBackground(BLUE));
        assertThrows(IllegalArgumentException.class, () -> new IdPhotoPreset.Range(3, 2));
    }

    @Test
    void everyPresetPlacesTheHeadInsideItsRules() {
        FaceLocator.FaceSubject s = subject(0);
        for (IdPhotoPreset p : IdPhotoPreset.STANDARD) {
            IdPhotoCropper.Crop c = IdPhotoCropper.crop(s, p, IdPhotoCropper.Adjust.NONE);
            assertEquals(p.aspect(), c.width() / c.height(), 1e-9, p.id());
            ComplianceReport r = ComplianceReport.measure(s, c, p, 300, p.acceptsBackground(BLUE) ? BLUE : WHITE);
            assertTrue(r.passes(), p.id() + " " + r.failed());
            ComplianceReport.Rule head = r.rules().stream().filter(x -> x.id().equals("head")).findFirst().orElseThrow();
            assertEquals(p.headMm().mid(), head.measured(), 0.01, p.id() + " head at the middle of its range");
            ComplianceReport.Rule centre = r.rules().stream().filter(x -> x.id().equals("centre")).findFirst().orElseThrow();
            assertEquals(0, centre.measured(), 0.01, p.id());
            if (p.eyeFromBottomMm() != null) {
                double eye = r.rules().stream().filter(x -> x.id().equals("eyeLine")).findFirst().orElseThrow().measured();
                assertTrue(p.eyeFromBottomMm().contains(eye), p.id() + " eye line " + eye);
            }
        }
    }

    @Test
    void bigHairFailsTheHeadRuleAndSaysByHowMuch() {
        // 80 px of hair above the skull on a 200 px face: the face keeps its size (scale from the face), the measured
        // head (to the top of the hair) grows past the ICAO maximum, and the report says so.
        FaceLocator.FaceSubject s = subject(80);
        IdPhotoCropper.Crop c = IdPhotoCropper.crop(s, IdPhotoPreset.ICAO, null);
        IdPhotoCropper.Crop plain = IdPhotoCropper.crop(subject(0), IdPhotoPreset.ICAO, null);
        assertEquals(plain.height(), c.height(), 1e-9, "hair must not change the face size");
        ComplianceReport r = ComplianceReport.measure(s, c, IdPhotoPreset.ICAO, 300, WHITE);
        assertFalse(r.passes());
        ComplianceReport.Rule head = r.failed().get(0);
        assertEquals("head", head.id());
        assertTrue(head.measured() > 36, "head " + head.measured());
        assertTrue(r.toJson().contains("\"pass\" : false"), r.toJson());
    }

    @Test
    void idCardPutsTheEyeBandFirstWhenTheMarginCannotAlsoHold() {
        // GA 461: hair top 0.5–1.5 mm below the edge AND eyes >= 15 mm above the bottom; with very tall hair both
        // cannot hold, and the eye rule wins.
        FaceLocator.FaceSubject s = subject(400);
        IdPhotoCropper.Crop c = IdPhotoCropper.crop(s, IdPhotoPreset.ID_CARD, null);
        ComplianceReport r = ComplianceReport.measure(s, c, IdPhotoPreset.ID_CARD, 350, WHITE);
        double eye = r.rules().stream().filter(x -> x.id().equals("eyeLine")).findFirst().orElseThrow().measured();
        assertTrue(eye >= 15, "eye line " + eye);
        assertTrue(r.failed().stream().anyMatch(x -> x.id().equals("topMargin")), r.failed().toString());
    }

    @Test
    void zoomAndDragAreMeasured() {
        FaceLocator.FaceSubject s = subject(0);
        IdPhotoCropper.Crop c = IdPhotoCropper.crop(s, IdPhotoPreset.US, new IdPhotoCropper.Adjust(30, 0, 1.4));
        ComplianceReport r = ComplianceReport.measure(s, c, IdPhotoPreset.US, 300, WHITE);
        assertTrue(r.failed().stream().anyMatch(x -> x.id().equals("head")), "zoomed 1.4x the head is too big");
        assertTrue(r.failed().stream().anyMatch(x -> x.id().equals("centre")), "moved 30 px it is off centre");
    }

    @Test
    void rotatedRenderLevelsALine() {
        // A 10°-tilted bar through the pivot; rendering the crop with the same angle must make it horizontal.
        int w = 400, h = 400;
        ByteImage img = new ByteImage(w, h, 3);
        FloatImage a = new FloatImage(w, h, 1);
        double t = Math.toRadians(10);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double dx = x + 0.5 - 200, dy = y + 0.5 - 200;
                double across = -dx * Math.sin(t) + dy * Math.cos(t);
                if (Math.abs(across) < 6 && Math.abs(dx) < 150) a.data[y * w + x] = 1;
            }
        IdPhotoCropper.Crop c = new IdPhotoCropper.Crop(100, 100, 200, 200, 10, 200, 200);
        FloatImage out = IdPhotoCropper.alphaOf(IdPhotoCropper.renderLayers(img, a, null, c, 200, 200));
        double[] rowMass = new double[200];
        for (int y = 0; y < 200; y++) for (int x = 0; x < 200; x++) rowMass[y] += out.data[y * out.stride + x];
        int first = -1, last = -1;
        for (int y = 0; y < 200; y++) if (rowMass[y] > 100) { if (first < 0) first = y; last = y; }
        assertTrue(first >= 0, "the bar must be there");
        assertTrue(last - first <= 14, "levelled bar spans rows " + first + ".." + last);
        assertEquals(100, (first + last) / 2.0, 2);
    }

    @Test
    void sketchFaceIsFoundAndPlaced() {
        SketchPortrait p = SketchPortrait.single();
        FaceLocator.FaceSubject s = FaceLocator.locate(p.image, p.mask);
        assertTrue(s.eyesFound());
        assertEquals(300, s.centerX(), 12);
        assertTrue(s.eyeY() > s.faceY() && s.eyeY() < s.faceY() + 0.6 * s.faceH(), "eye line inside the upper face");
        // The drawn hair top is at 330 − 0.62·286 ≈ 153.
        assertEquals(153, s.crownY(), 12);
        assertFalse(s.crownAtTopEdge());
        IdPhotoCropper.Crop c = IdPhotoCropper.crop(s, IdPhotoPreset.ONE_INCH, null);
        ByteImage out = IdPhotoCropper.render(p.image, p.mask, null, c, IdPhotoPreset.ONE_INCH, 300, BLUE);
        assertEquals(295, out.width);
        assertEquals(413, out.height);
    }

    @Test
    void tiltedSketchIsLevelled() {
        SketchPortrait p = SketchPortrait.render(600, 800, new SketchPortrait.Head(300, 330, 220, 9));
        FaceLocator.FaceSubject s = FaceLocator.locate(p.image, p.mask);
        assertTrue(s.eyesFound());
        assertEquals(9, s.angleDeg(), 3);
        IdPhotoCropper.Crop c = IdPhotoCropper.crop(s, IdPhotoPreset.ONE_INCH, null);
        assertEquals(s.angleDeg(), c.angleDeg(), 1e-9);
        ByteImage out = IdPhotoCropper.render(p.image, p.mask, null, c, IdPhotoPreset.ONE_INCH, 300, BLUE);
        FaceLocator.FaceSubject again = FaceLocator.locate(out, alphaFromBlue(out));
        assertEquals(0, again.tiltDeg(), 3, "the placed eye line is level");
        assertEquals(out.width / 2.0, again.centerX(), 0.03 * out.width);
    }

    @Test
    void refusals() {
        SketchPortrait p = SketchPortrait.single();
        IdPhotoRefusal none = assertThrows(IdPhotoRefusal.class, () -> FaceLocator.locate(p.image, new FloatImage(600, 800, 1)));
        assertEquals(IdPhotoRefusal.Kind.NO_PERSON, none.kind());
        assertTrue(none.getMessage().contains("no person"), none.getMessage());

        // Foliage the segmenter called a person (a full mask): no face.
        ByteImage fern = SketchPortrait.foliage(600, 800, 7);
        FloatImage full = new FloatImage(600, 800, 1);
        Arrays.fill(full.data, 1f);
        IdPhotoRefusal noFace = assertThrows(IdPhotoRefusal.class, () -> FaceLocator.locate(fern, full));
        assertEquals(IdPhotoRefusal.Kind.NO_FACE, noFace.kind());
        assertTrue(noFace.getMessage().contains("no face"), noFace.getMessage());

        SketchPortrait two = SketchPortrait.render(1200, 800, new SketchPortrait.Head(300, 330, 220, 0), new SketchPortrait.Head(900, 340, 200, 0));
        IdPhotoRefusal several = assertThrows(IdPhotoRefusal.class, () -> FaceLocator.locate(two.image, two.mask));
        assertEquals(IdPhotoRefusal.Kind.SEVERAL_FACES, several.kind());
        assertEquals(2, several.faces());
        assertTrue(several.getMessage().contains("2 faces"), several.getMessage());

        // A much smaller second face (a badge, a photo on the wall behind) is not a second person.
        SketchPortrait small = SketchPortrait.render(1200, 800, new SketchPortrait.Head(400, 330, 260, 0), new SketchPortrait.Head(1000, 300, 110, 0));
        assertEquals(400, FaceLocator.locate(small.image, small.mask).centerX(), 15);
    }

    @Test
    void sheetsOnSevenInchAndA4() {
        assertEquals(12, PrintSheet.layout(295, 413, 300, PrintSheet.Options.SIX_INCH).count());
        // 5×7 in = 1500×2100 px: upright 4 × 4 = 16, turned (2100 wide) 6 × 3 = 18 wins.
        assertEquals(18, PrintSheet.layout(295, 413, 300, PrintSheet.Options.SEVEN_INCH).count());
        // A4 = 2480×3508 px, 5 mm margins: upright 7 × 7 = 49 one-inch photos, turned 10 × 5 = 50 wins.
        PrintSheet.Layout a4 = PrintSheet.layout(295, 413, 300, PrintSheet.Options.A4);
        assertEquals(3508, a4.sheetWidth());
        assertEquals(2480, a4.sheetHeight());
        assertEquals(50, a4.count());
        assertSame(PrintSheet.Options.A4, PrintSheet.Options.paper("A4"));
        assertThrows(IllegalArgumentException.class, () -> PrintSheet.Options.paper("letter"));
        ByteImage photo = new ByteImage(295, 413, 3);
        Arrays.fill(photo.data, (byte) 7);
        PrintSheet.Sheet s = PrintSheet.render(photo, 300, PrintSheet.Options.SEVEN_INCH);
        long dark = 0, grey = 0;
        for (byte b : s.image().data) { if (b == 7) dark++; if ((b & 0xFF) == 180) grey++; }
        assertEquals(18L * 295 * 413 * 3, dark);
        assertTrue(grey > 0, "cut guides drawn");
    }

    /** The person in a rendered photo on the preset blue: everything that is not the background colour. */
    static FloatImage alphaFromBlue(ByteImage img) {
        FloatImage a = new FloatImage(img.width, img.height, 1);
        for (int y = 0; y < img.height; y++)
            for (int x = 0; x < img.width; x++) {
                int d = Math.abs(img.get(x, y, 0) - 67) + Math.abs(img.get(x, y, 1) - 142) + Math.abs(img.get(x, y, 2) - 219);
                a.data[y * a.stride + x] = d > 30 ? 1f : 0f;
            }
        return a;
    }
}
