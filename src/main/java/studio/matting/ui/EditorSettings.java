package studio.matting.ui;

import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * The editor's remembered settings next to the language ({@link I18n#PREF_NODE}): whether opening an image without a
 * mask of its own segments it with the installed model ({@code segmentOnOpen}, on by default) and whether the
 * first-run hint was shown ({@code hintShown}). A missing or unwritable preference store means the defaults.
 */
public final class EditorSettings {
    public static final String SEGMENT_ON_OPEN = "segmentOnOpen", HINT_SHOWN = "hintShown";
    /** Overrides the preference node for one run (tests use a throw-away node). */
    public static final String NODE_PROPERTY = "matting.prefsNode";
    /** {@code -Dmatting.firstRunHint=false} never shows the first-run hint (UI tests, screenshots). */
    public static final String HINT_PROPERTY = "matting.firstRunHint";

    private final Preferences node;

    public EditorSettings(Preferences node) {
        this.node = node;
    }

    /** The user's settings (the system property {@value #NODE_PROPERTY} names another node). */
    public static EditorSettings user() {
        try {
            String n = System.getProperty(NODE_PROPERTY);
            return new EditorSettings(Preferences.userRoot().node(n == null || n.isBlank() ? I18n.PREF_NODE : n));
        } catch (RuntimeException e) { // SecurityException: no preference store
            return new EditorSettings(null);
        }
    }

    public boolean segmentOnOpen() { return get(SEGMENT_ON_OPEN, true); }

    public void setSegmentOnOpen(boolean on) { put(SEGMENT_ON_OPEN, on); }

    /** Whether the first-run hint is due: not shown before and not turned off for this run. */
    public boolean hintDue() {
        return !"false".equalsIgnoreCase(System.getProperty(HINT_PROPERTY, "true")) && !hintShown();
    }

    public boolean hintShown() { return get(HINT_SHOWN, false); }

    public void setHintShown(boolean shown) { put(HINT_SHOWN, shown); }

    private boolean get(String key, boolean dflt) {
        try {
            return node == null ? dflt : node.getBoolean(key, dflt);
        } catch (RuntimeException e) {
            return dflt;
        }
    }

    private void put(String key, boolean v) {
        if (node == null) return;
        try {
            node.putBoolean(key, v);
            node.flush();
        } catch (BackingStoreException | RuntimeException e) {
            // the setting then lasts for this run only
        }
    }
}
