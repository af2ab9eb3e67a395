package studio.matting.ui.export;

import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.stage.DirectoryChooser;
import studio.matting.export.ExportOptions;
import studio.matting.export.ExportOptions.CompositeFormat;
import studio.matting.ui.I18n;

import java.nio.file.Path;
import java.util.Locale;

/** The controls of the export dialog, as a reusable pane: outputs, bit depth, JPEG quality and size limit, DPI, folder. */
public final class ExportForm extends GridPane {
    final TextField folder = new TextField();
    final TextField baseName = new TextField();
    final CheckBox alpha = new CheckBox(I18n.get("export.alpha"));
    final CheckBox alpha16 = new CheckBox(I18n.get("export.alpha16"));
    final CheckBox cutout = new CheckBox(I18n.get("export.cutout"));
    final CheckBox composite = new CheckBox(I18n.get("export.composite"));
    final ComboBox<CompositeFormat> format = new ComboBox<>();
    final Slider quality = new Slider(1, 100, 92);
    final Label qualityLabel = new Label();
    final Spinner<Integer> maxKb = new Spinner<>(0, 100_000, 0, 10);
    final CheckBox trimap = new CheckBox(I18n.get("export.trimap"));
    final Spinner<Integer> dpi = new Spinner<>(1, 4800, 300, 50);

    public ExportForm(ExportOptions initial) {
        setHgap(8);
        setVgap(6);
        setPadding(new Insets(10));
        folder.setId("export-folder");
        baseName.setId("export-name");
        alpha.setId("export-alpha");
        alpha16.setId("export-alpha16");
        cutout.setId("export-cutout");
        composite.setId("export-composite");
        format.setId("export-format");
        quality.setId("export-quality");
        maxKb.setId("export-maxkb");
        trimap.setId("export-trimap");
        dpi.setId("export-dpi");
        maxKb.setEditable(true);
        dpi.setEditable(true);
        format.getItems().setAll(CompositeFormat.values());

        Button browse = new Button(I18n.get("export.browse"));
        browse.setOnAction(e -> {
            DirectoryChooser ch = new DirectoryChooser();
            ch.setTitle(I18n.get("export.folderChooser"));
            java.io.File cur = new java.io.File(folder.getText());
            if (cur.isDirectory()) ch.setInitialDirectory(cur);
            java.io.File f = ch.showDialog(getScene() == null ? null : getScene().getWindow());
            if (f != null) folder.setText(f.getPath());
        });
        HBox folderRow = new HBox(6, folder, browse);
        folder.setPrefColumnCount(28);

        int r = 0;
        add(new Label(I18n.get("export.folder")), 0, r);
        add(folderRow, 1, r++);
        add(new Label(I18n.get("export.fileName")), 0, r);
        add(baseName, 1, r++);
        add(new HBox(12, alpha, alpha16), 1, r++);
        add(cutout, 1, r++);
        add(new HBox(12, composite, format), 1, r++);
        add(new Label(I18n.get("export.quality")), 0, r);
        add(new HBox(6, quality, qualityLabel), 1, r++);
        add(new Label(I18n.get("export.maxKb")), 0, r);
        add(maxKb, 1, r++);
        add(trimap, 1, r++);
        add(new Label(I18n.get("export.dpi")), 0, r);
        add(dpi, 1, r);

        qualityLabel.textProperty().bind(quality.valueProperty().map(v -> String.format(Locale.ROOT, "%d", Math.round(v.doubleValue()))));
        alpha16.disableProperty().bind(alpha.selectedProperty().not());
        format.disableProperty().bind(composite.selectedProperty().not());
        var jpeg = composite.selectedProperty().and(format.valueProperty().isEqualTo(CompositeFormat.JPEG));
        quality.disableProperty().bind(jpeg.not());
        maxKb.disableProperty().bind(jpeg.not());
        set(initial);
    }

    public void set(ExportOptions o) {
        folder.setText(o.directory().toString());
        baseName.setText(o.baseName());
        alpha.setSelected(o.alpha());
        alpha16.setSelected(o.alpha16());
        cutout.setSelected(o.cutout());
        composite.setSelected(o.composite());
        format.setValue(o.compositeFormat());
        quality.setValue(Math.round(o.jpegQuality() * 100));
        maxKb.getValueFactory().setValue(o.maxJpegKb());
        trimap.setSelected(o.trimap());
        dpi.getValueFactory().setValue((int) Math.round(Double.isNaN(o.dpi()) ? 300 : o.dpi()));
    }

    /** The options as entered; throws IllegalArgumentException with a user-facing message when they are invalid. */
    public ExportOptions options(boolean overwrite) {
        commit(maxKb);
        commit(dpi);
        String dir = folder.getText() == null ? "" : folder.getText().trim();
        if (dir.isEmpty()) throw new IllegalArgumentException(I18n.get("export.noFolder"));
        if (!alpha.isSelected() && !cutout.isSelected() && !composite.isSelected() && !trimap.isSelected())
            throw new IllegalArgumentException(I18n.get("export.noOutput"));
        return new ExportOptions(Path.of(dir), baseName.getText() == null ? "" : baseName.getText().trim(),
                alpha.isSelected(), alpha16.isSelected(), cutout.isSelected(), composite.isSelected(), format.getValue(),
                (float) (Math.round(quality.getValue()) / 100.0), maxKb.getValue(), trimap.isSelected(), dpi.getValue(), overwrite);
    }

    private static void commit(Spinner<Integer> s) {
        // An edited spinner only takes typed text on Enter; take it on OK too, falling back to the last good value.
        try {
            s.getValueFactory().setValue(Integer.parseInt(s.getEditor().getText().trim()));
        } catch (NumberFormatException e) {
            s.getEditor().setText(String.valueOf(s.getValue()));
        }
    }
}
