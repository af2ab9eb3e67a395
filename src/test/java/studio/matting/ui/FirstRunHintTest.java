package studio.matting.ui;

import javafx.scene.Scene;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.ApplicationTest;
import org.testfx.util.WaitForAsyncUtils;
import studio.matting.ui.session.EditorToolsSessionTest;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.*;

/** The first-run hint names the tools once, then never again; the settings are stored in their preference node. */
class FirstRunHintTest extends ApplicationTest {
    private final String node = "studio/matting-test-" + UUID.randomUUID();
    private EditorController editor;
    private String oldNode, oldHint;

    @Override
    public void start(Stage stage) {
        I18n.setLocale(Locale.ENGLISH);
        oldNode = System.getProperty(EditorSettings.NODE_PROPERTY);
        oldHint = System.getProperty(EditorSettings.HINT_PROPERTY);
        System.setProperty(EditorSettings.NODE_PROPERTY, node);
        System.setProperty(EditorSettings.HINT_PROPERTY, "true");
        editor = new EditorController(stage, List::of, List::of);
        Scene scene = editor.createScene(900, 600);
        stage.setScene(scene);
        stage.show();
        editor.setDocument(EditorToolsSessionTest.emptyDocument());
    }

    @AfterEach
    void cleanUp() throws Exception {
        WaitForAsyncUtils.asyncFx(editor::shutdown).get();
        Preferences.userRoot().node(node).removeNode();
        restore(EditorSettings.NODE_PROPERTY, oldNode);
        restore(EditorSettings.HINT_PROPERTY, oldHint);
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }

    @Test
    void theHintNamesTheToolsOnceAndAClickPutsItAway() throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(WaitForAsyncUtils.asyncFx(() -> editor.hint().isShowing()).get());
        String text = WaitForAsyncUtils.asyncFx(() -> editor.hint().getText()).get();
        assertTrue(text.contains("Select (S)") && text.contains("Fill (G)") && text.contains("Lasso (L)"), text);
        assertTrue(Preferences.userRoot().node(node).getBoolean(EditorSettings.HINT_SHOWN, false), "remembered");
        assertFalse(editor.settings().hintDue(), "not shown a second time");
        clickOn("#canvas", MouseButton.SECONDARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(WaitForAsyncUtils.asyncFx(() -> editor.hint().isShowing()).get());

        // Segment on open: on by default, stored when turned off.
        assertTrue(editor.settings().segmentOnOpen());
        assertTrue(editor.session().segmentOnOpen());
        editor.settings().setSegmentOnOpen(false);
        assertFalse(new EditorSettings(Preferences.userRoot().node(node)).segmentOnOpen());
    }
}
