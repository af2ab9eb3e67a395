package studio.matting.ui.canvas;

import studio.matting.ui.I18n;

import java.util.Locale;

/**
 * What the canvas shows. The first six have the keys 1–6; the Select and Mask style views after them (onion skin,
 * low-α tint, on black, on white) are reached with the View menu, the chooser or the cycle key. {@link #ALPHA} is the
 * black &amp; white view of α.
 */
public enum ViewMode {
    IMAGE, OVERLAY, TRIMAP, ALPHA, COMPOSITE, SPLIT, ONION, TINT, ON_BLACK, ON_WHITE;

    /** Views that need a matte; they show a placeholder until one exists. */
    public boolean needsAlpha() { return ordinal() >= ALPHA.ordinal() && this != OVERLAY && this != TRIMAP; }

    /** Views that blend over the session's background image (the others draw their own or none). */
    public boolean needsBackground() { return this == COMPOSITE || this == SPLIT || this == ONION; }

    /** The next view for the cycle key (wraps). */
    public ViewMode next() { return values()[(ordinal() + 1) % values().length]; }

    /** The label in the View menu and the view chooser, in the UI language ({@code view.<name>}). */
    @Override public String toString() { return I18n.get("view." + name().toLowerCase(Locale.ROOT)); }
}
