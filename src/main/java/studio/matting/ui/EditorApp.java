package studio.matting.ui;

import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;

/** The editor application (to be replaced by the full editor window). */
public final class EditorApp extends Application {
    public static void launchEditor(String[] args) {
        Application.launch(EditorApp.class, args);
    }

    @Override
    public void start(Stage stage) {
        stage.setTitle("Matting Studio");
        stage.setScene(new Scene(new Label("Matting Studio"), 800, 600));
        stage.show();
    }
}
