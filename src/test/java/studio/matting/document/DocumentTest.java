package studio.matting.document;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.matting.image.ImageLoadException;
import studio.matting.image.Rect;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapBrush;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class DocumentTest {
    @TempDir Path dir;

    @Test
    void opensSampleWithSiblingMaskAndEditsWithUndo() throws Exception {
        Path sample = Path.of("assets/portrait.png");
        Document doc = Document.open(sample);
        assertEquals(480, doc.width());
        assertEquals(600, doc.height());
        assertEquals("portrait-mask.png", doc.maskSource());
        assertTrue(doc.trimap().count(Trimap.UNKNOWN) > 1000);
        List<Document.Layer> events = new ArrayList<>();
        doc.addListener((l, r) -> events.add(l));

        byte[] start = doc.trimap().data.clone();
        doc.beginStroke("bg");
        Rect r = doc.paint(new TrimapBrush(Trimap.BACKGROUND, 20), 240, 300, 300, 300);
        doc.paint(new TrimapBrush(Trimap.BACKGROUND, 20), 300, 300, 300, 350);
        doc.endStroke();
        assertEquals(Trimap.BACKGROUND, doc.trimap().get(270, 300));
        assertFalse(r.isEmpty());
        byte[] painted = doc.trimap().data.clone();

        long bandBefore = doc.trimap().count(Trimap.UNKNOWN);
        doc.setMorphology(15, 8);
        doc.replaceTrimap("Regenerate", studio.matting.trimap.TrimapGenerator.fromMask(doc.mask(), doc.kernelSize(), doc.iterations()));
        assertTrue(doc.trimap().count(Trimap.UNKNOWN) > bandBefore, "wider band after larger kernel");

        doc.undo();
        assertArrayEquals(painted, doc.trimap().data);
        doc.undo();
        assertArrayEquals(start, doc.trimap().data);
        doc.redo();
        assertArrayEquals(painted, doc.trimap().data);
        assertTrue(events.contains(Document.Layer.TRIMAP));
        assertTrue(events.contains(Document.Layer.SETTINGS));
    }

    @Test
    void withoutSiblingMaskStartsFromEllipseAndBadFilesThrow() throws Exception {
        Path img = dir.resolve("lonely.png");
        Files.copy(Path.of("assets/portrait.png"), img);
        Document doc = Document.open(img);
        assertEquals("ellipse", doc.maskSource());
        assertEquals(Trimap.FOREGROUND, doc.trimap().get(240, 330));

        Path bad = Files.writeString(dir.resolve("bad.png"), "hello");
        assertThrows(ImageLoadException.class, () -> Document.open(bad));
    }
}
