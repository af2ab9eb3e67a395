package studio.matting.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Images in folders matched by base name (any image extension), for {@code eval} and {@code bench}: an alphamatting.com
 * layout ({@code input/}, {@code trimap1|2/}, {@code gt/}) or any image / trimap / ground-truth folders.
 */
public final class ImageFolders {
    /** Extensions recognised when matching by base name. */
    public static final java.util.List<String> EXTENSIONS = studio.matting.image.FileNames.IMAGE_EXTENSIONS;

    /** One image with its trimap and ground truth (gt may equal trimap when there is none). */
    public record Match(String name, String set, Path image, Path trimap, Path gt) { }

    private ImageFolders() { }

    /** {@code dir/input} against {@code dir/<set>} and {@code dir/gt}, for each set in order. */
    public static List<Match> alphamatting(Path dir, List<String> sets, List<String> only) throws IOException {
        if (!Files.isDirectory(dir.resolve("input"))) throw new IllegalArgumentException(dir + " has no input/ folder");
        List<Match> out = new ArrayList<>();
        for (String set : sets) out.addAll(matched(dir.resolve("input"), dir.resolve(set), dir.resolve("gt"), set, only));
        return out;
    }

    /** Images whose base name has a trimap and a ground truth with the same base name (any image extension). */
    public static List<Match> matched(Path images, Path trimaps, Path gt, String set, List<String> only) throws IOException {
        for (Path p : List.of(images, trimaps, gt)) if (!Files.isDirectory(p)) throw new IllegalArgumentException("not a folder: " + p);
        Set<String> wanted = only == null ? null : Set.copyOf(only);
        List<Match> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(images)) {
            for (Path img : s.filter(Files::isRegularFile).sorted().toList()) {
                String base = baseName(img);
                if (base == null || (wanted != null && !wanted.contains(base))) continue;
                Path t = sibling(trimaps, base), g = sibling(gt, base);
                if (t != null && g != null) out.add(new Match(base, set, img, t, g));
            }
        }
        return out;
    }

    /** The file name without its image extension, or null when it has none of {@link #EXTENSIONS}. */
    public static String baseName(Path p) {
        String n = p.getFileName().toString();
        return studio.matting.image.FileNames.isImage(n) ? studio.matting.image.FileNames.stem(n) : null;
    }

    /** The file in {@code dir} named {@code base} with any image extension (first by name), or null. */
    public static Path sibling(Path dir, String base) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> base.equals(baseName(p))).sorted().findFirst().orElse(null);
        }
    }
}
