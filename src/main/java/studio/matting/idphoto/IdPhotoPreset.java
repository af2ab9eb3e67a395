package studio.matting.idphoto;

import java.util.List;
import java.util.Locale;

/**
 * A photo size in millimetres with the rules an ID photo of that kind must meet, as data. Every length is in mm of the
 * printed photo; a null range is a rule the issuing body does not set. The README's preset table lists each preset's
 * {@link #source}.
 *
 * @param headMm           head height, bottom of the chin to the crown (top of the hair)
 * @param topMarginMm      gap between the crown and the photo's top edge, or null
 * @param eyeFromBottomMm  height of the eye line above the photo's bottom edge, or null
 * @param minChinToBottomMm smallest gap between the chin and the bottom edge (0: no rule)
 * @param faceWidthMm      face width, or null
 * @param background       the background the rules ask for, in words (the user still picks the colour)
 * @param backgroundRgb    acceptable background colours (any one), or empty when any plain colour is accepted
 * @param source           where the rules come from
 */
public record IdPhotoPreset(String id, String name, double widthMm, double heightMm, Range headMm, Range topMarginMm,
                            Range eyeFromBottomMm, double minChinToBottomMm, Range faceWidthMm, String background,
                            List<int[]> backgroundRgb, String source) {
    public static final double MM_PER_INCH = 25.4;

    /** A closed interval of millimetres (or degrees, or percent). */
    public record Range(double min, double max) {
        public Range {
            if (!(min <= max)) throw new IllegalArgumentException("range min > max: " + min + " > " + max);
        }

        public double mid() {
            return (min + max) / 2;
        }

        public boolean contains(double v) {
            return v >= min - 1e-9 && v <= max + 1e-9;
        }
    }

    private static final int[] WHITE = {255, 255, 255}, BLUE = {67, 142, 219}, RED = {255, 0, 0};
    private static final List<int[]> CN_COLOURS = List.of(BLUE, WHITE, RED), WHITE_ONLY = List.of(WHITE), ANY = List.of();

    private static Range r(double a, double b) {
        return new Range(a, b);
    }

    public static final IdPhotoPreset ONE_INCH = new IdPhotoPreset("1inch", "1-inch (25×35 mm)", 25, 35, r(21, 25), r(2, 5), null, 0, null,
            "blue, white or red", CN_COLOURS, "Chinese studio convention (no national standard): head about 2/3 of the height");
    public static final IdPhotoPreset TWO_INCH = new IdPhotoPreset("2inch", "2-inch (35×49 mm)", 35, 49, r(30, 34), r(3, 6), null, 0, null,
            "blue, white or red", CN_COLOURS, "Chinese studio convention (no national standard): head about 2/3 of the height");
    public static final IdPhotoPreset SMALL_TWO_INCH = new IdPhotoPreset("small2inch", "Small 2-inch (35×45 mm)", 35, 45, r(28, 33), r(3, 5), null, 7, null,
            "blue, white or red", CN_COLOURS, "Chinese exam / application photos; head and margins as the exit-entry standard (出入境证件相片照相指引)");
    public static final IdPhotoPreset PASSPORT = new IdPhotoPreset("passport", "China passport / visa (33×48 mm)", 33, 48, r(28, 33), r(3, 5), null, 7, r(21, 24),
            "white", WHITE_ONLY, "National Immigration Administration of China, 出入境证件相片照相指引: head 28–33 mm, head width 21–24 mm, crown 3–5 mm below the top, chin ≥ 7 mm above the bottom");
    public static final IdPhotoPreset ID_CARD = new IdPhotoPreset("idcard", "China ID card (26×32 mm)", 26, 32, r(20, 23), r(0.5, 1.5), r(15, 32), 0, r(14, 16),
            "white", WHITE_ONLY, "GA 461-2004 (居民身份证制证用数字相片技术标准): 358×441 px at 350 DPI, head about 2/3 of the photo, face 207±14 px wide, hair top 7–21 px below the top edge, eyes ≥ 207 px above the bottom edge");
    public static final IdPhotoPreset ICAO = new IdPhotoPreset("icao", "ICAO passport (35×45 mm)", 35, 45, r(32, 36), null, r(22.5, 31.5), 0, null,
            "plain light", ANY, "ICAO Doc 9303 part 3 / ISO/IEC 19794-5: chin to crown 70–80 % of the height (32–36 mm), eye line 50–70 % of the height above the bottom");
    public static final IdPhotoPreset SCHENGEN = new IdPhotoPreset("schengen", "Schengen visa (35×45 mm)", 35, 45, r(32, 36), null, r(22.5, 31.5), 0, null,
            "light grey, light blue or white", ANY, "EU Visa Code (Regulation (EC) 810/2009) photo guidelines, ICAO-conformant: face 70–80 % of the height");
    public static final IdPhotoPreset US = new IdPhotoPreset("us2x2", "US 2×2 in (51×51 mm)", 50.8, 50.8, r(25, 35), null, r(28, 35), 0, null,
            "white or off-white", WHITE_ONLY, "U.S. Department of State passport photo requirements: head 1–1⅜ in (25–35 mm), eyes 1⅛–1⅜ in (28–35 mm) above the bottom");
    public static final IdPhotoPreset UK = new IdPhotoPreset("uk", "UK passport (35×45 mm)", 35, 45, r(29, 34), null, null, 0, null,
            "plain cream or light grey", ANY, "GOV.UK passport photo rules: 35×45 mm, head 29–34 mm from the bottom of the chin to the top of the head");
    public static final IdPhotoPreset CANADA = new IdPhotoPreset("canada", "Canada passport (50×70 mm)", 50, 70, r(31, 36), null, null, 0, null,
            "plain white or light-coloured", ANY, "IRCC Canadian passport photo specifications: 50×70 mm, chin to crown 31–36 mm");
    public static final IdPhotoPreset JAPAN = new IdPhotoPreset("japan", "Japan 30×40 mm", 30, 40, r(25, 29), r(2, 6), null, 0, null,
            "plain, no pattern", ANY, "Japanese 30×40 mm application photo (在留申請 / 履歴書) convention: face 27±2 mm, margin above the head 4±2 mm");
    public static final IdPhotoPreset INDIA = new IdPhotoPreset("india", "India 2×2 in (51×51 mm)", 50.8, 50.8, r(25, 35), null, r(28, 35), 0, null,
            "white", WHITE_ONLY, "Indian e-Visa / OCI photo specification: 2×2 in, head 25–35 mm, eyes 28–35 mm above the bottom (as the US)");

    public static final List<IdPhotoPreset> STANDARD = List.of(ONE_INCH, TWO_INCH, SMALL_TWO_INCH, PASSPORT, ID_CARD, ICAO, SCHENGEN,
            US, UK, CANADA, JAPAN, INDIA);

    public IdPhotoPreset {
        if (!(widthMm > 0 && heightMm > 0)) throw new IllegalArgumentException("photo size must be positive: " + widthMm + "×" + heightMm + " mm");
        if (widthMm > 300 || heightMm > 300) throw new IllegalArgumentException("photo size is larger than 300 mm");
        if (headMm == null) throw new IllegalArgumentException("a preset needs a head height range");
        if (!(headMm.min() > 0.1 * heightMm && headMm.max() < 0.95 * heightMm))
            throw new IllegalArgumentException("head height must lie between 10 % and 95 % of the photo height");
        if (topMarginMm != null && (topMarginMm.min() < 0 || topMarginMm.max() + headMm.min() > heightMm))
            throw new IllegalArgumentException("top margin out of range");
        if (eyeFromBottomMm != null && (eyeFromBottomMm.min() < 0 || eyeFromBottomMm.max() > heightMm))
            throw new IllegalArgumentException("eye line range out of the photo");
        backgroundRgb = backgroundRgb == null ? List.of() : List.copyOf(backgroundRgb);
    }

    /** A user-defined size with the usual rule: head 54–62 % of the height, 6–12 % above it. */
    public static IdPhotoPreset custom(double widthMm, double heightMm) {
        if (!(widthMm > 0 && heightMm > 0)) throw new IllegalArgumentException("photo size must be positive: " + widthMm + "×" + heightMm + " mm");
        return new IdPhotoPreset("custom", String.format(Locale.ROOT, "Custom (%.0f×%.0f mm)", widthMm, heightMm), widthMm, heightMm,
                r(0.54 * heightMm, 0.62 * heightMm), r(0.06 * heightMm, 0.12 * heightMm), null, 0, null, "any", ANY,
                "user-defined size; head 54–62 % of the height, 6–12 % above the head");
    }

    public static IdPhotoPreset byId(String id) {
        for (IdPhotoPreset p : STANDARD) if (p.id.equals(id)) return p;
        throw new IllegalArgumentException("unknown ID-photo preset '" + id + "'; known: " + STANDARD.stream().map(IdPhotoPreset::id).toList());
    }

    public static int pixels(double mm, double dpi) {
        if (!(dpi > 0)) throw new IllegalArgumentException("DPI must be positive: " + dpi);
        return (int) Math.round(mm / MM_PER_INCH * dpi);
    }

    public int pixelWidth(double dpi) {
        return pixels(widthMm, dpi);
    }

    public int pixelHeight(double dpi) {
        return pixels(heightMm, dpi);
    }

    public double aspect() {
        return widthMm / heightMm;
    }

    /** The target head height as a fraction of the photo height (the middle of the allowed range). */
    public double headRatio() {
        return headMm.mid() / heightMm;
    }

    /** The target gap above the head as a fraction of the height: the rule's middle, else 40 % of the free space. */
    public double topMarginRatio() {
        if (topMarginMm != null) return topMarginMm.mid() / heightMm;
        return 0.4 * (heightMm - headMm.mid()) / heightMm;
    }

    /** Whether the colour is one the rules accept (always true when the rules name no exact colour). */
    public boolean acceptsBackground(int[] rgb) {
        if (backgroundRgb.isEmpty()) return true;
        for (int[] c : backgroundRgb) if (c[0] == rgb[0] && c[1] == rgb[1] && c[2] == rgb[2]) return true;
        return false;
    }

    @Override
    public String toString() {
        return name;
    }
}
