package studio.matting.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Every filter and channel layout decodes (by ImageIO, an independent decoder) to exactly the pixels written. */
class PngEncoderTest {
    private static ByteImage noise(int w, int h, int ch, long seed) {
        ByteImage img = new ByteImage(w, h, ch);
        SplittableRandom r = new SplittableRandom(seed);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < ch; c++) {
                    // smooth gradient plus noise: exercises every filter's predictor
                    int v = (x * 3 + y * 2 + c * 40 + r.nextInt(24)) & 0xFF;
                    img.data[y * img.stride + x * ch + c] = (byte) v;
                }
        return img;
    }

    @Test
    void roundTripsEveryFilterLevelAndLayout() throws Exception {
        // Tall enough for several parallel strips (each its own Deflate block sequence).
        for (int ch : new int[]{1, 3, 4}) {
            ByteImage img = noise(301, 977, ch, ch);
            for (PngEncoder.Filter f : PngEncoder.Filter.values()) {
                for (int level : new int[]{0, 1, 6}) {
                    byte[] png = new PngEncoder(level, f).encode(img, Double.NaN);
                    BufferedImage bi = ImageIO.read(new ByteArrayInputStream(png));
                    assertNotNull(bi, "decodes: " + f + " level " + level + " ch " + ch);
                    ByteImage back = ImageFiles.fromBufferedImage(bi);
                    assertEquals(ch, back.channels, f + " " + ch);
                    assertArrayEquals(img.data, back.data, f + " level " + level + " ch " + ch);
                }
            }
        }
    }

    @Test
    void writesDpiAndSixteenBitAlphaThroughImageFiles(@TempDir Path tmp) throws Exception {
        FloatImage a = new FloatImage(64, 300, 1);
        for (int i = 0; i < a.data.length; i++) a.data[i] = (i % 977) / 976f;
        a.data[5] = -0.5f; // clamped
        Path p16 = tmp.resolve("a16.png");
        ImageFiles.writePng16(a, p16, 300, true);
        FloatImage back = ImageFiles.readAlpha(p16);
        for (int i = 0; i < a.data.length; i++)
            assertEquals(Math.max(0f, a.data[i]), back.data[i], 0.5 / 65535 + 1e-7, "sample " + i);
        assertEquals(300, ImageFiles.readDpi(p16), 0.1);
        ByteImage rgb = noise(40, 30, 3, 9);
        Path p8 = tmp.resolve("rgb.png");
        ImageFiles.writePng(rgb, p8, 72, true);
        assertArrayEquals(rgb.data, ImageFiles.read(p8).data);
        assertEquals(72, ImageFiles.readDpi(p8), 0.1);
        ImageFiles.writePng(rgb, p8);
        assertTrue(Double.isNaN(ImageFiles.readDpi(p8)), "no pHYs without a DPI");
    }

    @Test
    void tinyAndStridedImages() throws Exception {
        ByteImage one = new ByteImage(1, 1, 4);
        one.data[0] = 1; one.data[1] = 2; one.data[2] = 3; one.data[3] = 4;
        assertArrayEquals(one.data, ImageFiles.fromBufferedImage(ImageIO.read(new ByteArrayInputStream(PngEncoder.DEFAULT.encode(one, 0)))).data);
        // A view with a row stride larger than width × channels encodes only its own pixels.
        ByteImage wide = noise(20, 10, 3, 4);
        ByteImage view = new ByteImage(10, 10, 3, wide.data, wide.stride);
        ByteImage back = ImageFiles.fromBufferedImage(ImageIO.read(new ByteArrayInputStream(PngEncoder.DEFAULT.encode(view, 0))));
        for (int y = 0; y < 10; y++)
            for (int x = 0; x < 10; x++)
                for (int c = 0; c < 3; c++) assertEquals(view.get(x, y, c), back.get(x, y, c));
        assertThrows(IllegalArgumentException.class, () -> new PngEncoder(10, PngEncoder.Filter.UP));
    }
}
