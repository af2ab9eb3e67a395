package studio.matting.foreground;

import org.junit.jupiter.api.Test;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
import studio.matting.sample.SyntheticPortrait;
import studio.matting.task.CancellationToken;
import studio.matting.task.TaskContext;

import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.*;

class ForegroundEstimatorTest {
    @Test
    void estimatedForegroundIsCloseToTheTruthAndDoesNotLeakTheOldBackground() {
        SyntheticPortrait p = SyntheticPortrait.render(240, 300, 2026);
        ByteImage rgb = ImageOps.toByte(p.image);
        ForegroundEstimator.Result r = new ForegroundEstimator().estimateBoth(rgb, p.alpha, TaskContext.NONE);
        FloatImage f = r.foreground();
        assertEquals(3, f.channels);
        float[] magenta = {1f, 0f, 1f};
        double errEst = 0, errRaw = 0, leakEst = 0, leakRaw = 0;
        int n = 0;
        for (int i = 0; i < p.alpha.data.length; i++) {
            float a = p.alpha.data[i];
            if (!(a > 0.05f && a < 1f)) continue;
            n++;
            for (int c = 0; c < 3; c++) {
                float truth = p.foreground.data[i * 3 + c], est = f.data[i * 3 + c], raw = p.image.data[i * 3 + c];
                assertTrue(est >= 0 && est <= 1);
                errEst += Math.abs(est - truth);
                errRaw += Math.abs(raw - truth);
                double comp = a * truth + (1 - a) * magenta[c];
                leakEst += Math.abs(a * est + (1 - a) * magenta[c] - comp);
                leakRaw += Math.abs(a * raw + (1 - a) * magenta[c] - comp);
            }
        }
        System.out.printf("foreground on %d soft pixels: |F_est − F| %.4f vs |I − F| %.4f (ratio %.3f); composite leak %.4f vs %.4f (ratio %.3f)%n",
                n, errEst / n / 3, errRaw / n / 3, errEst / errRaw, leakEst / n / 3, leakRaw / n / 3, leakEst / leakRaw);
        assertTrue(n > 1000, "enough soft pixels: " + n);
        assertTrue(errEst < RATIO_F * errRaw, "F error ratio " + errEst / errRaw);
        assertTrue(leakEst < RATIO_LEAK * leakRaw, "leak ratio " + leakEst / leakRaw);
    }

    // Measured 0.62 (F) and 0.59 (leak). Not lower because half the soft pixels are the uniform α = 0.45 veil over a
    // textured background, where αF + (1−α)B = I cannot tell F's texture from B's; strands are recovered much better.
    static final double RATIO_F = 0.75, RATIO_LEAK = 0.7;

    @Test
    void opaqueAndSolidImagesKeepTheirColours() {
        ByteImage rgb = new ByteImage(9, 7, 3);
        for (int i = 0; i < 63; i++) { rgb.data[i * 3] = (byte) 200; rgb.data[i * 3 + 1] = 10; rgb.data[i * 3 + 2] = 90; }
        FloatImage alpha = new FloatImage(9, 7, 1);
        java.util.Arrays.fill(alpha.data, 1f);
        FloatImage f = new ForegroundEstimator().estimate(rgb, alpha, TaskContext.NONE);
        for (int i = 0; i < 63; i++) {
            assertEquals(200 / 255f, f.data[i * 3], 1e-3);
            assertEquals(10 / 255f, f.data[i * 3 + 1], 1e-3);
            assertEquals(90 / 255f, f.data[i * 3 + 2], 1e-3);
        }
        // 1×1 and grayscale inputs work too.
        ByteImage one = new ByteImage(1, 1, 1);
        one.data[0] = (byte) 128;
        FloatImage a1 = new FloatImage(1, 1, 1);
        a1.data[0] = 1f;
        assertEquals(128 / 255f, new ForegroundEstimator().estimate(one, a1, TaskContext.NONE).data[0], 1e-3);
    }

    @Test
    void sizeMismatchAndCancellation() {
        assertThrows(IllegalArgumentException.class,
                () -> new ForegroundEstimator().estimate(new ByteImage(4, 4, 3), new FloatImage(3, 4, 1), TaskContext.NONE));
        CancellationToken t = new CancellationToken();
        t.cancel();
        assertThrows(CancellationException.class,
                () -> new ForegroundEstimator().estimate(new ByteImage(40, 40, 3), new FloatImage(40, 40, 1), t));
    }
}
