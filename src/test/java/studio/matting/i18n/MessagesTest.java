package studio.matting.i18n;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageLoadException;
import studio.matting.project.ProjectException;
import studio.matting.project.ProjectFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.*;

class MessagesTest {
    @TempDir Path dir;

    @AfterEach
    void english() {
        Messages.setLocale(Locale.ENGLISH);
    }

    @Test
    void coreMessagesAreEnglishUntilTheEditorChoosesALanguage() throws Exception {
        Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
        ImageLoadException e = assertThrows(ImageLoadException.class, () -> ImageFiles.read(empty));
        assertEquals("Cannot open empty.png: the file is empty (0 bytes).", e.getMessage());
        Messages.setLocale(Locale.SIMPLIFIED_CHINESE);
        e = assertThrows(ImageLoadException.class, () -> ImageFiles.read(empty));
        assertEquals("无法打开 empty.png：文件为空（0 字节）。", e.getMessage());
        Path project = Files.writeString(dir.resolve("p.msproj"), "{\"format\": \"matting-studio-project\", \"version\": 1, \"trimapPng\": \"%%%\"");
        ProjectException pe = assertThrows(ProjectException.class, () -> ProjectFiles.load(project));
        assertTrue(pe.getMessage().startsWith("无法打开项目 p.msproj："), pe.getMessage());
        // a locale without a bundle falls back to English, not to the JVM's default locale
        Messages.setLocale(Locale.GERMAN);
        assertEquals(Locale.ROOT, Messages.locale());
        assertEquals("No trimap to export.", Messages.format("export.noTrimap"));
    }

    @Test
    void argumentsAreInsertedLiterally() {
        // quotes, braces and numbers in arguments come out as given (no MessageFormat re-parsing, no grouping)
        assertEquals("Cannot read it's {0}.png: disk 100000 full", Messages.format("image.readFailed", "it's {0}.png", "disk 100000 full"));
        assertEquals("Cannot open a.png: invalid image size 30000x0.", Messages.format("image.badSize", "a.png", 30000, 0));
        assertEquals("no.such.key", Messages.format("no.such.key", 1));
    }
}
