package studio.matting.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import studio.matting.compositor.Background;
import studio.matting.export.Exporter;
import studio.matting.idphoto.ComplianceReport;
import studio.matting.idphoto.FaceLocator;
import studio.matting.idphoto.IdPhotoCropper;
import studio.matting.idphoto.IdPhotoPreset;
import studio.matting.idphoto.IdPhotoRefusal;
import studio.matting.idphoto.PrintSheet;
import studio.matting.image.AtomicFiles;
import studio.matting.image.ByteImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageOps;
import studio.matting.pipeline.AutoPipeline;
import studio.matting.pipeline.Engines;
import studio.matting.task.TaskContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Photo → ID photo at a preset size, placed by the face (eye line levelled, head height and margins by the preset's
 * rules), on a solid colour; optionally a print sheet and a compliance report. A photo with no person, no face or
 * more than one face is refused: a message, exit code 1, nothing written.
 */
@Command(name = "idphoto", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Make an ID photo: matte the person, find the face and eyes, level the eye line, place the head by the"
                + " preset's rules, put it on a solid background at the exact pixel size for the DPI, and optionally lay out a"
                + " print sheet and write a compliance report.",
                "Presets: 1inch (25x35 mm), 2inch (35x49 mm), small2inch (35x45 mm), passport (China, 33x48 mm), idcard (26x32 mm),"
                        + " icao (35x45 mm), schengen (35x45 mm), us2x2 (2x2 in), uk (35x45 mm), canada (50x70 mm), japan (30x40 mm),"
                        + " india (2x2 in), or WxH in mm such as 40x50.",
                "Exit codes: 0 written, 1 refused (no person, no face, several faces) or failed, 2 bad arguments."})
public final class IdPhotoCommand implements Callable<Integer> {
    private static final Pattern CUSTOM = Pattern.compile("(\\d+(?:\\.\\d+)?)x(\\d+(?:\\.\\d+)?)(mm)?");

    @Parameters(index = "0", paramLabel = "PHOTO", description = "The portrait photo.")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, description = "ID photo file (.jpg or .png).")
    Path output;

    @Option(names = "--preset", defaultValue = "1inch", description = "Size preset (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--bg", defaultValue = "blue", description = "Background: blue, red, white, #RRGGBB or R,G,B (default: ${DEFAULT-VALUE}).")
    String bg;

    @Option(names = "--dpi", defaultValue = "300", description = "Print resolution (default: ${DEFAULT-VALUE}).")
    double dpi;

    @Option(names = "--max-kb", defaultValue = "0", description = "Largest JPEG in KB (quality is searched).")
    int maxKb;

    @Option(names = "--quality", defaultValue = "0.95", description = "JPEG quality 0..1 when no --max-kb (default: ${DEFAULT-VALUE}).")
    float quality;

    @Option(names = "--sheet", description = "Also write a print sheet with as many copies as fit, with thin cut guides.")
    Path sheet;

    @Option(names = "--paper", defaultValue = "4x6", description = "Print sheet paper: 4x6, 5x7 (inches) or a4 (default: ${DEFAULT-VALUE}).")
    String paper;

    @Option(names = "--report", description = "Also write a compliance report (JSON): each rule measured in mm, its range, pass/fail.")
    Path report;

    @Option(names = "--overwrite", description = "Replace existing files.")
    boolean overwrite;

    @Mixin
    InputLayers layers = new InputLayers();

    @Mixin
    RefineOptions refine = new RefineOptions();

    PrintStream out = System.out;
    PrintStream err = System.err;

    static IdPhotoPreset preset(String text) {
        Matcher m = CUSTOM.matcher(text.toLowerCase(Locale.ROOT));
        if (m.matches()) return IdPhotoPreset.custom(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)));
        return IdPhotoPreset.byId(text);
    }

    @Override
    public Integer call() throws Exception {
        IdPhotoPreset p = preset(preset);
        int[] colour = BackgroundSpec.parseColour(bg);
        if (!(dpi > 0) || dpi > 2400) throw new IllegalArgumentException("--dpi must be in (0, 2400]: " + dpi);
        if (maxKb < 0) throw new IllegalArgumentException("--max-kb must not be negative");
        if (!(quality > 0 && quality <= 1)) throw new IllegalArgumentException("--quality must be in (0, 1]: " + quality);
        PrintSheet.Options paperOptions = PrintSheet.Options.paper(paper);
        boolean jpeg = isJpeg(output);
        if (!jpeg && !output.toString().toLowerCase(Locale.ROOT).endsWith(".png"))
            throw new IllegalArgumentException("--output must end in .jpg, .jpeg or .png");
        // Bad options and a missing --trimap / --mask are exit 2 before any work (see InputLayers.validate).
        layers.validate();
        if (!(quality > 0f && quality <= 1f)) throw new IllegalArgumentException("--quality must be in (0, 1] (got " + quality + ")");
        if (maxKb < 0 || !Double.isFinite(dpi)) throw new IllegalArgumentException("--max-kb must not be negative and --dpi must be finite");
        InputLayers.checkOutputFolder("-o/--output", output.toAbsolutePath().getParent());
        if (java.nio.file.Files.isDirectory(output)) throw new IllegalArgumentException("-o/--output " + output + " is a folder; give a file name");
        if (sheet != null) InputLayers.checkOutputFolder("--sheet", sheet.toAbsolutePath().getParent());
        if (sheet != null && !isJpeg(sheet) && !sheet.toString().toLowerCase(Locale.ROOT).endsWith(".png"))
            throw new IllegalArgumentException("--sheet must end in .jpg, .jpeg or .png");
        List<Path> targets = new ArrayList<>(List.of(output));
        if (sheet != null) targets.add(sheet);
        if (report != null) targets.add(report);
        if (!overwrite) for (Path t : targets)
            if (Files.exists(t)) throw new IllegalArgumentException(t + " exists; --overwrite replaces it");
        Engines.setDevice(layers.device);

        refine.start(overwrite);
        ByteImage rgb = ImageOps.toRgb(ImageFiles.read(input));
        AutoPipeline pipe = layers.pipeline(rgb, input, Path.of(""), Background.solid(colour[0], colour[1], colour[2]));
        refine.configure(pipe, input.getFileName().toString());
        Placed placed;
        try {
            // Refuse before the (slow) matte when the mask already shows there is no one, or not one, to photograph.
            pipe.run(AutoPipeline.Stage.SEGMENT, TaskContext.NONE, null);
            if (pipe.mask() != null) FaceLocator.locate(rgb, pipe.mask());
            pipe.run(AutoPipeline.Stage.FOREGROUND, TaskContext.NONE, null);
            placed = place(pipe, rgb, p, dpi, colour);
        } catch (IdPhotoRefusal r) {
            err.println(input + ": " + r.getMessage());
            return 1;
        }

        // Everything that can fail on the photo (a sheet larger than the paper) before the first file is written.
        PrintSheet.Sheet s = sheet == null ? null : PrintSheet.render(placed.photo(), dpi, paperOptions);
        String how = write(placed.photo(), output, jpeg);
        out.printf(Locale.ROOT, "%s: %dx%d px at %.0f DPI (%s), %s%n", output, placed.photo().width, placed.photo().height, dpi, p.name(), how);
        ComplianceReport rep = placed.report();
        out.println(summary(rep));
        for (String n : rep.notes()) out.println("note: " + n);
        if (s != null) {
            String sheetHow = write(s.image(), sheet, isJpeg(sheet));
            out.printf(Locale.ROOT, "%s: %d copies on %s, %dx%d px, %s%n", sheet, s.count(), paperOptions.label(), s.image().width, s.image().height, sheetHow);
        }
        if (report != null) {
            AtomicFiles.write(report, overwrite, rep.toJson().getBytes(StandardCharsets.UTF_8));
            out.println(report + ": compliance report");
        }
        refine.finish(out);
        return 0;
    }

    /** One line: pass, or which rules fail with their measured value and range. */
    static String summary(ComplianceReport r) {
        if (r.passes()) return "rules: all " + r.rules().size() + " pass (" + r.presetName() + ")";
        StringBuilder b = new StringBuilder("rules: FAIL");
        for (ComplianceReport.Rule x : r.failed())
            b.append(String.format(Locale.ROOT, "; %s %.1f %s (allowed %s..%s)", x.name(), x.measured(), x.unit(),
                    Double.isFinite(x.min()) ? String.format(Locale.ROOT, "%.1f", x.min()) : "",
                    Double.isFinite(x.max()) ? String.format(Locale.ROOT, "%.1f", x.max()) : ""));
        if (!r.backgroundOk()) b.append("; background ").append(r.background()).append(" (asked: ").append(r.backgroundRequired()).append(')');
        return b.toString();
    }

    /** A placed ID photo: the face, the crop, the rendered photo and its report. */
    record Placed(FaceLocator.FaceSubject subject, IdPhotoCropper.Crop crop, ByteImage photo, ComplianceReport report) { }

    /** The ID photo from a matted pipeline: face found on α, levelled, cropped by the preset's rules, exact pixel size. */
    static Placed place(AutoPipeline pipe, ByteImage rgb, IdPhotoPreset p, double dpi, int[] colour) {
        FaceLocator.FaceSubject s = FaceLocator.locate(rgb, pipe.alpha());
        IdPhotoCropper.Crop crop = IdPhotoCropper.crop(s, p, IdPhotoCropper.Adjust.NONE);
        ByteImage photo = IdPhotoCropper.render(rgb, pipe.alpha(), pipe.foreground(), crop, p, dpi, colour);
        return new Placed(s, crop, photo, ComplianceReport.measure(s, crop, p, dpi, colour));
    }

    /** The ID photo alone (the batch path of {@code matte --size}); throws {@link IdPhotoRefusal} for no/several faces. */
    static ByteImage render(AutoPipeline pipe, ByteImage rgb, IdPhotoPreset p, double dpi, int[] colour) {
        return place(pipe, rgb, p, dpi, colour).photo();
    }

    private String write(ByteImage img, Path file, boolean jpeg) throws IOException {
        return write(img, file, jpeg, dpi, maxKb, quality, overwrite);
    }

    /** Writes an ID photo or sheet as PNG, or JPEG at a quality or within a size limit; returns how. */
    static String write(ByteImage img, Path file, boolean jpeg, double dpi, int maxKb, float quality, boolean overwrite) throws IOException {
        if (!jpeg) {
            ImageFiles.writePng(img, file, dpi, overwrite);
            return "PNG";
        }
        if (maxKb > 0) {
            Exporter.JpegFit fit = Exporter.fitJpeg(img, maxKb, dpi);
            AtomicFiles.write(file, overwrite, fit.bytes());
            return String.format(Locale.ROOT, "JPEG quality %.2f, %.1f KB (limit %d KB)", fit.quality(), fit.bytes().length / 1024.0, maxKb);
        }
        ImageFiles.writeJpeg(img, file, quality, dpi, overwrite);
        return String.format(Locale.ROOT, "JPEG quality %.2f", quality);
    }

    static boolean isJpeg(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg");
    }
}
