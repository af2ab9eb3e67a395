package studio.matting.inference;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds model cards. A card is any {@code *.json} (not {@code *.check.json}) in a models directory; each is parsed and
 * its .onnx file looked for, but hashing and graph checks wait for {@link InferenceRuntime#load} so that listing
 * models stays instant.
 */
public final class ModelRepository {
    /** System property naming an extra models directory, searched first. */
    public static final String PROPERTY = "matting.models";
    /** System property replacing the user's model folder ({@code ~/.matting-studio/models}), e.g. for tests. */
    public static final String USER_PROPERTY = "matting.userModels";

    private static final List<Runnable> LISTENERS = new java.util.concurrent.CopyOnWriteArrayList<>();

    private ModelRepository() { }

    /** One card found: either {@code card} (usable so far) or {@code problem} (a user-facing reason) is set. */
    public record Entry(Path cardPath, ModelCard card, String problem) {
        public boolean ok() { return problem == null; }

        public String name() { return card != null ? card.name() : cardPath.getFileName().toString(); }
    }

    /** Cards in one directory, sorted by file name; a missing directory gives an empty list. */
    public static List<Entry> scan(Path modelsDir) {
        List<Entry> out = new ArrayList<>();
        if (modelsDir == null || !Files.isDirectory(modelsDir)) return out;
        List<Path> cards = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(modelsDir, "*.json")) {
            for (Path p : ds) if (!p.getFileName().toString().endsWith(".check.json") && Files.isRegularFile(p)) cards.add(p);
        } catch (IOException e) {
            return out;
        }
        cards.sort(null);
        for (Path p : cards) {
            try {
                ModelCard c = ModelCard.read(p);
                if (!Files.isRegularFile(c.modelPath())) out.add(new Entry(p, c, "Model " + c.file() + ": missing file"));
                else out.add(new Entry(p, c, null));
            } catch (ModelException e) {
                out.add(new Entry(p, null, e.getMessage()));
            }
        }
        return out;
    }

    /**
     * Where {@code models import} puts models: {@code -Dmatting.userModels}, else {@code ~/.matting-studio/models}.
     * It need not exist yet.
     */
    public static Path userDir() {
        String prop = System.getProperty(USER_PROPERTY);
        if (prop != null && !prop.isBlank()) return Path.of(prop).toAbsolutePath().normalize();
        return Path.of(System.getProperty("user.home"), ".matting-studio", "models").toAbsolutePath().normalize();
    }

    /**
     * Called (on the thread that made the change) after a model was imported into or removed from a model folder,
     * so lists of engines can be rebuilt without a restart.
     */
    public static void addChangeListener(Runnable listener) {
        LISTENERS.add(listener);
    }

    public static void removeChangeListener(Runnable listener) {
        LISTENERS.remove(listener);
    }

    /** Tells every listener that the model folders changed; a failing listener does not stop the others. */
    public static void fireChanged() {
        for (Runnable r : LISTENERS) {
            try {
                r.run();
            } catch (RuntimeException e) {
                System.getLogger(ModelRepository.class.getName()).log(System.Logger.Level.WARNING, "model change listener failed", e);
            }
        }
    }

    /**
     * The directories searched by default, in order: {@code -Dmatting.models}, {@code models/} in the working
     * directory, the user's model folder ({@link #userDir()}, where imported models go) and {@code models/} next to
     * the installed application (beside the jar or one level up from its lib/).
     */
    public static List<Path> defaultDirs() {
        Set<Path> dirs = new LinkedHashSet<>();
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) dirs.add(Path.of(prop).toAbsolutePath().normalize());
        dirs.add(Path.of("models").toAbsolutePath().normalize());
        dirs.add(userDir());
        try {
            var src = ModelRepository.class.getProtectionDomain().getCodeSource();
            if (src != null) {
                Path code = Path.of(src.getLocation().toURI()).toAbsolutePath();
                Path dir = Files.isDirectory(code) ? code : code.getParent();
                for (int i = 0; i < 2 && dir != null; i++, dir = dir.getParent()) dirs.add(dir.resolve("models").normalize());
            }
        } catch (URISyntaxException | RuntimeException ignored) {
            // no code source (unusual class loader): only the working directory is searched
        }
        return new ArrayList<>(dirs);
    }

    /** Every card in the default directories; a name found twice keeps the first. */
    public static List<Entry> scanDefault() {
        List<Entry> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Path d : defaultDirs()) for (Entry e : scan(d)) if (seen.add(e.name())) out.add(e);
        return out;
    }

    /** The first usable card for a task, optionally with a given name (null: any). */
    public static Optional<ModelCard> find(List<Entry> entries, ModelCard.Task task, String name) {
        for (Entry e : entries) {
            if (e.ok() && e.card().task() == task && (name == null || name.equals(e.card().name()))) return Optional.of(e.card());
        }
        return Optional.empty();
    }
}
