package studio.matting.ui;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import studio.matting.matting.MattingEngine;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The editor application. Arguments: an optional image path, and developer options {@code --screenshot=out.png}
 * (save a snapshot of the window once the image is loaded, then quit), {@code --view=overlay|trimap|alpha|composite|image}
 * and {@code --matte} (matte before the snapshot).
 */
public final class EditorApp extends Application {
    /** Engines known to the editor; other engines (learned models) plug in here. */
    private static volatile Supplier<List<MattingEngine>> engineSupplier = EditorApp::defaultEngines;

    public static void launchEditor(String[] args) {
        Application.launch(EditorApp.class, args);
    }

    public static void setEngineSupplier(Supplier<List<MattingEngine>> s) {
        engineSupplier = s;
    }

    /**
     * Engines found on the class path. Looked up by name so the editor builds before (and without) the engines'
     * packages.
     */
    public static List<MattingEngine> defaultEngines() {
        List<MattingEngine> out = new ArrayList<>();
        for (String cls : List.of("studio.matting.matting.ClosedFormEngine")) {
            try {
                Object o = Class.forName(cls).getDeclaredConstructor().newInstance();
                if (o instanceof MattingEngine e) out.add(e);
            } catch (ReflectiveOperationException | LinkageError | RuntimeException ignored) {
                // not in this build
            }
        }
        return out;
    }

    @Override
    public void start(Stage stage) {
        List<String> args = getParameters().getRaw();
        String screenshot = null, view = null, image = null;
        boolean matte = false;
        for (String a : args) {
            if (a.startsWith("--screenshot=")) screenshot = a.substring(13);
            else if (a.startsWith("--view=")) view = a.substring(7);
            else if (a.equals("--matte")) matte = true;
            else if (!a.startsWith("--")) image = a;
        }
        EditorController c = new EditorController(stage, engineSupplier);
        Scene scene = c.createScene(1280, 820);
        stage.setTitle("Matting Studio");
        stage.setScene(scene);
        stage.setOnHidden(e -> c.shutdown());
        stage.show();
        if (image != null) {
            Path p = Path.of(image);
            if (Files.exists(p)) c.open(p);
            else System.err.println("No such image: " + image);
        }
        if (screenshot != null) screenshotWhenReady(c, scene, Path.of(screenshot), view, matte, 0);
    }

    private static void screenshotWhenReady(EditorController c, Scene scene, Path out, String view, boolean matte, int step) {
        javafx.animation.PauseTransition p = new javafx.animation.PauseTransition(javafx.util.Duration.millis(300));
        p.setOnFinished(e -> {
            if (c.isBusy() || c.document() == null) {
                if (step < 400) screenshotWhenReady(c, scene, out, view, matte, step + 1);
                else Platform.exit();
                return;
            }
            if (matte && c.document().alpha() == null && step < 1000) {
                c.matte();
                screenshotWhenReady(c, scene, out, view, false, step + 1);
                return;
            }
            if (view != null) {
                c.setViewMode(ViewMode.valueOf(view.toUpperCase(Locale.ROOT)));
                screenshotWhenReady(c, scene, out, null, false, step + 1);
                return;
            }
            try {
                WritableImage img = scene.snapshot(null);
                ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", out.toFile());
                System.out.println("Saved " + out);
            } catch (Exception ex) {
                System.err.println("Screenshot failed: " + ex);
            }
            Platform.exit();
        });
        p.play();
    }
}
