package studio.matting.idphoto;

import studio.matting.face.FaceDetector;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the one face an ID photo is placed by, or refuses the photo. The face detector runs on the bounding box of
 * the segmented person (α ≥ 0.5, widened by a tenth); a face counts only when the second cascade confirms it. No
 * person, no confirmed face on the person, or a second confirmed face at least {@value #COMPARABLE} as wide as the
 * largest → {@link IdPhotoRefusal}.
 * <p>From the face box and the eyes: the tilt of the eye line (levelled up to ±{@value #MAX_TILT}°), and in the
 * levelled frame the eye line, the chin ({@value #CHIN_BELOW} of the box height below the box — the Haar box ends at
 * the lower lip/chin), the skull top estimated from the face ({@value #CROWN_ABOVE} of the box height above the box,
 * used for the scale so that hair volume does not change the face size) and the crown measured on the mask above the
 * face (the top of the hair, used for the margins and the report).
 */
public final class FaceLocator {
    /** Face-box fractions, measured on the Haar cascade's boxes over real portraits (README, "ID photos"). */
    public static final double CHIN_BELOW = 0.06, CROWN_ABOVE = 0.32, EYES_BELOW_TOP = 0.38;
    public static final double COMPARABLE = 0.6, MAX_TILT = 15, MIN_PERSON = 0.01;

    private FaceLocator() { }

    /**
     * The face in the levelled frame (the image rotated by {@code -angleDeg} about the pivot, which is the face box
     * centre in source pixels). All y values grow downwards.
     */
    public record FaceSubject(double pivotX, double pivotY, double angleDeg, double tiltDeg, double faceX, double faceY,
                              double faceW, double faceH, double eyeY, boolean eyesFound, double crownY,
                              boolean crownAtTopEdge, double chinY, int sourceWidth, int sourceHeight) {
        public double centerX() { return faceX + faceW / 2; }

        /** The skull top estimated from the face box. */
        public double skullTopY() { return faceY - CROWN_ABOVE * faceH; }

        /** The head height the scale is set from: chin to the face-estimated skull top. */
        public double faceHeadHeight() { return chinY - skullTopY(); }

        /** Maps a levelled-frame point to source pixels. */
        public double[] toSource(double x, double y) {
            double a = Math.toRadians(angleDeg), c = Math.cos(a), s = Math.sin(a);
            double dx = x - pivotX, dy = y - pivotY;
            return new double[]{pivotX + dx * c - dy * s, pivotY + dx * s + dy * c};
        }
    }

    public static FaceSubject locate(ByteImage image, FloatImage alpha) {
        return locate(image, alpha, FaceDetector.shared());
    }

    public static FaceSubject locate(ByteImage image, FloatImage alpha, FaceDetector detector) {
        if (alpha.channels != 1 || !alpha.sameSize(image.width, image.height))
            throw new IllegalArgumentException("the person mask must be one channel of the image's size");
        int w = image.width, h = image.height;
        int x0 = w, y0 = h, x1 = -1, y1 = -1;
        long n = 0;
        for (int y = 0; y < h; y++) {
            int o = y * alpha.stride;
            for (int x = 0; x < w; x++) {
                if (alpha.data[o + x] >= 0.5f) {
                    n++;
                    if (x < x0) x0 = x;
                    if (x > x1) x1 = x;
                    if (y < y0) y0 = y;
                    if (y > y1) y1 = y;
                }
            }
        }
        double coverage = n / (double) ((long) w * h);
        if (coverage < MIN_PERSON) throw IdPhotoRefusal.noPerson(100 * coverage);
        int mx = (x1 - x0 + 1) / 10, my = (y1 - y0 + 1) / 10;
        List<FaceDetector.Face> all = detector.detect(image, x0 - mx, y0 - my, x1 - x0 + 1 + 2 * mx, y1 - y0 + 1 + 2 * my);
        List<FaceDetector.Face> faces = new ArrayList<>(), seen = new ArrayList<>();
        int weak = 0;
        for (FaceDetector.Face f : all) {
            // A face beside the person (a poster, a reflection) is not the subject's.
            if (FaceDetector.maskCoverage(alpha, f) < 0.3) continue;
            if (f.confirmed()) faces.add(f);
            else weak++;
            // For counting people, a face with both eyes found counts even when the second cascade missed it: the
            // LBP cascade misses some real faces, and a second person must not slip through as "one face".
            if (f.confirmed() || f.hasEyes()) seen.add(f);
        }
        if (faces.isEmpty()) throw IdPhotoRefusal.noFace(weak);
        FaceDetector.Face main = faces.get(0);
        int comparable = 1;
        double second = 0;
        for (FaceDetector.Face f : seen) {
            if (f == main || overlaps(f, main)) continue;
            if (f.width() >= COMPARABLE * main.width()) {
                comparable++;
                second = Math.max(second, f.width());
            }
        }
        if (comparable > 1) throw IdPhotoRefusal.severalFaces(comparable, (int) Math.round(main.width()), (int) Math.round(second));
        return subject(levelled(image, main, detector), alpha);
    }

    private static boolean overlaps(FaceDetector.Face a, FaceDetector.Face b) {
        return Math.abs(a.centerX() - b.centerX()) < 0.5 * (a.width() + b.width()) && Math.abs(a.centerY() - b.centerY()) < 0.5 * (a.height() + b.height());
    }

    /**
     * For a tilted face, the face found again on a levelled copy of its surroundings: Haar boxes of tilted faces come
     * out smaller, and the photo is sized from the box. The result is in source coordinates of an upright face
     * centred where the levelled one is, with the eyes mapped back, so {@link #subject} sees the same geometry.
     */
    static FaceDetector.Face levelled(ByteImage image, FaceDetector.Face f, FaceDetector detector) {
        double tilt = f.eyeAngleDegrees();
        if (Math.abs(tilt) < 3 || Math.abs(tilt) > MAX_TILT) return f;
        double a = Math.toRadians(tilt), cos = Math.cos(a), sin = Math.sin(a);
        double px = f.centerX(), py = f.centerY();
        int side = (int) Math.ceil(2.2 * f.width());
        ByteImage patch = new ByteImage(side, side, 3);
        int ic = image.channels;
        for (int r = 0; r < side; r++)
            for (int c = 0; c < side; c++) {
                double qx = c + 0.5 - side / 2.0, qy = r + 0.5 - side / 2.0;
                int sx = (int) Math.floor(px + qx * cos - qy * sin), sy = (int) Math.floor(py + qx * sin + qy * cos);
                if (sx < 0 || sy < 0 || sx >= image.width || sy >= image.height) continue;
                int so = sy * image.stride + sx * ic, d = r * patch.stride + c * 3;
                for (int k = 0; k < 3; k++) patch.data[d + k] = image.data[so + (ic >= 3 ? k : 0)];
            }
        FaceDetector.Face best = null;
        for (FaceDetector.Face g : detector.detect(patch)) {
            double dx = g.centerX() - side / 2.0, dy = g.centerY() - side / 2.0;
            if (Math.hypot(dx, dy) < 0.3 * f.width() && g.width() > 0.7 * f.width() && g.width() < 1.4 * f.width()) {
                best = g;
                break;
            }
        }
        if (best == null) return f;
        // Back to source coordinates: the patch centre is the pivot; eyes are rotated back so the tilt is kept.
        double ox = px - side / 2.0, oy = py - side / 2.0;
        double[] le = f.leftEye(), re = f.rightEye();
        if (best.hasEyes()) {
            le = back(best.leftEye(), side, px, py, cos, sin);
            re = back(best.rightEye(), side, px, py, cos, sin);
        }
        double[] centre = back(new double[]{best.centerX(), best.centerY()}, side, px, py, cos, sin);
        return new FaceDetector.Face(centre[0] - best.width() / 2, centre[1] - best.height() / 2, best.width(), best.height(), le, re, true);
    }

    private static double[] back(double[] q, int side, double px, double py, double cos, double sin) {
        double qx = q[0] - side / 2.0, qy = q[1] - side / 2.0;
        return new double[]{px + qx * cos - qy * sin, py + qx * sin + qy * cos};
    }

    /** The placement geometry of a detected face over its person mask. */
    public static FaceSubject subject(FaceDetector.Face f, FloatImage alpha) {
        double tilt = f.eyeAngleDegrees();
        double angle = Math.abs(tilt) <= MAX_TILT ? tilt : 0;
        double px = f.centerX(), py = f.centerY();
        double fx = px - f.width() / 2, fy = py - f.height() / 2;
        double eyeY;
        if (f.hasEyes()) {
            double a = Math.toRadians(-angle), c = Math.cos(a), s = Math.sin(a);
            double ly = py + (f.leftEye()[0] - px) * s + (f.leftEye()[1] - py) * c;
            double ry = py + (f.rightEye()[0] - px) * s + (f.rightEye()[1] - py) * c;
            eyeY = (ly + ry) / 2;
        } else {
            eyeY = fy + EYES_BELOW_TOP * f.height();
        }
        double chin = fy + f.height() * (1 + CHIN_BELOW);
        FaceSubject probe = new FaceSubject(px, py, angle, tilt, fx, fy, f.width(), f.height(), eyeY, f.hasEyes(), 0, false, chin, alpha.width, alpha.height);
        double[] crown = crown(probe, alpha);
        return new FaceSubject(px, py, angle, tilt, fx, fy, f.width(), f.height(), eyeY, f.hasEyes(), crown[0], crown[1] > 0, chin, alpha.width, alpha.height);
    }

    /**
     * The top of the hair above the face, in the levelled frame: going up from the middle of the face, the last row
     * of a run in which at least a fifth of a band 70 % of the face wide is person (gaps of 2 % of the face height
     * are bridged, so a parting does not end the head). {@code [y, 1]} when the run reaches the source's edge.
     */
    static double[] crown(FaceSubject s, FloatImage alpha) {
        int samples = 48;
        double bx0 = s.centerX() - 0.35 * s.faceW(), bw = 0.7 * s.faceW();
        int gapAllowed = Math.max(1, (int) Math.round(0.02 * s.faceH()));
        int yStart = (int) Math.floor(s.faceY() + 0.3 * s.faceH());
        int yEnd = (int) Math.floor(s.faceY() - 1.5 * s.faceH());
        double top = yStart;
        int gap = 0;
        for (int y = yStart; y >= yEnd; y--) {
            int in = 0, outside = 0;
            for (int k = 0; k < samples; k++) {
                double[] p = s.toSource(bx0 + (k + 0.5) * bw / samples, y + 0.5);
                int sx = (int) Math.floor(p[0]), sy = (int) Math.floor(p[1]);
                if (sx < 0 || sy < 0 || sx >= alpha.width || sy >= alpha.height) {
                    outside++;
                    continue;
                }
                if (alpha.data[sy * alpha.stride + sx] >= 0.5f) in++;
            }
            if (outside > samples / 2) return new double[]{top, gap == 0 ? 1 : 0}; // left the original while still in hair
            if (in >= samples / 5) {
                top = y;
                gap = 0;
            } else if (++gap > gapAllowed) {
                break;
            }
        }
        return new double[]{top, 0};
    }
}
