package studio.matting.trimap;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
import studio.matting.task.ThreadGuard;

/**
 * Trimap from a soft mask, as in the reference {@code gen_trimap(mask, k_size=7, iterations=6)}: threshold the mask,
 * erode it with an elliptical kernel (that is the sure foreground) and dilate it (outside that is the sure
 * background); the band in between is unknown. The band is about {@code 2 * iterations * (kSize / 2)} pixels wide.
 */
public final class TrimapGenerator {
    public static final int DEFAULT_KERNEL = 7;
    public static final int DEFAULT_ITERATIONS = 6;
    public static final float DEFAULT_THRESHOLD = 0.5f;

    private TrimapGenerator() { }

    public static Trimap fromMask(FloatImage mask, int kernelSize, int iterations) {
        return fromMask(ImageOps.toByte(mask), kernelSize, iterations, DEFAULT_THRESHOLD);
    }

    public static Trimap fromMask(ByteImage mask, int kernelSize, int iterations) {
        return fromMask(mask, kernelSize, iterations, DEFAULT_THRESHOLD);
    }

    /**
     * @param mask       one-channel 8-bit soft mask (255 = person)
     * @param kernelSize elliptical kernel diameter, &gt;= 1
     * @param iterations erosion / dilation repeats, &gt;= 0
     * @param threshold  mask level in [0,1] above which a pixel counts as foreground before morphology
     */
    public static Trimap fromMask(ByteImage mask, int kernelSize, int iterations, float threshold) {
        ThreadGuard.checkHeavyWork("trimap generation");
        if (mask.channels != 1) mask = ImageOps.toGray(mask);
        if (kernelSize < 1) throw new IllegalArgumentException("kernel size must be >= 1");
        if (iterations < 0) throw new IllegalArgumentException("iterations must be >= 0");
        OpenCv.load();
        int w = mask.width, h = mask.height;
        // A zero threshold would make every pixel foreground; the smallest useful level is 1.
        int level = Math.max(1, Math.round(Math.max(0f, Math.min(1f, threshold)) * 255f));
        byte[] bin = new byte[w * h];
        for (int y = 0; y < h; y++) {
            int s = y * mask.stride, d = y * w;
            for (int x = 0; x < w; x++) bin[d + x] = (byte) ((mask.data[s + x] & 0xFF) >= level ? 255 : 0);
        }
        Mat src = new Mat(h, w, CvType.CV_8UC1);
        Mat eroded = new Mat(), dilated = new Mat();
        Mat kernel = Imgproc.getStructuringElement(Imgproc.MORPH_ELLIPSE, new Size(kernelSize, kernelSize));
        try {
            src.put(0, 0, bin);
            org.opencv.core.Point anchor = new org.opencv.core.Point(-1, -1);
            // Pixels outside the image count as neither: replicate the border so a person cut by the frame edge
            // stays foreground at the edge instead of growing an unknown band along it.
            Imgproc.erode(src, eroded, kernel, anchor, iterations, Core.BORDER_REPLICATE);
            Imgproc.dilate(src, dilated, kernel, anchor, iterations, Core.BORDER_REPLICATE);
            byte[] er = new byte[w * h], di = new byte[w * h];
            eroded.get(0, 0, er);
            dilated.get(0, 0, di);
            Trimap t = new Trimap(w, h);
            for (int i = 0; i < w * h; i++) {
                t.data[i] = (byte) (er[i] != 0 ? Trimap.FOREGROUND : di[i] == 0 ? Trimap.BACKGROUND : Trimap.UNKNOWN);
            }
            return t;
        } finally {
            src.release();
            eroded.release();
            dilated.release();
            kernel.release();
        }
    }
}
