package studio.matting.ui.canvas;

import studio.matting.ui.I18n;

import java.util.Locale;

/** What the canvas shows. */
public enum ViewMode {
    IMAGE, OVERLAY, TRIMAP, ALPHA, COMPOSITE, SPLIT;

    /** Views that need a matte; they show a placeholder until one exists. */
    public boolean needsAlpha() { return this == ALPHA || this == COMPOSITE || this == SPLIT; }

    /** The label in the View menu and the view chooser, in the UI language ({@code view.<name>}). */
    @Override public String toString() { return I18n.get("view." + name().toLowerCase(Locale.ROOT)); }
}
