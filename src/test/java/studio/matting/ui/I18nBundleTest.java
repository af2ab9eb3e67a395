package studio.matting.ui;

import studio.matting.ui.canvas.ViewMode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Chinese bundles cover the English ones (the UI's and the core's messages), and every key literal the code asks
 * for exists.
 */
class I18nBundleTest {
    /** The bundle folders on the class path: the editor's strings and the core's messages. */
    private static final List<String> BUNDLES = List.of("/studio/matting/ui/", "/studio/matting/i18n/");

    private static Properties load(String name) throws IOException {
        return load("/studio/matting/ui/", name);
    }

    private static Properties load(String dir, String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = I18nBundleTest.class.getResourceAsStream(dir + name)) {
            assertNotNull(in, name + " on the class path");
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void chineseBundlesAreCompleteAndTranslated() throws IOException {
        for (String dir : BUNDLES) chineseBundleIsCompleteAndTranslated(dir);
        // Really Chinese, not mojibake from a Latin-1 read: the File menu is 文件.
        assertEquals("文件", load("messages_zh_CN.properties").getProperty("menu.file"));
        assertEquals("三分图", load("/studio/matting/i18n/", "messages_zh_CN.properties").getProperty("project.part.trimap"));
    }

    private static void chineseBundleIsCompleteAndTranslated(String dir) throws IOException {
        Properties en = load(dir, "messages.properties"), zh = load(dir, "messages_zh_CN.properties");
        assertTrue(en.size() > 20, dir + " English bundle has its strings: " + en.size());
        List<String> missing = new ArrayList<>(), empty = new ArrayList<>(), extra = new ArrayList<>();
        int same = 0;
        for (String k : en.stringPropertyNames()) {
            String v = zh.getProperty(k);
            if (v == null) missing.add(k);
            else if (v.isBlank()) empty.add(k);
            else if (v.equals(en.getProperty(k))) same++;
        }
        for (String k : zh.stringPropertyNames()) if (!en.containsKey(k)) extra.add(k);
        assertEquals(List.of(), missing, dir + ": keys missing in zh_CN");
        assertEquals(List.of(), empty, dir + ": empty zh_CN values");
        assertEquals(List.of(), extra, dir + ": zh_CN keys that English lacks");
        assertTrue(same <= en.size() / 10, dir + ": " + same + " of " + en.size() + " values are identical to English");
    }

    @Test
    void placeholdersMatchBetweenLanguages() throws IOException {
        Pattern arg = Pattern.compile("\\{(\\d)}");
        for (String dir : BUNDLES) {
            Properties en = load(dir, "messages.properties"), zh = load(dir, "messages_zh_CN.properties");
            for (String k : en.stringPropertyNames())
                assertEquals(args(arg, en.getProperty(k)), args(arg, zh.getProperty(k)), dir + ": arguments of " + k);
        }
    }

    private static TreeSet<String> args(Pattern p, String s) {
        TreeSet<String> out = new TreeSet<>();
        Matcher m = p.matcher(s);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    @Test
    void everyKeyUsedInTheUiCodeExists() throws IOException {
        Properties en = load("messages.properties");
        // Whole literal keys only: I18n.get("view." + name) style prefixes end in a '+', not in ')' or ','.
        Pattern use = Pattern.compile("I18n\\.(?:get|format)\\(\"([^\"]+)\"\\s*[),]");
        List<String> unknown = new ArrayList<>();
        int found = scanKeys(Path.of("src/main/java/studio/matting/ui"), use, en, unknown);
        assertTrue(found > 100, "the scan sees the UI's keys: " + found);
        assertEquals(List.of(), unknown);
        // Keys built at run time.
        for (ViewMode v : ViewMode.values()) assertTrue(en.containsKey("view." + v.name().toLowerCase(java.util.Locale.ROOT)), v.name());
        var tools = studio.matting.ui.canvas.tools.Toolbox.standard(new studio.matting.ui.canvas.tools.ToolContext(null,
                new studio.matting.trimap.TrimapBrush(0, 1), new studio.matting.ui.canvas.ViewState(), new javafx.scene.layout.Pane()));
        for (var t : tools.tools()) {
            assertTrue(en.containsKey("tool." + t.id()), t.id());
            assertTrue(en.containsKey("tool." + t.id() + ".button"), t.id());
        }
        for (studio.matting.idphoto.IdPhotoPreset p : studio.matting.idphoto.IdPhotoPreset.STANDARD)
            assertTrue(en.containsKey("idphoto.preset." + p.id()), p.id());
        assertTrue(en.containsKey("idphoto.preset." + studio.matting.idphoto.IdPhotoPreset.custom(40, 50).id()));
        for (studio.matting.idphoto.BackgroundPreset b : studio.matting.idphoto.BackgroundPreset.values())
            assertTrue(en.containsKey("idphoto.color." + b.name().toLowerCase(java.util.Locale.ROOT)), b.name());
        // The core's Messages keys, anywhere in the main code.
        Properties core = load("/studio/matting/i18n/", "messages.properties");
        Pattern coreUse = Pattern.compile("Messages\\.format\\(\"([^\"]+)\"\\s*[),]");
        List<String> unknownCore = new ArrayList<>();
        int coreFound = scanKeys(Path.of("src/main/java"), coreUse, core, unknownCore);
        assertTrue(coreFound > 20, "the scan sees the core's keys: " + coreFound);
        assertEquals(List.of(), unknownCore);
        for (String what : List.of("image", "trimap")) assertTrue(core.containsKey("project.part." + what), what);
        for (String k : List.of("status.trimap", "status.matteTime", "status.rematteTime", "status.languageRestart",
                "dialog.saveAlpha.title", "dialog.saveTrimap.title", "menu.settings.language.system",
                "menu.settings.language.en", "menu.settings.language.zh"))
            assertTrue(en.containsKey(k), k);
    }

    /** Counts the literal keys {@code use} finds in the Java files under {@code src}; adds those the bundle lacks. */
    private static int scanKeys(Path src, Pattern use, Properties bundle, List<String> unknown) throws IOException {
        assertTrue(Files.isDirectory(src), "run from the project root");
        int found = 0;
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : (Iterable<Path>) files.filter(x -> x.toString().endsWith(".java"))::iterator) {
                Matcher m = use.matcher(Files.readString(f));
                while (m.find()) {
                    found++;
                    if (!bundle.containsKey(m.group(1))) unknown.add(f.getFileName() + ": " + m.group(1));
                }
            }
        }
        return found;
    }
}
