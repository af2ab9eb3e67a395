package studio.matting.project;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.matting.image.ByteImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageOps;
import studio.matting.sample.SyntheticPortrait;
import studio.matting.trimap.Trimap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

class ProjectFilesTest {
    @TempDir
    Path dir;

    private static Project sample(Path imagePath) {
        SyntheticPortrait p = SyntheticPortrait.render(96, 120, 4);
        ByteImage img = ImageOps.toByte(p.image);
        Trimap t = new Trimap(96, 120);
        for (int i = 0; i < t.data.length; i++) t.data[i] = (byte) (p.alpha.data[i] > 0.98f ? 255 : p.alpha.data[i] > 0.02f ? 128 : 0);
        return new Project(imagePath, img, t, "closed-form", 9, 4, Project.BackgroundSpec.solid(67, 142, 219));
    }

    private static void assertSameProject(Project a, Project b) {
        assertEquals(a.imagePath() == null ? null : a.imagePath().toAbsolutePath().normalize(), b.imagePath());
        assertEquals(a.image().width, b.image().width);
        assertEquals(a.image().height, b.image().height);
        assertArrayEquals(a.image().compact().data, b.image().compact().data);
        assertArrayEquals(a.trimap().data, b.trimap().data);
        assertEquals(a.engineId(), b.engineId());
        assertEquals(a.kernelSize(), b.kernelSize());
        assertEquals(a.iterations(), b.iterations());
        assertEquals(a.background(), b.background());
    }

    @Test
    void roundTripWithRelativeImagePath() throws IOException {
        Path imgDir = Files.createDirectories(dir.resolve("photos"));
        Path imgFile = imgDir.resolve("me.png");
        Project p = sample(imgFile);
        ImageFiles.writePng(p.image(), imgFile);
        Path projDir = Files.createDirectories(dir.resolve("projects"));
        Path file = projDir.resolve("me" + ProjectFiles.EXTENSION);
        ProjectFiles.save(p, file, false, false);
        String json = Files.readString(file);
        assertTrue(json.contains("\"imagePath\" : \"../photos/me.png\""), json.substring(0, Math.min(400, json.length())));
        assertTrue(json.contains("\"imagePng\" : null"));
        assertSameProject(p, ProjectFiles.load(file));
        // The project still opens after the folder pair is moved together.
        Path moved = dir.resolve("moved");
        Files.move(dir.resolve("photos"), Files.createDirectories(moved).resolve("photos"));
        Files.move(projDir, moved.resolve("projects"));
        Project back = ProjectFiles.load(moved.resolve("projects/me.msproj"));
        assertEquals(moved.resolve("photos/me.png").toAbsolutePath(), back.imagePath());
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> ProjectFiles.save(p, moved.resolve("projects/me.msproj"), false, false));
    }

    @Test
    void roundTripEmbedded() throws IOException {
        Project p = sample(null);
        Path file = dir.resolve("e.msproj");
        ProjectFiles.save(p, file, false, false);
        assertSameProject(p, ProjectFiles.load(file));
        Project noTrimap = new Project(null, p.image(), null, "mnet", 7, 6, Project.BackgroundSpec.checker());
        ProjectFiles.save(noTrimap, file, true, true);
        Project back = ProjectFiles.load(file);
        assertNull(back.trimap());
        assertEquals(Project.BackgroundSpec.checker(), back.background());
    }

    @Test
    void corruptFilesGiveClearMessages() throws IOException {
        Path file = dir.resolve("c.msproj");
        ProjectFiles.save(sample(null), file, true, false);
        String json = Files.readString(file);

        Files.writeString(file, json.substring(0, json.length() / 2));
        assertMessage(file, "corrupt or truncated");

        Files.writeString(file, json.replace("\"version\" : 1", "\"version\" : 7"));
        assertMessage(file, "newer Matting Studio");

        Files.writeString(file, json.replace("\"format\" : \"matting-studio-project\"", "\"format\" : \"other\""));
        assertMessage(file, "not a Matting Studio project");

        String b64 = json.replaceFirst("\"trimapPng\" : \"[A-Za-z0-9+/]{8}", "\"trimapPng\" : \"@@@@!!!!");
        assertNotEquals(json, b64);
        Files.writeString(file, b64);
        assertMessage(file, "not valid base64");

        // Valid base64 of bytes that are not a PNG.
        String notPng = json.replaceFirst("\"trimapPng\" : \"[^\"]+\"", "\"trimapPng\" : \"aGVsbG8gd29ybGQ=\"");
        Files.writeString(file, notPng);
        assertMessage(file, "embedded trimap is damaged");

        Files.writeString(file, "");
        assertMessage(file, "empty");
        assertMessage(dir.resolve("missing.msproj"), "no such file");
    }

    private static void assertMessage(Path file, String part) {
        ProjectException e = assertThrows(ProjectException.class, () -> ProjectFiles.load(file));
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
    }

    @Test
    void autosaveEveryNEditsAndClearOnExit() throws IOException {
        Path rec = dir.resolve("recovery");
        AtomicReference<Project> current = new AtomicReference<>(sample(null));
        Autosave auto = new Autosave(rec, 3);
        assertTrue(auto.findRecovery().isEmpty());
        assertFalse(auto.countEdit());
        assertFalse(auto.countEdit());
        assertTrue(auto.countEdit(), "every third edit is due");
        assertFalse(auto.countEdit());
        auto.save(current.get());
        assertTrue(Autosave.findRecovery(rec).isPresent());
        assertSameProject(current.get(), ProjectFiles.load(Autosave.findRecovery(rec).get()));
        try (var s = Files.list(rec)) {
            assertEquals(1, s.count(), "only the recovery file, no temporaries");
        }
        auto.clear();
        assertTrue(Autosave.findRecovery(rec).isEmpty());
        assertTrue(Autosave.defaultDirectory().endsWith(Path.of(".matting-studio", "recovery")));
    }
}
