package studio.matting.ui.idphoto;

import javafx.application.Platform;
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
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.DirectoryChooser;
import studio.matting.idphoto.BackgroundPreset;
import studio.matting.idphoto.ComplianceReport;
import studio.matting.idphoto.FaceLocator;
import studio.matting.idphoto.IdPhotoCropper;
import studio.matting.idphoto.IdPhotoPreset;
import studio.matting.idphoto.IdPhotoRefusal;
import studio.matting.idphoto.PrintSheet;
import studio.matting.image.AtomicFiles;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.ui.I18n;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The ID-photo workflow: choose a size preset, background colour, DPI and paper; the photo is placed by the face
 * (eye line levelled, head size and margins by the preset's rules) and drawn with its guides — crown, chin, eye line,
 * the preset's eye band, centre line — next to the rules' pass/fail; drag the photo to move the crop, scroll to zoom;
 * the print sheet shows how many copies fit. A photo with no person, no face or several faces is refused: the window
 * says what was found and exports nothing. Give it a subject with {@link #setSubject}.
 * <p>Both previews grow with the window; the tool bar wraps instead of cutting its labels. A drag re-renders only the
 * photo, at most once per frame; the sheet follows when the mouse is released.
 */
public final class IdPhotoPane extends BorderPane {
    final ComboBox<IdPhotoPreset> preset = new ComboBox<>();
    final ComboBox<BackgroundPreset> colorPreset = new ComboBox<>();
    final ColorPicker colorPicker = new ColorPicker(Color.rgb(67, 142, 219));
    final Spinner<Integer> dpi = new Spinner<>(72, 1200, 300, 50);
    final ComboBox<String> paper = new ComboBox<>();
    final Canvas preview = new Canvas();
    final Canvas sheetPreview = new Canvas();
    final Label status = new Label();
    final Label refusal = new Label();
    final GridPane rules = new GridPane();
    final VBox notes = new VBox(4);
    final Button export = new Button(I18n.get("idphoto.export"));
    final Button reset = new Button(I18n.get("idphoto.reset"));
    final Button customSize = new Button(I18n.get("idphoto.customSize"));
    private final Pane photoHolder = new Pane(preview), sheetHolder = new Pane(sheetPreview);

    private ByteImage image;
    private FloatImage alpha, foreground;
    private FaceLocator.FaceSubject subject;
    private IdPhotoCropper.Adjust adjust = IdPhotoCropper.Adjust.NONE;
    private ByteImage photo;
    private PrintSheet.Sheet sheet;
    private ComplianceReport report;
    private WritableImage photoFx, sheetFx;
    private boolean sheetStale, renderScheduled;
    private int photoRenders, sheetRenders;
    private double dragX, dragY;

    public IdPhotoPane() {
        preset.setId("idphoto-preset");
        colorPreset.setId("idphoto-color");
        dpi.setId("idphoto-dpi");
        paper.setId("idphoto-paper");
        preview.setId("idphoto-preview");
        sheetPreview.setId("idphoto-sheet");
        refusal.setId("idphoto-refusal");
        rules.setId("idphoto-rules");
        preset.getItems().setAll(IdPhotoPreset.STANDARD);
        preset.setValue(IdPhotoPreset.ONE_INCH);
        preset.setVisibleRowCount(12);
        colorPreset.getItems().setAll(BackgroundPreset.values());
        colorPreset.setValue(BackgroundPreset.BLUE);
        paper.getItems().setAll("4x6", "5x7", "a4");
        paper.setValue("4x6");
        dpi.setEditable(true);
        dpi.setPrefWidth(90);
        preset.setConverter(new javafx.util.StringConverter<>() {
            @Override public String toString(IdPhotoPreset p) { return p == null ? "" : presetName(p); }
            @Override public IdPhotoPreset fromString(String s) { return null; }
        });
        colorPreset.setConverter(new javafx.util.StringConverter<>() {
            @Override public String toString(BackgroundPreset b) {
                return b == null ? "" : I18n.get("idphoto.color." + b.name().toLowerCase(Locale.ROOT));
            }
            @Override public BackgroundPreset fromString(String s) { return null; }
        });
        paper.setConverter(new javafx.util.StringConverter<>() {
            @Override public String toString(String p) { return p == null ? "" : I18n.get("idphoto.paper." + p); }
            @Override public String fromString(String s) { return null; }
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
        paper.valueProperty().addListener((o, a, b) -> refresh());
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
            moveBy(e.getX() - dragX, e.getY() - dragY);
            dragX = e.getX();
            dragY = e.getY();
            scheduleRender();
        });
        preview.setOnMouseReleased(e -> refresh());
        preview.setOnScroll(e -> zoom(e.getDeltaY() > 0 ? 1.05 : 1 / 1.05));

        FlowPane controls = new FlowPane(8, 6,
                group(new Label(I18n.get("idphoto.size")), preset, customSize),
                group(new Label(I18n.get("idphoto.background")), colorPreset, colorPicker),
                group(new Label(I18n.get("idphoto.dpi")), dpi),
                group(new Label(I18n.get("idphoto.paper")), paper),
                group(reset, export));
        controls.setPadding(new Insets(8));
        controls.setAlignment(Pos.CENTER_LEFT);
        setTop(controls);

        for (Pane holder : List.of(photoHolder, sheetHolder)) {
            holder.setMinSize(120, 160);
            holder.setPrefSize(320, 420);
            holder.widthProperty().addListener((o, a, b) -> draw());
            holder.heightProperty().addListener((o, a, b) -> draw());
            VBox.setVgrow(holder, Priority.ALWAYS);
        }
        preview.setManaged(false);
        sheetPreview.setManaged(false);

        Label photoTitle = new Label(I18n.get("idphoto.preview")), rulesTitle = new Label(I18n.get("idphoto.rules")),
                sheetTitle = new Label(I18n.get("idphoto.sheetTitle"));
        for (Label l : List.of(photoTitle, rulesTitle, sheetTitle)) {
            l.setWrapText(true);
            l.setStyle("-fx-font-weight: bold");
        }
        VBox photoBox = new VBox(4, photoTitle, photoHolder);
        refusal.setWrapText(true);
        refusal.setTextFill(Color.rgb(190, 20, 20));
        refusal.setVisible(false);
        refusal.managedProperty().bind(refusal.visibleProperty());
        rules.setHgap(8);
        rules.setVgap(3);
        VBox rulesBox = new VBox(6, rulesTitle, refusal, rules, notes);
        rulesBox.setPadding(new Insets(0, 4, 0, 4));
        ScrollPane rulesScroll = new ScrollPane(rulesBox);
        rulesScroll.setFitToWidth(true);
        rulesScroll.setPrefWidth(340);
        rulesScroll.setMinWidth(240);
        rulesScroll.setStyle("-fx-background-color: transparent");
        VBox sheetBox = new VBox(4, sheetTitle, sheetHolder);
        HBox.setHgrow(photoBox, Priority.ALWAYS);
        HBox.setHgrow(sheetBox, Priority.ALWAYS);
        HBox views = new HBox(12, photoBox, rulesScroll, sheetBox);
        views.setPadding(new Insets(8));
        setCenter(views);
        setBottom(status);
        status.setPadding(new Insets(4, 8, 4, 8));
        status.setWrapText(true);
        status.setText(I18n.get("idphoto.noSubject"));
        export.setDisable(true);
    }

    private static HBox group(javafx.scene.Node... nodes) {
        for (javafx.scene.Node n : nodes) if (n instanceof Region r) r.setMinWidth(Region.USE_PREF_SIZE);
        HBox b = new HBox(6, nodes);
        b.setAlignment(Pos.CENTER_LEFT);
        return b;
    }

    /** The preset's name in the UI language ({@code idphoto.preset.<id>}; a custom size shows its millimetres). */
    static String presetName(IdPhotoPreset p) {
        String key = "idphoto.preset." + p.id();
        String s = I18n.format(key, String.format(Locale.ROOT, "%.0f", p.widthMm()), String.format(Locale.ROOT, "%.0f", p.heightMm()));
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
                String.format(Locale.ROOT, "%.0fx%.0f", preset.getValue().widthMm(), preset.getValue().heightMm()));
        d.setHeaderText(I18n.get("idphoto.customSize.header"));
        d.showAndWait().ifPresent(text -> {
            String[] parts = text.trim().toLowerCase(Locale.ROOT).split("\\s*[x×*]\\s*");
            try {
                if (parts.length != 2) throw new IllegalArgumentException(I18n.get("idphoto.customSize.format"));
                setCustomSize(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]));
            } catch (IllegalArgumentException ex) {
                new Alert(Alert.AlertType.WARNING, I18n.format("idphoto.customSize.invalid", ex.getMessage()), ButtonType.OK).show();
            }
        });
    }

    /**
     * The image, its alpha matte (or a soft person mask) and optionally the estimated foreground. The face is looked
     * for at once; a refusal (no person, no face, several faces) is shown in place of the rules.
     */
    public void setSubject(ByteImage image, FloatImage alpha, FloatImage foreground) {
        this.image = image;
        this.alpha = alpha;
        this.foreground = foreground;
        this.adjust = IdPhotoCropper.Adjust.NONE;
        refusal.setVisible(false);
        try {
            subject = FaceLocator.locate(image, alpha);
        } catch (IdPhotoRefusal e) {
            subject = null;
            refusal.setText(e.getMessage());
            refusal.setVisible(true);
        } catch (IllegalArgumentException | IllegalStateException e) {
            subject = null;
            refusal.setText(e.getMessage());
            refusal.setVisible(true);
        }
        refresh();
        if (subject == null) status.setText(refusal.getText());
    }

    /** The refusal shown for the current subject, or null when a photo was placed. */
    public String refusalMessage() {
        return refusal.isVisible() ? refusal.getText() : null;
    }

    /** Moves the crop by a drag of (dx, dy) preview pixels (the picture follows the mouse) and re-renders. */
    public void drag(double dx, double dy) {
        moveBy(dx, dy);
        refresh();
    }

    private void moveBy(double dx, double dy) {
        IdPhotoCropper.Crop c = crop();
        if (c == null || preview.getWidth() <= 0) return;
        double k = c.width() / preview.getWidth();
        adjust = adjust.moved(-dx * k, -dy * k);
    }

    public void zoom(double factor) {
        if (subject == null) return;
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

    public ComplianceReport report() {
        return report;
    }

    /** How many times the photo and the sheet were rendered (the drag path must not render the sheet). */
    int[] renderCounts() {
        return new int[]{photoRenders, sheetRenders};
    }

    public IdPhotoCropper.Crop crop() {
        return subject == null ? null : IdPhotoCropper.crop(subject, preset.getValue(), adjust);
    }

    private int[] pickerRgb() {
        Color c = colorPicker.getValue();
        return new int[]{(int) Math.round(c.getRed() * 255), (int) Math.round(c.getGreen() * 255), (int) Math.round(c.getBlue() * 255)};
    }

    private PrintSheet.Options paperOptions() {
        return PrintSheet.Options.paper(paper.getValue() == null ? "4x6" : paper.getValue());
    }

    /** Coalesces drag events: one photo render per pulse, whatever the mouse sends; the sheet waits for the release. */
    private void scheduleRender() {
        if (renderScheduled) return;
        renderScheduled = true;
        Platform.runLater(() -> {
            renderScheduled = false;
            renderPhoto();
            sheetStale = true;
            draw();
        });
    }

    /** Renders the photo, its report and the sheet now. */
    private void refresh() {
        renderPhoto();
        renderSheet();
        draw();
    }

    private void renderPhoto() {
        if (image == null || subject == null) {
            photo = null;
            report = null;
            photoFx = null;
            export.setDisable(true);
            showRules(null);
            return;
        }
        IdPhotoPreset p = preset.getValue();
        double d = dpi.getValue();
        IdPhotoCropper.Crop c = crop();
        int[] rgb = pickerRgb();
        photo = IdPhotoCropper.render(image, alpha, foreground, c, p, d, rgb);
        photoFx = toFx(photo);
        report = ComplianceReport.measure(subject, c, p, d, rgb);
        photoRenders++;
        showRules(report);
        export.setDisable(false);
    }

    private void renderSheet() {
        sheetStale = false;
        if (photo == null) {
            sheet = null;
            sheetFx = null;
            return;
        }
        try {
            sheet = PrintSheet.render(photo, dpi.getValue(), paperOptions());
            sheetFx = toFx(sheet.image());
            sheetRenders++;
            status.setText(I18n.format("idphoto.status2", presetName(preset.getValue()), String.valueOf(photo.width), String.valueOf(photo.height),
                    String.format(Locale.ROOT, "%.0f", (double) dpi.getValue()), String.valueOf(sheet.count()), I18n.get("idphoto.paper." + paper.getValue())));
        } catch (IllegalArgumentException e) {
            sheet = null;
            sheetFx = null;
            status.setText(e.getMessage());
        }
    }

    /** Fits both previews into their (growing) holders and draws the photo's guides. */
    private void draw() {
        fit(preview, photoHolder, photoFx);
        fit(sheetPreview, sheetHolder, sheetFx);
        if (photoFx == null || report == null) return;
        GraphicsContext g = preview.getGraphicsContext2D();
        double s = preview.getHeight() / photo.height, w = preview.getWidth();
        IdPhotoCropper.FaceGuides gd = IdPhotoCropper.guides(subject, crop(), preset.getValue(), photo.width, photo.height);
        if (!Double.isNaN(gd.eyeBandTop())) {
            g.setFill(Color.rgb(0, 200, 120, 0.18));
            g.fillRect(0, gd.eyeBandTop() * s, w, (gd.eyeBandBottom() - gd.eyeBandTop()) * s);
        }
        boolean headOk = report.rules().stream().filter(r -> r.id().equals("head")).allMatch(ComplianceReport.Rule::pass);
        g.setStroke(headOk ? Color.rgb(0, 200, 120, 0.95) : Color.rgb(230, 40, 40, 0.95));
        g.setLineWidth(1.5);
        g.setLineDashes();
        g.strokeLine(0, gd.crown() * s, w, gd.crown() * s);
        g.strokeLine(0, gd.chin() * s, w, gd.chin() * s);
        g.setStroke(Color.rgb(255, 200, 0, 0.95));
        g.setLineWidth(1);
        g.setLineDashes(6, 4);
        g.strokeLine(0, gd.eyeLine() * s, w, gd.eyeLine() * s);
        g.strokeLine(gd.centerX() * s, 0, gd.centerX() * s, preview.getHeight());
        g.setLineDashes();
    }

    private static void fit(Canvas canvas, Pane holder, WritableImage img) {
        if (img == null) {
            canvas.setWidth(0);
            canvas.setHeight(0);
            return;
        }
        double hw = Math.max(1, holder.getWidth()), hh = Math.max(1, holder.getHeight());
        if (holder.getWidth() <= 0) { hw = holder.getPrefWidth(); hh = holder.getPrefHeight(); }
        double k = Math.min(hw / img.getWidth(), hh / img.getHeight());
        double cw = Math.max(1, Math.floor(img.getWidth() * k)), ch = Math.max(1, Math.floor(img.getHeight() * k));
        canvas.setWidth(cw);
        canvas.setHeight(ch);
        canvas.relocate(Math.floor((hw - cw) / 2), 0);
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, cw, ch);
        g.drawImage(img, 0, 0, cw, ch);
    }

    private void showRules(ComplianceReport r) {
        rules.getChildren().clear();
        notes.getChildren().clear();
        if (r == null) return;
        int row = 0;
        for (ComplianceReport.Rule x : r.rules()) {
            Label name = new Label(I18n.get("idphoto.rule." + x.id()));
            name.setWrapText(true);
            name.setMinWidth(80);
            Label value = fixed(String.format(Locale.ROOT, "%.1f %s", x.measured(), x.unit()));
            Label range = fixed(rangeText(x));
            Label verdict = verdict(x.pass());
            verdict.setId("idphoto-rule-" + x.id());
            rules.addRow(row++, name, value, range, verdict);
        }
        Label bg = new Label(I18n.get("idphoto.rule.background"));
        Label bgVerdict = verdict(r.backgroundOk());
        bgVerdict.setId("idphoto-rule-background");
        bg.setWrapText(true);
        bg.setMinWidth(80);
        rules.addRow(row, bg, fixed(r.background()), fixed(""), bgVerdict);
        for (String n : r.notes()) {
            Label l = new Label("• " + n);
            l.setWrapText(true);
            notes.getChildren().add(l);
        }
    }

    /** A label that keeps its whole text: the grid scrolls rather than cutting a number. */
    private static Label fixed(String text) {
        Label l = new Label(text);
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    private static String rangeText(ComplianceReport.Rule x) {
        boolean lo = Double.isFinite(x.min()), hi = Double.isFinite(x.max());
        if (lo && hi) return String.format(Locale.ROOT, "%.1f–%.1f", x.min(), x.max());
        if (lo) return String.format(Locale.ROOT, "≥ %.1f", x.min());
        if (hi) return String.format(Locale.ROOT, "≤ %.1f", x.max());
        return "";
    }

    private static Label verdict(boolean pass) {
        Label l = new Label(I18n.get(pass ? "idphoto.pass" : "idphoto.fail"));
        l.setTextFill(pass ? Color.rgb(0, 140, 70) : Color.rgb(200, 30, 30));
        l.setStyle("-fx-font-weight: bold");
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    /**
     * Writes {@code <name>-idphoto.jpg}, {@code <name>-sheet.jpg} (quality 95, with DPI) and {@code <name>-report.json};
     * returns the paths. Nothing is written for a refused photo.
     */
    public List<Path> exportTo(Path dir, String name, boolean overwrite) throws IOException {
        if (photo == null) throw new IOException(refusalMessage() != null ? refusalMessage() : I18n.get("idphoto.nothingToExport"));
        if (sheetStale || sheet == null) renderSheet();
        if (sheet == null) throw new IOException(status.getText());
        double d = dpi.getValue();
        Path a = dir.resolve(name + "-idphoto.jpg"), b = dir.resolve(name + "-sheet.jpg"), c = dir.resolve(name + "-report.json");
        if (!overwrite && (Files.exists(a) || Files.exists(b) || Files.exists(c)))
            throw new java.nio.file.FileAlreadyExistsException(a.toString(), null, "file exists (not overwriting)");
        ImageFiles.writeJpeg(photo, a, 0.95f, d, overwrite);
        ImageFiles.writeJpeg(sheet.image(), b, 0.95f, d, overwrite);
        AtomicFiles.write(c, overwrite, report.toJson().getBytes(StandardCharsets.UTF_8));
        return List.of(a, b, c);
    }

    private void chooseAndExport() {
        DirectoryChooser ch = new DirectoryChooser();
        ch.setTitle(I18n.get("idphoto.exportChooser"));
        java.io.File f = ch.showDialog(getScene() == null ? null : getScene().getWindow());
        if (f == null) return;
        try {
            boolean overwrite = false;
            Path dir = f.toPath();
            if (Files.exists(dir.resolve("id-idphoto.jpg")) || Files.exists(dir.resolve("id-sheet.jpg")) || Files.exists(dir.resolve("id-report.json"))) {
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
