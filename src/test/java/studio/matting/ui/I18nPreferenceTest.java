package studio.matting.ui;

import studio.matting.ui.canvas.ViewMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.UUID;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.*;

/** The language setting: stored and read back (in a throw-away preference node), resolved, overridden. */
class I18nPreferenceTest {
    private final Preferences node = Preferences.userRoot().node("studio/matting-test-" + UUID.randomUUID());

    @AfterEach
    void cleanUp() throws Exception {
        node.removeNode();
        System.clearProperty(I18n.PROPERTY);
        I18n.setLocale(Locale.ENGLISH);
    }

    @Test
    void preferenceRoundTrip() {
        assertEquals(I18n.SYSTEM, I18n.storedLanguage(node), "nothing stored means the system locale");
        I18n.storeLanguage(node, "zh_CN");
        assertEquals(I18n.CHINESE, I18n.storedLanguage(node));
        assertEquals(Locale.SIMPLIFIED_CHINESE, I18n.resolve(I18n.storedLanguage(node), Locale.US));
        I18n.storeLanguage(node, "en");
        assertEquals(Locale.ENGLISH, I18n.resolve(I18n.storedLanguage(node), Locale.CHINA));
        I18n.storeLanguage(node, "system");
        assertEquals(Locale.SIMPLIFIED_CHINESE, I18n.resolve(I18n.storedLanguage(node), Locale.CHINA));
        assertEquals(Locale.ENGLISH, I18n.resolve(I18n.storedLanguage(node), Locale.GERMANY), "no German bundle: English");
    }

    @Test
    void systemLocaleFallsBackToEnglishOrSimplifiedChinese() {
        assertEquals(Locale.ENGLISH, I18n.resolve("system", Locale.JAPAN));
        assertEquals(Locale.ENGLISH, I18n.resolve("system", Locale.TRADITIONAL_CHINESE), "no Traditional bundle");
        assertEquals(Locale.SIMPLIFIED_CHINESE, I18n.resolve("system", Locale.forLanguageTag("zh-Hans-SG")));
        assertEquals(Locale.ENGLISH, I18n.resolve("klingon", Locale.US), "unknown setting: the system locale");
    }

    @Test
    void systemPropertyOverridesAndSwitchesTheStrings() {
        System.setProperty(I18n.PROPERTY, "zh-CN");
        assertEquals(I18n.CHINESE, I18n.normalise(I18n.configuredLanguage()));
        I18n.setLocale(I18n.resolve(I18n.configuredLanguage(), Locale.US));
        assertEquals("文件", I18n.get("menu.file"));
        assertEquals("用 U-Net 分割人像", I18n.format("menu.mask.segmentWith", "U-Net"));
        assertEquals("合成", ViewMode.COMPOSITE.toString());
        I18n.setLocale(Locale.ENGLISH);
        assertEquals("File", I18n.get("menu.file"));
        assertEquals("Zoom 150%", I18n.format("status.zoom", "150"));
        // An English run stays English even when the JVM's default locale is Chinese (no default-locale fallback).
        Locale old = Locale.getDefault();
        try {
            Locale.setDefault(Locale.CHINA);
            I18n.setLocale(Locale.ENGLISH);
            assertEquals("Composite", ViewMode.COMPOSITE.toString());
        } finally {
            Locale.setDefault(old);
        }
    }
}
