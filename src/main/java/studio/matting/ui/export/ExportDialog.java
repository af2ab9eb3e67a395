package studio.matting.ui.export;

import javafx.event.ActionEvent;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import studio.matting.export.ExportOptions;
import studio.matting.export.Exporter;
import studio.matting.ui.I18n;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Modal export dialog. On OK it validates the form and, when files would be replaced, asks before overwriting; the
 * result is the {@link ExportOptions} to hand to {@link Exporter} (with {@code overwrite} set only if the user agreed),
 * or empty when cancelled.
 */
public final class ExportDialog extends Dialog<ExportOptions> {
    private final ExportForm form;
    private Predicate<List<Path>> confirmOverwrite = ExportDialog::askOverwrite;
    private ExportOptions accepted;

    public ExportDialog(ExportOptions initial) {
        setTitle(I18n.get("export.title"));
        setHeaderText(I18n.get("export.header"));
        form = new ExportForm(initial);
        getDialogPane().setContent(form);
        getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        Button ok = (Button) getDialogPane().lookupButton(ButtonType.OK);
        ok.setText(I18n.get("export.ok"));
        ok.addEventFilter(ActionEvent.ACTION, e -> {
            accepted = accept();
            if (accepted == null) e.consume(); // keep the dialog open
        });
        setResultConverter(bt -> bt == ButtonType.OK ? accepted : null);
    }

    public ExportForm form() {
        return form;
    }

    /** Replaces the overwrite question (tests; or a caller with its own dialog). Returns true to overwrite. */
    public void setConfirmOverwrite(Predicate<List<Path>> confirm) {
        this.confirmOverwrite = confirm;
    }

    /** Validates and asks about existing files; null when the dialog must stay open. */
    ExportOptions accept() {
        ExportOptions o;
        try {
            o = form.options(false);
        } catch (IllegalArgumentException ex) {
            Alert a = new Alert(Alert.AlertType.WARNING, ex.getMessage(), ButtonType.OK);
            a.setHeaderText(I18n.get("export.cannot"));
            a.initOwner(getDialogPane().getScene() == null ? null : getDialogPane().getScene().getWindow());
            a.show();
            return null;
        }
        List<Path> existing = Exporter.existingTargets(o);
        if (existing.isEmpty()) return o;
        return confirmOverwrite.test(existing) ? o.withOverwrite(true) : null;
    }

    private static boolean askOverwrite(List<Path> existing) {
        String names = existing.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining("\n"));
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, names, ButtonType.YES, ButtonType.NO);
        a.setHeaderText(existing.size() == 1 ? I18n.get("export.replaceOne") : I18n.format("export.replaceMany", String.valueOf(existing.size())));
        return a.showAndWait().orElse(ButtonType.NO) == ButtonType.YES;
    }
}
