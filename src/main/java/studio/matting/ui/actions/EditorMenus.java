package studio.matting.ui.actions;

import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import studio.matting.compositor.Background;
import studio.matting.segment.EllipseMask;
import studio.matting.segment.Segmenter;
import studio.matting.ui.I18n;
import studio.matting.ui.canvas.CanvasView;
import studio.matting.ui.canvas.ViewMode;
import studio.matting.ui.session.EditorSession;

import java.util.function.Consumer;

/** The menu bar: every item is one call into the session, a dialog or the canvas. */
public final class EditorMenus {
    private EditorMenus() { }

    /** The items of issue 18/20's tools: settings, problem navigation, view cycling and A/B compare. */
    public record Extras(studio.matting.ui.EditorSettings settings, Runnable nextProblem, Runnable previousProblem,
                         Runnable fixProblem, Runnable nextView, Runnable flipCompare) { }

    /** The menu bar without the extra items (kept for callers that have none). */
    public static MenuBar build(EditorSession session, Dialogs dialogs, CanvasView canvas, Consumer<ViewMode> setView,
                                Consumer<String> onMessage) {
        return build(session, dialogs, canvas, setView, onMessage, null);
    }

    /**
     * @param setView   chooses a view mode (kept in step with the tool bar's chooser)
     * @param onMessage shows a status text
     */
    public static MenuBar build(EditorSession session, Dialogs dialogs, CanvasView canvas, Consumer<ViewMode> setView,
                                Consumer<String> onMessage, Extras extras) {
        MenuItem open = item("menu.file.open", "openItem", key(KeyCode.O), dialogs::openImage);
        MenuItem loadMask = item("menu.file.loadMask", "loadMaskItem", null, dialogs::loadMask);
        MenuItem resetEllipse = item("menu.file.resetEllipse", "ellipseItem", null, () -> {
            if (session.document() != null)
                session.applyEllipse(EllipseMask.Ellipse.centred(session.document().width(), session.document().height()));
        });
        MenuItem saveTrimap = item("menu.file.saveTrimap", "saveTrimapItem", key(KeyCode.S), () -> dialogs.saveLayer("trimap"));
        MenuItem saveAlpha = item("menu.file.saveAlpha", "saveAlphaItem", key(KeyCode.S, KeyCombination.SHIFT_DOWN), () -> dialogs.saveLayer("alpha"));
        MenuItem quit = item("menu.file.quit", "quitItem", key(KeyCode.Q), dialogs.stage()::close);
        MenuItem export = item("menu.file.export", "exportItem", key(KeyCode.E), dialogs::export);
        MenuItem idPhoto = item("menu.file.idPhoto", "idPhotoItem", key(KeyCode.I), dialogs::idPhoto);
        MenuItem openProject = item("menu.file.openProject", "openProjectItem", key(KeyCode.O, KeyCombination.SHIFT_DOWN), () -> dialogs.project(false));
        MenuItem saveProject = item("menu.file.saveProject", "saveProjectItem", key(KeyCode.S, KeyCombination.ALT_DOWN), () -> dialogs.project(true));
        Menu file = new Menu(I18n.get("menu.file"), null, open, openProject, saveProject, loadMask, resetEllipse, new SeparatorMenuItem(),
                saveTrimap, saveAlpha, export, idPhoto, new SeparatorMenuItem(), quit);

        Menu maskMenu = new Menu(I18n.get("menu.mask"));
        maskMenu.setId("maskMenu");
        fillMaskMenu(maskMenu, session);
        session.addListener(new EditorSession.Listener() {
            @Override public void modelsChanged() { fillMaskMenu(maskMenu, session); }
        });

        MenuItem undo = item("menu.edit.undo", "undoItem", key(KeyCode.Z), session::undo);
        MenuItem redo = item("menu.edit.redo", "redoItem", key(KeyCode.Z, KeyCombination.SHIFT_DOWN), session::redo);
        MenuItem redoY = item("menu.edit.redoAlt", "redoYItem", key(KeyCode.Y), session::redo);
        Menu edit = new Menu(I18n.get("menu.edit"), null, undo, redo, redoY);

        Menu view = new Menu(I18n.get("menu.view"));
        ToggleGroup vg = new ToggleGroup();
        int n = 1;
        for (ViewMode m : ViewMode.values()) {
            RadioMenuItem r = new RadioMenuItem(m.toString());
            r.setToggleGroup(vg);
            if (n <= 9) r.setAccelerator(new KeyCodeCombination(KeyCode.getKeyCode(String.valueOf(n))));
            n++;
            r.setOnAction(e -> setView.accept(m));
            r.setSelected(m == canvas.mode());
            view.getItems().add(r);
        }
        view.getItems().addAll(new SeparatorMenuItem(),
                item("menu.view.fit", "fitItem", key(KeyCode.DIGIT0), canvas::fit),
                item("menu.view.actual", "actualItem", key(KeyCode.DIGIT1), canvas::actualSize));
        if (extras != null) view.getItems().addAll(new SeparatorMenuItem(),
                item("menu.view.next", "nextViewItem", null, extras.nextView()),
                item("menu.view.compare", "compareItem", null, extras.flipCompare()));

        MenuItem matte = item("menu.matting.matte", "matteItem", key(KeyCode.M), session::matte);
        MenuItem cancel = item("menu.matting.cancel", "cancelItem", new KeyCodeCombination(KeyCode.ESCAPE), session::cancel);
        MenuItem auto = item("menu.matting.auto", "autoItem", key(KeyCode.A, KeyCombination.SHIFT_DOWN), session::auto);
        Menu matting = new Menu(I18n.get("menu.matting"), null, auto, matte, cancel);
        if (extras != null) matting.getItems().addAll(new SeparatorMenuItem(),
                item("menu.matting.findProblems", "findProblemsItem", null, session.problems()::find),
                item("menu.matting.nextProblem", "nextProblemItem", null, extras.nextProblem()),
                item("menu.matting.previousProblem", "previousProblemItem", null, extras.previousProblem()),
                item("menu.matting.fixProblem", "fixProblemItem", null, extras.fixProblem()));

        Menu bgMenu = new Menu(I18n.get("menu.background"));
        bgMenu.setId("backgroundMenu");
        bgMenu.getItems().addAll(
                item("menu.background.checker", "bgChecker", null, () -> session.setBackground(Background.checker(), null)),
                item("menu.background.idBlue", "bgBlue", null, () -> session.setBackground(Background.solid(67, 142, 219), null)),
                item("menu.background.idRed", "bgRed", null, () -> session.setBackground(Background.solid(255, 0, 0), null)),
                item("menu.background.white", "bgWhite", null, () -> session.setBackground(Background.solid(255, 255, 255), null)),
                item("menu.background.colour", "bgColour", null, dialogs::backgroundColour),
                item("menu.background.image", "bgImage", null, dialogs::backgroundImage));
        Menu settingsMenu = settings(dialogs, onMessage);
        if (extras != null) {
            javafx.scene.control.CheckMenuItem segmentOnOpen = new javafx.scene.control.CheckMenuItem(I18n.get("menu.settings.segmentOnOpen"));
            segmentOnOpen.setId("segmentOnOpenItem");
            segmentOnOpen.setSelected(session.segmentOnOpen());
            segmentOnOpen.setOnAction(e -> {
                session.setSegmentOnOpen(segmentOnOpen.isSelected());
                extras.settings().setSegmentOnOpen(segmentOnOpen.isSelected());
            });
            settingsMenu.getItems().add(segmentOnOpen);
        }
        return new MenuBar(file, edit, view, maskMenu, matting, bgMenu, settingsMenu);
    }

    /** One "Segment with …" item per installed segmentation model (rebuilt when Settings ▸ Models… changes them). */
    private static void fillMaskMenu(Menu maskMenu, EditorSession session) {
        maskMenu.getItems().clear();
        for (Segmenter sg : session.segmenters()) {
            MenuItem m = new MenuItem(I18n.format("menu.mask.segmentWith", sg.displayName()));
            m.setId("segment-" + sg.id());
            m.setOnAction(e -> session.segment(sg));
            maskMenu.getItems().add(m);
        }
        if (session.segmenters().isEmpty()) {
            MenuItem none = new MenuItem(I18n.get("menu.mask.noModel"));
            none.setDisable(true);
            maskMenu.getItems().add(none);
        }
    }

    /** Settings ▸ Language: stored in the user preferences; applies on the next start. */
    private static Menu settings(Dialogs dialogs, Consumer<String> onMessage) {
        Menu language = new Menu(I18n.get("menu.settings.language"));
        language.setId("languageMenu");
        ToggleGroup lg = new ToggleGroup();
        String current = I18n.normalise(I18n.configuredLanguage());
        String[][] choices = {{I18n.SYSTEM, "menu.settings.language.system", "langSystem"},
                {I18n.ENGLISH, "menu.settings.language.en", "langEnglish"}, {I18n.CHINESE, "menu.settings.language.zh", "langChinese"}};
        for (String[] c : choices) {
            RadioMenuItem r = new RadioMenuItem(I18n.get(c[1]));
            r.setId(c[2]);
            r.setToggleGroup(lg);
            r.setSelected(c[0].equals(current));
            r.setOnAction(e -> onMessage.accept(dialogs.chooseLanguage(c[0])));
            language.getItems().add(r);
        }
        Menu settings = new Menu(I18n.get("menu.settings"), null, language);
        settings.setId("settingsMenu");
        return settings;
    }

    /** Shortcut (Ctrl / ⌘) + key, with extra modifiers. */
    private static KeyCombination key(KeyCode k, KeyCombination.Modifier... more) {
        KeyCombination.Modifier[] mods = new KeyCombination.Modifier[more.length + 1];
        mods[0] = KeyCombination.SHORTCUT_DOWN;
        System.arraycopy(more, 0, mods, 1, more.length);
        return new KeyCodeCombination(k, mods);
    }

    private static MenuItem item(String textKey, String id, KeyCombination key, Runnable action) {
        MenuItem m = new MenuItem(I18n.get(textKey));
        m.setId(id);
        if (key != null) m.setAccelerator(key);
        m.setOnAction(e -> action.run());
        return m;
    }
}
