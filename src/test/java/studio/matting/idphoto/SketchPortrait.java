package studio.matting.idphoto;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageOps;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/**
 * Generated head-and-shoulders portraits with a shaded drawn face (brows, eye sockets, eyes, nose, mouth) that
 * OpenCV's face and eye cascades find, and the exact person mask of the drawing — so the ID-photo pipeline can be
 * tested on faces without shipping photos of people.
 */
public final class SketchPortrait {
    public record Head(double cx, double cy, double faceWidth, double tiltDeg) { }

    public final ByteImage image;
    public final FloatImage mask;

    private SketchPortrait(ByteImage image, FloatImage mask) {
        this.image = image;
        this.mask = mask;
    }

    public static SketchPortrait render(int w, int h, Head... heads) {
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR), m = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = rgb.createGraphics(), gm = m.createGraphics();
        for (Graphics2D x : new Graphics2D[]{g, gm}) x.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(200, 205, 210));
        g.fillRect(0, 0, w, h);
        gm.setColor(Color.BLACK);
        gm.fillRect(0, 0, w, h);
        for (Head hd : heads) {
            double fw = hd.faceWidth;
            Ellipse2D body = new Ellipse2D.Double(hd.cx - 1.27 * fw, hd.cy + 1.05 * fw, 2.55 * fw, 2.3 * fw);
            g.setColor(new Color(40, 60, 110));
            g.fill(body);
            gm.setColor(Color.WHITE);
            gm.fill(body);
            g.rotate(Math.toRadians(hd.tiltDeg), hd.cx, hd.cy);
            gm.rotate(Math.toRadians(hd.tiltDeg), hd.cx, hd.cy);
            face(g, gm, hd.cx, hd.cy, fw);
            g.rotate(-Math.toRadians(hd.tiltDeg), hd.cx, hd.cy);
            gm.rotate(-Math.toRadians(hd.tiltDeg), hd.cx, hd.cy);
        }
        g.dispose();
        gm.dispose();
        return new SketchPortrait(ImageOps.toRgb(ImageFiles.fromBufferedImage(rgb)), ImageOps.toFloat(ImageOps.toGray(ImageFiles.fromBufferedImage(m))));
    }

    /** One upright portrait: the face 220 px wide at (300, 330) in 600 × 800. */
    public static SketchPortrait single() {
        return render(600, 800, new Head(300, 330, 220, 0));
    }

    private static void face(Graphics2D g, Graphics2D gm, double cx, double cy, double fw) {
        double fh = fw * 1.3;
        Ellipse2D hair = new Ellipse2D.Double(cx - fw * 0.56, cy - fh * 0.62, fw * 1.12, fh * 0.8);
        Ellipse2D skin = new Ellipse2D.Double(cx - fw / 2, cy - fh * 0.42, fw, fh);
        Rectangle2D neck = new Rectangle2D.Double(cx - fw * 0.22, cy + fh * 0.4, fw * 0.44, fh * 0.45);
        for (java.awt.Shape s : new java.awt.Shape[]{hair, skin, neck}) gm.fill(s);
        g.setColor(new Color(60, 40, 25));
        g.fill(hair);
        g.setColor(new Color(150, 105, 85));
        g.fill(neck);
        g.setPaint(new RadialGradientPaint(new Point2D.Double(cx, cy), (float) (fw * 0.62), new float[]{0f, 0.6f, 1f},
                new Color[]{new Color(235, 195, 165), new Color(215, 170, 140), new Color(150, 105, 85)}));
        g.fill(skin);
        double ey = cy - fh * 0.05, ex = fw * 0.21;
        g.setPaint(null);
        g.setColor(new Color(70, 45, 30));
        g.setStroke(new BasicStroke((float) (fw * 0.045), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new Line2D.Double(cx - ex - fw * 0.11, ey - fw * 0.11, cx - ex + fw * 0.1, ey - fw * 0.12));
        g.draw(new Line2D.Double(cx + ex - fw * 0.1, ey - fw * 0.12, cx + ex + fw * 0.11, ey - fw * 0.11));
        for (int s = -1; s <= 1; s += 2) {
            g.setPaint(new RadialGradientPaint(new Point2D.Double(cx + s * ex, ey), (float) (fw * 0.16), new float[]{0f, 1f},
                    new Color[]{new Color(120, 80, 65), new Color(120, 80, 65, 0)}));
            g.fill(new Ellipse2D.Double(cx + s * ex - fw * 0.16, ey - fw * 0.16, fw * 0.32, fw * 0.32));
            g.setPaint(null);
            g.setColor(new Color(245, 245, 240));
            g.fill(new Ellipse2D.Double(cx + s * ex - fw * 0.09, ey - fw * 0.04, fw * 0.18, fw * 0.08));
            g.setColor(new Color(50, 35, 25));
            g.fill(new Ellipse2D.Double(cx + s * ex - fw * 0.04, ey - fw * 0.04, fw * 0.08, fw * 0.08));
        }
        g.setColor(new Color(195, 145, 120));
        g.fill(new Ellipse2D.Double(cx - fw * 0.07, cy + fh * 0.12, fw * 0.14, fw * 0.07));
        g.setColor(new Color(160, 80, 80));
        g.fill(new Ellipse2D.Double(cx - fw * 0.15, cy + fh * 0.27, fw * 0.3, fw * 0.07));
    }

    /** A plant-like texture: hundreds of green leaf strokes on soil, no face anywhere. */
    public static ByteImage foliage(int w, int h, long seed) {
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = bi.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        java.util.Random r = new java.util.Random(seed);
        g.setColor(new Color(70, 55, 40));
        g.fillRect(0, 0, w, h);
        for (int i = 0; i < 900; i++) {
            double x = r.nextDouble() * w, y = r.nextDouble() * h, len = 20 + r.nextDouble() * 70, a = r.nextDouble() * Math.PI;
            g.setColor(new Color(20 + r.nextInt(60), 90 + r.nextInt(120), 20 + r.nextInt(50)));
            g.setStroke(new BasicStroke((float) (3 + r.nextDouble() * 9), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(new Line2D.Double(x, y, x + len * Math.cos(a), y + len * Math.sin(a)));
        }
        g.dispose();
        return ImageOps.toRgb(ImageFiles.fromBufferedImage(bi));
    }
}
