package studio.matting.idphoto;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import studio.matting.i18n.Messages;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Each of a preset's rules measured on a placed ID photo: the value in mm (degrees for the tilt), the allowed range,
 * pass or fail; plus notes saying why a rule cannot be met (the head cut by the original's top edge, the original
 * too small for the crop, the eyes not found). Measurements come from the same face geometry the placement used
 * ({@link FaceLocator.FaceSubject}), mapped through the final crop, so a user's drag or zoom is measured too.
 */
public record ComplianceReport(String presetId, String presetName, double widthMm, double heightMm, int widthPx, int heightPx,
                               double dpi, List<Rule> rules, List<String> notes, boolean backgroundOk, String background, String backgroundRequired,
                               String source) {
    /** One rule: {@code id} is stable (for scripts), {@code min}/{@code max} may be infinite for one-sided rules. */
    public record Rule(String id, String name, double measured, double min, double max, String unit, boolean pass) { }

    public boolean passes() {
        return backgroundOk && rules.stream().allMatch(Rule::pass);
    }

    public List<Rule> failed() {
        return rules.stream().filter(r -> !r.pass()).toList();
    }

    public static ComplianceReport measure(FaceLocator.FaceSubject s, IdPhotoCropper.Crop c, IdPhotoPreset p, double dpi, int[] rgb) {
        int outW = p.pixelWidth(dpi), outH = p.pixelHeight(dpi);
        double mmPerPx = p.heightMm() / c.height();
        double crown = (s.crownY() - c.y()) * mmPerPx, chin = (s.chinY() - c.y()) * mmPerPx, eye = (s.eyeY() - c.y()) * mmPerPx;
        List<Rule> rules = new ArrayList<>();
        rules.add(rule("head", "head height (chin to crown)", chin - crown, p.headMm(), "mm"));
        if (p.topMarginMm() != null) rules.add(rule("topMargin", "crown to top edge", crown, p.topMarginMm(), "mm"));
        else rules.add(new Rule("topMargin", "crown to top edge", round(crown), 0, Double.POSITIVE_INFINITY, "mm", crown >= 0));
        if (p.eyeFromBottomMm() != null) rules.add(rule("eyeLine", "eye line above the bottom edge", p.heightMm() - eye, p.eyeFromBottomMm(), "mm"));
        if (p.minChinToBottomMm() > 0) {
            double gap = p.heightMm() - chin;
            rules.add(new Rule("chinToBottom", "chin to bottom edge", round(gap), p.minChinToBottomMm(), Double.POSITIVE_INFINITY, "mm", gap >= p.minChinToBottomMm()));
        }
        if (p.faceWidthMm() != null) rules.add(rule("faceWidth", "face width", s.faceW() * mmPerPx, p.faceWidthMm(), "mm"));
        double off = (s.centerX() - (c.x() + c.width() / 2)) * mmPerPx, tol = 0.03 * p.widthMm();
        rules.add(new Rule("centre", "face centre off the centre line", round(off), -round(tol), round(tol), "mm", Math.abs(off) <= tol));
        double residual = s.tiltDeg() - s.angleDeg();
        rules.add(new Rule("tilt", "eye line tilt after levelling", round(residual), -2, 2, "°", Math.abs(residual) <= 2));

        List<String> notes = new ArrayList<>();
        if (s.crownAtTopEdge()) notes.add(Messages.format("idphoto.report.cutTop"));
        double[][] corners = {{c.x(), c.y()}, {c.x() + c.width(), c.y()}, {c.x(), c.y() + c.height()}, {c.x() + c.width(), c.y() + c.height()}};
        boolean top = false, bottom = false, sides = false;
        for (double[] q : corners) {
            double[] src = s.toSource(q[0], q[1]);
            if (src[1] < -1 && q[1] == c.y()) top = true;
            if (src[1] > s.sourceHeight() + 1 && q[1] != c.y()) bottom = true;
            if (src[0] < -1 || src[0] > s.sourceWidth() + 1) sides = true;
        }
        if (top) notes.add(Messages.format("idphoto.report.outsideTop"));
        if (bottom) notes.add(Messages.format("idphoto.report.outsideBottom"));
        if (sides) notes.add(Messages.format("idphoto.report.outsideSides"));
        if (!s.eyesFound()) notes.add(Messages.format("idphoto.report.noEyes"));
        else if (Math.abs(s.tiltDeg()) > FaceLocator.MAX_TILT)
            notes.add(Messages.format("idphoto.report.tiltTooLarge", String.format(Locale.ROOT, "%.1f", s.tiltDeg())));
        else if (Math.abs(s.angleDeg()) >= 0.5) notes.add(Messages.format("idphoto.report.tilt", String.format(Locale.ROOT, "%.1f", s.angleDeg())));
        String hex = String.format(Locale.ROOT, "#%02X%02X%02X", rgb[0], rgb[1], rgb[2]);
        return new ComplianceReport(p.id(), p.name(), p.widthMm(), p.heightMm(), outW, outH, dpi, List.copyOf(rules), List.copyOf(notes),
                p.acceptsBackground(rgb), hex, p.background(), p.source());
    }

    private static Rule rule(String id, String name, double v, IdPhotoPreset.Range r, String unit) {
        return new Rule(id, name, round(v), r.min(), r.max(), unit, r.contains(v));
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** The report as indented JSON (infinite bounds are written as null). */
    public String toJson() {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("preset", presetId);
        root.put("name", presetName);
        ObjectNode size = root.putObject("size");
        size.put("widthMm", widthMm);
        size.put("heightMm", heightMm);
        size.put("widthPx", widthPx);
        size.put("heightPx", heightPx);
        size.put("dpi", dpi);
        root.put("pass", passes());
        ArrayNode rs = root.putArray("rules");
        for (Rule r : rules) {
            ObjectNode o = rs.addObject();
            o.put("id", r.id());
            o.put("rule", r.name());
            o.put("measured", r.measured());
            o.put("unit", r.unit());
            if (Double.isFinite(r.min())) o.put("min", r.min()); else o.putNull("min");
            if (Double.isFinite(r.max())) o.put("max", r.max()); else o.putNull("max");
            o.put("pass", r.pass());
        }
        ObjectNode bg = root.putObject("background");
        bg.put("used", background);
        bg.put("required", backgroundRequired);
        bg.put("pass", backgroundOk);
        ArrayNode ns = root.putArray("notes");
        notes.forEach(ns::add);
        root.put("source", source);
        try {
            return m.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
