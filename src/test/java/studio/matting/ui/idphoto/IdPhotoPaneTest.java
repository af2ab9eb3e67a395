package studio.matting.ui.idphoto;

import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationTest;
import studio.matting.idphoto.BackgroundPreset;
import studio.matting.idphoto.IdPhotoPreset;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageOps;
import studio.matting.sample.SyntheticPortrait;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class IdPhotoPaneTest extends ApplicationTest {
    private static final SyntheticPortrait P = SyntheticPortrait.render(480, 600, 1);
    private IdPhotoPane pane;

    @TempDir
    Path dir;

    @Override
    public void start(Stage stage) {
        pane = new IdPhotoPane();
        stage.setScene(new Scene(pane, 1000, 500));
        stage.show();
    }

    @Test
    void rendersPresetSizesColoursAndSheet() throws Exception {
        assertNull(pane.photo());
        interact(() -> pane.setSubject(ImageOps.toByte(P.image), P.alpha, P.foreground));
        assertEquals(295, pane.photo().width);
        assertEquals(413, pane.photo().height);
        assertEquals(12, pane.sheet().count());
        assertEquals(67, pane.photo().get(2, 2, 0)); // blue background in the corner
        assertEquals(219, pane.photo().get(2, 2, 2));
        assertTrue(lookup("#idphoto-preview").query().getBoundsInLocal().getWidth() > 0);

        interact(() -> pane.preset.setValue(IdPhotoPreset.TWO_INCH));
        assertEquals(413, pane.photo().width);
        assertEquals(579, pane.photo().height);
        assertEquals(4, pane.sheet().count());

        interact(() -> pane.colorPreset.setValue(BackgroundPreset.RED));
        assertEquals(255, pane.photo().get(2, 2, 0));
        assertEquals(0, pane.photo().get(2, 2, 1));

        interact(() -> pane.dpi.getValueFactory().setValue(600));
        assertEquals(827, pane.photo().width);

        List<Path> files = pane.exportTo(dir, "me", false);
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
        interact(() -> pane.setSubject(ImageOps.toByte(P.image), P.alpha, null));
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
}
