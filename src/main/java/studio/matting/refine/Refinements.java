package studio.matting.refine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;

/**
 * Global edge refinements, stored as settings and applied after matting (the matte itself is never changed), with
 * Photoshop Select and Mask's meaning and ranges. Applied in this order by {@link AlphaRefiner}:
 *
 * @param smooth        0–100: removes jagged bits of the hard boundary (scale σ = smooth / 10 px)
 * @param feather       0–250 px: Gaussian blur of α, σ in pixels
 * @param contrast      0–100 %: steepens soft transitions around α = ½; 0 and 1 stay fixed, 100 % is a hard threshold
 * @param shiftEdge     −100…+100 %: moves the edge in (−) or out (+) by this share of half the unknown band
 * @param decontaminate 0–100 %: output colours near the edge, 0 = the photo's colours, 100 = the estimated foreground
 *                      (used by composites and cut-outs, not by the α refinements)
 */
public record Refinements(double smooth, double feather, double contrast, double shiftEdge, double decontaminate) {
    public static final double MAX_SMOOTH = 100, MAX_FEATHER = 250, MAX_CONTRAST = 100, MAX_SHIFT = 100, MAX_DECONTAMINATE = 100;

    /** No refinement; colours fully decontaminated (the estimated foreground), which is what the app did before. */
    public static final Refinements NONE = new Refinements(0, 0, 0, 0, 100);

    public Refinements {
        check("smooth", smooth, 0, MAX_SMOOTH);
        check("feather", feather, 0, MAX_FEATHER);
        check("contrast", contrast, 0, MAX_CONTRAST);
        check("shift edge", shiftEdge, -MAX_SHIFT, MAX_SHIFT);
        check("decontaminate", decontaminate, 0, MAX_DECONTAMINATE);
    }

    private static void check(String name, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi))
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be between %s and %s, got %s", name, fmt(lo), fmt(hi), fmt(v)));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** True when the α refinements change nothing (decontamination does not count). */
    public boolean alphaIdentity() {
        return smooth == 0 && feather == 0 && contrast == 0 && shiftEdge == 0;
    }

    public Refinements withSmooth(double v) { return new Refinements(v, feather, contrast, shiftEdge, decontaminate); }
    public Refinements withFeather(double v) { return new Refinements(smooth, v, contrast, shiftEdge, decontaminate); }
    public Refinements withContrast(double v) { return new Refinements(smooth, feather, v, shiftEdge, decontaminate); }
    public Refinements withShiftEdge(double v) { return new Refinements(smooth, feather, contrast, v, decontaminate); }
    public Refinements withDecontaminate(double v) { return new Refinements(smooth, feather, contrast, shiftEdge, v); }

    // ------------------------------------------------------------------ JSON (project file)

    private static final ObjectMapper JSON = new ObjectMapper();

    /** {"smooth":…, "feather":…, "contrast":…, "shiftEdge":…, "decontaminate":…} for the project file. */
    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("smooth", smooth);
        n.put("feather", feather);
        n.put("contrast", contrast);
        n.put("shiftEdge", shiftEdge);
        n.put("decontaminate", decontaminate);
        return n;
    }

    /**
     * Reads {@link #toJson()}'s form. Missing fields take the {@link #NONE} values (older projects have none); a
     * field that is not a number or out of range fails with a message naming it.
     */
    public static Refinements fromJson(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return NONE;
        if (!n.isObject()) throw new IllegalArgumentException("refinements must be a JSON object");
        return new Refinements(num(n, "smooth", NONE.smooth), num(n, "feather", NONE.feather), num(n, "contrast", NONE.contrast),
                num(n, "shiftEdge", NONE.shiftEdge), num(n, "decontaminate", NONE.decontaminate));
    }

    private static double num(JsonNode n, String field, double dflt) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return dflt;
        if (!v.isNumber()) throw new IllegalArgumentException("refinements." + field + " must be a number, got " + v);
        return v.asDouble();
    }

    public String toJsonString() {
        return toJson().toString();
    }

    public static Refinements fromJsonString(String s) {
        try {
            return fromJson(JSON.readTree(s));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("refinements are not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
