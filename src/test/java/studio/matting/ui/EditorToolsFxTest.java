package studio.matting.ui;

import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.control.Spinner;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;
import studio.matting.document.Document;
import studio.matting.problems.Problem;
import studio.matting.trimap.Trimap;
import studio.matting.ui.canvas.ViewMode;
import studio.matting.ui.canvas.tools.FillTool;
import studio.matting.ui.canvas.tools.LassoTool;
import studio.matting.ui.canvas.tools.SelectTool;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.*;
import static studio.matting.ui.session.EditorToolsSessionTest.*;

/**
 * The issue 18 / 20 tools in the real window (headless Monocle): a box drag and a stroke with the Select tool, a
 * fill click, a lasso drag, undo, the properties panel changing the preview, view cycling, show-original and the
 * problem list's Next / Previous / Fix.
 */
@ExtendWith(ApplicationExtension.class)
class EditorToolsFxTest {
    private EditorController editor;
    private final studio.matting.ui.session.TestFixtures.TrimapEngine engine = new studio.matting.ui.session.TestFixtures.TrimapEngine();

    @Start
    void start(Stage stage) {
        I18n.setLocale(Locale.ENGLISH);
        editor = new EditorController(stage, () -> List.of(engine), List::of);
        Scene scene = editor.createScene(1100, 760);
        stage.setScene(scene);
        stage.show();
        editor.setDocument(emptyDocument()); // the two orange objects on blue; trimap all background
    }

    @AfterEach
    void tearDown() throws Exception {
        WaitForAsyncUtils.asyncFx(editor::shutdown).get();
    }

    private <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    private void await(String what, Callable<Boolean> c) throws Exception {
        long end = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < end) {
            WaitForAsyncUtils.waitForFxEvents();
            if (fx(c)) return;
            Thread.sleep(20);
        }
        fail("timed out waiting for " + what);
    }

    private Document ready(FxRobot robot) throws Exception {
        await("document", () -> editor.document() != null && !editor.isBusy());
        robot.clickOn("#canvas", MouseButton.SECONDARY); // focus without using a tool
        return fx(editor::document);
    }

    private Point2D at(double x, double y) throws Exception {
        return fx(() -> editor.imageToScreen(x, y));
    }

    private void drag(FxRobot robot, double... xy) throws Exception {
        var d = robot.drag(at(xy[0], xy[1]), MouseButton.PRIMARY);
        for (int i = 2; i < xy.length; i += 2) d.moveTo(at(xy[i], xy[i + 1]));
        d.drop();
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void boxDragSelectsThenAStrokeAddsAndUndoRestores(FxRobot robot) throws Exception {
        Document doc = ready(robot);
        robot.type(KeyCode.S);
        assertInstanceOf(SelectTool.class, fx(editor::tool));
        drag(robot, 30, 24, 190, 130); // both objects in the box
        await("selection", () -> editor.session().selection().active() && !editor.isBusy());
        assertTrue(doc.maskSource().startsWith("GrabCut"), doc.maskSource());
        assertEquals(Trimap.FOREGROUND, doc.trimap().get((int) AX, (int) AY), "the box made the mask");
        assertEquals(Trimap.BACKGROUND, doc.trimap().get((int) BX, (int) BY), "the smaller object is left out");
        assertFalse(fx(() -> ((SelectTool) editor.tool()).boxMode()), "now drags are strokes");

        drag(robot, BX - 10, BY, BX + 10, BY); // a foreground stroke (the level after a box)
        await("refined", () -> !editor.isBusy() && doc.history().undoCount() == 2);
        assertEquals(Trimap.FOREGROUND, doc.trimap().get((int) BX, (int) BY), "the F stroke added it");

        robot.press(KeyCode.CONTROL, KeyCode.Z).release(KeyCode.Z, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(Trimap.BACKGROUND, doc.trimap().get((int) BX, (int) BY), "undo restores the mask before the stroke");
        // B while the selection is active: background strokes; S again: a new box.
        robot.type(KeyCode.B);
        assertEquals(Trimap.BACKGROUND, (int) fx(() -> ((SelectTool) editor.tool()).level()));
        robot.type(KeyCode.S);
        assertTrue(fx(() -> ((SelectTool) editor.tool()).boxMode()));
    }

    @Test
    void fillFloodsTheClickedRegionAndFBUChooseItsLevel(FxRobot robot) throws Exception {
        Document doc = ready(robot);
        fx(() -> { doc.lasso("setup", new double[]{40, 30, 120, 30, 120, 110, 40, 110}, Trimap.BACKGROUND, 6); return null; });
        robot.type(KeyCode.G);
        assertInstanceOf(FillTool.class, fx(editor::tool));
        robot.type(KeyCode.U); // the fill's level, not the unknown brush
        assertInstanceOf(FillTool.class, fx(editor::tool));
        robot.clickOn(at(80, 70), MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(Trimap.UNKNOWN, doc.trimap().get(80, 70));
        assertEquals(Trimap.BACKGROUND, doc.trimap().get(5, 5), "the unknown outline walls the flood in");
        robot.press(KeyCode.CONTROL, KeyCode.Z).release(KeyCode.Z, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(Trimap.BACKGROUND, doc.trimap().get(80, 70));
        // Inside the unknown ring a foreground fill stays inside.
        robot.type(KeyCode.F);
        fx(() -> { doc.lasso("ring", new double[]{40, 30, 120, 30, 120, 110, 40, 110}, Trimap.FOREGROUND, 6); return null; });
        fx(() -> { doc.fill("hole", 80, 70, Trimap.BACKGROUND); return null; });
        robot.clickOn(at(80, 70), MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(Trimap.FOREGROUND, doc.trimap().get(80, 70));
        assertEquals(Trimap.BACKGROUND, doc.trimap().get(5, 5));
        robot.type(KeyCode.F); // the same key again: the foreground brush
        assertEquals("foreground", fx(() -> editor.tool().id()));
    }

    @Test
    void lassoFillsInsideAndOutlinesUnknown(FxRobot robot) throws Exception {
        Document doc = ready(robot);
        robot.type(KeyCode.L);
        assertInstanceOf(LassoTool.class, fx(editor::tool));
        drag(robot, 40, 30, 80, 30, 120, 30, 120, 70, 120, 110, 80, 110, 40, 110, 40, 70, 40, 32);
        assertEquals(Trimap.FOREGROUND, doc.trimap().get(80, 70), "inside");
        assertEquals(Trimap.UNKNOWN, doc.trimap().get(120, 70), "the outline");
        assertEquals(Trimap.BACKGROUND, doc.trimap().get(150, 70), "outside");
        assertEquals(1, doc.history().undoCount());
        robot.press(KeyCode.CONTROL, KeyCode.Z).release(KeyCode.Z, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(Trimap.BACKGROUND, doc.trimap().get(80, 70));
    }

    @Test
    void polygonClicksPlaceCornersAndTheFirstCornerCloses(FxRobot robot) throws Exception {
        Document doc = ready(robot);
        robot.type(KeyCode.L);
        LassoTool lasso = (LassoTool) fx(editor::tool);
        for (double[] c : new double[][]{{40, 30}, {120, 30}, {120, 110}, {40, 110}}) {
            robot.clickOn(at(c[0], c[1]), MouseButton.PRIMARY);
            WaitForAsyncUtils.waitForFxEvents();
        }
        assertTrue(fx(lasso::polygonOpen), "corners placed, not closed");
        assertEquals(Trimap.BACKGROUND, doc.trimap().get(80, 70), "nothing painted before it closes");
        assertTrue(fx(lasso::status).contains("4"), fx(lasso::status));
        robot.clickOn(at(41, 31), MouseButton.PRIMARY); // on the first corner
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(fx(lasso::polygonOpen));
        assertEquals(Trimap.FOREGROUND, doc.trimap().get(80, 70), "inside");
        assertEquals(Trimap.UNKNOWN, doc.trimap().get(120, 70), "the outline");
        assertEquals(Trimap.BACKGROUND, doc.trimap().get(150, 70), "outside");
        assertEquals(1, doc.history().undoCount(), "one undo step");

        // Enter closes too; Escape drops the corners without painting
        robot.type(KeyCode.B);
        for (double[] c : new double[][]{{50, 40}, {130, 40}, {130, 120}}) robot.clickOn(at(c[0], c[1]), MouseButton.PRIMARY);
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(Trimap.BACKGROUND, doc.trimap().get(115, 60), "the B polygon closed by Enter");
        assertEquals(2, doc.history().undoCount());
        for (double[] c : new double[][]{{140, 20}, {170, 20}, {170, 50}}) robot.clickOn(at(c[0], c[1]), MouseButton.PRIMARY);
        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(fx(lasso::polygonOpen));
        assertEquals(2, doc.history().undoCount(), "Escape painted nothing");
    }

    @Test
    void panelRefinementsChangeThePreviewAndViewKeysWork(FxRobot robot) throws Exception {
        Document doc = ready(robot);
        fx(() -> { doc.lasso("setup", new double[]{40, 30, 120, 30, 120, 110, 40, 110}, Trimap.FOREGROUND, 0); editor.matte(); return null; });
        await("matte", () -> doc.alpha() != null && !editor.isBusy());
        fx(() -> { editor.setViewMode(ViewMode.ALPHA); return null; });
        assertEquals(0xFFFFFFFF, (int) fx(() -> editor.displayedPixel(41, 70)), "hard edge before");

        // Type a feather into the panel: the field takes the digits, the shortcuts do not.
        robot.doubleClickOn("#feather .text-field").eraseText(4).write("6").type(KeyCode.ENTER);
        await("feathered preview", () -> !editor.isBusy() && editor.session().preview().refinements().feather() == 6);
        assertEquals(ViewMode.ALPHA, fx(editor::viewMode), "typing 6 did not switch to view 6");
        int soft = fx(() -> editor.displayedPixel(41, 70)) & 0xFF;
        assertTrue(soft > 60 && soft < 220, "the edge is soft in the preview: " + soft);
        assertEquals(1f, doc.alpha().get(41, 70, 0), "the matte itself is unchanged");

        // Undo takes the setting back.
        robot.clickOn("#canvas", MouseButton.SECONDARY);
        robot.press(KeyCode.CONTROL, KeyCode.Z).release(KeyCode.Z, KeyCode.CONTROL);
        await("undone", () -> !editor.isBusy() && editor.session().preview().refinements().feather() == 0);
        assertEquals(0xFFFFFFFF, (int) fx(() -> editor.displayedPixel(41, 70)));
        assertEquals(0.0, fx(() -> robot.lookup("#feather").queryAs(Spinner.class).getValue()), "the field follows");

        // V cycles the view; X shows the photo while held.
        robot.type(KeyCode.V);
        assertEquals(ViewMode.COMPOSITE, fx(editor::viewMode));
        fx(() -> { editor.setViewMode(ViewMode.ON_WHITE); return null; });
        assertEquals(0xFFFFFFFF, (int) fx(() -> editor.displayedPixel(150, 10)), "on white");
        int photo = fx(() -> 0xFF000000 | doc.image().get(150, 10, 0) << 16 | doc.image().get(150, 10, 1) << 8 | doc.image().get(150, 10, 2));
        robot.press(KeyCode.X);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(photo, (int) fx(() -> editor.displayedPixel(150, 10)), "X held: the original");
        robot.release(KeyCode.X);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0xFFFFFFFF, (int) fx(() -> editor.displayedPixel(150, 10)));
    }

    @Test
    void problemListNextPreviousAndFix(FxRobot robot) throws Exception {
        Document doc = ready(robot);
        fx(() -> {
            doc.lasso("subject", new double[]{40, 30, 110, 30, 110, 120, 40, 120}, Trimap.FOREGROUND, 0);
            doc.lasso("island", new double[]{160, 14, 174, 14, 174, 28, 160, 28}, Trimap.FOREGROUND, 0);
            doc.lasso("island 2", new double[]{150, 120, 164, 120, 164, 134, 150, 134}, Trimap.FOREGROUND, 0);
            editor.matte();
            return null;
        });
        await("problems", () -> !editor.isBusy() && editor.panel().shownProblems().size() >= 2);
        List<Problem> list = fx(() -> editor.panel().shownProblems());
        double zoom = fx(editor::zoom);
        robot.clickOn("#problemNext");
        assertEquals(list.get(0), fx(() -> editor.panel().selectedProblem()));
        assertTrue(fx(editor::zoom) > zoom, "the view zooms in on the spot");
        robot.clickOn("#problemNext");
        assertEquals(list.get(1), fx(() -> editor.panel().selectedProblem()));
        robot.clickOn("#problemPrevious");
        assertEquals(list.get(0), fx(() -> editor.panel().selectedProblem()));
        Problem first = list.get(0);
        int cx = first.box().x() + first.box().width() / 2, cy = first.box().y() + first.box().height() / 2;
        assertEquals(Trimap.FOREGROUND, doc.trimap().get(cx, cy));
        robot.clickOn("#problemFix");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(Problem.Kind.ISLAND, first.kind());
        assertEquals(Trimap.BACKGROUND, doc.trimap().get(cx, cy), "the fix painted background");
        assertFalse(fx(() -> editor.panel().shownProblems()).contains(first));
        await("re-matted", () -> !editor.isBusy() && doc.alpha().get(cx, cy, 0) == 0f);
    }
}
