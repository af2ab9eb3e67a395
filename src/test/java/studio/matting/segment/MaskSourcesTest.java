package studio.matting.segment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageLoadException;
import studio.matting.image.ImageOps;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapFiles;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class MaskSourcesTest {
    @TempDir Path dir;

    @Test
    void ellipseIsSoftInsideOutside() {
        FloatImage m = new EllipseMask().segment(new ByteImage(100, 120, 3), TaskContext.NONE);
        assertEquals(1f, m.get(50, 66, 0));
        assertEquals(0f, m.get(1, 1, 0));
        boolean soft = false;
        for (int x = 0; x < 50; x++) { float v = m.get(x, 66, 0); if (v > 0.05f && v < 0.95f) soft = true; }
        assertTrue(soft, "edge should ramp");
    }

    @Test
    void maskFileReadsMaskResizesAndRecognisesTrimaps() throws Exception {
        FloatImage m = EllipseMask.render(80, 60, new EllipseMask.Ellipse(40, 30, 20, 15));
        Path mp = dir.resolve("photo-mask.png");
        ImageFiles.writePng(ImageOps.toByte(m), mp, 72, false);
        MaskFile.Loaded l = MaskFile.load(mp, 160, 120);
        assertFalse(l.isTrimap());
        assertEquals(160, l.mask().width);
        assertEquals(1f, l.mask().get(80, 60, 0), 0.01f);
        assertEquals(mp, MaskFile.siblingMask(dir.resolve("photo.png")));
        assertNull(MaskFile.siblingMask(dir.resolve("other.png")));

        Trimap t = Trimap.filled(80, 60, Trimap.BACKGROUND);
        t.set(10, 10, Trimap.UNKNOWN);
        t.set(11, 10, Trimap.FOREGROUND);
        Path tp = dir.resolve("tri.png");
        TrimapFiles.write(t, tp, false);
        MaskFile.Loaded lt = MaskFile.load(tp, 80, 60);
        assertTrue(lt.isTrimap());
        assertArrayEquals(t.data, lt.trimap().data);

        ImageLoadException e = assertThrows(ImageLoadException.class, () -> MaskFile.load(mp, 60, 80));
        assertTrue(e.getMessage().contains("80 x 60"), e.getMessage());
    }
}
