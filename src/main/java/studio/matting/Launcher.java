package studio.matting;

import studio.matting.cli.MattingCli;

/**
 * The jar's entry point. A plain (non-Application) main class lets JavaFX start from a non-modular class path, and
 * lets the command line run without loading JavaFX at all: {@code matting-studio matte ...} goes to the CLI,
 * anything else (no arguments, or an image path) opens the editor.
 */
public final class Launcher {
    private Launcher() { }

    public static void main(String[] args) {
        if (MattingCli.isCliInvocation(args)) {
            System.exit(MattingCli.run(args));
        }
        studio.matting.ui.EditorApp.launchEditor(args);
    }
}
