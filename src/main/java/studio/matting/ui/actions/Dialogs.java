package studio.matting.ui.actions;

import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ColorPicker;
import javafx.scene.control.Dialog;
import javafx.scene.paint.Color;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import studio.matting.compositor.Background;
import studio.matting.document.Document;
import studio.matting.export.ExportOptions;
import studio.matting.image.FileNames;
import studio.matting.project.ProjectFiles;
import studio.matting.ui.I18n;
import studio.matting.ui.export.ExportDialog;
import studio.matting.ui.idphoto.IdPhotoPane;
import studio.matting.ui.session.EditorSession;

import java.io.File;
import java.nio.file.Path;
import java.util.Locale;
import java.util.ResourceBundle;

/** The editor's dialogs and file choosers: each asks the user, then hands the answer to the session. */
public final class Dialogs {
    private final Stage stage;
    private final EditorSession session;

    public Dialogs(Stage stage, EditorSession session) {
        this.stage = stage;
        this.session = session;
    }

    public Stage stage() { return stage; }

    private static FileChooser.ExtensionFilter images() {
        return new FileChooser.ExtensionFilter(I18n.get("filter.images"), FileNames.imagePatterns());
    }

    /** Starts the chooser in the folder of the open image, when it has one. */
    private void nearDocument(FileChooser fc) {
        Document d = session.document();
        if (d != null && d.path() != null && d.path().toAbsolutePath().getParent() != null)
            fc.setInitialDirectory(d.path().toAbsolutePath().getParent().toFile());
    }

    public void error(String title, String message) {
        Alert a = new Alert(Alert.AlertType.ERROR, message);
        a.setTitle(title);
        a.setHeaderText(title);
        a.initOwner(stage);
        a.show();
    }

    public void openImage() {
        FileChooser fc = new FileChooser();
        fc.setTitle(I18n.get("dialog.openImage.title"));
        fc.getExtensionFilters().addAll(images(), new FileChooser.ExtensionFilter(I18n.get("filter.allFiles"), "*.*"));
        File f = fc.showOpenDialog(stage);
        if (f != null) session.files().open(f.toPath());
    }

    public void loadMask() {
        if (session.document() == null) return;
        FileChooser fc = new FileChooser();
        fc.setTitle(I18n.get("dialog.loadMask.title"));
        fc.getExtensionFilters().add(images());
        File f = fc.showOpenDialog(stage);
        if (f != null) session.loadMask(f.toPath());
    }

    public void project(boolean save) {
        FileChooser fc = new FileChooser();
        fc.setTitle(I18n.get(save ? "dialog.saveProject.title" : "dialog.openProject.title"));
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(I18n.get("dialog.project.filter"), "*" + ProjectFiles.EXTENSION));
        if (save && session.document() != null && session.document().path() != null) {
            fc.setInitialFileName(session.documentStem("project") + ProjectFiles.EXTENSION);
            nearDocument(fc);
        }
        File f = save ? fc.showSaveDialog(stage) : fc.showOpenDialog(stage);
        if (f == null) return;
        if (save) session.files().saveProject(f.toPath());
        else session.files().openProject(f.toPath());
    }

    /** File ▸ Save trimap / Save alpha: {@code what} is "trimap" or "alpha". */
    public void saveLayer(String what) {
        Document d = session.document();
        if (d == null) return;
        if (what.equals("alpha") && d.alpha() == null) {
            error(I18n.get("error.nothingToSave.title"), I18n.get("error.nothingToSave.text"));
            return;
        }
        FileChooser fc = new FileChooser();
        fc.setTitle(I18n.get(what.equals("alpha") ? "dialog.saveAlpha.title" : "dialog.saveTrimap.title"));
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG", "*.png"));
        fc.setInitialFileName(session.documentStem("image") + "-" + what + ".png");
        nearDocument(fc);
        File f = fc.showSaveDialog(stage);
        if (f != null) session.files().save(what, f.toPath());
    }

    public void backgroundColour() {
        Dialog<Color> dlg = new Dialog<>();
        dlg.initOwner(stage);
        dlg.setTitle(I18n.get("dialog.bgColour.title"));
        ColorPicker picker = new ColorPicker(Color.rgb(67, 142, 219));
        dlg.getDialogPane().setContent(picker);
        dlg.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        dlg.setResultConverter(bt -> bt == ButtonType.OK ? picker.getValue() : null);
        dlg.showAndWait().ifPresent(c -> session.setBackground(Background.solid((int) Math.round(c.getRed() * 255),
                (int) Math.round(c.getGreen() * 255), (int) Math.round(c.getBlue() * 255)), null));
    }

    public void backgroundImage() {
        FileChooser fc = new FileChooser();
        fc.setTitle(I18n.get("dialog.bgImage.title"));
        fc.getExtensionFilters().add(images());
        File f = fc.showOpenDialog(stage);
        if (f != null) session.files().loadBackgroundImage(f.toPath());
    }

    /** File ▸ Export…: alpha / cut-out / composite / trimap through the export dialog, written off the FX thread. */
    public void export() {
        Document d = session.document();
        if (d == null || d.alpha() == null) {
            error(I18n.get("error.nothingToExport.title"), I18n.get("error.nothingToExport.text"));
            return;
        }
        Path src = d.path();
        Path dir = src == null || src.toAbsolutePath().getParent() == null ? Path.of("").toAbsolutePath() : src.toAbsolutePath().getParent();
        double dpi = Double.isNaN(d.dpi()) || d.dpi() <= 0 ? 300 : d.dpi();
        ExportDialog dlg = new ExportDialog(ExportOptions.defaults(dir, session.documentStem("matte")).withDpi(dpi));
        dlg.initOwner(stage);
        dlg.showAndWait().ifPresent(session.files()::export);
    }

    /** Tools ▸ ID photo…: the ID-photo pane on the current matte, in its own window. */
    public void idPhoto() {
        Document d = session.document();
        if (d == null || d.alpha() == null) {
            error(I18n.get("error.noMatte.title"), I18n.get("error.noMatte.text"));
            return;
        }
        IdPhotoPane pane = new IdPhotoPane();
        pane.setSubject(d.image(), d.alpha(), d.foreground());
        Stage s = new Stage();
        s.initOwner(stage);
        s.setTitle(I18n.format("idphoto.windowTitle", d.path() == null ? I18n.get("app.untitled") : d.path().getFileName()));
        s.setScene(new Scene(pane, 1000, 720));
        s.show();
    }

    /**
     * At start-up: a recovery file means the last session did not end cleanly — offer to restore it.
     * @return true when the user chose to restore (the project is being opened)
     */
    public boolean offerRecovery() {
        var found = session.findRecovery();
        if (found.isEmpty()) return false;
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, I18n.get("dialog.recover.text"), ButtonType.YES, ButtonType.NO);
        a.initOwner(stage);
        a.setTitle(I18n.get("dialog.recover.title"));
        a.setHeaderText(I18n.get("dialog.recover.header"));
        if (a.showAndWait().orElse(ButtonType.NO) == ButtonType.YES) {
            session.files().openProject(found.get());
            return true;
        }
        session.clearRecovery();
        return false;
    }

    /**
     * Settings ▸ Language: stored in the user preferences; the menus are built once, so it applies on the next start.
     * @return the notice, in the language picked (that is the one the user can read)
     */
    public String chooseLanguage(String language) {
        I18n.storeLanguage(language);
        Locale chosen = I18n.resolve(language, Locale.getDefault());
        ResourceBundle b = ResourceBundle.getBundle("studio.matting.ui.messages", chosen,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_DEFAULT));
        Alert a = new Alert(Alert.AlertType.INFORMATION, b.getString("status.languageRestart"));
        a.setHeaderText(b.getString("menu.settings.language"));
        a.initOwner(stage);
        a.show();
        return b.getString("status.languageRestart");
    }
}
