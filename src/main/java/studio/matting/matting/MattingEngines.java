package studio.matting.matting;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Registry of matting engines by id, for the CLI's {@code --engine} and the editor's engine menu. Other engines
 * (learned models) register a factory here; a factory is called per lookup so each caller gets its own instance.
 */
public final class MattingEngines {
    private static final Map<String, Supplier<MattingEngine>> FACTORIES = new LinkedHashMap<>();

    static {
        register(ClosedFormEngine.ID, ClosedFormEngine::new);
    }

    private MattingEngines() { }

    public static synchronized void register(String id, Supplier<MattingEngine> factory) {
        FACTORIES.put(id, factory);
    }

    public static synchronized List<String> ids() {
        return new ArrayList<>(FACTORIES.keySet());
    }

    /** @throws IllegalArgumentException naming the known ids when {@code id} is not registered */
    public static MattingEngine byId(String id) {
        Supplier<MattingEngine> f;
        synchronized (MattingEngines.class) { f = FACTORIES.get(id); }
        if (f == null) throw new IllegalArgumentException("unknown matting engine '" + id + "'; available: " + String.join(", ", ids()));
        return f.get();
    }
}
