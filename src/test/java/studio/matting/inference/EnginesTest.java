package studio.matting.inference;

import studio.matting.bench.InferenceBenchmark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
import studio.matting.segment.Segmenter;
import studio.matting.image.Rect;
import studio.matting.matting.ClosedFormEngine;
import studio.matting.matting.MattingException;
import studio.matting.sample.SyntheticPortrait;
import studio.matting.task.CancellationToken;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class EnginesTest {
    private static SyntheticPortrait portrait;
    private static ByteImage rgb;
    private static Trimap trimap;

    @BeforeAll
    static void setUp() {
        portrait = SyntheticPortrait.render(224, 192, 11);
        rgb = ImageOps.toByte(portrait.image);
        trimap = InferenceBenchmark.bandTrimap(portrait.alpha);
    }

    private static void assertUnitRange(FloatImage img) {
        for (float v : img.data) assertTrue(v >= 0f && v <= 1f, "value out of [0,1]: " + v);
    }

    private static double spread(FloatImage img) {
        double lo = 1, hi = 0;
        for (float v : img.data) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        return hi - lo;
    }

    @Test
    void segmentationGivesSoftMaskOfImageSize() throws Exception {
        SegmentationEngine seg = new SegmentationEngine(TestModels.RUNTIME, TestModels.unet());
        assertEquals("tiny-unet", seg.id());
        FloatImage mask = seg.segment(rgb, TaskContext.NONE);
        assertEquals(1, mask.channels);
        assertTrue(mask.sameSize(rgb.width, rgb.height));
        assertUnitRange(mask);
        assertTrue(spread(mask) > 0.01, "mask is constant");

        // A larger gray image takes the 8-bit box-reduction path and still gives a full-size mask.
        ByteImage big = ImageOps.toGray(ImageOps.resize(rgb, 1000, 700));
        FloatImage bigMask = seg.segment(big, TaskContext.NONE);
        assertTrue(bigMask.sameSize(1000, 700));
        assertUnitRange(bigMask);
    }

    @Test
    void flipAverageIsTheMeanOfTheImageAndItsMirror() throws Exception {
        ModelCard plainCard = TestModels.unet();
        ObjectNode raw = plainCard.raw().deepCopy();
        raw.putObject("inference").put("flip_average", true);
        ModelCard flipCard = ModelCard.parse(raw, plainCard.cardPath());
        assertTrue(flipCard.flipAverage());
        SegmentationEngine plain = new SegmentationEngine(TestModels.RUNTIME, plainCard);
        SegmentationEngine flip = new SegmentationEngine(TestModels.RUNTIME, flipCard);
        // 192 x 192 reduces by exactly 3 to the working size 64, so mirroring commutes with the reduction
        ByteImage square = ImageOps.crop(rgb, new Rect(0, 0, 192, 192));
        FloatImage a = plain.segment(square, TaskContext.NONE);
        FloatImage b = plain.segment(mirror(square), TaskContext.NONE);
        FloatImage f = flip.segment(square, TaskContext.NONE);
        double worst = 0, differs = 0;
        for (int y = 0; y < 192; y++)
            for (int x = 0; x < 192; x++) {
                float expect = 0.5f * (a.data[y * 192 + x] + b.data[y * 192 + (191 - x)]);
                worst = Math.max(worst, Math.abs(f.data[y * 192 + x] - expect));
                differs = Math.max(differs, Math.abs(f.data[y * 192 + x] - a.data[y * 192 + x]));
            }
        assertTrue(worst < 1e-4, "flip-averaged mask differs from the mean by " + worst);
        assertTrue(differs > 1e-3, "the test model is mirror-symmetric, so this test could not fail");
    }

    @Test
    void maskAtWorkingSizeIsTheNetworksMapBeforeTheResize() throws Exception {
        SegmentationEngine plain = new SegmentationEngine(TestModels.RUNTIME, TestModels.unet());
        ByteImage square = ImageOps.crop(rgb, new Rect(0, 0, 192, 192));
        // the map at the working size (64 for 192 px), which segment() resizes to the image and nothing more
        FloatImage small = plain.maskAtWorkingSize(square, TaskContext.NONE);
        assertEquals(64, small.width);
        assertEquals(64, small.height);
        assertUnitRange(small);
        assertArrayEquals(Segmenter.resizeToImage(small, 192, 192).data, plain.segment(square, TaskContext.NONE).data);
    }

    private static ByteImage mirror(ByteImage src) {
        ByteImage out = new ByteImage(src.width, src.height, src.channels);
        int ch = src.channels;
        for (int y = 0; y < src.height; y++)
            for (int x = 0; x < src.width; x++)
                System.arraycopy(src.data, y * src.stride + (src.width - 1 - x) * ch, out.data, y * out.stride + x * ch, ch);
        return out;
    }

    @Test
    void segmentationRefusesMattingCard() {
        assertThrows(IllegalArgumentException.class, () -> new SegmentationEngine(TestModels.RUNTIME, TestModels.mnet()));
    }

    @Test
    void mnetCopiesKnownPixelsExactly() throws Exception {
        MNetEngine mnet = new MNetEngine(TestModels.RUNTIME, TestModels.mnet());
        FloatImage a = mnet.matte(rgb, trimap, TaskContext.NONE);
        assertTrue(a.sameSize(rgb.width, rgb.height));
        assertEquals(1, a.channels);
        assertUnitRange(a);
        int unknownSoft = 0;
        for (int i = 0; i < trimap.data.length; i++) {
            int t = trimap.data[i] & 0xFF;
            if (t == Trimap.FOREGROUND) assertEquals(1f, a.data[i]);
            else if (t == Trimap.BACKGROUND) assertEquals(0f, a.data[i]);
            else if (a.data[i] > 0f && a.data[i] < 1f) unknownSoft++;
        }
        assertTrue(unknownSoft > 0, "the model's alpha was not used in the unknown band");
    }

    @Test
    void mnetWithoutUnknownPixelsNeedsNoModel() throws Exception {
        MNetEngine mnet = new MNetEngine(TestModels.RUNTIME, TestModels.mnet());
        Trimap t = Trimap.filled(rgb.width, rgb.height, Trimap.BACKGROUND);
        t.set(5, 5, Trimap.FOREGROUND);
        FloatImage a = mnet.matte(rgb, t, TaskContext.NONE);
        assertEquals(1f, a.get(5, 5, 0));
        assertEquals(0f, a.get(6, 5, 0));
        assertThrows(MattingException.class, () -> mnet.matte(rgb, new Trimap(10, 10), TaskContext.NONE));
    }

    @Test
    void tilingMatchesSinglePassInsideTheImage() throws Exception {
        ModelCard card = TestModels.mnet();
        Trimap all = Trimap.filled(rgb.width, rgb.height, Trimap.UNKNOWN);
        Rect whole = Rect.of(rgb.width, rgb.height);
        FloatImage single = new MNetEngine(TestModels.RUNTIME, card, 256, 64, 32).predict(rgb, all, null, whole, TaskContext.NONE);
        FloatImage tiled = new MNetEngine(TestModels.RUNTIME, card, 128, 64, 32).predict(rgb, all, null, whole, TaskContext.NONE);
        FloatImage seams = new MNetEngine(TestModels.RUNTIME, card, 128, 0, 32).predict(rgb, all, null, whole, TaskContext.NONE);
        double maxTiled = 0, maxSeams = 0;
        for (int i = 0; i < single.data.length; i++) {
            maxTiled = Math.max(maxTiled, Math.abs(single.data[i] - tiled.data[i]));
            maxSeams = Math.max(maxSeams, Math.abs(single.data[i] - seams.data[i]));
        }
        assertTrue(maxTiled < 2e-3, "tiled differs from single pass by " + maxTiled);
        // Control: without overlap the tile borders lack context and show, so the comparison above is meaningful.
        assertTrue(maxSeams > 1e-2, "no-overlap tiles unexpectedly equal: " + maxSeams);
    }

    @Test
    void boundingBoxRunMatchesFullImageInTheBand() throws Exception {
        // The unknown band's box plus margin gives the same α as running the whole image (within the band).
        MNetEngine mnet = new MNetEngine(TestModels.RUNTIME, TestModels.mnet(), 256, 64, 48);
        Trimap t = Trimap.filled(rgb.width, rgb.height, Trimap.BACKGROUND);
        for (int y = 60; y < 110; y++) for (int x = 90; x < 150; x++) t.set(x, y, Trimap.UNKNOWN);
        for (int y = 75; y < 95; y++) for (int x = 105; x < 135; x++) t.set(x, y, Trimap.FOREGROUND);
        FloatImage a = mnet.matte(rgb, t, TaskContext.NONE);
        FloatImage full = mnet.predict(rgb, t, null, Rect.of(rgb.width, rgb.height), TaskContext.NONE);
        double max = 0;
        for (int i = 0; i < t.data.length; i++) if (t.isUnknown(i)) max = Math.max(max, Math.abs(a.data[i] - full.data[i]));
        assertTrue(max < 2e-3, "bounding-box run differs by " + max);
    }

    @Test
    void matteRegionOnlyTouchesTheRegion() throws Exception {
        MNetEngine mnet = new MNetEngine(TestModels.RUNTIME, TestModels.mnet());
        FloatImage before = mnet.matte(rgb, trimap, TaskContext.NONE);
        Trimap edited = trimap.copy();
        Rect roi = new Rect(20, 30, 40, 30);
        for (int y = roi.y(); y < roi.bottom(); y++) for (int x = roi.x(); x < roi.right(); x++) edited.set(x, y, Trimap.UNKNOWN);
        edited.set(25, 35, Trimap.FOREGROUND);
        FloatImage after = mnet.matteRegion(rgb, edited, roi, before, TaskContext.NONE);
        assertNotSame(before, after);
        int changed = 0;
        for (int y = 0; y < rgb.height; y++) {
            for (int x = 0; x < rgb.width; x++) {
                if (!roi.contains(x, y)) assertEquals(before.get(x, y, 0), after.get(x, y, 0), "outside roi at " + x + "," + y);
                else if (after.get(x, y, 0) != before.get(x, y, 0)) changed++;
            }
        }
        assertEquals(1f, after.get(25, 35, 0));
        assertTrue(changed > 0);
        assertUnitRange(after);
    }

    @Test
    void cancellationIsCheckedBetweenTiles() throws Exception {
        CancellationToken cancelled = new CancellationToken();
        cancelled.cancel();
        MNetEngine mnet = new MNetEngine(TestModels.RUNTIME, TestModels.mnet(), 64, 32, 16);
        assertThrows(CancellationException.class, () -> mnet.matte(rgb, trimap, cancelled));

        // Cancel after the first tile: the remaining tiles must not run.
        AtomicInteger tiles = new AtomicInteger();
        CancellationToken[] self = new CancellationToken[1];
        self[0] = new CancellationToken((f, msg) -> {
            if (msg.startsWith("Matting tile") && tiles.incrementAndGet() == 2) self[0].cancel();
        });
        Trimap all = Trimap.filled(rgb.width, rgb.height, Trimap.UNKNOWN);
        assertThrows(CancellationException.class, () -> mnet.matte(rgb, all, self[0]));
        assertEquals(2, tiles.get());
    }

    @Test
    void benchmarkPrintsLatencyPerModel() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        InferenceBenchmark.run(new PrintStream(buf, true, StandardCharsets.UTF_8), TestModels.dir(), TestModels.RUNTIME, 1);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("tiny-unet") && out.contains("tiny-mnet"), out);
        assertEquals(2, out.split("median").length - 1, out);
        assertFalse(out.contains("failed"), out);
    }

    @Test
    void fixedSizeCardsWork() throws Exception {
        // The tiny graphs have dynamic H/W, so cards with a fixed size rule are compatible with them.
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String name : new String[] {"tiny-unet", "tiny-mnet"}) {
            var node = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(TestModels.dir().resolve(name + ".json").toFile());
            ((com.fasterxml.jackson.databind.node.ObjectNode) node.get("input")).set("size",
                    json.createObjectNode().put("rule", "fixed").put("width", 96).put("height", 64));
            ModelCard card = ModelCard.parse(node, TestModels.dir().resolve(name + ".json"));
            if (card.task() == ModelCard.Task.SEGMENTATION) {
                FloatImage mask = new SegmentationEngine(TestModels.RUNTIME, card).segment(rgb, TaskContext.NONE);
                assertTrue(mask.sameSize(rgb.width, rgb.height));
                assertUnitRange(mask);
            } else {
                FloatImage a = new MNetEngine(TestModels.RUNTIME, card).matte(rgb, trimap, TaskContext.NONE);
                assertTrue(a.sameSize(rgb.width, rgb.height));
                assertUnitRange(a);
                for (int i = 0; i < trimap.data.length; i++)
                    if ((trimap.data[i] & 0xFF) == Trimap.FOREGROUND) assertEquals(1f, a.data[i]);
            }
        }
    }

    @Test
    void largePhotoRunsOnlyAroundTheUnknownBand() throws Exception {
        int w = 4000, h = 3000; // 12 megapixels
        ByteImage big = new ByteImage(w, h, 3);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) big.data[(y * w + x) * 3 + 1] = (byte) (x * 7 + y * 3);
        Trimap t = Trimap.filled(w, h, Trimap.BACKGROUND);
        for (int y = 1500; y < 1800; y++) for (int x = 2000; x < 2300; x++) t.set(x, y, y < 1600 ? Trimap.FOREGROUND : Trimap.UNKNOWN);
        java.util.List<String> messages = new java.util.ArrayList<>();
        FloatImage a = new MNetEngine(TestModels.RUNTIME, TestModels.mnet()).matte(big, t,
                new CancellationToken((f, m) -> { if (m.startsWith("Matting")) messages.add(m); }));
        assertTrue(a.sameSize(w, h));
        // 300x200 band + 32 px margin = at most 2x2 tiles of 256, not one 12-megapixel tensor.
        assertTrue(messages.size() <= 4 && !messages.isEmpty(), messages.toString());
        assertEquals(1f, a.get(2100, 1550, 0));
        assertEquals(0f, a.get(100, 100, 0));
    }

    /**
     * A refiner: closed-form runs first and its α is the seventh plane. The expected α is built here without the
     * engine's tensor code — the photo, the trimap's one-hot and closed-form's α written plane by plane into one tensor
     * of the whole image (64 × 96, a multiple of 32, and the band within the context margin of every edge, so the
     * engine's region is the whole image too) — and compared on the unknown pixels.
     */
    @Test
    void aRefinerCorrectsClosedFormsAlphaFedAsTheSeventhPlane() throws Exception {
        ModelCard card = TestModels.refiner();
        assertEquals(ModelCard.BASE_CLOSED_FORM, card.input().baseAlpha());
        SyntheticPortrait p = SyntheticPortrait.render(64, 96, 5);
        ByteImage img = ImageOps.toByte(p.image);
        Trimap t = InferenceBenchmark.bandTrimap(p.alpha);
        Rect u = t.unknownBounds();
        assertTrue(!u.isEmpty() && u.x() < 32 && u.y() < 32 && u.right() > 32 && u.bottom() > 64, "band near every edge: " + u);

        MNetEngine refiner = new MNetEngine(TestModels.RUNTIME, card, new ClosedFormEngine());
        assertTrue(refiner.displayName().contains("refiner"), refiner.displayName());
        FloatImage got = refiner.matte(img, t, TaskContext.NONE);
        FloatImage cf = new ClosedFormEngine().matte(img, t, TaskContext.NONE);

        int w = img.width, h = img.height, plane = w * h;
        float[] mean = card.input().normalisation().mean(), std = card.input().normalisation().std();
        java.nio.FloatBuffer fb = InferenceRuntime.allocate(7 * plane);
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) fb.put(c * plane + i, ((img.data[3 * i + c] & 0xff) / 255f - mean[c]) / std[c]);
            int v = t.data[i] & 0xff;
            fb.put(3 * plane + i, v == Trimap.BACKGROUND ? 1f : 0f);
            fb.put(4 * plane + i, v == Trimap.UNKNOWN ? 1f : 0f);
            fb.put(5 * plane + i, v == Trimap.FOREGROUND ? 1f : 0f);
            fb.put(6 * plane + i, Math.max(0f, Math.min(1f, cf.data[i])));
        }
        float[] out = TestModels.RUNTIME.load(card).run(fb, new long[] {1, 7, h, w}).data();
        double moved = 0;
        int unknown = 0;
        for (int i = 0; i < plane; i++) {
            int v = t.data[i] & 0xff;
            if (v == Trimap.UNKNOWN) {
                assertEquals(Math.max(0f, Math.min(1f, out[i])), got.data[i], 1e-5, "unknown pixel " + i);
                moved += Math.abs(got.data[i] - cf.data[i]);
                unknown++;
            } else {
                assertEquals(v == Trimap.FOREGROUND ? 1f : 0f, got.data[i], "known pixels come from the trimap");
            }
        }
        assertTrue(moved / unknown > 0.01, "the random refiner moves closed-form's alpha (mean " + moved / unknown + ")");
        assertUnitRange(got);
    }

    /** A stroke's re-matte: closed-form re-solves the touched area, the model refines it; the rest stays as it was. */
    @Test
    void aRefinersRegionRematteKeepsTheRestAndRefinesTheRegion() throws Exception {
        MNetEngine refiner = new MNetEngine(TestModels.RUNTIME, TestModels.refiner(), new ClosedFormEngine());
        FloatImage full = refiner.matte(rgb, trimap, TaskContext.NONE);
        FloatImage previous = full.copy();
        java.util.Arrays.fill(previous.data, 0.5f); // stale everywhere: only the region may change
        Rect roi = new Rect(40, 60, 80, 70);
        FloatImage region = refiner.matteRegion(rgb, trimap, roi, previous, TaskContext.NONE);
        double inside = 0;
        int n = 0;
        for (int y = 0; y < rgb.height; y++) {
            for (int x = 0; x < rgb.width; x++) {
                int i = y * rgb.width + x;
                if (!roi.contains(x, y)) { assertEquals(0.5f, region.data[i], "outside the stroke's area: untouched"); continue; }
                if ((trimap.data[i] & 0xff) != Trimap.UNKNOWN) {
                    assertEquals((trimap.data[i] & 0xff) == Trimap.FOREGROUND ? 1f : 0f, region.data[i]);
                    continue;
                }
                inside += Math.abs(region.data[i] - full.data[i]);
                n++;
            }
        }
        assertTrue(n > 100, "the region holds part of the band: " + n);
        // closed-form's region solve sees the stale 0.5 around it, so the two agree closely but not exactly
        assertTrue(inside / n < 0.1, "region re-matte near the whole matte inside the area: mean |d| " + inside / n);
        assertTrue(inside / n < meanAbsDiff(previous, full, trimap, roi), "and nearer to it than the stale alpha was");
    }

    private static double meanAbsDiff(FloatImage a, FloatImage b, Trimap t, Rect roi) {
        double s = 0;
        int n = 0;
        for (int y = roi.y(); y < roi.bottom(); y++)
            for (int x = roi.x(); x < roi.right(); x++) {
                int i = y * t.width + x;
                if ((t.data[i] & 0xff) != Trimap.UNKNOWN) continue;
                s += Math.abs(a.data[i] - b.data[i]);
                n++;
            }
        return s / Math.max(1, n);
    }

    @Test
    void aRefinerNeedsItsBaseEngineAndAPlainModelTakesNone() throws Exception {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new MNetEngine(TestModels.RUNTIME, TestModels.refiner()));
        assertTrue(none.getMessage().contains("closed-form"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MNetEngine(TestModels.RUNTIME, TestModels.mnet(), new ClosedFormEngine()));
    }
}
