package studio.matting.idphoto;

/**
 * ID-photo background colours. The values are the ones commonly required by photo studios and online ID-photo
 * services: blue RGB(67,142,219) (#438EDB), red RGB(255,0,0), white RGB(255,255,255); anything else is CUSTOM.
 */
public enum BackgroundPreset {
    BLUE("Blue", 67, 142, 219),
    RED("Red", 255, 0, 0),
    WHITE("White", 255, 255, 255),
    CUSTOM("Custom", 255, 255, 255);

    public final String label;
    public final int r, g, b;

    BackgroundPreset(String label, int r, int g, int b) {
        this.label = label;
        this.r = r;
        this.g = g;
        this.b = b;
    }

    public int[] rgb() {
        return new int[]{r, g, b};
    }

    /** The preset with exactly this colour, or CUSTOM. */
    public static BackgroundPreset of(int r, int g, int b) {
        for (BackgroundPreset p : values()) if (p != CUSTOM && p.r == r && p.g == g && p.b == b) return p;
        return CUSTOM;
    }
}
