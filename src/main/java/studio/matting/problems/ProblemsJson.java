package studio.matting.problems;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import studio.matting.image.AtomicFiles;
import studio.matting.image.Rect;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The finder's list as JSON: {@code {"format": "matting-studio-problems", "version": 1, "images": [{"image", "width",
 * "height", "problems": [{"kind", "box": {x, y, width, height}, "score", "fix": [{"paint", "box", "pixels"}]}]}]}}.
 */
public final class ProblemsJson {
    public static final String FORMAT = "matting-studio-problems";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ProblemsJson() { }

    /** One analysed image. */
    public record Entry(String image, int width, int height, List<Problem> problems) { }

    public static ObjectNode toJson(List<Entry> entries) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", 1);
        ArrayNode images = root.putArray("images");
        for (Entry e : entries) {
            ObjectNode im = images.addObject();
            im.put("image", e.image());
            im.put("width", e.width());
            im.put("height", e.height());
            ArrayNode list = im.putArray("problems");
            for (Problem p : e.problems()) {
                ObjectNode o = list.addObject();
                o.put("kind", p.kind().id());
                box(o.putObject("box"), p.box());
                o.put("score", Math.round(p.score() * 1000) / 1000.0);
                ArrayNode fix = o.putArray("fix");
                for (Problem.Stroke s : p.fix().strokes()) {
                    ObjectNode f = fix.addObject();
                    f.put("paint", s.levelName());
                    box(f.putObject("box"), s.box());
                    f.put("pixels", s.pixels());
                }
            }
        }
        return root;
    }

    private static void box(ObjectNode n, Rect r) {
        n.put("x", r.x());
        n.put("y", r.y());
        n.put("width", r.width());
        n.put("height", r.height());
    }

    /** Writes the list atomically. */
    public static void write(Path file, List<Entry> entries, boolean overwrite) throws IOException {
        AtomicFiles.write(file, overwrite, JSON.writeValueAsBytes(toJson(entries)));
    }

    /** Counts per kind, for a one-line summary. */
    public static String summary(List<Problem> problems) {
        Map<Problem.Kind, Long> n = new java.util.EnumMap<>(Problem.Kind.class);
        for (Problem p : problems) n.merge(p.kind(), 1L, Long::sum);
        if (n.isEmpty()) return "no problems found";
        StringBuilder b = new StringBuilder();
        n.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(v).append(' ').append(k.id()));
        return b.toString();
    }
}
