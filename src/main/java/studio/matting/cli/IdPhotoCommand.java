package studio.matting.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import studio.matting.compositor.Background;
import studio.matting.export.Exporter;
import studio.matting.idphoto.HeadLocator;
import studio.matting.idphoto.IdPhotoCropper;
import studio.matting.idphoto.IdPhotoPreset;
import studio.matting.idphoto.PrintSheet;
import studio.matting.image.AtomicFiles;
import studio.matting.image.ByteImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageOps;
import studio.matting.pipeline.AutoPipeline;
import studio.matting.pipeline.Engines;
import studio.matting.task.TaskContext;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Photo → ID photo at a preset size, head placed by the preset's rules, on a solid colour; optionally a print sheet. */
@Command(name = "idphoto", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Make an ID photo: matte the person, place the head by the preset's rules, put it on a solid"
                + " background at the exact pixel size for the DPI, and optionally lay out a 4x6 in print sheet.",
                "Presets: 1inch (25x35 mm), 2inch (35x49 mm), small2inch (35x45 mm), passport (33x48 mm), us2x2 (2x2 in),"
                        + " or WxH in mm such as 40x50."})
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

    @Option(names = "--sheet", description = "Also write a 4x6 in print sheet with as many copies as fit.")
    Path sheet;

    @Option(names = "--overwrite", description = "Replace existing files.")
    boolean overwrite;

    @Mixin
    InputLayers layers = new InputLayers();

    @Mixin
    RefineOptions refine = new RefineOptions();

    PrintStream out = System.out;

    static IdPhotoPreset preset(String text) {
        Matcher m = CUSTOM.matcher(text.toLowerCase(Locale.ROOT));
        if (m.matches()) return IdPhotoPreset.custom(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)));
        return IdPhotoPreset.byId(text);
    }

    @Override
    public Integer call() throws Exception {
        Engines.setDevice(layers.device);
        IdPhotoPreset p = preset(preset);
        int[] colour = BackgroundSpec.parseColour(bg);
        if (!(dpi > 0)) throw new IllegalArgumentException("--dpi must be positive");
        boolean jpeg = isJpeg(output);
        if (!jpeg && !output.toString().toLowerCase(Locale.ROOT).endsWith(".png"))
            throw new IllegalArgumentException("--output must end in .jpg, .jpeg or .png");

        refine.start(overwrite);
        ByteImage rgb = ImageOps.toRgb(ImageFiles.read(input));
        AutoPipeline pipe = layers.pipeline(rgb, input, Path.of(""), Background.solid(colour[0], colour[1], colour[2]));
        refine.configure(pipe, input.getFileName().toString());
        pipe.run(AutoPipeline.Stage.FOREGROUND, TaskContext.NONE, null);
        HeadLocator.Head head = HeadLocator.locate(pipe.alpha());
        ByteImage photo = render(pipe, rgb, p, dpi, colour);

        String how = write(photo, output, jpeg);
        out.printf(Locale.ROOT, "%s: %dx%d px at %.0f DPI (%s), %s%n", output, photo.width, photo.height, dpi, p.name(), how);
        if (!head.shouldersFound()) out.println("note: no shoulder line found; the head height was estimated from the face width");
        if (sheet != null) {
            PrintSheet.Sheet s = PrintSheet.render(photo, dpi, PrintSheet.Options.SIX_INCH);
            String sheetHow = write(s.image(), sheet, isJpeg(sheet));
            out.printf(Locale.ROOT, "%s: %d copies on 4x6 in, %dx%d px, %s%n", sheet, s.count(), s.image().width, s.image().height, sheetHow);
        }
        refine.finish(out);
        return 0;
    }

    /** The ID photo from a matted pipeline: head located on α, crop by the preset's rules, exact pixel size. */
    static ByteImage render(AutoPipeline pipe, ByteImage rgb, IdPhotoPreset p, double dpi, int[] colour) {
        HeadLocator.Head head = HeadLocator.locate(pipe.alpha());
        IdPhotoCropper.Crop crop = IdPhotoCropper.crop(head, p, IdPhotoCropper.Adjust.NONE);
        return IdPhotoCropper.render(rgb, pipe.alpha(), pipe.foreground(), crop, p, dpi, colour);
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
