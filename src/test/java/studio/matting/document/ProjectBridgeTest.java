package studio.matting.document;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.matting.compositor.Background;
import studio.matting.project.Project;
import studio.matting.project.ProjectFiles;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapBrush;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ProjectBridgeTest {
    @Test
    void editedSessionSurvivesSaveAndLoad(@TempDir Path dir) throws Exception {
        Document d = Document.open(Path.of("assets/portrait.png"));
        d.setMorphology(9, 4);
        d.replaceTrimap("Regenerate", studio.matting.trimap.TrimapGenerator.fromMask(d.mask(), d.kernelSize(), d.iterations()));
        d.paint(new TrimapBrush(Trimap.FOREGROUND, 30), 20, 20, 200, 40); // a touch-up the project must keep
        Project p = ProjectBridge.toProject(d, "closed-form", ProjectBridge.spec(Background.solid(67, 142, 219), null));
        Path file = dir.resolve("s.msproj");
        ProjectFiles.save(p, file, false, false);

        Document back = ProjectBridge.toDocument(ProjectFiles.load(file));
        assertArrayEquals(d.trimap().data, back.trimap().data, "trimap with the brush stroke restored exactly");
        assertArrayEquals(d.image().data, back.image().data);
        assertEquals(9, back.kernelSize());
        assertEquals(4, back.iterations());
        assertEquals(Path.of("assets/portrait.png").toAbsolutePath(), back.path());
        assertFalse(back.history().canUndo(), "a restored session starts with an empty history");
        Background bg = ProjectBridge.background(ProjectFiles.load(file).background());
        assertTrue(bg instanceof Background.Solid s && s.r == 67 && s.g == 142 && s.b == 219);

        // The derived mask regenerates a trimap whose sure foreground is inside the saved one's non-background.
        back.replaceTrimap("Regenerate", studio.matting.trimap.TrimapGenerator.fromMask(back.mask(), back.kernelSize(), back.iterations()));
        for (int i = 0; i < back.trimap().data.length; i++)
            if ((back.trimap().data[i] & 0xFF) == Trimap.FOREGROUND) assertNotEquals(Trimap.BACKGROUND, d.trimap().data[i] & 0xFF);
    }
}
