package studio.matting.project;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import studio.matting.i18n.Messages;
import studio.matting.image.AtomicFiles;
import studio.matting.image.ByteImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageLoadException;
import studio.matting.image.ImageOps;
import studio.matting.trimap.Trimap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Reads and writes {@code .msproj} project files: JSON with a format tag and version, the image as a path relative to
 * the project file when possible (or embedded as base64 PNG), the trimap as base64 PNG, and the settings.
 */
public final class ProjectFiles {
    public static final String EXTENSION = ".msproj";
    public static final String FORMAT = "matting-studio-project";
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            // A newer minor writer may add fields; the version number guards incompatible changes.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ProjectFiles() { }

    /** The JSON layout. */
    public record Data(String format, int version, String imagePath, String imagePng, String trimapPng,
                       String engineId, int kernelSize, int iterations,
                       Project.BackgroundSpec background,
                       /* added in the same version: older files have none, older readers ignore it */
                       com.fasterxml.jackson.databind.JsonNode refinements) { }

    /**
     * Saves a project. The image is embedded when {@code embedImage} is set or when the project has no image path
     * (an image that exists only in memory would otherwise be lost).
     */
    public static void save(Project p, Path file, boolean embedImage, boolean overwrite) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        String rel = null;
        if (p.imagePath() != null) rel = relativize(dir, p.imagePath().toAbsolutePath());
        boolean embed = embedImage || p.imagePath() == null;
        Data d = new Data(FORMAT, VERSION, rel, embed ? base64Png(p.image()) : null,
                p.trimap() == null ? null : base64Png(p.trimap().asGray()),
                p.engineId(), p.kernelSize(), p.iterations(), p.background(), p.refinements().toJson());
        byte[] bytes = JSON.writeValueAsBytes(d);
        AtomicFiles.write(file, overwrite, bytes);
    }

    public static Project load(Path file) throws ProjectException {
        String name = file.getFileName().toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ProjectException(Messages.format("project.noSuchFile", file), e);
        } catch (IOException e) {
            throw new ProjectException(Messages.format("project.readFailed", name, e.getMessage()), e);
        }
        if (bytes.length == 0) throw new ProjectException(Messages.format("project.empty", name));
        Data d;
        try {
            d = JSON.readValue(bytes, Data.class);
        } catch (JsonProcessingException e) {
            throw new ProjectException(e.getLocation() == null ? Messages.format("project.corrupt", name)
                    : Messages.format("project.corruptAt", name, e.getLocation().getLineNr(), e.getLocation().getColumnNr()), e);
        } catch (IOException e) {
            throw new ProjectException(Messages.format("project.readFailed", name, e.getMessage()), e);
        }
        if (d == null || !FORMAT.equals(d.format()))
            throw new ProjectException(Messages.format("project.notProject", name));
        if (d.version() > VERSION)
            throw new ProjectException(Messages.format("project.newer", name, d.version(), VERSION));
        if (d.version() < 1)
            throw new ProjectException(Messages.format("project.badVersion", name, d.version()));
        if (d.kernelSize() < 0 || d.iterations() < 0)
            throw new ProjectException(Messages.format("project.negativeSettings", name));

        Path dir = file.toAbsolutePath().getParent();
        Path imagePath = d.imagePath() == null ? null : dir.resolve(d.imagePath()).normalize();
        ByteImage image;
        if (d.imagePng() != null) {
            image = ImageOps.toRgb(decodePng(d.imagePng(), "image", name));
        } else if (imagePath != null) {
            try {
                image = ImageFiles.readRgb(imagePath);
            } catch (ImageLoadException e) {
                throw new ProjectException(Messages.format("project.imageUnreadable", name, imagePath, e.getMessage()), e);
            }
        } else {
            throw new ProjectException(Messages.format("project.noImage", name));
        }
        Trimap trimap = null;
        if (d.trimapPng() != null) {
            ByteImage g = ImageOps.toGray(decodePng(d.trimapPng(), "trimap", name));
            if (g.width != image.width || g.height != image.height)
                throw new ProjectException(Messages.format("project.trimapSize", name, g.width, g.height, image.width, image.height));
            trimap = Trimap.fromGray(g);
        }
        if (d.background() != null && "solid".equals(d.background().type())) {
            try {
                d.background().rgb();
            } catch (IllegalArgumentException e) {
                throw new ProjectException(Messages.format("project.badColour", name, d.background().color()), e);
            }
        }
        studio.matting.refine.Refinements refinements;
        try {
            refinements = studio.matting.refine.Refinements.fromJson(d.refinements());
        } catch (IllegalArgumentException e) {
            throw new ProjectException(Messages.format("project.badRefinements", name, e.getMessage()), e);
        }
        return new Project(imagePath, image, trimap, d.engineId(), d.kernelSize(), d.iterations(), d.background(), refinements);
    }

    private static ByteImage decodePng(String b64, String what, String name) throws ProjectException {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new ProjectException(Messages.format("project.badBase64", name, Messages.format("project.part." + what), e.getMessage()), e);
        }
        try {
            return ImageFiles.decode(raw, what).image();
        } catch (ImageLoadException e) {
            throw new ProjectException(Messages.format("project.damagedPart", name, Messages.format("project.part." + what), e.getMessage()), e);
        }
    }

    static String base64Png(ByteImage img) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        ImageFiles.encodePng(ImageFiles.toBufferedImage(img), Double.NaN, bos);
        return Base64.getEncoder().encodeToString(bos.toByteArray());
    }

    /** A path relative to dir with '/' separators when both share a root, else the absolute path. */
    static String relativize(Path dir, Path target) {
        try {
            if (dir != null && dir.getRoot() != null && dir.getRoot().equals(target.getRoot()))
                return dir.relativize(target).toString().replace('\\', '/');
        } catch (IllegalArgumentException ignored) {
            // different drives on Windows
        }
        return target.toString();
    }
}
