package studio.matting.idphoto;

import java.util.List;
import java.util.Locale;

/**
 * A photo size in millimetres with the head-placement rule for it.
 *
 * @param headRatio      head height (top of the hair to the chin/neck line) as a fraction of the photo height
 * @param topMarginRatio gap above the head as a fraction of the photo height
 */
public record IdPhotoPreset(String id, String name, double widthMm, double heightMm, double headRatio, double topMarginRatio) {
    public static final double MM_PER_INCH = 25.4;

    public static final IdPhotoPreset ONE_INCH = new IdPhotoPreset("1inch", "1-inch (25×35 mm)", 25, 35, 0.58, 0.09);
    public static final IdPhotoPreset TWO_INCH = new IdPhotoPreset("2inch", "2-inch (35×49 mm)", 35, 49, 0.58, 0.09);
    public static final IdPhotoPreset SMALL_TWO_INCH = new IdPhotoPreset("small2inch", "Small 2-inch (35×45 mm)", 35, 45, 0.60, 0.08);
    public static final IdPhotoPreset PASSPORT = new IdPhotoPreset("passport", "Passport / visa (33×48 mm)", 33, 48, 0.60, 0.08);
    /** US passport/visa: 2×2 in, head 1–1⅜ in (50–69 %): 0.56 sits in the middle. */
    public static final IdPhotoPreset US = new IdPhotoPreset("us2x2", "US 2×2 in (51×51 mm)", 50.8, 50.8, 0.56, 0.10);

    public static final List<IdPhotoPreset> STANDARD = List.of(ONE_INCH, TWO_INCH, SMALL_TWO_INCH, PASSPORT, US);

    public IdPhotoPreset {
        if (!(widthMm > 0 && heightMm > 0)) throw new IllegalArgumentException("photo size must be positive: " + widthMm + "×" + heightMm + " mm");
        if (widthMm > 300 || heightMm > 300) throw new IllegalArgumentException("photo size is larger than 300 mm");
        if (!(headRatio > 0.1 && headRatio < 0.95)) throw new IllegalArgumentException("head ratio must be in (0.1, 0.95): " + headRatio);
        if (!(topMarginRatio >= 0 && topMarginRatio + headRatio < 1)) throw new IllegalArgumentException("top margin ratio out of range: " + topMarginRatio);
    }

    /** A user-defined size with the usual head rule (head 58 % of the height, 9 % above it). */
    public static IdPhotoPreset custom(double widthMm, double heightMm) {
        return new IdPhotoPreset("custom", String.format(Locale.ROOT, "Custom (%.0f×%.0f mm)", widthMm, heightMm), widthMm, heightMm, 0.58, 0.09);
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

    @Override
    public String toString() {
        return name;
    }
}
