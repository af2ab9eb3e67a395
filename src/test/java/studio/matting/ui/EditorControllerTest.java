package studio.matting.ui;

import studio.matting.ui.canvas.ViewMode;
import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.control.Spinner;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;
import studio.matting.document.Document;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.matting.MattingEngine;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapGenerator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.*;

/** Drives the real editor window headless (Monocle) with TestFX's robot. */
@ExtendWith(ApplicationExtension.class)
class EditorControllerTest {
    private static final Path SAMPLE = Path.of("assets/portrait.png");

    private EditorController editor;
    private final studio.matting.ui.session.TestFixtures.TrimapEngine engine = new studio.matting.ui.session.TestFixtures.TrimapEngine();
    /** Runs until cancelled (at most 30 s), reporting progress: exercises the progress bar and Cancel. */
    private final MattingEngine slow = new MattingEngine() {
        @Override public String id() { return "slow"; }
        @Override public String displayName() { return "Slow (test)"; }
        @Override public FloatImage matte(ByteImage rgb, Trimap trimap, TaskContext ctx) {
            long end = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < end) {
                ctx.progress(0.5, "working");
                ctx.checkCancelled();
                Thread.onSpinWait();
            }
            return new FloatImage(rgb.width, rgb.height, 1);
        }
    };
    private Stage stage;
    @TempDir Path dir;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        I18n.setLocale(java.util.Locale.ENGLISH); // some lookups below use the English menu texts
        studio.matting.segment.Segmenter box = studio.matting.ui.session.TestFixtures.boxModel();
        editor = new EditorController(stage, () -> List.of(engine, slow), () -> List.of(box));
        Scene scene = editor.createScene(1000, 760);
        stage.setScene(scene);
        stage.show();
        editor.open(SAMPLE);
    }

    @AfterEach
    void tearDown() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            for (Window w : List.copyOf(Window.getWindows())) if (w != stage) w.hide();
            editor.shutdown();
        }).get();
    }

    @SuppressWarnings("unchecked")
    private static Spinner<Double> spinner(FxRobot robot, String id) {
        return (Spinner<Double>) robot.lookup(id).queryAs(Spinner.class);
    }

    private <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    /** Polls a condition on the FX thread until it holds (or fails after 20 s). */
    private void await(String what, Callable<Boolean> c) throws Exception {
        long end = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < end) {
            WaitForAsyncUtils.waitForFxEvents();
            if (fx(c)) return;
        }
        fail("timed out waiting for " + what);
    }

    private Document loaded(FxRobot robot) throws Exception {
        await("document", () -> editor.document() != null && !editor.isBusy());
        robot.clickOn("#canvas", MouseButton.SECONDARY); // focus the window without painting
        return fx(editor::document);
    }

    private void stroke(FxRobot robot, double x0, double y0, double x1, double y1) throws Exception {
        Point2D a = fx(() -> editor.imageToScreen(x0, y0)), b = fx(() -> editor.imageToScreen(x1, y1));
        robot.drag(a, MouseButton.PRIMARY).moveTo(b).drop();
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void autoSegmentsThenMattesAndTheCompositeUsesTheChosenBackground(FxRobot robot) throws Exception {
        loaded(robot);
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.A).release(KeyCode.A, KeyCode.SHIFT, KeyCode.CONTROL);
        await("auto pipeline", () -> editor.document().alpha() != null && !editor.isBusy());
        Document doc = fx(editor::document);
        assertEquals("Box model", doc.maskSource(), "Auto segments with the installed model first");
        assertEquals(Trimap.FOREGROUND, doc.trimap().get(240, 300), "trimap regenerated from the model's mask");
        assertEquals(1, engine.full.get(), "then mattes once");
        assertNotNull(doc.foreground(), "and estimates the foreground");

        fx(() -> {
            editor.setBackground(studio.matting.compositor.Background.solid(67, 142, 219));
            editor.setViewMode(ViewMode.COMPOSITE);
            return null;
        });
        assertEquals(0xFF438EDB, (int) fx(() -> editor.displayedPixel(5, 5)), "α = 0 shows the chosen background");
        fx(() -> { editor.setViewMode(ViewMode.SPLIT); return null; });
        int photo = fx(() -> editor.displayedPixel(5, 5));
        ByteImage img = doc.image();
        assertEquals(0xFF000000 | img.get(5, 5, 0) << 16 | img.get(5, 5, 1) << 8 | img.get(5, 5, 2), photo, "split: left half is the photo");
        assertEquals(0xFF438EDB, (int) fx(() -> editor.displayedPixel(470, 5)), "split: right half is the composite");
    }

    @Test
    void autosaveWritesARecoveryFileAndProjectsRoundTrip(FxRobot robot) throws Exception {
        Document doc = loaded(robot);
        Path rec = dir.resolve("recovery");
        fx(() -> { editor.enableAutosave(rec); return null; });
        studio.matting.trimap.TrimapBrush brush = new studio.matting.trimap.TrimapBrush(Trimap.UNKNOWN, 20);
        for (int i = 0; i < studio.matting.ui.session.RecoveryService.EVERY; i++) {
            int y = 30 + 25 * i;
            fx(() -> { doc.paint(brush, 20, y, 200, y); return null; });
        }
        Path recovery = fx(editor::autosaveFile);
        await("recovery file", () -> Files.exists(recovery) && !editor.isBusy());
        assertArrayEquals(doc.trimap().data, studio.matting.project.ProjectFiles.load(recovery).trimap().data,
                "the recovery file holds the edited trimap");

        Path project = dir.resolve("session.msproj");
        byte[] saved = doc.trimap().data.clone();
        fx(() -> { editor.saveProject(project); return null; });
        await("project saved", () -> Files.exists(project) && !editor.isBusy());
        fx(() -> { doc.paint(new studio.matting.trimap.TrimapBrush(Trimap.FOREGROUND, 40), 10, 10, 300, 10); return null; });
        assertFalse(java.util.Arrays.equals(saved, doc.trimap().data));
        // dropped together with an image, the project wins (drag and drop goes through openDropped)
        assertFalse(fx(() -> editor.openDropped(List.of())), "an empty drop is not accepted");
        assertTrue(fx(() -> editor.openDropped(List.of(SAMPLE, project))));
        await("project opened", () -> editor.document() != doc && !editor.isBusy());
        assertArrayEquals(saved, fx(editor::document).trimap().data, "the project restores the saved trimap");

        // A damaged project is refused with a message; the open session stays.
        Document current = fx(editor::document);
        Path bad = dir.resolve("bad.msproj");
        Files.writeString(bad, "{\"format\": \"matting-studio-project\", \"version\": 1, \"imagePng\": \"%%%\"");
        fx(() -> { editor.openProject(bad); return null; });
        await("error shown", () -> editor.lastError() != null && !editor.isBusy());
        assertSame(current, fx(editor::document));

        fx(() -> { editor.shutdown(); return null; });
        assertFalse(Files.exists(recovery), "a clean exit removes the recovery file");
    }

    @Test
    void eachBrushPaintsItsLevelUnderTheStroke(FxRobot robot) throws Exception {
        Document doc = loaded(robot);
        assertEquals(Trimap.BACKGROUND, doc.trimap().get(100, 60));
        Object[][] cases = {
                {KeyCode.F, Trimap.FOREGROUND, 60, 60, 140, 60},   // background corner → foreground
                {KeyCode.B, Trimap.BACKGROUND, 220, 400, 260, 400}, // face → background
                {KeyCode.U, Trimap.UNKNOWN, 200, 560, 280, 560},    // body → unknown
        };
        for (Object[] c : cases) {
            robot.type((KeyCode) c[0]);
            int v = (int) c[1];
            int x0 = (int) c[2], y = (int) c[3], x1 = (int) c[4];
            int differentBefore = 0;
            for (int x = x0 + 2; x <= x1 - 2; x++) if (doc.trimap().get(x, y) != v) differentBefore++;
            assertTrue(differentBefore > (x1 - x0) / 2, "test stroke must cross pixels of another level");
            stroke(robot, x0, y, x1, y);
            for (int x = x0 + 2; x <= x1 - 2; x++)
                assertEquals(v, doc.trimap().get(x, y), "pixel " + x + "," + y + " after " + c[0]);
        }
        assertEquals(3, doc.history().undoCount(), "one undo step per stroke");
    }

    @Test
    void bandKernelWidensTheUnknownBandAndUndoRestoresIt(FxRobot robot) throws Exception {
        Document doc = loaded(robot);
        byte[] before = doc.trimap().data.clone();
        long band = doc.trimap().count(Trimap.UNKNOWN);
        Spinner<Double> kernel = spinner(robot, "#bandKernel");
        // Several quick steps: the editor coalesces them and keeps only the last.
        fx(() -> { for (int k = 9; k <= 21; k += 2) kernel.getValueFactory().setValue((double) k); return null; });
        await("regenerated trimap", () -> !editor.isBusy() && doc.kernelSize() == 21);
        long wider = doc.trimap().count(Trimap.UNKNOWN);
        assertTrue(wider > band * 2, "band " + band + " -> " + wider);
        assertEquals(1, doc.history().undoCount(), "coalesced into one regenerate");

        Spinner<Double> iterations = spinner(robot, "#bandIterations");
        fx(() -> { iterations.getValueFactory().setValue(2.0); return null; });
        await("regenerated trimap", () -> !editor.isBusy() && doc.iterations() == 2);
        assertTrue(doc.trimap().count(Trimap.UNKNOWN) < wider);

        robot.press(KeyCode.CONTROL, KeyCode.Z).release(KeyCode.Z, KeyCode.CONTROL);
        robot.press(KeyCode.CONTROL, KeyCode.Z).release(KeyCode.Z, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertArrayEquals(before, doc.trimap().data);

        // Automatic: back to the band the photo opened with, and the fields with it
        javafx.scene.control.Button auto = robot.lookup("#bandAuto").queryButton();
        assertFalse(auto.isDisabled(), "the fields were changed");
        robot.clickOn(auto);
        await("automatic band", () -> !editor.isBusy() && doc.band().auto());
        WaitForAsyncUtils.waitForFxEvents();
        assertArrayEquals(before, doc.trimap().data);
        assertEquals(TrimapGenerator.DEFAULT_KERNEL, kernel.getValue().intValue());
        assertTrue(auto.isDisabled());
    }

    @Test
    void ctrlZRestoresExactTrimapAndRedoReappliesIt(FxRobot robot) throws Exception {
        Document doc = loaded(robot);
        byte[] before = doc.trimap().data.clone();
        robot.type(KeyCode.B);
        stroke(robot, 150, 250, 330, 480);
        assertFalse(java.util.Arrays.equals(before, doc.trimap().data));
        byte[] painted = doc.trimap().data.clone();
        robot.press(KeyCode.CONTROL, KeyCode.Z).release(KeyCode.Z, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertArrayEquals(before, doc.trimap().data);
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.Z).release(KeyCode.Z, KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertArrayEquals(painted, doc.trimap().data);
        robot.press(KeyCode.CONTROL, KeyCode.Z).release(KeyCode.Z, KeyCode.CONTROL);
        robot.press(KeyCode.CONTROL, KeyCode.Y).release(KeyCode.Y, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertArrayEquals(painted, doc.trimap().data);
    }

    @Test
    void corruptFileShowsErrorAndKeepsDocument(FxRobot robot) throws Exception {
        Document doc = loaded(robot);
        robot.type(KeyCode.F);
        stroke(robot, 60, 60, 120, 60);
        byte[] state = doc.trimap().data.clone();
        byte[] png = Files.readAllBytes(SAMPLE);
        Path corrupt = Files.write(dir.resolve("broken.png"), java.util.Arrays.copyOf(png, 300));
        assertTrue(fx(() -> editor.openDropped(List.of(corrupt))), "a dropped image is opened like File > Open");
        await("error", () -> editor.lastError() != null && !editor.isBusy());
        assertTrue(editor.lastError().contains("broken.png"), editor.lastError());
        assertSame(doc, fx(editor::document));
        assertArrayEquals(state, doc.trimap().data);
        Path text = Files.writeString(dir.resolve("notes.jpg"), "not an image");
        fx(() -> { editor.open(text); return null; });
        await("error", () -> editor.lastError().contains("notes.jpg") && !editor.isBusy());
        assertSame(doc, fx(editor::document));
    }

    @Test
    void matteThenStrokeRemattesTheRegion(FxRobot robot) throws Exception {
        Document doc = loaded(robot);
        fx(() -> { editor.setViewMode(ViewMode.ALPHA); return null; });
        assertTrue(robot.lookup("#placeholder").query().isVisible(), "placeholder before any alpha");
        robot.press(KeyCode.CONTROL, KeyCode.M).release(KeyCode.M, KeyCode.CONTROL);
        await("alpha", () -> doc.alpha() != null && !editor.isBusy());
        assertEquals(1, engine.full.get());
        Path alphaFile = dir.resolve("out-alpha.png"), trimapFile = dir.resolve("out-trimap.png");
        fx(() -> { editor.save("alpha", alphaFile); editor.save("trimap", trimapFile); return null; });
        await("saved", () -> !editor.isBusy());
        FloatImage saved = studio.matting.image.ImageFiles.readAlpha(alphaFile);
        for (int i = 0; i < saved.data.length; i += 97) assertEquals(doc.alpha().data[i], saved.data[i], 1e-4f);
        assertArrayEquals(doc.trimap().data, studio.matting.trimap.TrimapFiles.read(trimapFile).data);
        assertNotNull(doc.foreground());
        assertFalse(robot.lookup("#placeholder").query().isVisible());
        robot.type(KeyCode.F);
        stroke(robot, 60, 60, 120, 60);
        await("region re-matte", () -> engine.region.get() == 1 && !editor.isBusy());
        assertEquals(1f, doc.alpha().get(90, 60, 0), "re-matted alpha follows the new foreground stroke");
        robot.press(KeyCode.CONTROL, KeyCode.Z).release(KeyCode.Z, KeyCode.CONTROL);
        await("re-matte after undo", () -> engine.region.get() == 2 && !editor.isBusy());
        assertEquals(0f, doc.alpha().get(90, 60, 0), "undoing the stroke re-mattes it away");
    }

    @Test
    void bandChangeAfterMatteRemattesTheChangedBand(FxRobot robot) throws Exception {
        Document doc = loaded(robot);
        robot.press(KeyCode.CONTROL, KeyCode.M).release(KeyCode.M, KeyCode.CONTROL);
        await("alpha", () -> doc.alpha() != null && !editor.isBusy());
        Spinner<Double> kernel = spinner(robot, "#bandKernel");
        fx(() -> { kernel.getValueFactory().setValue(25.0); return null; });
        await("re-matte after the slider", () -> engine.region.get() >= 1 && !editor.isBusy() && doc.kernelSize() == 25);
        assertEquals(1, engine.full.get(), "no full matte: only the changed band");
        // the test engine copies the trimap, so the alpha must now show the wider band
        int agree = 0, unknown = 0;
        for (int i = 0; i < doc.trimap().data.length; i++) {
            if (doc.trimap().isUnknown(i)) {
                unknown++;
                if (doc.alpha().data[i] == 128 / 255f) agree++;
            }
        }
        assertEquals(unknown, agree, "alpha follows the regenerated trimap everywhere in the band");

        javafx.scene.control.CheckBox auto = robot.lookup("#autoRematte").queryAs(javafx.scene.control.CheckBox.class);
        fx(() -> { auto.setSelected(false); kernel.getValueFactory().setValue(9.0); return null; });
        await("regenerated", () -> !editor.isBusy() && doc.kernelSize() == 9);
        // Nothing is waiting to re-matte (exact, where a sleep could only hope the timer had fired)
        assertFalse(fx(() -> editor.session().rematteScheduler().isScheduled()), "auto re-matte off: nothing scheduled");
        assertTrue(fx(() -> editor.session().rematteScheduler().pending().isEmpty()), "auto re-matte off: nothing pending");
        assertFalse(fx(() -> editor.session().jobs().isRunning()), "and no re-matte running");
    }

    @Test
    void ellipseToolAndTrimapFileReplaceTheMask(FxRobot robot) throws Exception {
        Document doc = loaded(robot);
        robot.type(KeyCode.E);
        assertEquals("ellipse", fx(() -> editor.tool().id()));
        stroke(robot, 40, 40, 200, 300); // drag a box: the ellipse inscribed in it becomes the mask
        await("ellipse mask", () -> "ellipse".equals(doc.maskSource()) && !editor.isBusy());
        assertTrue(doc.mask().get(120, 170, 0) > 0.99f, "inside the dragged ellipse");
        assertEquals(0f, doc.mask().get(400, 500, 0), "outside the dragged ellipse");
        assertEquals(Trimap.FOREGROUND, doc.trimap().get(120, 170));
        assertEquals(Trimap.BACKGROUND, doc.trimap().get(400, 500));

        robot.clickOn("Mask").clickOn("Segment with Box model");
        await("segmenter mask", () -> "Box model".equals(doc.maskSource()) && !editor.isBusy());
        assertEquals(Trimap.FOREGROUND, doc.trimap().get(240, 300));
        assertEquals(Trimap.BACKGROUND, doc.trimap().get(240, 100));

        Trimap t = Trimap.filled(480, 600, Trimap.BACKGROUND);
        for (int y = 100; y < 200; y++) for (int x = 100; x < 300; x++) t.set(x, y, y < 120 ? Trimap.UNKNOWN : Trimap.FOREGROUND);
        Path file = dir.resolve("tri.png");
        studio.matting.trimap.TrimapFiles.write(t, file, false);
        fx(() -> { editor.loadMask(file); return null; });
        await("trimap file", () -> "tri.png".equals(doc.maskSource()) && !editor.isBusy());
        assertArrayEquals(t.data, doc.trimap().data, "a trimap file is used as is");
    }

    @Test
    void brushSizeZoomAndViewShortcuts(FxRobot robot) throws Exception {
        loaded(robot);
        double d0 = fx(() -> editor.brush().diameter());
        robot.type(KeyCode.CLOSE_BRACKET);
        assertTrue(fx(() -> editor.brush().diameter()) > d0);
        robot.type(KeyCode.OPEN_BRACKET).type(KeyCode.OPEN_BRACKET);
        assertTrue(fx(() -> editor.brush().diameter()) < d0);

        double z0 = fx(editor::zoom);
        Point2D m = fx(() -> editor.imageToScreen(240, 300));
        robot.moveTo(m);
        robot.press(KeyCode.CONTROL).scroll(5, javafx.geometry.VerticalDirection.UP).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertNotEquals(z0, fx(editor::zoom), 1e-6, "ctrl+wheel zooms");
        // The image point under the cursor stays under the cursor while zooming.
        assertTrue(fx(() -> editor.imageToScreen(240, 300)).distance(m) < 1.5);

        robot.type(KeyCode.DIGIT3);
        assertEquals(ViewMode.TRIMAP, fx(editor::viewMode));
        robot.type(KeyCode.DIGIT5);
        assertEquals(ViewMode.COMPOSITE, fx(editor::viewMode));
        assertTrue(robot.lookup("#placeholder").query().isVisible(), "composite without alpha shows the notice");
    }

    @Test
    void cancelStopsALongMatteAndKeepsNoAlpha(FxRobot robot) throws Exception {
        Document doc = loaded(robot);
        fx(() -> {
            robot.lookup("#engineChoice").queryComboBox().setValue(slow);
            return null;
        });
        robot.clickOn("#matteButton");
        await("progress shown", () -> robot.lookup("#cancelButton").query().isVisible());
        robot.clickOn("#cancelButton");
        await("cancelled", () -> !editor.isBusy());
        assertNull(doc.alpha());
        assertFalse(robot.lookup("#progress").query().isVisible());
        assertEquals("Matting cancelled", robot.lookup("#messageStatus").queryAs(javafx.scene.control.Label.class).getText());
    }
}
