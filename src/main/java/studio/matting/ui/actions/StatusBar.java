package studio.matting.ui.actions;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import studio.matting.document.Document;
import studio.matting.matting.MattingEngine;
import studio.matting.ui.I18n;

import java.util.List;
import java.util.Locale;

/** Image size, zoom, tool, the last message, job progress with Cancel, and the engine with its device (a ControlsFX StatusBar). */
public final class StatusBar {
    private final ProgressBar progress = new ProgressBar(0);
    private final Button cancelButton = new Button(I18n.get("status.cancel"));
    private final Label sizeStatus = new Label(), zoomStatus = new Label(), brushStatus = new Label();
    private final Label engineStatus = new Label(), messageStatus = new Label();
    private final org.controlsfx.control.StatusBar node;

    public StatusBar(Runnable cancel) {
        progress.setId("progress");
        progress.setVisible(false);
        progress.setPrefWidth(160);
        cancelButton.setId("cancelButton");
        cancelButton.setVisible(false);
        cancelButton.setOnAction(e -> cancel.run());
        sizeStatus.setId("sizeStatus");
        zoomStatus.setId("zoomStatus");
        brushStatus.setId("brushStatus");
        engineStatus.setId("engineStatus");
        messageStatus.setId("messageStatus");
        // The short texts keep their width; the long device text is the one that gets an ellipsis.
        for (Label l : List.of(sizeStatus, zoomStatus, brushStatus, messageStatus)) l.setMinWidth(Region.USE_PREF_SIZE);
        engineStatus.setMinWidth(0);
        // ControlsFX's status bar lays out the items; its own progress bar cannot show "indeterminate" (it hides
        // below 0), so the job progress is ours, with Cancel beside it.
        node = new org.controlsfx.control.StatusBar();
        node.setText("");
        HBox left = new HBox(16, sizeStatus, zoomStatus, brushStatus, messageStatus);
        left.setAlignment(Pos.CENTER_LEFT);
        HBox right = new HBox(8, progress, cancelButton, engineStatus);
        right.setAlignment(Pos.CENTER_RIGHT);
        node.getLeftItems().add(left);
        node.getRightItems().add(right);
        node.setPadding(new Insets(2, 8, 2, 8));
    }

    public org.controlsfx.control.StatusBar node() { return node; }

    public void message(String text) { messageStatus.setText(text); }

    /** fraction &lt; 0: indeterminate. */
    public void progress(boolean running, double fraction) {
        progress.setProgress(fraction < 0 ? ProgressBar.INDETERMINATE_PROGRESS : fraction);
        progress.setVisible(running);
        cancelButton.setVisible(running);
    }

    public void update(Document d, double zoom, String toolText, MattingEngine e, String deviceText) {
        sizeStatus.setText(d != null ? I18n.format("status.size", String.valueOf(d.width()), String.valueOf(d.height())) : I18n.get("status.noImage"));
        zoomStatus.setText(I18n.format("status.zoom", String.format(Locale.ROOT, "%.0f", zoom * 100)));
        brushStatus.setText(toolText);
        String engineText = e == null ? I18n.get("status.engineNone") : I18n.format("status.engine", e.displayName());
        engineStatus.setText(deviceText == null ? engineText : I18n.format("status.engineDevice", engineText, deviceText));
    }
}
