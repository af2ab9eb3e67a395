package studio.matting.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import studio.matting.image.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code models import / list / remove}: turns an ONNX file from rembg, MODNet or our own export into a model with a
 * card in the user's model folder ({@link ModelRepository#userDir()}). The graph is read from ONNX Runtime's session
 * metadata, the family detected (or given) and its rules checked against the graph; only then are the model copied
 * and its card (conventions, chosen output, SHA-256) written. A refusal says what was expected and what the file has,
 * and leaves the folder as it was.
 */
public final class ModelImporter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String NOTHING = " Nothing was imported.";

    private ModelImporter() { }

    /** What an import did: the card written (in the user folder), the family and why it was chosen, the graph. */
    public record Result(ModelCard card, ModelFamily family, String why, ModelGraph graph) { }

    /** {@link #importModel(Path, String, String, Path)} into {@link ModelRepository#userDir()}. */
    public static Result importModel(Path onnx, String family, String name) throws ModelException {
        return importModel(onnx, family, name, ModelRepository.userDir());
    }

    /**
     * Imports {@code onnx} as {@code family} ("auto" or null: detected) under {@code name} (null: the file's base
     * name) into {@code dir}, then tells the {@link ModelRepository#addChangeListener listeners}.
     */
    public static Result importModel(Path onnx, String family, String name, Path dir) throws ModelException {
        String file = onnx.getFileName().toString();
        if (!Files.isRegularFile(onnx)) throw new ModelException("Model " + file + ": missing file (expected at " + onnx.toAbsolutePath() + ")." + NOTHING);
        String n = name != null ? name : defaultName(file);
        if (!NAME.matcher(n).matches())
            throw new ModelException("Model name '" + n + "' is not usable: 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit." + NOTHING);
        ModelFamily asked = null;
        if (family != null && !family.isBlank() && !"auto".equalsIgnoreCase(family.trim())) {
            asked = ModelFamily.of(family);
            if (asked == null) throw new IllegalArgumentException("unknown family '" + family + "'; expected auto, " + ModelFamily.ids());
        }
        ModelGraph graph;
        try {
            graph = InferenceRuntime.inspect(onnx);
        } catch (ModelException e) {
            throw new ModelException(e.getMessage() + "." + NOTHING, e);
        }
        Path beside = sidecarCard(onnx);
        ModelFamily fam = asked;
        String why = "given with --family";
        if (fam == null) {
            if (beside != null) { fam = ModelFamily.MATTING_STUDIO; why = "a Matting Studio card " + beside.getFileName() + " lies beside it"; }
            else if ((fam = ModelFamily.fromFileName(file)) != null) why = "from the file name";
            else { fam = fromGraph(file, graph); why = "from the graph: " + graph.inputs().get(0).describe(); }
        }
        conflicts(n, dir);
        String sha = sha256(onnx);
        ObjectNode card = fam == ModelFamily.MATTING_STUDIO && beside != null
                ? ownCard(onnx, beside, sha, n, graph)
                : familyCard(fam, file, graph, sha, n);
        ObjectNode imported = card.putObject("imported");
        imported.put("source", onnx.toAbsolutePath().toString());
        imported.put("family", fam.id);
        imported.put("conventions", fam.source);
        imported.put("date", LocalDate.now(ZoneOffset.UTC).toString());
        ObjectNode g = imported.putObject("graph");
        ArrayNode ins = g.putArray("inputs"), outs = g.putArray("outputs");
        for (ModelGraph.Tensor t : graph.inputs()) ins.add(t.describe());
        for (ModelGraph.Tensor t : graph.outputs()) outs.add(t.describe());

        Path cardPath = dir.resolve(n + ".json"), modelPath = dir.resolve(n + ".onnx");
        ModelCard parsed = ModelCard.parse(card, cardPath);
        // The card written must open later: the same check as a session load, before anything is copied.
        try {
            graph.verify(parsed);
        } catch (ModelException e) {
            throw new ModelException(e.getMessage() + "." + NOTHING, e);
        }
        copy(onnx, modelPath, cardPath, card, sha);
        ModelRepository.fireChanged();
        return new Result(ModelCard.read(cardPath), fam, why, graph);
    }

    /** NAME.onnx -> NAME, with characters a card name cannot have replaced by '-'. */
    static String defaultName(String file) {
        String base = file.toLowerCase(Locale.ROOT).endsWith(".onnx") ? file.substring(0, file.length() - 5) : file;
        String s = base.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[._-]+", "");
        if (s.length() > 64) s = s.substring(0, 64);
        return s.isEmpty() ? "model" : s;
    }

    private static Path sidecarCard(Path onnx) {
        String file = onnx.getFileName().toString();
        int dot = file.lastIndexOf('.');
        Path c = onnx.resolveSibling((dot > 0 ? file.substring(0, dot) : file) + ".json");
        if (!Files.isRegularFile(c)) return null;
        try {
            JsonNode n = JSON.readTree(c.toFile());
            return n != null && ModelCard.FORMAT.equals(n.path("format").asText()) ? c : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * No name from the file and no card: the graph's shape decides where it can (a fixed 320 square is what every
     * rembg u2net-family file has); anything else needs --family, with what was seen.
     */
    private static ModelFamily fromGraph(String file, ModelGraph graph) throws ModelException {
        if (graph.inputs().size() == 1 && graph.inputs().get(0).rank() == 4) {
            ModelGraph.Tensor in = graph.inputs().get(0);
            Layout l = layout(in);
            if (l != null && in.dim(l.h) == 320 && in.dim(l.w) == 320) return ModelFamily.U2NET;
        }
        throw new ModelException("Model " + file + ": cannot tell its family from the file name or the graph (inputs "
                + describe(graph.inputs()) + ", outputs " + describe(graph.outputs()) + "); give --family "
                + ModelFamily.ids() + ". 1024x1024 inputs are isnet (probabilities) or birefnet (logits); dynamic sizes are usually modnet." + NOTHING);
    }

    /** Where the channel, height and width are in a rank-4 image input, or null if there are no 3 channels. */
    record Layout(String name, int c, int h, int w) { }

    static Layout layout(ModelGraph.Tensor in) {
        if (in.rank() != 4) return null;
        long c1 = in.dim(1), c3 = in.dim(3);
        if (c1 == 3) return new Layout("NCHW", 1, 2, 3);
        if (c3 == 3 && c1 != 3) return new Layout("NHWC", 3, 1, 2);
        if (c1 < 0 && c3 < 0) return new Layout("NCHW", 1, 2, 3); // all dynamic: PyTorch exports are NCHW
        return null;
    }

    /** "2 (image float32 [1,3,320,320], prior float32 [1,3,320,320])" */
    private static String describe(List<ModelGraph.Tensor> ts) {
        return ts.size() + " (" + tensors(ts) + ")";
    }

    private static String tensors(List<ModelGraph.Tensor> ts) {
        List<String> s = new ArrayList<>();
        for (ModelGraph.Tensor t : ts) s.add(t.describe());
        return String.join(", ", s);
    }

    /** The family's rules against the graph; the card that applies them. */
    private static ObjectNode familyCard(ModelFamily fam, String file, ModelGraph graph, String sha, String name) throws ModelException {
        String refuse = "Model " + file + " does not fit family " + fam.id + ": ";
        String expectIn = fam.id + " expects one float32 RGB image input, [1,3,H,W] or [1,H,W,3]";
        if (graph.inputs().size() != 1)
            throw new ModelException(refuse + expectIn + "; the file has " + graph.inputs().size() + " inputs: " + tensors(graph.inputs()) + "." + NOTHING);
        ModelGraph.Tensor in = graph.inputs().get(0);
        Layout l = in.isFloat() ? layout(in) : null;
        if (l == null)
            throw new ModelException(refuse + expectIn + "; its input is " + in.describe() + "." + NOTHING);
        if (in.dim(0) > 1)
            throw new ModelException(refuse + fam.id + " runs one image at a time (batch 1 or dynamic); its input is " + in.describe() + "." + NOTHING);
        boolean fixedH = !in.dynamic(l.h), fixedW = !in.dynamic(l.w);
        if (fixedH != fixedW)
            throw new ModelException(refuse + "expects height and width both fixed or both dynamic; its input is " + in.describe() + "." + NOTHING);
        if (graph.outputs().isEmpty()) throw new ModelException(refuse + "the graph has no outputs." + NOTHING);
        // rembg takes ort_outs[0], MODNet session.get_outputs()[0]: the first output in graph order
        ModelGraph.Tensor out = graph.outputs().get(0);
        String expectOut = fam.id + " uses the first output, a one-channel float32 mask [1,1,H,W], [1,H,W,1] or [1,H,W]";
        boolean oneChannel = out.isFloat() && (out.rank() == 3
                || out.rank() == 4 && (out.dim(1) == 1 || out.dim(3) == 1 || out.dynamic(1) || out.dynamic(3)));
        if (!oneChannel)
            throw new ModelException(refuse + expectOut + "; it is " + out.describe() + " (all outputs: " + describe(graph.outputs()) + ")." + NOTHING);
        if (fixedH) {
            // [1,H,W], [1,1,H,W] or [1,H,W,1]
            int oh = out.rank() == 3 || out.dim(1) != 1 ? 1 : 2, ow = oh + 1;
            if ((!out.dynamic(oh) && out.dim(oh) != in.dim(l.h)) || (!out.dynamic(ow) && out.dim(ow) != in.dim(l.w)))
                throw new ModelException(refuse + "expects the mask at the input's size " + in.dim(l.w) + "x" + in.dim(l.h)
                        + "; output " + out.describe() + " differs." + NOTHING);
        }

        ObjectNode card = header(name, sha, fam);
        ObjectNode input = card.putObject("input");
        input.put("name", in.name());
        input.put("layout", l.name);
        input.put("channels", 3);
        input.put("channel_order", "RGB");
        ObjectNode size = input.putObject("size");
        if (fixedH) {
            size.put("rule", "fixed").put("width", in.dim(l.w)).put("height", in.dim(l.h))
                    .put("resize", fam == ModelFamily.MATTING_STUDIO ? ModelCard.Size.LETTERBOX : ModelCard.Size.SQUASH);
        } else if (fam.rembg()) {
            size.put("rule", "fixed").put("width", fam.size).put("height", fam.size).put("resize", ModelCard.Size.SQUASH);
        } else if (fam == ModelFamily.MODNET) {
            size.put("rule", "reference").put("reference_size", fam.size).put("multiple", 32);
        } else {
            size.put("rule", "multiple").put("multiple", 32).put("working_size", fam.size).put("max_side", 1024);
        }
        ObjectNode norm = input.putObject("normalisation");
        norm.put("scale", 255.0);
        ArrayNode mean = norm.putArray("mean"), std = norm.putArray("std");
        for (int c = 0; c < 3; c++) { mean.add(fam.mean[c]); std.add(fam.std[c]); }
        if (fam.imageMax) norm.put("divide_by_image_max", true);
        ObjectNode output = card.putObject("output");
        output.put("name", out.name());
        output.put("channels", 1);
        output.put("meaning", fam == ModelFamily.MODNET ? "alpha" : "foreground probability");
        output.put("activation", fam.logits ? "logits" : "sigmoid");
        output.put("rescale", fam.minMax ? "min-max" : "none");
        return card;
    }

    private static ObjectNode header(String name, String sha, ModelFamily fam) {
        ObjectNode card = JSON.createObjectNode();
        card.put("format", ModelCard.FORMAT);
        card.put("name", name);
        card.put("version", "imported");
        card.put("task", "segmentation");
        card.put("family", fam.id);
        card.put("file", name + ".onnx");
        card.put("sha256", sha);
        card.put("parameters", 0);
        card.put("created", LocalDate.now(ZoneOffset.UTC).toString());
        card.put("commit", "unknown");
        return card;
    }

    /** Our own export with its card: the card is kept (renamed), after checking it is this file's. */
    private static ObjectNode ownCard(Path onnx, Path cardFile, String sha, String name, ModelGraph graph) throws ModelException {
        ModelCard c;
        try {
            c = ModelCard.read(cardFile);
        } catch (ModelException e) {
            throw new ModelException(e.getMessage() + "." + NOTHING, e);
        }
        String file = onnx.getFileName().toString();
        if (!c.sha256().equals(sha))
            throw new ModelException("Model " + file + ": its card " + cardFile.getFileName() + " expects SHA-256 " + c.sha256()
                    + ", the file's is " + sha + " (a different file)." + NOTHING);
        ObjectNode card = ((ObjectNode) c.raw()).deepCopy();
        card.put("name", name);
        card.put("file", name + ".onnx");
        if (!card.has("family")) card.put("family", ModelFamily.MATTING_STUDIO.id);
        return card;
    }

    private static void conflicts(String name, Path dir) throws ModelException {
        for (Path d : ModelRepository.defaultDirs())
            for (ModelRepository.Entry e : ModelRepository.scan(d))
                if (e.name().equals(name) || e.cardPath().getFileName().toString().equals(name + ".json"))
                    throw new ModelException("A model named '" + name + "' already exists (" + e.cardPath() + "); choose another with --name." + NOTHING);
        if (Files.exists(dir.resolve(name + ".onnx")) || Files.exists(dir.resolve(name + ".json")))
            throw new ModelException("The model folder " + dir + " already has " + name + ".onnx or " + name + ".json; choose another with --name." + NOTHING);
    }

    /** The model first (to a temporary name, then moved), then its card: a scan never sees a card without its model. */
    private static void copy(Path onnx, Path modelPath, Path cardPath, ObjectNode card, String sha) throws ModelException {
        Path dir = modelPath.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, ".import-", ".part");
            Files.copy(onnx, tmp, StandardCopyOption.REPLACE_EXISTING);
            if (!sha.equals(sha256(tmp))) throw new IOException("the copy differs from the original (was the file changed meanwhile?)");
            Files.move(tmp, modelPath, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            byte[] text = (JSON.writeValueAsString(card) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            try {
                AtomicFiles.write(cardPath, false, text);
            } catch (IOException e) {
                Files.deleteIfExists(modelPath);
                throw e;
            }
        } catch (IOException e) {
            throw new ModelException("Cannot write the model into " + dir + " (" + e.getMessage() + ")." + NOTHING, e);
        } finally {
            if (tmp != null) try { Files.deleteIfExists(tmp); } catch (IOException ignored) { /* a stray .part file is harmless */ }
        }
    }

    static String sha256(Path file) throws ModelException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new ModelException("Model " + file.getFileName() + ": cannot be read (" + e.getMessage() + ")." + NOTHING, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** One model found in a model folder, for {@code models list} and the editor's dialog. */
    public record Listed(ModelRepository.Entry entry, Path dir, boolean removable) { }

    /** Every card in the searched folders, in search order (a name found twice is shown twice: the first is used). */
    public static List<Listed> list() {
        List<Listed> out = new ArrayList<>();
        Path user = ModelRepository.userDir();
        for (Path d : ModelRepository.defaultDirs())
            for (ModelRepository.Entry e : ModelRepository.scan(d)) out.add(new Listed(e, d, d.equals(user)));
        return out;
    }

    /** {@link #remove(String, Path)} from the user's model folder. */
    public static Path remove(String name) throws ModelException {
        return remove(name, ModelRepository.userDir());
    }

    /**
     * Deletes the card called {@code name} (or whose file is NAME.json) and its model from {@code dir}; models in
     * other folders (the bundled ones) are not touched. Returns the card's path.
     */
    public static Path remove(String name, Path dir) throws ModelException {
        for (ModelRepository.Entry e : ModelRepository.scan(dir)) {
            if (!e.name().equals(name) && !e.cardPath().getFileName().toString().equals(name + ".json")) continue;
            try {
                if (e.card() != null) Files.deleteIfExists(e.card().modelPath());
                Files.deleteIfExists(e.cardPath());
            } catch (IOException ex) {
                throw new ModelException("Cannot remove model '" + name + "' from " + dir + " (" + ex.getMessage() + ")", ex);
            }
            ModelRepository.fireChanged();
            return e.cardPath();
        }
        for (Path d : ModelRepository.defaultDirs())
            for (ModelRepository.Entry e : ModelRepository.scan(d))
                if (e.name().equals(name))
                    throw new ModelException("Model '" + name + "' is in " + d + ", not in the user model folder " + dir + "; only imported models are removed");
        throw new ModelException("No model named '" + name + "' in " + dir);
    }
}
