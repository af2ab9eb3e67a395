package studio.matting.ui.idphoto;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ColorPicker;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.DirectoryChooser;
import studio.matting.idphoto.BackgroundPreset;
import studio.matting.idphoto.HeadLocator;
import studio.matting.idphoto.IdPhotoCropper;
import studio.matting.idphoto.IdPhotoPreset;
import studio.matting.idphoto.PrintSheet;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.ui.I18n;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The ID-photo workflow: choose a size preset, background colour and DPI; the head is placed by the preset's rules
 * (guide lines show where the head top and chin should be); drag the preview to move the crop, scroll to zoom; the
 * print-sheet preview shows how many copies fit on 6-inch paper; export writes the photo and the sheet as JPEGs with
 * their DPI. Give it a subject with {@link #setSubject}.
 */
public final class IdPhotoPane extends BorderPane {
    private static final double PREVIEW_H = 360, SHEET_H = 360;

    final ComboBox<IdPhotoPreset> preset = new ComboBox<>();
    final ComboBox<BackgroundPreset> colorPreset = new ComboBox<>();
    final ColorPicker colorPicker = new ColorPicker(Color.rgb(67, 142, 219));
    final Spinner<Integer> dpi = new Spinner<>(72, 1200, 300, 50);
    final Canvas preview = new Canvas();
    final Canvas sheetPreview = new Canvas();
    final Label status = new Label();
    final Button export = new Button(I18n.get("idphoto.export"));
    final Button reset = new Button(I18n.get("idphoto.reset"));
    final Button customSize = new Button(I18n.get("idphoto.customSize"));

    private ByteImage image;
    private FloatImage alpha, foreground;
    private HeadLocator.Head head;
    private IdPhotoCropper.Adjust adjust = IdPhotoCropper.Adjust.NONE;
    private ByteImage photo;
    private PrintSheet.Sheet sheet;
    private double dragX, dragY;

    public IdPhotoPane() {
        preset.setId("idphoto-preset");
        colorPreset.setId("idphoto-color");
        dpi.setId("idphoto-dpi");
        preview.setId("idphoto-preview");
        sheetPreview.setId("idphoto-sheet");
        preset.getItems().setAll(IdPhotoPreset.STANDARD);
        preset.setValue(IdPhotoPreset.ONE_INCH);
        colorPreset.getItems().setAll(BackgroundPreset.values());
        colorPreset.setValue(BackgroundPreset.BLUE);
        dpi.setEditable(true);
        preset.setConverter(new javafx.util.StringConverter<>() {
            @Override public String toString(IdPhotoPreset p) { return p == null ? "" : presetName(p); }
            @Override public IdPhotoPreset fromString(String s) { return null; }
        });
        colorPreset.setConverter(new javafx.util.StringConverter<>() {
            @Override public String toString(BackgroundPreset b) {
                return b == null ? "" : I18n.get("idphoto.color." + b.name().toLowerCase(java.util.Locale.ROOT));
            }
            @Override public BackgroundPreset fromString(String s) { return null; }
        });

        colorPreset.valueProperty().addListener((o, a, b) -> {
            if (b != null && b != BackgroundPreset.CUSTOM) colorPicker.setValue(Color.rgb(b.r, b.g, b.b));
            refresh();
        });
        colorPicker.setOnAction(e -> {
            int[] c = pickerRgb();
            colorPreset.setValue(BackgroundPreset.of(c[0], c[1], c[2]));
            refresh();
        });
        preset.valueProperty().addListener((o, a, b) -> refresh());
        dpi.valueProperty().addListener((o, a, b) -> refresh());
        reset.setOnAction(e -> {
            adjust = IdPhotoCropper.Adjust.NONE;
            refresh();
        });
        export.setOnAction(e -> chooseAndExport());
        customSize.setOnAction(e -> askCustomSize());

        preview.setOnMousePressed(e -> {
            dragX = e.getX();
            dragY = e.getY();
        });
        preview.setOnMouseDragged(e -> {
            drag(e.getX() - dragX, e.getY() - dragY);
            dragX = e.getX();
            dragY = e.getY();
        });
        preview.setOnScroll(e -> zoom(e.getDeltaY() > 0 ? 1.05 : 1 / 1.05));

        HBox controls = new HBox(8, new Label(I18n.get("idphoto.size")), preset, customSize, new Label(I18n.get("idphoto.background")), colorPreset, colorPicker,
                new Label(I18n.get("idphoto.dpi")), dpi, reset, export);
        controls.setAlignment(Pos.CENTER_LEFT);
        controls.setPadding(new Insets(8));
        setTop(controls);
        HBox views = new HBox(16, new VBox(4, new Label(I18n.get("idphoto.preview")), preview),
                new VBox(4, new Label(I18n.get("idphoto.sheet")), sheetPreview));
        views.setPadding(new Insets(8));
        setCenter(views);
        setBottom(status);
        status.setPadding(new Insets(4, 8, 4, 8));
        status.setText(I18n.get("idphoto.noSubject"));
    }

    /** The preset's name in the UI language ({@code idphoto.preset.<id>}; a custom size shows its millimetres). */
    static String presetName(IdPhotoPreset p) {
        String key = "idphoto.preset." + p.id();
        String s = I18n.format(key, String.format(java.util.Locale.ROOT, "%.0f", p.widthMm()), String.format(java.util.Locale.ROOT, "%.0f", p.heightMm()));
        return s.equals(key) ? p.name() : s; // a preset added later without a translation keeps its own name
    }

    /** Selects a user-defined photo size in millimetres (the usual head rule applies). */
    public void setCustomSize(double widthMm, double heightMm) {
        IdPhotoPreset p = IdPhotoPreset.custom(widthMm, heightMm);
        preset.getItems().removeIf(x -> x.id().equals("custom"));
        preset.getItems().add(p);
        preset.setValue(p);
    }

    private void askCustomSize() {
        javafx.scene.control.TextInputDialog d = new javafx.scene.control.TextInputDialog(
                String.format(java.util.Locale.ROOT, "%.0fx%.0f", preset.getValue().widthMm(), preset.getValue().heightMm()));
        d.setHeaderText(I18n.get("idphoto.customSize.header"));
        d.showAndWait().ifPresent(text -> {
            String[] parts = text.trim().toLowerCase(java.util.Locale.ROOT).split("\\s*[x×*]\\s*");
            try {
                if (parts.length != 2) throw new IllegalArgumentException(I18n.get("idphoto.customSize.format"));
                setCustomSize(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]));
            } catch (IllegalArgumentException ex) {
                new Alert(Alert.AlertType.WARNING, I18n.format("idphoto.customSize.invalid", ex.getMessage()), ButtonType.OK).show();
            }
        });
    }

    /** The image, its alpha matte (or a soft person mask) and optionally the estimated foreground. */
    public void setSubject(ByteImage image, FloatImage alpha, FloatImage foreground) {
        this.image = image;
        this.alpha = alpha;
        this.foreground = foreground;
        this.adjust = IdPhotoCropper.Adjust.NONE;
        try {
            head = HeadLocator.locate(alpha);
            status.setText(head.shouldersFound() ? I18n.format("idphoto.headPlaced", presetName(preset.getValue()))
                    : I18n.get("idphoto.noShoulders"));
        } catch (IllegalArgumentException e) {
            head = null;
            status.setText(e.getMessage());
        }
        refresh();
    }

    /** Moves the crop by a drag of (dx, dy) preview pixels: the picture follows the mouse. */
    public void drag(double dx, double dy) {
        IdPhotoCropper.Crop c = crop();
        if (c == null || preview.getWidth() <= 0) return;
        double k = c.width() / preview.getWidth();
        adjust = adjust.moved(-dx * k, -dy * k);
        refresh();
    }

    public void zoom(double factor) {
        if (head == null) return;
        adjust = adjust.zoomed(factor);
        refresh();
    }

    public IdPhotoCropper.Adjust adjust() {
        return adjust;
    }

    public ByteImage photo() {
        return photo;
    }

    public PrintSheet.Sheet sheet() {
        return sheet;
    }

    public IdPhotoCropper.Crop crop() {
        return head == null ? null : IdPhotoCropper.crop(head, preset.getValue(), adjust);
    }

    private int[] pickerRgb() {
        Color c = colorPicker.getValue();
        return new int[]{(int) Math.round(c.getRed() * 255), (int) Math.round(c.getGreen() * 255), (int) Math.round(c.getBlue() * 255)};
    }

    private void refresh() {
        if (image == null || head == null) {
            photo = null;
            sheet = null;
            preview.setWidth(0);
            sheetPreview.setWidth(0);
            export.setDisable(true);
            return;
        }
        IdPhotoPreset p = preset.getValue();
        double d = dpi.getValue();
        photo = IdPhotoCropper.render(image, alpha, foreground, crop(), p, d, pickerRgb());
        double s = PREVIEW_H / photo.height;
        preview.setWidth(Math.round(photo.width * s));
        preview.setHeight(PREVIEW_H);
        GraphicsContext g = preview.getGraphicsContext2D();
        g.drawImage(toFx(photo), 0, 0, preview.getWidth(), preview.getHeight());
        IdPhotoCropper.Guides guides = IdPhotoCropper.guides(p, photo.width, photo.height);
        g.setStroke(Color.rgb(255, 200, 0, 0.9));
        g.setLineDashes(6, 4);
        g.setLineWidth(1);
        g.strokeLine(0, guides.headTop() * s, preview.getWidth(), guides.headTop() * s);
        g.strokeLine(0, guides.chin() * s, preview.getWidth(), guides.chin() * s);
        g.strokeLine(guides.centerX() * s, 0, guides.centerX() * s, preview.getHeight());
        g.setLineDashes();

        sheet = PrintSheet.render(photo, d, PrintSheet.Options.SIX_INCH);
        double ss = SHEET_H / sheet.image().height;
        sheetPreview.setWidth(Math.round(sheet.image().width * ss));
        sheetPreview.setHeight(SHEET_H);
        sheetPreview.getGraphicsContext2D().drawImage(toFx(sheet.image()), 0, 0, sheetPreview.getWidth(), sheetPreview.getHeight());
        export.setDisable(false);
        status.setText(I18n.format("idphoto.status", presetName(p), String.valueOf(photo.width), String.valueOf(photo.height),
                String.format(java.util.Locale.ROOT, "%.0f", d), String.valueOf(sheet.count())));
    }

    /** Writes {@code <name>-idphoto.jpg} and {@code <name>-sheet.jpg} (quality 95, with DPI); returns the paths. */
    public List<Path> exportTo(Path dir, String name, boolean overwrite) throws IOException {
        if (photo == null) throw new IOException(I18n.get("idphoto.nothingToExport"));
        double d = dpi.getValue();
        Path a = dir.resolve(name + "-idphoto.jpg"), b = dir.resolve(name + "-sheet.jpg");
        if (!overwrite && (java.nio.file.Files.exists(a) || java.nio.file.Files.exists(b)))
            throw new java.nio.file.FileAlreadyExistsException(a.toString(), null, "file exists (not overwriting)");
        ImageFiles.writeJpeg(photo, a, 0.95f, d, overwrite);
        ImageFiles.writeJpeg(sheet.image(), b, 0.95f, d, overwrite);
        return List.of(a, b);
    }

    private void chooseAndExport() {
        DirectoryChooser ch = new DirectoryChooser();
        ch.setTitle(I18n.get("idphoto.exportChooser"));
        java.io.File f = ch.showDialog(getScene() == null ? null : getScene().getWindow());
        if (f == null) return;
        try {
            boolean overwrite = false;
            Path dir = f.toPath();
            if (java.nio.file.Files.exists(dir.resolve("id-idphoto.jpg")) || java.nio.file.Files.exists(dir.resolve("id-sheet.jpg"))) {
                Alert ask = new Alert(Alert.AlertType.CONFIRMATION, I18n.get("idphoto.replace"), ButtonType.YES, ButtonType.NO);
                if (ask.showAndWait().orElse(ButtonType.NO) != ButtonType.YES) return;
                overwrite = true;
            }
            List<Path> written = exportTo(dir, "id", overwrite);
            status.setText(I18n.format("idphoto.exported", written.get(0).getFileName(), written.get(1).getFileName()));
        } catch (IOException ex) {
            new Alert(Alert.AlertType.ERROR, I18n.format("idphoto.exportFailed", ex.getMessage()), ButtonType.OK).show();
        }
    }

    static WritableImage toFx(ByteImage rgb) {
        WritableImage wi = new WritableImage(rgb.width, rgb.height);
        wi.getPixelWriter().setPixels(0, 0, rgb.width, rgb.height, PixelFormat.getByteRgbInstance(), rgb.data, 0, rgb.stride);
        return wi;
    }
}
