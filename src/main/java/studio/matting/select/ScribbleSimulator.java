package studio.matting.select;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;
import studio.matting.image.FloatImage;
import studio.matting.trimap.OpenCv;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapBrush;

/**
 * Strokes a user would draw to fix a selection, derived from the ground truth: a round dab in the middle of each of
 * the largest missed-foreground areas (F) and of the largest false-positive areas (B). For evaluation and tests of
 * {@link SubjectSelector#refine}; never used on user images.
 */
public final class ScribbleSimulator {
    private ScribbleSimulator() { }

    /**
     * @param perKind  how many areas of each kind get a dab
     * @param radius   dab radius (pixels), shrunk so the dab stays inside its error area
     */
    public static Trimap strokes(FloatImage predicted, FloatImage truth, int perKind, int radius) {
        OpenCv.load();
        int w = truth.width, h = truth.height;
        Trimap marks = Trimap.filled(w, h, Trimap.UNKNOWN);
        for (int kind = 0; kind < 2; kind++) {
            boolean missed = kind == 0; // truth says subject, prediction says not
            byte[] err = new byte[w * h];
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    boolean p = predicted.data[y * predicted.stride + x * predicted.channels] > 0.5f;
                    boolean t = truth.data[y * truth.stride + x * truth.channels] > 0.5f;
                    err[y * w + x] = (byte) ((missed ? t && !p : p && !t) ? 255 : 0);
                }
            Mat e = new Mat(h, w, CvType.CV_8UC1), dist = new Mat(), cc = new Mat(), stats = new Mat(), cent = new Mat();
            try {
                e.put(0, 0, err);
                Imgproc.distanceTransform(e, dist, Imgproc.DIST_L2, 3);
                int n = Imgproc.connectedComponentsWithStats(e, cc, stats, cent, 8, CvType.CV_32S);
                float[] d = new float[w * h];
                int[] id = new int[w * h];
                dist.get(0, 0, d);
                cc.get(0, 0, id);
                // the deepest point of each component
                float[] best = new float[n];
                int[] at = new int[n];
                for (int i = 0; i < d.length; i++) if (id[i] > 0 && d[i] > best[id[i]]) { best[id[i]] = d[i]; at[id[i]] = i; }
                boolean[] used = new boolean[n];
                for (int k = 0; k < perKind; k++) {
                    int pick = -1;
                    for (int c = 1; c < n; c++)
                        if (!used[c] && best[c] >= 2 && (pick < 0 || stats.get(c, Imgproc.CC_STAT_AREA)[0] > stats.get(pick, Imgproc.CC_STAT_AREA)[0])) pick = c;
                    if (pick < 0) break;
                    used[pick] = true;
                    double r = Math.min(radius, best[pick] - 1);
                    TrimapBrush brush = new TrimapBrush(missed ? Trimap.FOREGROUND : Trimap.BACKGROUND, 2 * r);
                    brush.stamp(marks, at[pick] % w + 0.5, at[pick] / w + 0.5);
                }
            } finally {
                e.release();
                dist.release();
                cc.release();
                stats.release();
                cent.release();
            }
        }
        return marks;
    }
}
