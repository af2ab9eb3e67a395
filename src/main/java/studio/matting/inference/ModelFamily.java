package studio.matting.inference;

import java.util.Locale;

/**
 * The conventions of the ONNX files people already have, each as its own project's inference code applies them (the
 * importer writes them into the card): rembg's sessions ({@code u2net.py}, {@code dis_general_use.py},
 * {@code birefnet_general.py}) squash the image to a fixed square, divide it by its own maximum, normalise with a
 * mean/std, take the first output and stretch it min-max to [0,1]; MODNet's {@code onnx/inference_onnx.py} uses
 * (x-127.5)/127.5 and a reference size of 512 rounded down to multiples of 32, and its output is the matte itself.
 */
public enum ModelFamily {
    U2NET("u2net", "rembg u2net / u2netp / u2net_human_seg / silueta (rembg/sessions/u2net.py)",
            320, new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}, true, false, true),
    ISNET("isnet", "rembg isnet-general-use / isnet-anime (rembg/sessions/dis_general_use.py)",
            1024, new float[] {0.485f, 0.456f, 0.406f}, new float[] {1f, 1f, 1f}, true, false, true),
    BIREFNET("birefnet", "rembg birefnet-general / -portrait / -massive ... (rembg/sessions/birefnet_general.py)",
            1024, new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}, true, true, true),
    MODNET("modnet", "MODNet's ONNX export (MODNet onnx/export_onnx.py, onnx/inference_onnx.py)",
            512, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f}, false, false, false),
    MATTING_STUDIO("matting-studio", "Matting Studio's own export (training/export.py)",
            320, new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}, false, false, false);

    public final String id;
    public final String source;
    /** Fixed-square families: the side fed to a graph with dynamic H/W; MODNet: the reference size; ours: working size. */
    public final int size;
    public final float[] mean, std;
    /** rembg divides by the image's maximum rather than 255. */
    public final boolean imageMax;
    /** The chosen output is logits (sigmoid applied by the app), not probabilities. */
    public final boolean logits;
    /** The output is stretched min-max to [0,1]. */
    public final boolean minMax;

    ModelFamily(String id, String source, int size, float[] mean, float[] std, boolean imageMax, boolean logits, boolean minMax) {
        this.id = id;
        this.source = source;
        this.size = size;
        this.mean = mean;
        this.std = std;
        this.imageMax = imageMax;
        this.logits = logits;
        this.minMax = minMax;
    }

    /** rembg's families feed a fixed square, stretched (no letterbox). */
    public boolean rembg() {
        return this == U2NET || this == ISNET || this == BIREFNET;
    }

    /** "u2net" etc.; null for an unknown id. */
    public static ModelFamily of(String id) {
        if (id == null) return null;
        String s = id.trim().toLowerCase(Locale.ROOT);
        for (ModelFamily f : values()) if (f.id.equals(s)) return f;
        return null;
    }

    /** The ids, for messages and help: "u2net, isnet, birefnet, modnet, matting-studio". */
    public static String ids() {
        StringBuilder b = new StringBuilder();
        for (ModelFamily f : values()) b.append(b.length() == 0 ? "" : ", ").append(f.id);
        return b.toString();
    }

    /**
     * The family a file name suggests (rembg and MODNet keep their names in the files they download: u2net.onnx,
     * isnet-general-use.onnx, BiRefNet-general-epoch_244.onnx, modnet_photographic_portrait_matting.onnx), or null.
     */
    public static ModelFamily fromFileName(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.contains("birefnet") || n.contains("rmbg-2") || n.contains("rmbg_2")) return BIREFNET;
        if (n.contains("isnet")) return ISNET;
        if (n.contains("u2net") || n.contains("silueta")) return U2NET;
        if (n.contains("modnet")) return MODNET;
        return null;
    }
}
