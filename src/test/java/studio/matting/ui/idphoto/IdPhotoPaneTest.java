package studio.matting.ui.idphoto;

import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Labeled;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationTest;
import org.testfx.util.WaitForAsyncUtils;
import studio.matting.idphoto.BackgroundPreset;
import studio.matting.idphoto.IdPhotoPreset;
import studio.matting.idphoto.SketchPortrait;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.ui.I18n;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.*;

class IdPhotoPaneTest extends ApplicationTest {
    private static final SketchPortrait P = SketchPortrait.single();
    private IdPhotoPane pane;
    private Stage stage;

    @TempDir
    Path dir;

    @Override
    public void start(Stage stage) {
        this.stage = stage;
        pane = new IdPhotoPane();
        stage.setScene(new Scene(pane, 1024, 700));
        stage.show();
    }

    @Test
    void rendersPresetSizesColoursSheetAndReport() throws Exception {
        assertNull(pane.photo());
        assertTrue(pane.export.isDisabled());
        interact(() -> pane.setSubject(P.image, P.mask, null));
        assertNull(pane.refusalMessage());
        assertEquals(295, pane.photo().width);
        assertEquals(413, pane.photo().height);
        assertEquals(12, pane.sheet().count());
        assertEquals(67, pane.photo().get(2, 2, 0)); // blue background in the corner
        assertEquals(219, pane.photo().get(2, 2, 2));
        assertTrue(lookup("#idphoto-preview").query().getBoundsInLocal().getWidth() > 0);
        assertNotNull(lookup("#idphoto-rule-head").query(), "pass/fail beside the photo");
        assertEquals(I18n.get("idphoto.pass"), ((Labeled) lookup("#idphoto-rule-background").query()).getText());

        interact(() -> pane.preset.setValue(IdPhotoPreset.TWO_INCH));
        assertEquals(413, pane.photo().width);
        assertEquals(579, pane.photo().height);
        assertEquals(4, pane.sheet().count());

        interact(() -> pane.paper.setValue("a4"));
        assertEquals(2480, pane.sheet().image().width);
        interact(() -> pane.paper.setValue("4x6"));

        interact(() -> pane.colorPreset.setValue(BackgroundPreset.RED));
        assertEquals(255, pane.photo().get(2, 2, 0));
        assertEquals(0, pane.photo().get(2, 2, 1));

        interact(() -> pane.preset.setValue(IdPhotoPreset.US));
        assertEquals(I18n.get("idphoto.fail"), ((Labeled) lookup("#idphoto-rule-background").query()).getText(), "US asks for white");
        interact(() -> pane.preset.setValue(IdPhotoPreset.TWO_INCH));

        interact(() -> pane.dpi.getValueFactory().setValue(600));
        assertEquals(827, pane.photo().width);

        List<Path> files = pane.exportTo(dir, "me", false);
        assertEquals(3, files.size());
        assertTrue(Files.readString(files.get(2)).contains("\"rules\""));
        interact(() -> pane.setCustomSize(40, 50));
        assertEquals(945, pane.photo().width);   // 40 mm at 600 DPI
        assertEquals(1181, pane.photo().height); // 50 mm at 600 DPI
        interact(() -> pane.setCustomSize(30, 40));
        assertEquals(1, pane.preset.getItems().stream().filter(x -> x.id().equals("custom")).count());
        assertEquals(600, ImageFiles.readDpi(files.get(0)), 0.5);
        assertEquals(827, ImageFiles.read(files.get(0)).width);
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> pane.exportTo(dir, "me", false));
    }

    @Test
    void dragMovesTheCropWithTheMouse() {
        interact(() -> pane.setSubject(P.image, P.mask, null));
        double x0 = pane.crop().x(), y0 = pane.crop().y(), w = pane.crop().width();
        interact(() -> pane.drag(20, -10));
        double k = w / pane.preview.getWidth();
        assertEquals(x0 - 20 * k, pane.crop().x(), 1e-6);
        assertEquals(y0 + 10 * k, pane.crop().y(), 1e-6);
        interact(() -> pane.zoom(1.25));
        assertEquals(1.25, pane.adjust().zoom(), 1e-9);
        interact(() -> pane.reset.fire());
        assertEquals(x0, pane.crop().x(), 1e-9);
    }

    @Test
    void mouseDragRendersThePhotoCoalescedAndTheSheetOnlyOnRelease() {
        interact(() -> pane.setSubject(P.image, P.mask, null));
        int[] before = pane.renderCounts();
        interact(() -> {
            pane.preview.fireEvent(mouse(MouseEvent.MOUSE_PRESSED, 50, 50));
            for (int i = 1; i <= 30; i++) pane.preview.fireEvent(mouse(MouseEvent.MOUSE_DRAGGED, 50 + i, 50));
        });
        WaitForAsyncUtils.waitForFxEvents();
        int[] dragged = pane.renderCounts();
        assertEquals(before[1], dragged[1], "no sheet render while dragging");
        assertTrue(dragged[0] - before[0] >= 1 && dragged[0] - before[0] < 30, "photo renders coalesced: " + (dragged[0] - before[0]));
        interact(() -> pane.preview.fireEvent(mouse(MouseEvent.MOUSE_RELEASED, 80, 50)));
        assertEquals(before[1] + 1, pane.renderCounts()[1], "one sheet render on release");
        assertTrue(pane.crop().x() < 300 - pane.crop().width() / 2, "the crop followed the mouse to the right");
    }

    private MouseEvent mouse(javafx.event.EventType<MouseEvent> type, double x, double y) {
        return new MouseEvent(type, x, y, x, y, MouseButton.PRIMARY, 1, false, false, false, false, true, false, false, true, false, false, null);
    }

    @Test
    void noFaceAndTwoFacesAreRefusedAndNothingIsExported() throws Exception {
        ByteImage fern = SketchPortrait.foliage(600, 800, 3);
        FloatImage full = new FloatImage(600, 800, 1);
        Arrays.fill(full.data, 1f);
        interact(() -> pane.setSubject(fern, full, null));
        assertNotNull(pane.refusalMessage());
        assertTrue(pane.refusalMessage().contains("no face"), pane.refusalMessage());
        assertTrue(lookup("#idphoto-refusal").query().isVisible());
        assertNull(pane.photo());
        assertTrue(pane.export.isDisabled());
        assertThrows(java.io.IOException.class, () -> pane.exportTo(dir, "x", false));
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count(), "nothing written");
        }

        SketchPortrait two = SketchPortrait.render(1200, 800, new SketchPortrait.Head(300, 330, 220, 0), new SketchPortrait.Head(900, 340, 200, 0));
        interact(() -> pane.setSubject(two.image, two.mask, null));
        assertTrue(pane.refusalMessage().contains("2 faces"), pane.refusalMessage());
        assertNull(pane.photo());

        interact(() -> pane.setSubject(P.image, P.mask, null));
        assertNull(pane.refusalMessage());
        assertFalse(lookup("#idphoto-refusal").query().isVisible());
        assertNotNull(pane.photo());
    }

    @Test
    void noLabelIsCutAt1024PxAndThePreviewsGrowWithTheWindow() {
        interact(() -> pane.setSubject(P.image, P.mask, null));
        interact(() -> stage.setHeight(600));
        WaitForAsyncUtils.waitForFxEvents();
        assertNoTruncatedLabels(pane);
        double small = pane.preview.getHeight(), smallSheet = pane.sheetPreview.getHeight();
        interact(() -> {
            // Monocle's headless screen is 1280 × 800: stay inside it.
            stage.setWidth(1270);
            stage.setHeight(790);
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(pane.preview.getHeight() > small * 1.2, "photo preview " + small + " -> " + pane.preview.getHeight());
        assertTrue(pane.sheetPreview.getHeight() > smallSheet * 1.2, "sheet preview " + smallSheet + " -> " + pane.sheetPreview.getHeight());
    }

    @Test
    void chineseLayoutHasNoCutLabelsEither() {
        Locale old = I18n.locale();
        try {
            interact(() -> {
                I18n.setLocale(Locale.SIMPLIFIED_CHINESE);
                pane = new IdPhotoPane();
                stage.setScene(new Scene(pane, 1024, 700));
            });
            interact(() -> pane.setSubject(P.image, P.mask, null));
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals("规格检查", ((Labeled) pane.lookupAll(".label").stream().filter(n -> n instanceof Labeled l && "规格检查".equals(l.getText()))
                    .findFirst().orElseThrow()).getText());
            assertNoTruncatedLabels(pane);
        } finally {
            interact(() -> I18n.setLocale(old));
        }
    }

    private static void assertNoTruncatedLabels(Parent root) {
        List<String> cut = new ArrayList<>();
        collect(root, cut);
        assertTrue(cut.isEmpty(), "labels cut: " + cut);
    }

    private static void collect(Node n, List<String> cut) {
        if (!n.isVisible()) return;
        if (n instanceof Labeled l && !l.isWrapText() && l.getText() != null && !l.getText().isEmpty()
                && l.getWidth() + 0.5 < l.prefWidth(-1) && l.getWidth() > 0) {
            cut.add(l.getText() + " (" + l.getWidth() + " < " + l.prefWidth(-1) + ")");
        }
        if (n instanceof Parent p) for (Node c : p.getChildrenUnmodifiable()) collect(c, cut);
    }
}
