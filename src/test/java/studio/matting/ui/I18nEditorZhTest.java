package studio.matting.ui;

import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.ApplicationTest;

import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.*;

/** The editor built under the Simplified Chinese locale shows Chinese menus, buttons and status texts. */
class I18nEditorZhTest extends ApplicationTest {
    private EditorController editor;

    @Override
    public void start(Stage stage) {
        I18n.setLocale(Locale.SIMPLIFIED_CHINESE);
        editor = new EditorController(stage, List::of, List::of);
        Scene scene = editor.createScene(900, 600);
        stage.setScene(scene);
        stage.show();
    }

    @AfterAll
    static void backToEnglish() {
        I18n.setLocale(Locale.ENGLISH);
    }

    @Test
    void menusAndButtonsAreChinese() {
        MenuBar bar = lookup(".menu-bar").queryAs(MenuBar.class);
        List<String> menus = bar.getMenus().stream().map(Menu::getText).toList();
        assertEquals(List.of("文件", "编辑", "视图", "蒙版", "抠图", "背景", "设置"), menus);
        assertEquals("抠图", lookup("#matteButton").queryAs(Button.class).getText());
        assertEquals("未打开图像", lookup("#sizeStatus").queryAs(Label.class).getText());
        assertEquals("引擎：无", lookup("#engineStatus").queryAs(Label.class).getText());
        Menu settings = bar.getMenus().get(6);
        Menu language = (Menu) settings.getItems().get(0);
        assertEquals("语言", language.getText());
        assertEquals(List.of("跟随系统", "English", "简体中文"), language.getItems().stream().map(m -> m.getText()).toList());
        // The menu bar shows it on screen too (TestFX finds the labelled node).
        assertTrue(lookup("文件").tryQuery().isPresent());
    }

    @Test
    void aBadFileIsReportedInChinese(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path empty = java.nio.file.Files.write(dir.resolve("空.png"), new byte[0]);
        interact(() -> editor.open(empty));
        long end = System.nanoTime() + 20_000_000_000L;
        while (editor.lastError() == null && System.nanoTime() < end) {
            org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
            Thread.sleep(20);
        }
        // the core's message (studio.matting.i18n.Messages) follows the editor's language
        assertEquals("无法打开 空.png：文件为空（0 字节）。", editor.lastError());
    }

    @Test
    void idPhotoAndExportControlsAreChinese() {
        interact(() -> {
            studio.matting.ui.idphoto.IdPhotoPane pane = new studio.matting.ui.idphoto.IdPhotoPane();
            javafx.scene.control.ComboBox<?> preset = (javafx.scene.control.ComboBox<?>) pane.lookup("#idphoto-preset");
            @SuppressWarnings("unchecked")
            var c = (javafx.util.StringConverter<Object>) preset.getConverter();
            assertEquals("一寸（25×35 毫米）", c.toString(preset.getValue()));
            javafx.scene.control.ComboBox<?> colour = (javafx.scene.control.ComboBox<?>) pane.lookup("#idphoto-color");
            @SuppressWarnings("unchecked")
            var cc = (javafx.util.StringConverter<Object>) colour.getConverter();
            assertEquals("蓝色", cc.toString(colour.getValue()));
            studio.matting.ui.export.ExportDialog dlg = new studio.matting.ui.export.ExportDialog(
                    studio.matting.export.ExportOptions.defaults(java.nio.file.Path.of("."), "x"));
            assertEquals("导出", dlg.getTitle());
            assertEquals("Alpha 蒙版（PNG）", ((javafx.scene.control.CheckBox) dlg.getDialogPane().lookup("#export-alpha")).getText());
        });
    }
}
