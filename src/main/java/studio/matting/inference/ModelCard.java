package studio.matting.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parsed and validated model card ({@code NAME.json} beside {@code NAME.onnx}, format
 * {@code matting-studio-model-card/1}). Parsing checks the fields the inference code relies on, so a bad card is
 * refused with every problem listed at once instead of failing later inside a tensor copy.
 */
public record ModelCard(
        Path cardPath,
        String name,
        String version,
        Task task,
        String file,
        String sha256,
        long parameters,
        Input input,
        Output output,
        boolean flipAverage,
        String created,
        String commit,
        JsonNode raw) {

    public static final String FORMAT = "matting-studio-model-card/1";

    /**
     * A general segmentation model's head-and-shoulders specialist (card {@code inference.portrait_detail}): on a
     * bust — the general mask crosses at least {@code minBottom} of the bottom row and covers at least
     * {@code minArea} of the frame — and when the two masks agree (IoU ≥ {@code minAgreement}), the probabilities
     * are blended with the specialist's at {@code weight}. Any other photo (a whole body, a scene) is segmented again
     * by the general model at {@code sceneSize} when that is set (0: the first pass's mask is kept): small people and
     * thin limbs need more pixels than a bust.
     */
    public record PortraitDetail(String model, double weight, double minAgreement, double minBottom, double minArea,
                                 int sceneSize) { }

    /** The card's portrait specialist, if it names one (validated when the card was read). */
    public java.util.Optional<PortraitDetail> portraitDetail() {
        JsonNode d = raw == null ? null : raw.path("inference").get("portrait_detail");
        if (d == null || !d.isObject() || !d.path("model").isTextual()) return java.util.Optional.empty();
        return java.util.Optional.of(new PortraitDetail(d.get("model").asText(), d.path("weight").asDouble(0.7),
                d.path("min_agreement").asDouble(0.5), d.path("min_bottom").asDouble(0.3), d.path("min_area").asDouble(0.1),
                d.path("scene_size").asInt(0)));
    }

    /**
     * The photo's colours settle the pixels the network is unsure of (card {@code inference.colour_refine}, see
     * {@code ColourRefinedSegmenter}): probability at or below {@code low} / at or above {@code high} is sure,
     * GrabCut with {@code iterations} on a copy of at most {@code maxSide} decides the rest. With a portrait
     * specialist it applies to the photos that are not busts (the scene pass): on busts the specialist already
     * draws the edge, and refining them too moved portraits test.txt by 0.0003 for 0.3 s a photo.
     */
    public record ColourRefine(double low, double high, int iterations, int maxSide) { }

    /** The card's colour refinement, if it asks for one (validated when the card was read). */
    public java.util.Optional<ColourRefine> colourRefine() {
        JsonNode d = raw == null ? null : raw.path("inference").get("colour_refine");
        if (d == null || !d.isObject()) return java.util.Optional.empty();
        return java.util.Optional.of(colourRefineOf(d));
    }

    /** The fields of an {@code inference.colour_refine} object, with the defaults for those it leaves out. */
    private static ColourRefine colourRefineOf(JsonNode d) {
        return new ColourRefine(d.path("low").asDouble(0.15), d.path("high").asDouble(0.95),
                d.path("iterations").asInt(3), d.path("max_side").asInt(480));
    }

    /**
     * A second pass on the people's boxes when they fill little of the frame (card {@code inference.zoom}, see
     * {@code ZoomSegmenter}): the box round each blob called person (at least {@code minComponent} of the largest),
     * with {@code margin} of its longer side, overlapping boxes merged, is segmented again when it covers less than
     * {@code maxArea} of the frame. With a portrait specialist it applies to the scene pass (busts fill the frame).
     */
    public record Zoom(double maxArea, double margin, double minComponent) { }

    /** The card's zoom pass, if it asks for one (validated when the card was read). */
    public java.util.Optional<Zoom> zoom() {
        JsonNode d = raw == null ? null : raw.path("inference").get("zoom");
        if (d == null || !d.isObject()) return java.util.Optional.empty();
        return java.util.Optional.of(new Zoom(d.path("max_area").asDouble(0.7), d.path("margin").asDouble(0.2),
                d.path("min_component").asDouble(0.02)));
    }

    public enum Task {
        SEGMENTATION("segmentation", 3), TRIMAP_MATTING("trimap-matting", 6);

        public final String id;
        public final int inputChannels;

        Task(String id, int inputChannels) {
            this.id = id;
            this.inputChannels = inputChannels;
        }

        static Task of(String id) {
            for (Task t : values()) if (t.id.equals(id)) return t;
            return null;
        }
    }

    /**
     * The size rule: "multiple" (dynamic H/W, long side scaled to the working size, padded to a multiple), "fixed"
     * (exactly width x height: the image is squashed to it, or letterboxed: scaled with its aspect kept and padded
     * by edge replication) or "reference" (MODNet's rule, dynamic H/W: when both sides are below the reference size
     * or both above it, the short side is scaled to it; each side is then rounded down to a multiple, squashing the
     * image slightly, no padding).
     */
    public record Size(String rule, int multiple, int workingSize, int maxSide, int width, int height, String resize) {
        public static final String LETTERBOX = "letterbox", SQUASH = "squash";

        public Size(String rule, int multiple, int workingSize, int maxSide, int width, int height) {
            this(rule, multiple, workingSize, maxSide, width, height, LETTERBOX);
        }

        public boolean fixed() { return "fixed".equals(rule); }

        public boolean reference() { return "reference".equals(rule); }

        /** The "multiple" rule: the graph takes any size, so it can run at another working size than the card's. */
        public boolean anySize() { return !fixed() && !reference(); }

        /** Fixed size filled by stretching the image (rembg's sessions) rather than letterboxing it. */
        public boolean squash() { return fixed() && SQUASH.equals(resize); }

        /** The same rule at another working size (a second pass at a larger size). */
        public Size withWorkingSize(int size) {
            return new Size(rule, multiple, size, maxSide, width, height, resize);
        }

        /** Padding unit per axis: 1 for fixed sizes (the tensor is padded to exactly width x height instead). */
        public int unit() { return fixed() ? 1 : multiple; }
    }

    /**
     * x = (v / scale - mean) / std for 8-bit v; with {@code imageMax} the divisor is the largest value of the resized
     * image instead of {@code scale} (rembg's sessions divide by {@code max(image)}).
     */
    public record Normalisation(float scale, float[] mean, float[] std, boolean imageMax) {
        public Normalisation(float scale, float[] mean, float[] std) { this(scale, mean, std, false); }
    }

    /**
     * {@code baseAlpha}: for a trimap-matting model that refines another engine's α instead of computing its own
     * (card {@code input.base_alpha}, e.g. "closed-form"), the id of that engine; its α in [0, 1] is the seventh
     * input plane after RGB and the trimap's one-hot. Null for a model that mattes from the image and trimap alone.
     */
    public record Input(String name, String layout, int channels, String channelOrder, Size size,
                        Normalisation normalisation, String trimapEncoding, String baseAlpha) {
        public Input(String name, String layout, int channels, String channelOrder, Size size,
                     Normalisation normalisation, String trimapEncoding) {
            this(name, layout, channels, channelOrder, size, normalisation, trimapEncoding, null);
        }

        public boolean nhwc() { return "NHWC".equals(layout); }
    }

    /** The engine whose α a refining trimap-matting model reads ({@link Input#baseAlpha}); the only one so far. */
    public static final String BASE_CLOSED_FORM = "closed-form";

    /**
     * The graph output used (by name: a graph may have several) and how it becomes a probability: activation
     * "sigmoid" or "clamp" (the graph gives values in [0,1]) or "none"/"logits" (sigmoid applied here); rescale
     * "min-max" stretches the map to [0,1] as rembg does, "none" leaves it.
     */
    public record Output(String name, int channels, String meaning, String activation, String rescale) {
        public Output(String name, int channels, String meaning, String activation) {
            this(name, channels, meaning, activation, "none");
        }

        public boolean logits() { return "none".equals(activation) || "logits".equals(activation); }

        public boolean minMax() { return "min-max".equals(rescale); }
    }

    /** Where the card came from: "matting-studio" (ours) or the family it was imported as (u2net, isnet, ...). */
    public String family() {
        JsonNode f = raw == null ? null : raw.get("family");
        return f == null || !f.isTextual() ? "matting-studio" : f.asText();
    }

    /** The .onnx file the card describes (resolved next to the card). */
    public Path modelPath() {
        Path dir = cardPath.toAbsolutePath().getParent();
        return dir.resolve(file);
    }

    /** "NAME (task, N params)" for lists and logs. */
    public String summary() {
        String params = parameters > 0 ? String.format(Locale.ROOT, "%,d", parameters) + " parameters" : "imported " + family();
        return name + " " + version + " (" + task.id + ", " + params + ")";
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads and validates a card; every problem found is listed in the exception's message. */
    public static ModelCard read(Path cardPath) throws ModelException {
        String label = "Model card " + cardPath.getFileName();
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(cardPath));
        } catch (NoSuchFileException e) {
            throw new ModelException(label + ": missing file");
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new ModelException(label + ": not valid JSON (" + e.getOriginalMessage()
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ")");
        } catch (IOException e) {
            throw new ModelException(label + ": cannot be read (" + e.getMessage() + ")", e);
        }
        if (root == null || !root.isObject()) throw new ModelException(label + ": not a JSON object");
        return parse(root, cardPath);
    }

    /** Validates an already-parsed card. {@code cardPath} locates the .onnx file. */
    public static ModelCard parse(JsonNode root, Path cardPath) throws ModelException {
        List<String> problems = new ArrayList<>();
        Fields f = new Fields(problems);
        String format = f.text(root, "format");
        if (format != null && !FORMAT.equals(format)) problems.add("unsupported format '" + format + "' (expected " + FORMAT + ")");
        String name = f.text(root, "name");
        String version = f.optText(root, "version", "unknown");
        String taskId = f.text(root, "task");
        Task task = taskId == null ? null : Task.of(taskId);
        if (taskId != null && task == null) problems.add("unknown task '" + taskId + "' (expected segmentation or trimap-matting)");
        String file = f.text(root, "file");
        if (file != null && (file.contains("/") || file.contains("\\") || file.contains("..")))
            problems.add("file must be a plain file name next to the card, got '" + file + "'");
        String sha = f.text(root, "sha256");
        if (sha != null && !sha.matches("[0-9a-f]{64}")) problems.add("sha256 must be 64 lower-case hex digits");
        long params = root.path("parameters").asLong(0);

        JsonNode in = f.object(root, "input");
        Input input = null;
        if (in != null) {
            String inName = f.text(in, "name");
            String layout = f.optText(in, "layout", "NCHW");
            if (!"NCHW".equals(layout) && !"NHWC".equals(layout)) problems.add("input.layout must be NCHW or NHWC, got '" + layout + "'");
            if ("NHWC".equals(layout) && task == Task.TRIMAP_MATTING) problems.add("input.layout NHWC is only supported for segmentation");
            int channels = f.integer(in, "channels");
            String base = f.optText(in, "base_alpha", null);
            if (base != null && task != Task.TRIMAP_MATTING) problems.add("input.base_alpha is only for trimap-matting models");
            else if (base != null && !BASE_CLOSED_FORM.equals(base))
                problems.add("input.base_alpha must be " + BASE_CLOSED_FORM + ", got '" + base + "'");
            int needed = task == null ? 0 : task.inputChannels + (base != null ? 1 : 0);
            if (task != null && channels > 0 && channels != needed)
                problems.add("input.channels is " + channels + " but task " + task.id + (base != null ? " with a base alpha" : "")
                        + " needs " + needed);
            String order = f.optText(in, "channel_order", "RGB");
            if (!"RGB".equals(order)) problems.add("input.channel_order must be RGB, got '" + order + "'");
            Size size = parseSize(f.object(in, "size"), f, problems);
            Normalisation norm = parseNorm(f.object(in, "normalisation"), f, problems);
            String enc = f.optText(in, "trimap_encoding", null);
            if (task == Task.TRIMAP_MATTING && !"one-hot-3".equals(enc))
                problems.add("input.trimap_encoding must be one-hot-3 for trimap-matting, got " + (enc == null ? "nothing" : "'" + enc + "'"));
            if (task == Task.TRIMAP_MATTING && size != null && size.reference())
                problems.add("input.size.rule reference is only supported for segmentation");
            if (task == Task.TRIMAP_MATTING && norm != null && norm.imageMax())
                problems.add("input.normalisation.divide_by_image_max is only supported for segmentation");
            input = new Input(inName, layout, channels, order, size, norm, enc, base);
        }
        JsonNode out = f.object(root, "output");
        Output output = null;
        if (out != null) {
            String outName = f.text(out, "name");
            int ch = f.integer(out, "channels");
            if (ch > 0 && ch != 1) problems.add("output.channels must be 1, got " + ch);
            String act = f.optText(out, "activation", "sigmoid");
            if (!"sigmoid".equals(act) && !"none".equals(act) && !"logits".equals(act) && !"clamp".equals(act))
                problems.add("output.activation must be sigmoid (applied in the graph), clamp, or logits/none (sigmoid applied by the app), got '" + act + "'");
            String rescale = f.optText(out, "rescale", "none");
            if (!"none".equals(rescale) && !"min-max".equals(rescale))
                problems.add("output.rescale must be none or min-max, got '" + rescale + "'");
            if ("min-max".equals(rescale) && task == Task.TRIMAP_MATTING) problems.add("output.rescale min-max is only supported for segmentation");
            output = new Output(outName, ch, f.optText(out, "meaning", ""), act, rescale);
        }
        // Optional: average the prediction with that of the mirrored image (the model was selected that way).
        boolean flip = false;
        JsonNode inference = root.get("inference");
        if (inference != null && !inference.isNull()) {
            if (!inference.isObject()) problems.add("field 'inference' must be an object");
            else {
                JsonNode v = inference.get("flip_average");
                if (v != null && !v.isBoolean()) problems.add("inference.flip_average must be true or false");
                flip = v != null && v.asBoolean(false);
                JsonNode d = inference.get("portrait_detail");
                if (d != null && !d.isNull()) {
                    if (task != Task.SEGMENTATION) problems.add("inference.portrait_detail is only for segmentation models");
                    else if (!d.isObject() || !d.path("model").isTextual()) problems.add("inference.portrait_detail needs a 'model' name");
                    else for (String k : new String[]{"weight", "min_agreement", "min_bottom", "min_area"}) {
                        JsonNode x = d.get(k);
                        if (x != null && (!x.isNumber() || x.asDouble() < 0 || x.asDouble() > 1))
                            problems.add("inference.portrait_detail." + k + " must be a number in [0, 1]");
                    }
                    JsonNode sc = d.get("scene_size");
                    if (sc != null && (!sc.canConvertToInt() || !sc.isIntegralNumber() || sc.asInt() < 32 || sc.asInt() > 4096))
                        problems.add("inference.portrait_detail.scene_size must be a whole number of pixels in [32, 4096]");
                }
                JsonNode z = inference.get("zoom");
                if (z != null && !z.isNull()) {
                    if (task != Task.SEGMENTATION) problems.add("inference.zoom is only for segmentation models");
                    else if (!z.isObject()) problems.add("inference.zoom must be an object");
                    else {
                        JsonNode a = z.get("max_area"), mg = z.get("margin");
                        if (a != null && (!a.isNumber() || !(a.asDouble() > 0 && a.asDouble() <= 1)))
                            problems.add("inference.zoom.max_area must be a number in (0, 1]");
                        if (mg != null && (!mg.isNumber() || mg.asDouble() < 0 || mg.asDouble() > 2))
                            problems.add("inference.zoom.margin must be a number in [0, 2]");
                        JsonNode mc = z.get("min_component");
                        if (mc != null && (!mc.isNumber() || mc.asDouble() < 0 || mc.asDouble() > 1))
                            problems.add("inference.zoom.min_component must be a number in [0, 1]");
                    }
                }
                JsonNode r = inference.get("colour_refine");
                if (r != null && !r.isNull()) {
                    if (task != Task.SEGMENTATION) problems.add("inference.colour_refine is only for segmentation models");
                    else if (!r.isObject()) problems.add("inference.colour_refine must be an object");
                    else {
                        ColourRefine c = colourRefineOf(r);
                        double lo = c.low(), hi = c.high();
                        for (String k : new String[]{"low", "high"}) {
                            JsonNode x = r.get(k);
                            if (x != null && !x.isNumber()) problems.add("inference.colour_refine." + k + " must be a number");
                        }
                        if (!(lo >= 0 && lo < 0.5 && hi > 0.5 && hi <= 1))
                            problems.add("inference.colour_refine needs 0 <= low < 0.5 < high <= 1");
                        JsonNode it = r.get("iterations");
                        if (it != null && (!it.isIntegralNumber() || it.asInt() < 1 || it.asInt() > 20))
                            problems.add("inference.colour_refine.iterations must be a whole number in [1, 20]");
                        JsonNode ms = r.get("max_side");
                        if (ms != null && (!ms.isIntegralNumber() || ms.asInt() < 32 || ms.asInt() > 4096))
                            problems.add("inference.colour_refine.max_side must be a whole number of pixels in [32, 4096]");
                    }
                }
            }
        }
        if (!problems.isEmpty())
            throw new ModelException("Model card " + cardPath.getFileName() + ": " + String.join("; ", problems));
        return new ModelCard(cardPath, name, version, task, file, sha, params, input, output, flip,
                f.optText(root, "created", ""), f.optText(root, "commit", "unknown"), root);
    }

    private static Size parseSize(JsonNode s, Fields f, List<String> problems) {
        if (s == null) return null;
        String rule = f.text(s, "size.rule", s.get("rule"));
        if ("multiple".equals(rule)) {
            int m = f.integer(s, "multiple");
            int ws = f.integer(s, "working_size");
            int max = f.integer(s, "max_side");
            if (m > 0 && ws > 0 && ws % m != 0) problems.add("input.size.working_size " + ws + " is not a multiple of " + m);
            if (m > 0 && max > 0 && max < m) problems.add("input.size.max_side " + max + " is smaller than the multiple " + m);
            return new Size(rule, Math.max(1, m), ws, max, 0, 0);
        } else if ("fixed".equals(rule)) {
            int w = f.integer(s, "width"), h = f.integer(s, "height");
            String resize = f.optText(s, "resize", Size.LETTERBOX);
            if (!Size.LETTERBOX.equals(resize) && !Size.SQUASH.equals(resize))
                problems.add("input.size.resize must be letterbox or squash, got '" + resize + "'");
            return new Size(rule, 1, Math.max(w, h), Math.max(w, h), w, h, resize);
        } else if ("reference".equals(rule)) {
            int m = f.integer(s, "multiple");
            int ref = f.integer(s, "reference_size");
            if (m > 0 && ref > 0 && ref < m) problems.add("input.size.reference_size " + ref + " is smaller than the multiple " + m);
            return new Size(rule, Math.max(1, m), ref, ref, 0, 0, Size.SQUASH);
        } else if (rule != null) {
            problems.add("input.size.rule must be multiple, fixed or reference, got '" + rule + "'");
        }
        return null;
    }

    private static Normalisation parseNorm(JsonNode n, Fields f, List<String> problems) {
        if (n == null) return null;
        float scale = (float) n.path("scale").asDouble(0);
        if (!(scale > 0)) problems.add("input.normalisation.scale must be positive");
        float[] mean = f.floats(n, "mean", 3);
        float[] std = f.floats(n, "std", 3);
        if (std != null) for (float v : std) if (!(v > 0)) { problems.add("input.normalisation.std must be positive"); break; }
        JsonNode imageMax = n.get("divide_by_image_max");
        if (imageMax != null && !imageMax.isBoolean()) problems.add("input.normalisation.divide_by_image_max must be true or false");
        return new Normalisation(scale, mean, std, imageMax != null && imageMax.asBoolean(false));
    }

    /** Field readers that record "missing field" problems instead of throwing at the first one. */
    private static final class Fields {
        final List<String> problems;

        Fields(List<String> problems) { this.problems = problems; }

        String text(JsonNode parent, String field) {
            return text(parent, field, parent.get(field));
        }

        String text(JsonNode parent, String label, JsonNode v) {
            if (v == null || v.isNull()) { problems.add("missing field '" + label + "'"); return null; }
            if (!v.isTextual() || v.asText().isBlank()) { problems.add("field '" + label + "' must be a non-empty string"); return null; }
            return v.asText();
        }

        String optText(JsonNode parent, String field, String fallback) {
            JsonNode v = parent.get(field);
            return v == null || v.isNull() ? fallback : v.asText();
        }

        int integer(JsonNode parent, String field) {
            JsonNode v = parent.get(field);
            if (v == null || v.isNull()) { problems.add("missing field '" + field + "'"); return 0; }
            if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() <= 0) {
                problems.add("field '" + field + "' must be a positive integer"); return 0;
            }
            return v.asInt();
        }

        JsonNode object(JsonNode parent, String field) {
            JsonNode v = parent.get(field);
            if (v == null || !v.isObject()) { problems.add("missing field '" + field + "'"); return null; }
            return v;
        }

        float[] floats(JsonNode parent, String field, int n) {
            JsonNode v = parent.get(field);
            if (v == null || !v.isArray() || v.size() != n) { problems.add("field '" + field + "' must be an array of " + n + " numbers"); return null; }
            float[] out = new float[n];
            for (int i = 0; i < n; i++) out[i] = (float) v.get(i).asDouble();
            return out;
        }
    }
}
