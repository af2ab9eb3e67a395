package studio.matting.ui.session;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.matting.document.Document;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.Rect;
import studio.matting.problems.Problem;
import studio.matting.refine.Refinements;
import studio.matting.segment.Segmenter;
import studio.matting.task.TaskContext;
import studio.matting.task.ThreadGuard;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapBrush;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The editing tools of issues 18 and 20 through the session, without a window: box selection and its scribble
 * refinement, bucket fill, lasso, global refinements with undo, A/B compare, the problem finder's list and fix, and
 * segmentation on open. A plain thread stands in for the FX thread (heavy work there fails through {@link ThreadGuard}).
 */
public class EditorToolsSessionTest {
    public static final int W = 200, H = 150;
    /** Two objects of the same textured orange on a textured blue background. */
    public static final double AX = 70, AY = 75, ARX = 32, ARY = 44, BX = 156, BY = 75, BR = 20;

    private final ExecutorService uiThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-ui"));
    private final TestFixtures.TrimapEngine engine = new TestFixtures.TrimapEngine();
    private final List<String> errors = new ArrayList<>();
    private final List<Integer> problemCounts = new ArrayList<>();
    private EditorSessionTest.ManualDelay delay;
    private EditorSession session;
    @TempDir Path dir;

    /** Segments everything inside a fixed rectangle: stands in for an installed model. */
    private final Segmenter model = new Segmenter() {
        @Override public String id() { return "rect-model"; }
        @Override public String displayName() { return "Rect model"; }
        @Override public FloatImage segment(ByteImage rgb, TaskContext ctx) {
            FloatImage m = new FloatImage(rgb.width, rgb.height, 1);
            for (int y = rgb.height / 4; y < rgb.height * 3 / 4; y++)
                for (int x = rgb.width / 4; x < rgb.width * 3 / 4; x++) m.set(x, y, 0, 1f);
            return m;
        }
    };

    public static boolean inA(double x, double y) {
        double dx = (x - AX) / ARX, dy = (y - AY) / ARY;
        return dx * dx + dy * dy <= 1;
    }

    public static boolean inB(double x, double y) {
        return Math.hypot(x - BX, y - BY) <= BR;
    }

    public static ByteImage scene() {
        Random rnd = new Random(7);
        ByteImage img = new ByteImage(W, H, 3);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                boolean fg = inA(x + 0.5, y + 0.5) || inB(x + 0.5, y + 0.5);
                int n = rnd.nextInt(41) - 20, stripe = ((x / 6 + y / 6) & 1) * 18;
                int r = fg ? 215 + n - stripe : 40 + n + stripe, g = fg ? 95 + n : 90 + n, b = fg ? 45 + n : 165 + n - stripe;
                int o = y * img.stride + x * 3;
                img.data[o] = (byte) clamp(r);
                img.data[o + 1] = (byte) clamp(g);
                img.data[o + 2] = (byte) clamp(b);
            }
        return img;
    }

    private static int clamp(int v) { return Math.max(0, Math.min(255, v)); }

    /** A document on the scene whose mask is empty (all background, a band-free trimap). */
    public static Document emptyDocument() {
        ByteImage img = scene();
        return new Document(null, img, 72, new FloatImage(W, H, 1), "none", Trimap.filled(W, H, Trimap.BACKGROUND));
    }

    @BeforeEach
    void setUp() throws Exception {
        Document d = emptyDocument();
        onUi(() -> {
            ThreadGuard.forbidHeavyWorkOn(Thread.currentThread());
            session = new EditorSession(uiThread, (ms, action) -> delay = new EditorSessionTest.ManualDelay(action), List.of(engine), List.of());
            session.addListener(new EditorSession.Listener() {
                @Override public void error(String title, String message) { errors.add(title + ": " + message); }
                @Override public void problemsChanged(List<Problem> p) { problemCounts.add(p.size()); }
            });
            session.setDocument(d);
            return null;
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        onUi(() -> { session.shutdown(); ThreadGuard.forbidHeavyWorkOn(null); return null; });
        uiThread.shutdown();
    }

    private <T> T onUi(Callable<T> c) throws Exception {
        return uiThread.submit(c).get(60, TimeUnit.SECONDS);
    }

    private void idle() throws Exception {
        long end = System.nanoTime() + 60_000_000_000L;
        while (onUi(() -> session.jobs().isBusy())) {
            if (System.nanoTime() > end) fail("session still busy");
            Thread.sleep(5);
        }
    }

    private Document doc() throws Exception { return onUi(session::document); }

    private static double iou(FloatImage mask, boolean a, boolean b) {
        long inter = 0, union = 0;
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                boolean truth = (a && inA(x + 0.5, y + 0.5)) || (b && inB(x + 0.5, y + 0.5));
                boolean got = mask.get(x, y, 0) >= 0.5f;
                if (truth && got) inter++;
                if (truth || got) union++;
            }
        return union == 0 ? 0 : (double) inter / union;
    }

    @Test
    void aBoxSelectionReplacesTheMaskAsOneUndoStep() throws Exception {
        Document d = doc();
        byte[] before = d.trimap().data.clone();
        onUi(() -> { session.selection().select(new Rect(30, 24, 82, 104)); return null; });
        idle();
        assertEquals(List.of(), errors);
        assertTrue(onUi(() -> session.selection().active()), "the GrabCut state is kept for strokes");
        double iou = iou(d.mask(), true, false);
        assertTrue(iou > 0.85, "box selection IoU " + iou);
        assertTrue(d.maskSource().startsWith("GrabCut"), d.maskSource());
        assertEquals(Trimap.FOREGROUND, d.trimap().get((int) AX, (int) AY));
        assertEquals(1, d.history().undoCount(), "one step for mask + trimap");
        onUi(() -> { session.undo(); return null; });
        assertArrayEquals(before, d.trimap().data, "undo restores the trimap");
    }

    @Test
    void aForegroundScribbleAddsWhatItMarks() throws Exception {
        Document d = doc();
        onUi(() -> { session.selection().select(new Rect(25, 20, 165, 112)); return null; });
        idle();
        assertEquals(List.of(), errors);
        // Both objects are in the box and look alike; the selection keeps the main one only.
        assertTrue(d.mask().get((int) AX, (int) AY, 0) >= 0.5f);
        assertTrue(d.mask().get((int) BX, (int) BY, 0) < 0.5f, "the smaller object is left out");
        double onlyA = iou(d.mask(), true, false);
        assertTrue(onlyA > 0.8, "IoU with the main object " + onlyA);

        Trimap marks = Trimap.filled(W, H, Trimap.UNKNOWN);
        new TrimapBrush(Trimap.FOREGROUND, 10).stroke(marks, BX - 10, BY, BX + 10, BY);
        assertTrue(onUi(() -> session.selection().refine(marks)));
        idle();
        assertEquals(List.of(), errors);
        assertTrue(d.mask().get((int) BX, (int) BY, 0) >= 0.5f, "the F stroke added the second object");
        assertTrue(d.mask().get((int) AX, (int) AY, 0) >= 0.5f, "and kept the first");
        double both = iou(d.mask(), true, true);
        assertTrue(both > 0.8, "IoU with both objects after the stroke " + both);
        assertEquals(2, d.history().undoCount(), "box and stroke: two steps");

        // A B stroke over the second object takes it out again (all marks so far count, the newest wins).
        new TrimapBrush(Trimap.BACKGROUND, 14).stroke(marks, BX - 12, BY, BX + 12, BY);
        assertTrue(onUi(() -> session.selection().refine(marks)));
        idle();
        assertTrue(d.mask().get((int) BX, (int) BY, 0) < 0.5f, "the B stroke removed it");
        onUi(() -> { session.undo(); return null; });
        assertEquals(Trimap.FOREGROUND, d.trimap().get((int) BX, (int) BY), "undo brings it back");
    }

    @Test
    void refineSelectionNeedsAnActiveSelection() throws Exception {
        assertFalse(onUi(() -> session.selection().refine(Trimap.filled(W, H, Trimap.UNKNOWN))));
    }

    @Test
    void bucketFillFloodsTheClickedLevelOnly() throws Exception {
        Document d = doc();
        // A foreground square splits nothing; an unknown ring around it keeps the fill out.
        onUi(() -> {
            d.replaceTrimap("setup", square(Trimap.BACKGROUND, 50, 40, 60, 60, Trimap.UNKNOWN, 4));
            return null;
        });
        int steps = d.history().undoCount();
        Rect r = onUi(() -> session.fill(80, 70, Trimap.FOREGROUND)); // inside the ring
        assertEquals(Trimap.FOREGROUND, d.trimap().get(80, 70));
        assertEquals(Trimap.UNKNOWN, d.trimap().get(51, 41), "the ring stops the flood");
        assertEquals(Trimap.BACKGROUND, d.trimap().get(5, 5), "outside is untouched");
        assertTrue(r.contains(80, 70) && !r.contains(5, 5), r.toString());
        assertEquals(steps + 1, d.history().undoCount());
        onUi(() -> { session.undo(); return null; });
        assertEquals(Trimap.BACKGROUND, d.trimap().get(80, 70), "undo restores");
    }

    private static Trimap square(int fill, int x0, int y0, int w, int h, int ring, int width) {
        Trimap t = Trimap.filled(W, H, fill);
        for (int y = y0; y < y0 + h; y++)
            for (int x = x0; x < x0 + w; x++)
                if (x < x0 + width || y < y0 + width || x >= x0 + w - width || y >= y0 + h - width) t.set(x, y, ring);
        return t;
    }

    @Test
    void lassoFillsTheInsideAndPaintsTheOutlineUnknown() throws Exception {
        Document d = doc();
        double[] xy = {40, 30, 120, 30, 120, 110, 40, 110};
        onUi(() -> session.lasso(xy, Trimap.FOREGROUND, 8));
        assertEquals(Trimap.FOREGROUND, d.trimap().get(80, 70));
        assertEquals(Trimap.UNKNOWN, d.trimap().get(40, 70), "on the outline");
        assertEquals(Trimap.UNKNOWN, d.trimap().get(80, 33), "within half the width of it");
        assertEquals(Trimap.BACKGROUND, d.trimap().get(20, 70));
        assertEquals(Trimap.BACKGROUND, d.trimap().get(80, 120));
        onUi(() -> { session.undo(); return null; });
        assertEquals(Trimap.BACKGROUND, d.trimap().get(80, 70));
        assertEquals(Trimap.BACKGROUND, d.trimap().get(40, 70));
    }

    private static Trimap bandedSquare(int band) {
        Trimap t = square(Trimap.BACKGROUND, 50, 30, 100, 90, Trimap.UNKNOWN, band);
        for (int y = 30 + band; y < 120 - band; y++) for (int x = 50 + band; x < 150 - band; x++) t.set(x, y, Trimap.FOREGROUND);
        return t;
    }

    /** Shift Edge moves the edge by half the band's width, measured again after every trimap change. */
    @Test
    void shiftEdgeFollowsTheBandWidthOfTheCurrentTrimap() throws Exception {
        Document d = doc();
        onUi(() -> { d.replaceTrimap("band 10", bandedSquare(10)); session.matte(); return null; });
        idle();
        onUi(() -> { session.preview().setRefinements(Refinements.NONE.withShiftEdge(100)); return null; });
        idle();
        // the test engine's α is the trimap (½ in the band): dilated by 10 / 2 = 5 px, 4 px outside is inside now
        assertTrue(onUi(() -> session.preview().alpha()).get(46, 75, 0) >= 0.5f, "shifted by half the 10 px band");
        onUi(() -> { d.replaceTrimap("band 4", bandedSquare(4)); session.matte(); return null; });
        idle();
        float now = onUi(() -> session.preview().alpha()).get(46, 75, 0);
        assertTrue(now < 0.5f, "a 4 px band shifts by 2 px: 4 px outside stays out (" + now + ")");
        assertTrue(onUi(() -> session.preview().alpha()).get(49, 75, 0) >= 0.5f, "but 1 px outside is in");
        assertEquals(List.of(), errors);
    }

    /** A photo longer than the preview size is refined on a reduced copy; saving α refines the full resolution. */
    @Test
    void largePhotoRefinesAReducedPreviewAndSavesTheFullResolution() throws Exception {
        int w = 2000, h = 1000;
        Trimap t = Trimap.filled(w, h, Trimap.BACKGROUND);
        for (int y = 200; y < 800; y++)
            for (int x = 600; x < 1400; x++) t.set(x, y, Trimap.FOREGROUND);
        Document big = new Document(null, new ByteImage(w, h, 3), 72, new FloatImage(w, h, 1), "test", t);
        onUi(() -> { session.setDocument(big); session.matte(); return null; });
        idle();
        assertNotNull(big.alpha());
        assertEquals(1, onUi(() -> session.preview().scale()), "no refinement: the document's own α");
        onUi(() -> { session.preview().setRefinements(Refinements.NONE.withFeather(8)); return null; });
        idle();
        FloatImage preview = onUi(() -> session.preview().alpha());
        int k = onUi(() -> session.preview().scale());
        assertEquals(2, k, "2000 px previewed at most " + studio.matting.refine.RefinePreview.EDITOR_MAX_SIDE + " px long");
        assertEquals(w / k, preview.width);
        assertEquals(h / k, preview.height);
        assertFalse(onUi(() -> session.preview().showsDocumentLayers()));
        float edge = preview.get(600 / k, 500 / k, 0);
        assertTrue(edge > 0.2f && edge < 0.8f, "the feathered edge in the preview: " + edge);
        assertEquals(1f, big.alpha().get(600, 500, 0), "the matte itself is not changed");

        Path out = dir.resolve("big-alpha.png");
        onUi(() -> { session.files().save("alpha", out); return null; });
        idle();
        FloatImage saved = ImageFiles.readAlpha(out);
        assertEquals(w, saved.width, "export refines at full resolution");
        float savedEdge = saved.get(600, 500, 0);
        assertTrue(savedEdge > 0.2f && savedEdge < 0.8f, "feathered at full resolution: " + savedEdge);
        assertEquals(List.of(), errors);
    }

    @Test
    void refinementsChangeThePreviewNotTheMatteAndUndoInOrder() throws Exception {
        Document d = doc();
        onUi(() -> { d.replaceTrimap("setup", square(Trimap.BACKGROUND, 60, 40, 60, 60, Trimap.FOREGROUND, 60)); return null; });
        onUi(() -> { session.matte(); return null; });
        idle();
        FloatImage matte = d.alpha();
        assertNotNull(matte);
        assertSame(matte, onUi(() -> session.preview().alpha()), "no refinement: the matte itself");

        onUi(() -> { session.preview().setRefinements(Refinements.NONE.withFeather(4)); return null; });
        idle();
        FloatImage feathered = onUi(() -> session.preview().alpha());
        assertNotSame(matte, feathered);
        assertEquals(1f, matte.get(60, 70, 0), "the matte is not changed");
        float edge = feathered.get(60, 70, 0);
        assertTrue(edge > 0.3f && edge < 0.7f, "the edge is soft in the preview: " + edge);

        // One slider drag = one step; a stroke after it; undo takes the stroke first, then the settings.
        onUi(() -> { session.preview().setRefinements(Refinements.NONE.withFeather(6)); session.preview().commitRefinements(); return null; });
        onUi(() -> { session.beginStroke("fg"); session.paint(new TrimapBrush(Trimap.FOREGROUND, 6), 10, 10, 20, 10); session.endStroke(); return null; });
        onUi(() -> { session.undo(); return null; });
        assertEquals(Trimap.BACKGROUND, d.trimap().get(15, 10), "the stroke went first");
        assertEquals(6, onUi(() -> session.preview().refinements()).feather());
        onUi(() -> { session.undo(); return null; });
        idle();
        assertEquals(Refinements.NONE, onUi(() -> session.preview().refinements()), "then the whole drag");
        assertSame(matte, onUi(() -> session.preview().alpha()));
        onUi(() -> { session.redo(); return null; });
        assertEquals(6, onUi(() -> session.preview().refinements()).feather());
        onUi(() -> { session.redo(); return null; });
        assertEquals(Trimap.FOREGROUND, d.trimap().get(15, 10), "redo in the same order");
        assertEquals(List.of(), errors);
    }

    @Test
    void projectsKeepTheRefinements() throws Exception {
        Path img = dir.resolve("scene.png");
        ImageFiles.writePng(scene(), img);
        Refinements r = new Refinements(10, 2, 30, -20, 60);
        onUi(() -> { session.files().open(img); return null; });
        idle();
        onUi(() -> { session.preview().setRefinements(r); return null; });
        Path proj = dir.resolve("p.msproj");
        onUi(() -> { session.files().saveProject(proj); return null; });
        idle();
        onUi(() -> { session.preview().setRefinements(Refinements.NONE); return null; });
        onUi(() -> { session.files().openProject(proj); return null; });
        idle();
        assertEquals(List.of(), errors);
        assertEquals(r, onUi(() -> session.preview().refinements()));
    }

    @Test
    void keepsThePreviousMatteForAbCompare() throws Exception {
        Document d = doc();
        assertFalse(onUi(() -> session.preview().flipCompare()), "nothing to compare yet");
        onUi(() -> { session.matte(); return null; });
        idle();
        FloatImage first = d.alpha();
        onUi(() -> { d.replaceTrimap("x", square(Trimap.BACKGROUND, 60, 40, 60, 60, Trimap.FOREGROUND, 60)); session.matte(); return null; });
        idle();
        FloatImage second = d.alpha();
        assertNotSame(first, second);
        assertTrue(onUi(() -> session.preview().flipCompare()));
        assertSame(first, onUi(() -> session.preview().alpha()), "A: the previous matte");
        assertTrue(onUi(() -> session.preview().flipCompare()));
        assertSame(second, onUi(() -> session.preview().alpha()), "B: the current one");
    }

    @Test
    void problemSpotsAreListedAfterAMatteAndFixedInOneClick() throws Exception {
        Document d = doc();
        // The subject plus a stray foreground blob far from it: the finder must report the island.
        Trimap t = square(Trimap.BACKGROUND, 40, 30, 70, 90, Trimap.FOREGROUND, 70);
        for (int y = 20; y < 32; y++) for (int x = 160; x < 172; x++) t.set(x, y, Trimap.FOREGROUND);
        onUi(() -> { d.replaceTrimap("setup", t); session.matte(); return null; });
        idle();
        List<Problem> found = onUi(() -> session.problems().problems());
        Problem island = found.stream().filter(p -> p.kind() == Problem.Kind.ISLAND).findFirst().orElse(null);
        assertNotNull(island, "the island is listed: " + found);
        assertTrue(island.box().contains(165, 25), island.box().toString());
        int steps = d.history().undoCount();
        Rect fixed = onUi(() -> session.problems().applyFix(island));
        assertFalse(fixed.isEmpty());
        assertEquals(Trimap.BACKGROUND, d.trimap().get(165, 25), "the fix paints background over the island");
        assertEquals(steps + 1, d.history().undoCount(), "one undo step");
        assertFalse(onUi(() -> session.problems().problems()).contains(island), "and leaves the list");
        assertTrue(onUi(() -> session.rematteScheduler().isScheduled()), "the re-matte follows");
        onUi(() -> { delay.fire(); return null; });
        idle();
        assertEquals(0f, d.alpha().get(165, 25, 0), "re-matted");
    }

    @Test
    void anImageWithoutAMaskIsSegmentedOnOpenWhenAModelIsInstalled() throws Exception {
        Path img = dir.resolve("plain.png");
        ImageFiles.writePng(scene(), img);
        EditorSession[] withModel = new EditorSession[1];
        List<String> messages = new ArrayList<>();
        onUi(() -> {
            withModel[0] = new EditorSession(uiThread, (ms, a) -> new EditorSessionTest.ManualDelay(a), List.of(engine), List.of(model));
            withModel[0].addListener(new EditorSession.Listener() {
                @Override public void message(String text) { messages.add(text); }
            });
            withModel[0].files().open(img);
            return null;
        });
        long end = System.nanoTime() + 60_000_000_000L;
        while (onUi(() -> withModel[0].jobs().isBusy()) && System.nanoTime() < end) Thread.sleep(5);
        Document d = onUi(withModel[0]::document);
        assertEquals("Rect model", d.maskSource());
        assertTrue(messages.stream().anyMatch(m -> m.contains("Rect model")), "the status bar says what made the mask: " + messages);
        // Off: the ellipse stays.
        onUi(() -> { withModel[0].setSegmentOnOpen(false); withModel[0].files().open(img); return null; });
        end = System.nanoTime() + 60_000_000_000L;
        while (onUi(() -> withModel[0].jobs().isBusy()) && System.nanoTime() < end) Thread.sleep(5);
        assertEquals("ellipse", onUi(withModel[0]::document).maskSource());
        onUi(() -> { withModel[0].shutdown(); return null; });
    }
}
