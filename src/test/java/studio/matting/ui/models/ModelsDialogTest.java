package studio.matting.ui.models;

import javafx.scene.Scene;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;
import studio.matting.inference.ModelRepository;
import studio.matting.pipeline.Engines;
import studio.matting.segment.Segmenter;
import studio.matting.ui.EditorController;
import studio.matting.ui.I18n;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Settings ▸ Models… in the real editor: an import appears in the dialog's list and, without a restart, in the Mask
 * menu; a removal takes it out again; a refused file leaves the folder and the menu as they were.
 */
@ExtendWith(ApplicationExtension.class)
class ModelsDialogTest {
    @TempDir static Path tmp;
    private static String oldProp;
    private EditorController editor;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        I18n.setLocale(java.util.Locale.ENGLISH);
        oldProp = System.getProperty(ModelRepository.USER_PROPERTY);
        Path user = Files.createDirectories(tmp.resolve("user-" + System.nanoTime()));
        System.setProperty(ModelRepository.USER_PROPERTY, user.toString());
        ModelRepository.fireChanged(); // the catalogue may have been scanned by another test with another folder
        stage.setScene(new Scene(new javafx.scene.layout.StackPane(), 200, 100));
        stage.show();
    }

    /** The editor on the real catalogue; built in the test, not in @Start, whose time limit a loaded machine can pass. */
    private void openEditor() throws Exception {
        fx(() -> {
            editor = new EditorController(stage, Engines::mattingEngines, Engines::segmenters);
            stage.setScene(editor.createScene(1400, 800)); // wide enough that the tool bar keeps the engine chooser out of its overflow menu
            return null;
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            for (Window w : List.copyOf(Window.getWindows())) if (w != stage) w.hide();
            if (editor != null) editor.shutdown();
        }).get();
        if (oldProp == null) System.clearProperty(ModelRepository.USER_PROPERTY);
        else System.setProperty(ModelRepository.USER_PROPERTY, oldProp);
        ModelRepository.fireChanged();
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    private static void await(String what, Callable<Boolean> c) throws Exception {
        long end = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < end) {
            WaitForAsyncUtils.waitForFxEvents();
            if (fx(c)) return;
            Thread.sleep(20);
        }
        fail("timed out waiting for " + what);
    }

    private List<String> maskItems() throws Exception {
        return fx(() -> {
            MenuBar bar = (MenuBar) stage.getScene().getRoot().lookup(".menu-bar");
            Menu mask = bar.getMenus().stream().filter(m -> "maskMenu".equals(m.getId())).findFirst().orElseThrow();
            return mask.getItems().stream().map(MenuItem::getId).collect(Collectors.toList());
        });
    }

    private static Path model(String name) throws Exception {
        Path src = Path.of(ModelsDialogTest.class.getResource("/models/families/" + name + ".onnx").toURI());
        Path dir = Files.createDirectories(tmp.resolve("downloads-" + System.nanoTime()));
        return Files.copy(src, dir.resolve(name + ".onnx"));
    }

    @Test
    void importShowsInTheListAndTheMaskMenuThenRemoveTakesItOut() throws Exception {
        openEditor();
        MenuItem item = fx(() -> {
            MenuBar bar = (MenuBar) stage.getScene().getRoot().lookup(".menu-bar");
            Menu settings = bar.getMenus().stream().filter(m -> "settingsMenu".equals(m.getId())).findFirst().orElseThrow();
            return settings.getItems().stream().filter(m -> "modelsItem".equals(m.getId())).findFirst().orElse(null);
        });
        assertNotNull(item, "Settings ▸ Models… exists");
        assertFalse(maskItems().contains("segment-tiny-u2net"));

        AtomicInteger changes = new AtomicInteger();
        ModelsDialog d = fx(() -> {
            ModelsDialog dialog = new ModelsDialog(stage, () -> { changes.incrementAndGet(); editor.reloadModels(); });
            dialog.show();
            return dialog;
        });
        Path u2net = model("tiny-u2net");
        fx(() -> { d.importFiles(List.of(u2net)); return null; });
        await("import", () -> !d.busy());
        String status = fx(() -> d.status().getText());
        assertTrue(status.startsWith("Imported tiny-u2net as u2net"), status);
        assertEquals(1, changes.get());
        assertTrue(fx(() -> d.list().getItems().stream().anyMatch(l -> l.removable() && l.entry().name().equals("tiny-u2net"))));
        assertTrue(maskItems().contains("segment-tiny-u2net"), maskItems().toString());

        // a refused file: the status says why, nothing changes
        Path two = model("tiny-two-inputs");
        fx(() -> { d.family().setValue("u2net"); d.importFiles(List.of(two)); return null; });
        await("refusal", () -> !d.busy());
        status = fx(() -> d.status().getText());
        assertTrue(status.startsWith("Not imported: Model tiny-two-inputs.onnx does not fit family u2net"), status);
        assertEquals(1, changes.get());

        fx(() -> {
            d.setConfirmRemove(n -> true);
            d.list().getItems().stream().filter(l -> l.entry().name().equals("tiny-u2net")).findFirst().ifPresent(l -> d.list().getSelectionModel().select(l));
            d.removeSelected();
            return null;
        });
        assertEquals(2, changes.get());
        assertEquals("Removed tiny-u2net.", fx(() -> d.status().getText()));
        assertFalse(maskItems().contains("segment-tiny-u2net"));
        List<Segmenter> left = Engines.segmenters();
        assertTrue(left.stream().noneMatch(s -> s.id().equals("tiny-u2net")));
    }

    private List<String> engineIds() throws Exception {
        return fx(() -> {
            return editor.engineChoice().getItems().stream().map(studio.matting.matting.MattingEngine::id).collect(Collectors.toList());
        });
    }

    @Test
    void importedMattingModelJoinsTheEngineChooser() throws Exception {
        openEditor();
        assertFalse(engineIds().contains("my-mnet"));
        // our own export with its card beside it (family matting-studio)
        Path dir = Files.createDirectories(tmp.resolve("own-" + System.nanoTime()));
        Path res = Path.of(ModelsDialogTest.class.getResource("/models/tiny-mnet.onnx").toURI()).getParent();
        Path onnx = Files.copy(res.resolve("tiny-mnet.onnx"), dir.resolve("tiny-mnet.onnx"));
        Files.copy(res.resolve("tiny-mnet.json"), dir.resolve("tiny-mnet.json"));
        ModelsDialog d = fx(() -> {
            ModelsDialog dialog = new ModelsDialog(stage, editor::reloadModels);
            dialog.show();
            dialog.nameField().setText("my-mnet");
            dialog.importFiles(List.of(onnx));
            return dialog;
        });
        await("import", () -> !d.busy());
        String status = fx(() -> d.status().getText());
        assertTrue(status.startsWith("Imported my-mnet as matting-studio"), status);
        assertTrue(engineIds().contains("my-mnet"), engineIds().toString());
        fx(() -> {
            d.setConfirmRemove(n -> true);
            d.list().getItems().stream().filter(l -> l.entry().name().equals("my-mnet")).findFirst().ifPresent(l -> d.list().getSelectionModel().select(l));
            d.removeSelected();
            return null;
        });
        assertFalse(engineIds().contains("my-mnet"), engineIds().toString());
        assertTrue(engineIds().contains("closed-form"), engineIds().toString());
    }
}
