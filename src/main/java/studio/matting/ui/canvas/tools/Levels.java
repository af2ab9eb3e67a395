package studio.matting.ui.canvas.tools;

import javafx.scene.input.KeyCode;
import studio.matting.trimap.Trimap;

/** The F / B / U keys as trimap levels, for tools that paint a level of their own. */
final class Levels {
    private Levels() { }

    /** The level of a level key, or -1. */
    static int of(KeyCode k) {
        return switch (k) {
            case F -> Trimap.FOREGROUND;
            case B -> Trimap.BACKGROUND;
            case U -> Trimap.UNKNOWN;
            default -> -1;
        };
    }

    /** The i18n key of a level's name. */
    static String nameKey(int level) {
        return level == Trimap.FOREGROUND ? "tool.foreground" : level == Trimap.BACKGROUND ? "tool.background" : "tool.unknown";
    }
}
