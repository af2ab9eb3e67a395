package studio.matting.ui;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Without a display (or without GTK) the editor says what to do instead of printing glass's stack trace. */
class DisplayProblemTest {
    @Test
    void glassFailuresAreExplained() {
        String display = DisplayProblem.explain(new UnsupportedOperationException("Unable to open DISPLAY"));
        assertNotNull(display);
        assertTrue(display.contains("xvfb-run") && display.contains("command line"), display);
        String gtk = DisplayProblem.explain(new RuntimeException("launch failed",
                new UnsupportedOperationException("Unable to load glass GTK library.")));
        assertNotNull(gtk, "the cause is looked at too");
        assertTrue(gtk.contains("libgtk-3-0"), gtk);
    }

    @Test
    void otherFailuresAreLeftAlone() {
        assertNull(DisplayProblem.explain(new IllegalStateException("Unable to open DISPLAY")), "not glass's type");
        assertNull(DisplayProblem.explain(new UnsupportedOperationException("something else")));
        assertNull(DisplayProblem.explain(new UnsupportedOperationException()));
        assertNull(DisplayProblem.explain(null));
    }

    /** The real start-up on this machine, in a child JVM with no display: GTK missing or DISPLAY unset, either way. */
    @Test
    @EnabledOnOs(OS.LINUX) // glass's GTK platform; elsewhere the editor starts on the OS's own toolkit
    void launcherWithoutDisplayExitsWithTheMessage() throws Exception {
        Path log = Files.createTempFile("no-display", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-Dglass.platform=gtk",
                    "studio.matting.Launcher", "assets/portrait.png"));
            pb.environment().remove("DISPLAY");
            pb.environment().remove("WAYLAND_DISPLAY");
            Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the editor must not start without a display");
            String out = Files.readString(log);
            assertEquals(1, p.exitValue(), out);
            assertTrue(out.contains("The editor needs"), out);
            assertFalse(out.contains("\tat "), "no stack trace: " + out);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
