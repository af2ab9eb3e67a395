package studio.matting.face;

import org.junit.jupiter.api.Test;
import studio.matting.image.ByteImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageOps;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FaceDetectorTest {
    static final Path PORTRAITS = Path.of("..", "shared", "data", "portraits", "images");

    @Test
    void findsOneFaceInAPortraitAndTwoInTwoPortraitsSideBySide() throws Exception {
        Path p1 = PORTRAITS.resolve("00002.jpg"), p2 = PORTRAITS.resolve("00005.jpg");
        assumeTrue(Files.isRegularFile(p1) && Files.isRegularFile(p2), "needs ../shared/data/portraits");
        ByteImage a = ImageOps.toRgb(ImageFiles.read(p1)), b = ImageOps.resize(ImageOps.toRgb(ImageFiles.read(p2)), a.width, a.height);
        FaceDetector d = FaceDetector.shared();
        assertTrue(d.atLeast(a, 1));
        assertFalse(d.atLeast(a, 2), "one portrait is one face");
        ByteImage two = new ByteImage(2 * a.width, a.height, 3);
        for (int y = 0; y < a.height; y++) {
            System.arraycopy(a.data, y * a.width * 3, two.data, y * two.width * 3, a.width * 3);
            System.arraycopy(b.data, y * b.width * 3, two.data, (y * two.width + a.width) * 3, b.width * 3);
        }
        assertTrue(d.atLeast(two, 2));
        assertFalse(d.atLeast(two, 3));
        assertFalse(d.atLeast(new ByteImage(300, 200, 3), 1), "a blank frame");
        assertTrue(d.atLeast(a, 0));
    }
}
