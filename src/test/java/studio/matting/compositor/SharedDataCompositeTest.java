package studio.matting.compositor;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The lemur (pymatting's example) over the beach photo: real JPEG/PNG inputs of different sizes. */
class SharedDataCompositeTest {
    static Path shared() {
        return Path.of(System.getProperty("matting.shared", "../shared"));
    }

    @Test
    void lemurOverBeach() throws Exception {
        Path lemur = shared().resolve("data/lemur");
        if (!Files.isRegularFile(lemur.resolve("lemur.png")) || !Files.isRegularFile(lemur.resolve("beach.png"))) {
            System.out.println("SharedDataCompositeTest skipped: no " + lemur + " (shared data absent)");
            Assumptions.abort("shared data absent");
        }
        ByteImage img = ImageFiles.readRgb(lemur.resolve("lemur.png"));
        FloatImage alpha = ImageFiles.readAlpha(lemur.resolve("lemur_alpha.png"));
        Background beach = Background.image(ImageFiles.readRgb(lemur.resolve("beach.png")));
        ByteImage bg = beach.render(img.width, img.height);
        ByteImage c = Compositor.composite(img, alpha, null, beach);
        long opaque = 0, clear = 0;
        for (int y = 0; y < img.height; y++)
            for (int x = 0; x < img.width; x++) {
                float a = alpha.get(x, y, 0);
                for (int ch = 0; ch < 3; ch++) {
                    if (a == 0f) assertEquals(bg.get(x, y, ch), c.get(x, y, ch));
                    if (a == 1f) assertEquals(img.get(x, y, ch), c.get(x, y, ch));
                }
                if (a == 0f) clear++;
                if (a == 1f) opaque++;
            }
        assertTrue(opaque > 1000 && clear > 1000, "opaque " + opaque + ", clear " + clear);
    }
}
