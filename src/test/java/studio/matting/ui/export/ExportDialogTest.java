package studio.matting.ui.export;

import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationTest;
import org.testfx.util.WaitForAsyncUtils;
import studio.matting.export.ExportOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ExportDialogTest extends ApplicationTest {
    @TempDir
    Path dir;

    private ExportDialog dialog;

    @Override
    public void start(Stage stage) {
        stage.setScene(new javafx.scene.Scene(new javafx.scene.layout.StackPane(), 200, 100));
        stage.show();
    }

    private void open(ExportOptions initial) {
        interact(() -> {
            dialog = new ExportDialog(initial);
            dialog.show();
        });
    }

    @Test
    void buildsOptionsFromTheForm() {
        open(ExportOptions.defaults(dir, "portrait"));
        interact(() -> {
            // fire() toggles like a click; lookup by id checks the controls are in the dialog's scene graph.
            ((javafx.scene.control.CheckBox) dialog.getDialogPane().lookup("#export-alpha16")).fire();
            ((javafx.scene.control.CheckBox) dialog.getDialogPane().lookup("#export-trimap")).fire();
            dialog.form().format.setValue(ExportOptions.CompositeFormat.JPEG);
            dialog.form().quality.setValue(80);
            dialog.form().maxKb.getEditor().setText("250");
            dialog.form().dpi.getEditor().setText("600");
        });
        interact(() -> ((Button) dialog.getDialogPane().lookupButton(ButtonType.OK)).fire());
        WaitForAsyncUtils.waitForFxEvents();
        ExportOptions o = dialog.getResult();
        assertNotNull(o);
        assertFalse(dialog.isShowing());
        assertTrue(o.alpha() && o.alpha16() && o.cutout() && o.composite() && o.trimap());
        assertEquals(ExportOptions.CompositeFormat.JPEG, o.compositeFormat());
        assertEquals(0.80f, o.jpegQuality(), 1e-6);
        assertEquals(250, o.maxJpegKb());
        assertEquals(600, o.dpi());
        assertEquals(dir, o.directory());
        assertFalse(o.overwrite());
    }

    @Test
    void asksBeforeOverwriting() throws Exception {
        ExportOptions initial = ExportOptions.defaults(dir, "p").withOutputs(true, false, false, false, false);
        Files.writeString(initial.alphaPath(), "old");
        open(initial);
        List<List<Path>> asked = new ArrayList<>();
        interact(() -> dialog.setConfirmOverwrite(p -> {
            asked.add(p);
            return false;
        }));
        interact(() -> ((Button) dialog.getDialogPane().lookupButton(ButtonType.OK)).fire());
        assertEquals(List.of(List.of(initial.alphaPath())), asked);
        assertTrue(dialog.isShowing(), "declining must keep the dialog open");

        interact(() -> dialog.setConfirmOverwrite(p -> true));
        interact(() -> ((Button) dialog.getDialogPane().lookupButton(ButtonType.OK)).fire());
        assertFalse(dialog.isShowing());
        assertTrue(dialog.getResult().overwrite());
    }

    @Test
    void noOutputKeepsDialogOpen() {
        open(ExportOptions.defaults(dir, "p").withOutputs(false, false, false, false, false));
        interact(() -> ((Button) dialog.getDialogPane().lookupButton(ButtonType.OK)).fire());
        assertTrue(dialog.isShowing());
        assertThrows(IllegalArgumentException.class, () -> dialog.form().options(false));
        interact(() -> dialog.close());
    }
}
