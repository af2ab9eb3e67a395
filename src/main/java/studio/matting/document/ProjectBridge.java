package studio.matting.document;

import studio.matting.compositor.Background;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageLoadException;
import studio.matting.project.Project;

import java.nio.file.Path;

/** Converts between the editing session ({@link Document} + editor settings) and a saved {@link Project}. */
public final class ProjectBridge {
    private ProjectBridge() { }

    public static Project toProject(Document d, String engineId, Project.BackgroundSpec background) {
        return new Project(d.path() == null ? null : d.path().toAbsolutePath(), d.image(), d.trimap().copy(), engineId,
                d.kernelSize(), d.iterations(), background);
    }

    public static Document toDocument(Project p) {
        return Document.restore(p.imagePath(), p.image(), Double.NaN,
                p.trimap() != null ? p.trimap() : studio.matting.trimap.Trimap.filled(p.image().width, p.image().height,
                        studio.matting.trimap.Trimap.UNKNOWN), p.kernelSize(), p.iterations());
    }

    /** The compositor background a project names; an image background that can no longer be read is reported. */
    public static Background background(Project.BackgroundSpec spec) throws ImageLoadException {
        if (spec == null || spec.type() == null) return Background.checker();
        return switch (spec.type()) {
            case "solid" -> {
                int[] c = spec.rgb();
                yield Background.solid(c[0], c[1], c[2]);
            }
            case "image" -> Background.image(ImageFiles.readRgb(Path.of(spec.imagePath())));
            default -> Background.checker();
        };
    }

    /** The spec of a compositor background; an image background needs the path it was loaded from. */
    public static Project.BackgroundSpec spec(Background b, Path imagePath) {
        if (b instanceof Background.Solid s) return Project.BackgroundSpec.solid(s.r, s.g, s.b);
        if (b instanceof Background.Picture && imagePath != null) return Project.BackgroundSpec.image(imagePath.toAbsolutePath().toString());
        return Project.BackgroundSpec.checker();
    }
}
