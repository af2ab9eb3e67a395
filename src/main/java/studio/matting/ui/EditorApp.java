package studio.matting.ui;

import studio.matting.ui.canvas.ViewMode;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import studio.matting.matting.MattingEngine;
import studio.matting.segment.Segmenter;

import javax.imageio.ImageIO;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The editor application. Arguments: an optional image path, and developer options {@code --screenshot=out.png}
 * (save a snapshot of the window once the image is loaded, then quit), {@code --view=overlay|trimap|alpha|composite|image}
 * {@code --matte} (matte before the snapshot) and {@code --select=X,Y,W,H} (a box selection first).
 */
public final class EditorApp extends Application {
    /** Engines known to the editor: the engine catalogue's (closed-form and the installed models). */
    private static final Supplier<List<MattingEngine>> engineSupplier = studio.matting.pipeline.Engines::mattingEngines;

    /** Starts the editor; returns normally when its window closes, or exits with status 1 when there is no display. */
    public static void launchEditor(String[] args) {
        try {
            Application.launch(EditorApp.class, args);
        } catch (RuntimeException e) {
            String why = DisplayProblem.explain(e);
            if (why == null) throw e;
            System.err.println(why);
            System.exit(1);
        }
    }

    /** Person segmenters for the Mask menu and Auto: the segmentation models found in the model folders. */
    private static final Supplier<List<Segmenter>> segmenterSupplier = studio.matting.pipeline.Engines::segmenters;

    @Override
    public void start(Stage stage) {
        List<String> args = getParameters().getRaw();
        String screenshot = null, view = null, image = null, select = null;
        boolean matte = false;
        for (String a : args) {
            if (a.startsWith("--screenshot=")) screenshot = a.substring(13);
            else if (a.startsWith("--view=")) view = a.substring(7);
            else if (a.equals("--matte")) matte = true;
            else if (a.startsWith("--select=")) select = a.substring(9);
            else if (!a.startsWith("--")) image = a;
        }
        // JavaFX's own texts (OK/Cancel/Yes/No in dialogs, text-field context menus) follow the default locale: make it
        // the UI language before the first control is skinned, so a chosen language is not mixed with the system's.
        Locale.setDefault(I18n.locale());
        if (screenshot != null) System.setProperty(EditorSettings.HINT_PROPERTY, "false"); // the tools' own pictures
        EditorController c = new EditorController(stage, engineSupplier, segmenterSupplier);
        Scene scene = c.createScene(1280, 820);
        stage.setTitle(I18n.get("app.title"));
        stage.setScene(scene);
        stage.setOnHidden(e -> c.shutdown());
        stage.show();
        // The device check reads the file system only (no CUDA initialisation), cheap enough for start-up.
        c.setDeviceText(studio.matting.pipeline.Engines.deviceDescription());
        boolean recovering = false;
        if (screenshot == null) {
            // Autosave every few edits; a recovery file left by a crashed session is offered before anything else.
            String dir = System.getProperty("matting.recoveryDir");
            c.enableAutosave(dir != null ? Path.of(dir) : studio.matting.project.Autosave.defaultDirectory());
            recovering = c.offerRecovery();
        }
        if (image != null && !recovering) {
            c.open(Path.of(image)); // a bad path gets the loader's message in a dialog
        }
        if (screenshot != null) screenshotWhenReady(c, scene, Path.of(screenshot), view, matte, select, 0);
    }

    private static void screenshotWhenReady(EditorController c, Scene scene, Path out, String view, boolean matte, String select, int step) {
        javafx.animation.PauseTransition p = new javafx.animation.PauseTransition(javafx.util.Duration.millis(300));
        p.setOnFinished(e -> {
            if (c.isBusy() || c.document() == null) {
                if (step < 400) screenshotWhenReady(c, scene, out, view, matte, select, step + 1);
                else Platform.exit();
                return;
            }
            if (select != null) {
                // --select=X,Y,W,H: a box selection first (the Select tool's drag), for its screenshot
                String[] v = select.split(",");
                c.canvas().toolbox().byId("select").ifPresent(t -> c.canvas().toolbox().select(t));
                c.session().selection().select(new studio.matting.image.Rect(Integer.parseInt(v[0].trim()), Integer.parseInt(v[1].trim()),
                        Integer.parseInt(v[2].trim()), Integer.parseInt(v[3].trim())));
                screenshotWhenReady(c, scene, out, view, matte, null, step + 1);
                return;
            }
            if (matte && c.document().alpha() == null && step < 1000) {
                c.matte();
                screenshotWhenReady(c, scene, out, view, false, null, step + 1);
                return;
            }
            if (view != null) {
                c.setViewMode(ViewMode.valueOf(view.toUpperCase(Locale.ROOT)));
                screenshotWhenReady(c, scene, out, null, false, null, step + 1);
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
