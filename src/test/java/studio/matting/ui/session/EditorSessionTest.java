package studio.matting.ui.session;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.matting.document.Document;
import studio.matting.image.FloatImage;
import studio.matting.segment.EllipseMask;
import studio.matting.segment.Segmenter;
import studio.matting.task.ThreadGuard;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapBrush;
import studio.matting.trimap.TrimapGenerator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The editor session without a window: a plain thread stands in for the FX thread (and is the thread
 * {@link ThreadGuard} forbids heavy work on), a hand-fired delay for the re-matte pause.
 */
class EditorSessionTest {
    private static final Path SAMPLE = Path.of("assets/portrait.png");

    /** A delay that fires only when the test says so. */
    static final class ManualDelay implements Delay {
        final Runnable action;
        boolean pending;

        ManualDelay(Runnable action) { this.action = action; }

        @Override public void restart() { pending = true; }
        @Override public void stop() { pending = false; }
        @Override public boolean isPending() { return pending; }

        void fire() {
            if (!pending) return;
            pending = false;
            action.run();
        }
    }

    private final ExecutorService uiThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-ui"));
    private final TestFixtures.TrimapEngine engine = new TestFixtures.TrimapEngine();
    private final List<String> errors = new ArrayList<>();
    private ManualDelay delay;
    private EditorSession session;
    @TempDir Path dir;

    private final Segmenter box = TestFixtures.boxModel();

    @BeforeEach
    void setUp() throws Exception {
        onUi(() -> {
            ThreadGuard.forbidHeavyWorkOn(Thread.currentThread());
            session = new EditorSession(uiThread, (ms, action) -> delay = new ManualDelay(action), List.of(engine), List.of(box));
            session.addListener(new EditorSession.Listener() {
                @Override public void error(String title, String message) { errors.add(title + ": " + message); }
            });
            session.files().open(SAMPLE);
            return null;
        });
        idle();
        assertNotNull(doc(), "opened " + errors);
    }

    @AfterEach
    void tearDown() throws Exception {
        onUi(() -> { session.shutdown(); ThreadGuard.forbidHeavyWorkOn(null); return null; });
        uiThread.shutdown();
    }

    private <T> T onUi(Callable<T> c) throws Exception {
        return uiThread.submit(c).get(30, TimeUnit.SECONDS);
    }

    /** Waits until every job has run and its outcome was applied on the UI thread. */
    private void idle() throws Exception {
        long end = System.nanoTime() + 30_000_000_000L;
        while (onUi(() -> session.jobs().isBusy())) {
            if (System.nanoTime() > end) fail("session still busy");
            Thread.sleep(5);
        }
    }

    private Document doc() throws Exception {
        return onUi(session::document);
    }

    @Test
    void theGuardCatchesTrimapWorkOnTheUiThread() throws Exception {
        // What the next test relies on: generating a trimap on the UI thread fails loudly.
        FloatImage mask = doc().mask();
        Exception e = assertThrows(Exception.class, () -> onUi(() -> TrimapGenerator.fromMask(mask, 7, 6)));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertNotNull(TrimapGenerator.fromMask(mask, 7, 6), "any other thread may");
    }

    /** A box whose left edge hesitates (a 60 px ramp) and whose other edges are steps. */
    private static final Segmenter SOFT_BOX = new Segmenter() {
        @Override public String id() { return "soft-box"; }
        @Override public String displayName() { return "Soft box"; }
        @Override public FloatImage segment(studio.matting.image.ByteImage rgb, studio.matting.task.TaskContext ctx) {
            FloatImage m = new FloatImage(rgb.width, rgb.height, 1);
            for (int y = 200; y < 400; y++)
                for (int x = 70; x < 380; x++) m.set(x, y, 0, (float) Math.min(1, (x - 70) / 60.0));
            return m;
        }
    };

    @Test
    void newMasksGetTheAutomaticBandUntilTheBandFieldsAreChanged() throws Exception {
        Document d = doc();
        assertTrue(d.band().auto());
        assertArrayEquals(TrimapGenerator.fromMaskAuto(d.mask()).data, d.trimap().data, "the opened photo's trimap is matte's");
        onUi(() -> { session.segment(SOFT_BOX); return null; });
        idle();
        assertEquals(List.of(), errors);
        FloatImage soft = d.mask();
        Trimap auto = TrimapGenerator.fromMaskAuto(soft);
        assertArrayEquals(auto.data, d.trimap().data, "a new mask: the band shaped by its confidence");
        assertFalse(java.util.Arrays.equals(TrimapGenerator.fromMask(soft, d.kernelSize(), d.iterations()).data, auto.data),
                "which is not the fields' plain band");
        // once the fields change, new masks get the plain band with them
        onUi(() -> { session.setMorphology(9, 4); return null; });
        idle();
        assertFalse(d.band().auto());
        onUi(() -> { session.segment(SOFT_BOX); return null; });
        idle();
        assertArrayEquals(TrimapGenerator.fromMask(soft, 9, 4).data, d.trimap().data);
        // and back: the automatic band, regenerated from the mask as one undo step
        int steps = d.history().undoCount();
        onUi(() -> { session.useAutomaticBand(); return null; });
        idle();
        assertTrue(d.band().auto());
        assertEquals(TrimapGenerator.DEFAULT_KERNEL, d.kernelSize());
        assertEquals(TrimapGenerator.autoIterations(d.width(), d.height(), TrimapGenerator.DEFAULT_KERNEL), d.iterations());
        assertArrayEquals(auto.data, d.trimap().data);
        assertEquals(steps + 1, d.history().undoCount());
    }

    @Test
    void newMasksAndMorphologyMakeTheirTrimapOffTheUiThread() throws Exception {
        Document d = doc();
        // Morphology: the slider's job regenerates in the background; many quick moves leave one step.
        onUi(() -> { for (int k = 9; k <= 21; k += 4) session.setMorphology(k, 6); return null; });
        idle();
        assertEquals(List.of(), errors);
        assertEquals(21, d.kernelSize());
        assertArrayEquals(TrimapGenerator.fromMask(d.mask(), 21, 6).data, d.trimap().data);
        assertEquals(1, d.history().undoCount(), "coalesced into one regenerate");

        // Ellipse: mask and trimap in one step.
        EllipseMask.Ellipse e = new EllipseMask.Ellipse(200, 250, 120, 160);
        onUi(() -> { session.applyEllipse(e); return null; });
        idle();
        assertEquals("ellipse", d.maskSource());
        assertArrayEquals(TrimapGenerator.fromMask(EllipseMask.render(d.width(), d.height(), e), 21, 6).data, d.trimap().data);

        // A segmenter through the chain.
        onUi(() -> { session.segment(box); return null; });
        idle();
        assertEquals("Box model", d.maskSource());
        assertEquals(Trimap.FOREGROUND, d.trimap().get(240, 300));
        assertEquals(Trimap.BACKGROUND, d.trimap().get(240, 100));

        // A mask file: its trimap made with the current morphology.
        Path file = dir.resolve("m.png");
        studio.matting.image.ImageFiles.writePng(studio.matting.image.ImageOps.toByte(
                EllipseMask.render(d.width(), d.height(), e)), file);
        onUi(() -> { session.loadMask(file); return null; });
        idle();
        assertEquals("m.png", d.maskSource());
        assertArrayEquals(TrimapGenerator.fromMask(d.mask(), 21, 6).data, d.trimap().data);
        assertEquals(List.of(), errors, "no trimap was generated on the UI thread");
        assertEquals(4, d.history().undoCount(), "one undo step per new mask");
    }

    @Test
    void aStrokeAfterAMatteSchedulesOneRegionRematteWhenItEnds() throws Exception {
        Document d = doc();
        onUi(() -> { session.matte(); return null; });
        idle();
        assertEquals(1, engine.full.get());
        assertNotNull(d.alpha());
        FloatImage matte = d.alpha();
        List<String> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
        d.addListener((layer, r) -> { if (layer != Document.Layer.TRIMAP) changes.add(layer + " " + r); });
        TrimapBrush brush = new TrimapBrush(Trimap.FOREGROUND, 20);
        onUi(() -> {
            session.beginStroke("fg");
            session.paint(brush, 60, 60, 120, 60);
            assertFalse(session.rematteScheduler().isScheduled(), "not while the stroke is open");
            assertFalse(session.rematteScheduler().pending().isEmpty(), "but the region is collected");
            session.endStroke();
            assertTrue(session.rematteScheduler().isScheduled());
            delay.fire();
            return null;
        });
        idle();
        assertEquals(1, engine.region.get());
        assertTrue(engine.lastRoi.contains(90, 60), "the re-matted region holds the stroke: " + engine.lastRoi);
        assertEquals(1f, d.alpha().get(90, 60, 0));
        // patched in place, and the views are told about the stroke's region only (not the whole photo)
        assertSame(matte, d.alpha());
        assertEquals(List.of("ALPHA " + engine.lastRoi, "FOREGROUND " + engine.lastRoi), changes);

        // Undo re-mattes too; with auto re-matte off nothing is scheduled at all.
        onUi(() -> { session.undo(); delay.fire(); return null; });
        idle();
        assertEquals(2, engine.region.get());
        assertEquals(0f, d.alpha().get(90, 60, 0));
        onUi(() -> {
            session.setAutoRematte(false);
            session.paint(brush, 60, 60, 120, 60);
            session.setMorphology(9, 3);
            return null;
        });
        idle();
        assertFalse(onUi(() -> session.rematteScheduler().isScheduled()));
        assertTrue(onUi(() -> session.rematteScheduler().pending().isEmpty()));
        assertEquals(2, engine.region.get());
        assertEquals(1, engine.full.get());
    }

    @Test
    void aStrokeDuringAFullMatteDoesNotCancelItAndIsRemattedAfter() throws Exception {
        Document d = doc();
        onUi(() -> { session.matte(); return null; });
        idle();
        java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
        engine.hold = hold;
        List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
        onUi(() -> {
            session.addListener(new EditorSession.Listener() {
                @Override public void message(String text) { messages.add(text); }
            });
            session.matte(); // a second full matte, held on the worker
            session.beginStroke("fg");
            session.paint(new TrimapBrush(Trimap.FOREGROUND, 20), 60, 60, 120, 60);
            session.endStroke();
            delay.fire(); // the stroke's re-matte is due while the full matte still runs
            return null;
        });
        assertEquals(0, engine.region.get(), "no region re-matte while the full matte runs");
        engine.hold = null;
        hold.countDown();
        idle();
        assertEquals(2, engine.full.get(), "the held full matte finished");
        assertFalse(messages.stream().anyMatch(m -> m.contains(studio.matting.ui.I18n.get("status.matteCancelled"))), messages.toString());
        // its result predates the stroke: the stroke's region is scheduled again and re-matted
        assertTrue(onUi(() -> session.rematteScheduler().isScheduled()));
        onUi(() -> { delay.fire(); return null; });
        idle();
        assertEquals(1, engine.region.get());
        assertEquals(1f, d.alpha().get(90, 60, 0));
        assertEquals(List.of(), errors);
    }

    @Test
    void aLargePhotoShowsADraftMatteFirstThenTheFullOne() throws Exception {
        List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<FloatImage> shown = new java.util.concurrent.CopyOnWriteArrayList<>();
        onUi(() -> {
            session.mattes().setDraft(100_000, 2); // the 480×600 sample counts as large here
            session.addListener(new EditorSession.Listener() {
                @Override public void message(String text) { messages.add(text); }
                @Override public void matted(boolean full) { shown.add(session.document().alpha()); }
            });
            session.matte();
            return null;
        });
        idle();
        assertEquals(List.of(), errors);
        assertEquals(2, engine.full.get(), "the draft (at half size) and the full matte");
        assertEquals(2, shown.size(), "two mattes shown");
        Document d = doc();
        Trimap t = d.trimap();
        FloatImage draft = shown.get(0), fin = shown.get(1);
        assertSame(d.alpha(), fin, "the full matte is the one kept");
        assertEquals(d.width(), draft.width);
        int differ = 0;
        for (int i = 0; i < t.data.length; i++) {
            int v = t.data[i] & 0xFF;
            assertEquals(v / 255f, fin.data[i], 1e-6f, "the engine's own full-size α");
            if (v != Trimap.UNKNOWN) assertEquals(v == Trimap.FOREGROUND ? 1f : 0f, draft.data[i], "known pixels exact in the draft");
            else if (Math.abs(draft.data[i] - fin.data[i]) > 1e-3) differ++;
        }
        assertTrue(differ > 0, "the draft was computed at the reduced size");
        String draftText = studio.matting.ui.I18n.get("status.matteDraft");
        assertTrue(messages.stream().anyMatch(m -> m.startsWith(draftText.substring(0, draftText.indexOf("{0}")))), messages.toString());
        assertTrue(onUi(() -> session.preview().alpha() == fin));
    }

    @Test
    void anExportAskedForWhileTheDraftIsShownWritesTheFullMatte() throws Exception {
        List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<FloatImage> shown = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        engine.holdMinWidth = doc().width(); // the draft (half width) goes through, the full matte waits
        engine.hold = release;
        onUi(() -> {
            session.mattes().setDraft(100_000, 2);
            session.addListener(new EditorSession.Listener() {
                @Override public void message(String text) { messages.add(text); }
                @Override public void matted(boolean full) { shown.add(session.document().alpha()); }
            });
            session.matte();
            return null;
        });
        for (int i = 0; i < 2000 && shown.isEmpty(); i++) Thread.sleep(5);
        assertEquals(1, shown.size(), "the draft is on screen, the full matte is held");
        studio.matting.export.ExportOptions o = new studio.matting.export.ExportOptions(dir, "out", true, false, false, false,
                studio.matting.export.ExportOptions.CompositeFormat.PNG, 0.92f, 0, false, 300, true);
        onUi(() -> { session.files().export(o); return null; });
        Thread.sleep(200);
        assertFalse(java.nio.file.Files.exists(o.alphaPath()), "nothing written while the draft stands in");
        String waiting = studio.matting.ui.I18n.get("status.writeAfterRefining");
        assertTrue(messages.contains(waiting), messages.toString());
        release.countDown();
        idle();
        assertEquals(List.of(), errors);
        assertEquals(2, shown.size());
        FloatImage fin = shown.get(1), draft = shown.get(0), written = studio.matting.image.ImageFiles.readAlpha(o.alphaPath());
        int checked = 0;
        for (int i = 0; i < fin.data.length; i++) {
            assertEquals(fin.data[i], written.data[i], 1f / 255, "the export holds the full matte");
            if (Math.abs(fin.data[i] - draft.data[i]) > 2f / 255) checked++;
        }
        assertTrue(checked > 0, "the draft differs somewhere, so the check means something");
    }

    @Test
    void startingAnExclusiveJobCancelsTheRunningOne() throws Exception {
        List<String> outcomes = new ArrayList<>();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        onUi(() -> {
            session.jobs().start(false, false, ctx -> {
                started.countDown();
                while (true) { ctx.checkCancelled(); Thread.onSpinWait(); }
            }, outcome(outcomes, "first"));
            return null;
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        onUi(() -> { session.jobs().start(false, false, ctx -> 42, outcome(outcomes, "second")); return null; });
        idle();
        assertEquals(List.of("first cancelled", "second done 42"), onUi(() -> List.copyOf(outcomes)));
        assertFalse(onUi(() -> session.jobs().isRunning()));
    }

    private static <T> JobRunner.Outcome<T> outcome(List<String> log, String name) {
        return new JobRunner.Outcome<>() {
            @Override public void done(T r) { log.add(name + " done " + r); }
            @Override public void failed(Throwable e) { log.add(name + " failed " + e); }
            @Override public void cancelled() { log.add(name + " cancelled"); }
        };
    }
}
