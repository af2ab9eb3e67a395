package studio.matting.face;

import org.opencv.core.Mat;
import org.opencv.core.MatOfRect;
import org.opencv.core.Size;
import org.opencv.core.CvType;
import org.opencv.imgproc.Imgproc;
import org.opencv.objdetect.CascadeClassifier;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.trimap.OpenCv;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Frontal faces and their eyes, with OpenCV's own cascades (BSD-3, bundled under {@code studio/matting/face/}):
 * Lienhart's Haar {@code frontalface_alt2} proposes faces, the KU Leuven LBP {@code frontalface_improved} cascade
 * must confirm each one (two differently trained detectors rarely share a false positive on foliage, fabric or
 * lanterns), and Hameed's Haar {@code eye} cascade finds the eyes in the upper half of each face.
 * <p>Detection runs on a grey, histogram-equalised copy of the region scaled to at most {@value #DETECT_SIDE} px on
 * its long side; eyes on the face crop scaled to {@value #EYE_SIDE} px wide. Coordinates come back in source pixels.
 * A cascade is not thread-safe, so calls are serialised.
 */
public final class FaceDetector {
    public static final int DETECT_SIDE = 480, EYE_SIDE = 160, REFINE_SIDE = 120;
    private static volatile FaceDetector shared;

    private final CascadeClassifier face, confirm, eye;

    /** A face box in source pixels, its eyes (image-left, image-right; null when not found) and whether LBP confirmed it. */
    public record Face(double x, double y, double width, double height, double[] leftEye, double[] rightEye, boolean confirmed) {
        public double centerX() { return x + width / 2; }

        public double centerY() { return y + height / 2; }

        public double bottom() { return y + height; }

        public boolean hasEyes() { return leftEye != null && rightEye != null; }

        /** The tilt of the eye line in degrees (positive: the image-right eye is lower), 0 without eyes. */
        public double eyeAngleDegrees() {
            if (!hasEyes()) return 0;
            return Math.toDegrees(Math.atan2(rightEye[1] - leftEye[1], rightEye[0] - leftEye[0]));
        }

        double iou(Face o) {
            double ix = Math.max(0, Math.min(x + width, o.x + o.width) - Math.max(x, o.x));
            double iy = Math.max(0, Math.min(y + height, o.y + o.height) - Math.max(y, o.y));
            double i = ix * iy;
            return i / (width * height + o.width * o.height - i);
        }
    }

    private FaceDetector() {
        OpenCv.load();
        face = load("haarcascade_frontalface_alt2.xml");
        confirm = load("lbpcascade_frontalface_improved.xml");
        eye = load("haarcascade_eye.xml");
    }

    /** The detector, loaded once (the cascades are extracted to temporary files: OpenCV reads only paths). */
    public static FaceDetector shared() {
        FaceDetector d = shared;
        if (d == null) {
            synchronized (FaceDetector.class) {
                d = shared;
                if (d == null) shared = d = new FaceDetector();
            }
        }
        return d;
    }

    private static CascadeClassifier load(String name) {
        try (InputStream in = FaceDetector.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("face cascade missing from the build: " + name);
            Path tmp = Files.createTempFile("matting-" + name.replace(".xml", ""), ".xml");
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            CascadeClassifier c = new CascadeClassifier(tmp.toString());
            Files.deleteIfExists(tmp);
            if (c.empty()) throw new IllegalStateException("OpenCV could not read the face cascade " + name);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the face cascade " + name, e);
        }
    }

    /** Faces in the whole image, largest first. */
    public List<Face> detect(ByteImage image) {
        return detect(image, 0, 0, image.width, image.height);
    }

    /**
     * Faces inside the region (source pixels, clipped to the image), largest first. Faces smaller than
     * {@code minFraction} of the region's short side are not looked for.
     */
    public List<Face> detect(ByteImage image, int rx, int ry, int rw, int rh) {
        int x0 = Math.max(0, rx), y0 = Math.max(0, ry);
        int x1 = Math.min(image.width, rx + rw), y1 = Math.min(image.height, ry + rh);
        if (x1 - x0 < 8 || y1 - y0 < 8) return List.of();
        Pass pass = pass(image, x0, y0, x1, y1);
        List<Face> found = new ArrayList<>();
        synchronized (this) {
            List<double[]> proposals = proposals(pass);
            List<double[]> confirms = confirms(pass);
            for (double[] r : proposals) {
                Face f = pass.face(r);
                boolean ok = confirmed(pass, f, confirms);
                boolean second = !ok && confirmNear(image, f);
                if (ok || second) f = refine(image, f);
                double[][] eyes = eyes(image, f);
                // A second-look confirmation counts only with both eyes found: together they are as rare on texture.
                if (second && eyes != null) ok = true;
                found.add(new Face(f.x, f.y, f.width, f.height, eyes == null ? null : eyes[0], eyes == null ? null : eyes[1], ok));
            }
        }
        pass.grey.release();
        found.sort(Comparator.comparingDouble((Face f) -> -f.width * f.height));
        return found;
    }

    /**
     * Whether the photo shows at least {@code k} faces: proposals of the Haar cascade that the LBP cascade confirms
     * (IoU ≥ 0.3), as in {@link #detect} but without its second look, box refinement and eyes. The LBP cascade runs
     * first and is several times cheaper, so a photo where it finds fewer than {@code k} faces (a single portrait) is
     * answered without the Haar pass — the segmenter's group-shot test, on the ≤ {@value #DETECT_SIDE}-px grey copy.
     */
    public boolean atLeast(ByteImage image, int k) {
        if (k <= 0) return true;
        if (image.width < 8 || image.height < 8) return false;
        Pass pass = pass(image, 0, 0, image.width, image.height);
        int n = 0;
        synchronized (this) {
            List<double[]> confirms = confirms(pass);
            if (confirms.size() >= k) for (double[] r : proposals(pass)) if (confirmed(pass, pass.face(r), confirms)) n++;
        }
        pass.grey.release();
        return n >= k;
    }

    /** The first pass's grey copy of a region (at most {@value #DETECT_SIDE} px), its scale and the smallest face looked for. */
    private record Pass(Mat grey, int x0, int y0, double scale, int minSide) {
        /** A detection in the copy's pixels as a face box in source pixels. */
        Face face(double[] r) {
            return new Face(x0 + r[0] / scale, y0 + r[1] / scale, r[2] / scale, r[3] / scale, null, null, false);
        }
    }

    private static Pass pass(ByteImage image, int x0, int y0, int x1, int y1) {
        double scale = Math.min(1.0, DETECT_SIDE / (double) Math.max(x1 - x0, y1 - y0));
        int dw = Math.max(1, (int) Math.round((x1 - x0) * scale)), dh = Math.max(1, (int) Math.round((y1 - y0) * scale));
        Mat grey = greyMat(image, x0, y0, x1 - x0, y1 - y0, dw, dh);
        return new Pass(grey, x0, y0, scale, Math.max(20, (int) (0.07 * Math.min(dw, dh))));
    }

    /** The Haar cascade's face proposals in the pass's copy. */
    private List<double[]> proposals(Pass p) {
        return run(face, p.grey, 1.08, 4, p.minSide);
    }

    /** The LBP cascade's detections in the pass's copy, which confirm proposals. */
    private List<double[]> confirms(Pass p) {
        return run(confirm, p.grey, 1.08, 2, Math.max(24, p.minSide * 3 / 4));
    }

    /** Whether an LBP detection overlaps the face (IoU ≥ 0.3, in source pixels). */
    private static boolean confirmed(Pass p, Face f, List<double[]> confirms) {
        for (double[] c : confirms) if (f.iou(p.face(c)) >= 0.3) return true;
        return false;
    }

    /**
     * The face box again, finely: the first pass steps scales by 8 %, so its box size is only known to about ±4 %, and
     * ID photos are sized from it. Re-run on the face's surroundings with the face at {@value #REFINE_SIDE} px and 2 %
     * scale steps, and keep the detection that overlaps the first one most.
     */
    private Face refine(ByteImage image, Face f) {
        int m = (int) Math.round(0.5 * f.width);
        int x0 = Math.max(0, (int) Math.floor(f.x) - m), y0 = Math.max(0, (int) Math.floor(f.y) - m);
        int x1 = Math.min(image.width, (int) Math.ceil(f.x + f.width) + m), y1 = Math.min(image.height, (int) Math.ceil(f.y + f.height) + m);
        double scale = REFINE_SIDE / f.width;
        int dw = Math.max(1, (int) Math.round((x1 - x0) * scale)), dh = Math.max(1, (int) Math.round((y1 - y0) * scale));
        Mat grey = greyMat(image, x0, y0, x1 - x0, y1 - y0, dw, dh);
        MatOfRect rects = new MatOfRect();
        face.detectMultiScale(grey, rects, 1.02, 3, 0, new Size(0.8 * REFINE_SIDE, 0.8 * REFINE_SIDE), new Size(1.25 * REFINE_SIDE, 1.25 * REFINE_SIDE));
        Face best = f;
        double bestIou = 0.5;
        for (org.opencv.core.Rect r : rects.toArray()) {
            Face g = new Face(x0 + r.x / scale, y0 + r.y / scale, r.width / scale, r.height / scale, null, null, true);
            double iou = g.iou(f);
            if (iou > bestIou) {
                bestIou = iou;
                best = g;
            }
        }
        rects.release();
        grey.release();
        return new Face(best.x, best.y, best.width, best.height, null, null, f.confirmed);
    }

    /**
     * A second look for the confirming cascade around an unconfirmed proposal, with the face at
     * {@value #REFINE_SIDE} px: the first pass sees the face at whatever size the region's scaling gives, and the LBP
     * cascade misses some faces at some sizes.
     */
    private boolean confirmNear(ByteImage image, Face f) {
        int m = (int) Math.round(0.4 * f.width);
        int x0 = Math.max(0, (int) Math.floor(f.x) - m), y0 = Math.max(0, (int) Math.floor(f.y) - m);
        int x1 = Math.min(image.width, (int) Math.ceil(f.x + f.width) + m), y1 = Math.min(image.height, (int) Math.ceil(f.y + f.height) + m);
        double scale = REFINE_SIDE / f.width;
        int dw = Math.max(1, (int) Math.round((x1 - x0) * scale)), dh = Math.max(1, (int) Math.round((y1 - y0) * scale));
        Mat grey = greyMat(image, x0, y0, x1 - x0, y1 - y0, dw, dh);
        List<double[]> rs = run(confirm, grey, 1.05, 2, (int) (0.7 * REFINE_SIDE));
        grey.release();
        for (double[] r : rs) {
            Face g = new Face(x0 + r[0] / scale, y0 + r[1] / scale, r[2] / scale, r[3] / scale, null, null, true);
            if (g.iou(f) >= 0.3) return true;
        }
        return false;
    }

    private static List<double[]> run(CascadeClassifier c, Mat grey, double scaleFactor, int neighbours, int minSide) {
        MatOfRect rects = new MatOfRect();
        c.detectMultiScale(grey, rects, scaleFactor, neighbours, 0, new Size(minSide, minSide), new Size());
        List<double[]> out = new ArrayList<>();
        for (org.opencv.core.Rect r : rects.toArray()) out.add(new double[]{r.x, r.y, r.width, r.height});
        rects.release();
        return out;
    }

    /** The two eyes in the upper part of the face: one each side of the centre line, similar size and height. */
    private double[][] eyes(ByteImage image, Face f) {
        int fx = (int) Math.floor(f.x), fy = (int) Math.floor(f.y + 0.12 * f.height);
        int fw = (int) Math.ceil(f.width), fh = (int) Math.ceil(0.48 * f.height);
        int x0 = Math.max(0, fx), y0 = Math.max(0, fy);
        int x1 = Math.min(image.width, fx + fw), y1 = Math.min(image.height, fy + fh);
        if (x1 - x0 < 8 || y1 - y0 < 8) return null;
        double scale = EYE_SIDE / (double) (x1 - x0);
        int dw = EYE_SIDE, dh = Math.max(1, (int) Math.round((y1 - y0) * scale));
        Mat grey = greyMat(image, x0, y0, x1 - x0, y1 - y0, dw, dh);
        List<double[]> rs = run(eye, grey, 1.05, 3, (int) (EYE_SIDE * 0.12));
        grey.release();
        double mid = dw / 2.0;
        double[] bestL = null, bestR = null;
        double best = Double.MAX_VALUE;
        for (double[] a : rs) {
            double ax = a[0] + a[2] / 2;
            if (ax >= mid || a[2] > 0.5 * dw) continue;
            for (double[] b : rs) {
                double bx = b[0] + b[2] / 2;
                if (bx <= mid || b[2] > 0.5 * dw) continue;
                double dy = Math.abs((a[1] + a[3] / 2) - (b[1] + b[3] / 2));
                double size = Math.abs(a[2] - b[2]) / Math.max(a[2], b[2]);
                double sep = (bx - ax) / dw;
                if (sep < 0.25 || sep > 0.7 || dy > 0.27 * (bx - ax) || size > 0.5) continue; // up to ~15° of tilt
                // Prefer a symmetric pair about the face's centre line, level and of equal size.
                double cost = Math.abs((ax + bx) / 2 - mid) / dw + dy / dw + 0.5 * size;
                if (cost < best) {
                    best = cost;
                    bestL = a;
                    bestR = b;
                }
            }
        }
        if (bestL == null) return null;
        return new double[][]{
                {x0 + (bestL[0] + bestL[2] / 2) / scale, y0 + (bestL[1] + bestL[3] / 2) / scale},
                {x0 + (bestR[0] + bestR[2] / 2) / scale, y0 + (bestR[1] + bestR[3] / 2) / scale}};
    }

    /** Grey, area-resampled to dw × dh, histogram-equalised. */
    private static Mat greyMat(ByteImage image, int x, int y, int w, int h, int dw, int dh) {
        byte[] g = new byte[w * h];
        int c = image.channels;
        for (int r = 0; r < h; r++) {
            int s = (y + r) * image.stride + x * c, d = r * w;
            for (int k = 0; k < w; k++, s += c) {
                if (c == 1) {
                    g[d + k] = image.data[s];
                } else {
                    int v = (77 * (image.data[s] & 0xFF) + 150 * (image.data[s + 1] & 0xFF) + 29 * (image.data[s + 2] & 0xFF)) >> 8;
                    g[d + k] = (byte) v;
                }
            }
        }
        Mat m = new Mat(h, w, CvType.CV_8UC1);
        m.put(0, 0, g);
        Mat out = new Mat();
        if (dw != w || dh != h) {
            Imgproc.resize(m, out, new Size(dw, dh), 0, 0, Imgproc.INTER_AREA);
            m.release();
        } else {
            out = m;
        }
        Imgproc.equalizeHist(out, out);
        return out;
    }

    /** The fraction of the box covered by the mask (α ≥ 0.5): a face on the segmented person is mostly covered. */
    public static double maskCoverage(FloatImage mask, Face f) {
        int x0 = Math.max(0, (int) f.x), y0 = Math.max(0, (int) f.y);
        int x1 = Math.min(mask.width, (int) Math.ceil(f.x + f.width)), y1 = Math.min(mask.height, (int) Math.ceil(f.y + f.height));
        long n = 0, in = 0;
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++) {
                n++;
                if (mask.data[y * mask.stride + x] >= 0.5f) in++;
            }
        return n == 0 ? 0 : in / (double) n;
    }
}
