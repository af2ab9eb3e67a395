package studio.matting.refine;

import org.junit.jupiter.api.Test;
import studio.matting.compositor.Background;
import studio.matting.compositor.Compositor;
import studio.matting.export.Exporter;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;

import static org.junit.jupiter.api.Assertions.*;

/** Decontamination amount: 0 = the photo's colours, 100 = the estimated foreground, linear in between. */
class DecontaminationTest {
    static final int W = 7, H = 5;

    static ByteImage image() {
        ByteImage img = new ByteImage(W, H, 3);
        for (int i = 0; i < img.data.length; i++) img.data[i] = (byte) (i * 37 % 256);
        return img;
    }

    static FloatImage foreground() {
        FloatImage f = new FloatImage(W, H, 3);
        for (int i = 0; i < f.data.length; i++) f.data[i] = (i * 53 % 101) / 100f;
        return f;
    }

    static FloatImage alpha() {
        FloatImage a = new FloatImage(W, H, 1);
        for (int i = 0; i < a.data.length; i++) a.data[i] = (i % 5) / 4f;
        return a;
    }

    @Test
    void amountBlendsBetweenPhotoAndForeground() {
        ByteImage img = image();
        FloatImage f = foreground();
        FloatImage none = Decontamination.blend(img, f, 0), full = Decontamination.blend(img, f, 100), half = Decontamination.blend(img, f, 50);
        assertSame(f, full, "100 % is the estimated foreground itself");
        for (int i = 0; i < f.data.length; i++) {
            float photo = (img.data[i] & 0xFF) / 255f;
            assertEquals(photo, none.data[i], 1e-6f);
            assertEquals((photo + f.data[i]) / 2, half.data[i], 1e-6f);
        }
        assertThrows(IllegalArgumentException.class, () -> Decontamination.blend(img, f, 101));
        assertThrows(IllegalArgumentException.class, () -> Decontamination.blend(img, f, -1));
    }

    @Test
    void compositeAndCutoutUseTheAmount() {
        ByteImage img = image();
        FloatImage f = foreground(), a = alpha();
        Background bg = Background.solid(10, 200, 30);
        assertArrayEquals(Compositor.composite(img, a, null, bg).data, Compositor.composite(img, a, f, bg, 0).data, "0 % = photo colours");
        assertArrayEquals(Compositor.composite(img, a, f, bg).data, Compositor.composite(img, a, f, bg, 100).data, "100 % = F");
        assertArrayEquals(Compositor.cutout(img, a, null).data, Compositor.cutout(img, a, f, 0).data);
        assertArrayEquals(Compositor.cutout(img, a, f).data, Compositor.cutout(img, a, f, 100).data);
        ByteImage mid = Compositor.cutout(img, a, f, 50);
        for (int i = 0; i < W * H; i++)
            for (int c = 0; c < 3; c++) {
                double expected = 255 * ((img.data[i * 3 + c] & 0xFF) / 255.0 + f.data[i * 3 + c]) / 2;
                assertEquals(expected, mid.data[i * 4 + c] & 0xFF, 0.51);
            }
        Exporter.Inputs in = new Exporter.Inputs(img, a, f, null, bg);
        FloatImage used = in.decontaminated(0).foreground();
        for (int i = 0; i < used.data.length; i++) assertEquals((img.data[i] & 0xFF) / 255f, used.data[i], 1e-6f);
        assertSame(f, in.decontaminated(100).foreground());
    }
}
