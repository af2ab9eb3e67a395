package studio.matting.inference;

import java.util.Locale;

/** Which execution provider the user asked for. {@link #AUTO} uses CUDA when its libraries are found, else the CPU. */
public enum Device {
    AUTO, CPU, CUDA;

    /** System property read by {@link InferenceRuntime#shared()}: {@code -Dmatting.device=cpu|cuda|auto}. */
    public static final String PROPERTY = "matting.device";

    /** Parses "cpu", "cuda", "gpu" or "auto" (any case); throws with a user-facing message otherwise. */
    public static Device parse(String text) {
        if (text == null || text.isBlank()) return AUTO;
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "auto": return AUTO;
            case "cpu": return CPU;
            case "cuda": case "gpu": return CUDA;
            default: throw new IllegalArgumentException("unknown device '" + text + "' (expected cpu, cuda or auto)");
        }
    }

    /** The device from {@link #PROPERTY}; an unparsable value falls back to AUTO rather than stopping the app. */
    public static Device fromSystemProperty() {
        try {
            return parse(System.getProperty(PROPERTY));
        } catch (IllegalArgumentException e) {
            System.getLogger(Device.class.getName()).log(System.Logger.Level.WARNING, e.getMessage() + "; using auto");
            return AUTO;
        }
    }
}
