package studio.matting.problems;

import studio.matting.image.Rect;
import studio.matting.trimap.Trimap;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A place where the matte is probably wrong, with the obvious fix as data: trimap strokes the editor can paint (and
 * then re-matte the returned rectangle).
 *
 * @param box   the problem's bounding box in image pixels
 * @param score severity in (0, 1]: larger and clearer problems score higher; lists are sorted by it
 */
public record Problem(Kind kind, Rect box, double score, Fix fix) {
    public enum Kind {
        /** α detached from the subject (a stray blob of foreground in the background). */
        ISLAND,
        /** A hole inside the subject whose colours look like the subject, not like the background. */
        HOLE,
        /** A large solid area of mid α, neither in nor out. */
        MID_ALPHA,
        /** Edge pixels whose estimated foreground colour is still the old background's. */
        COLOUR_FRINGE,
        /** Unknown band much wider than the α transition in it (slow, and room for errors). */
        WIDE_BAND;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Problem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(box, "box");
        Objects.requireNonNull(fix, "fix");
    }

    /** One trimap stroke: paint {@code level} (0, 128, 255) where {@code mask} (box-sized, row-major) is non-zero. */
    public record Stroke(int level, Rect box, byte[] mask) {
        public Stroke {
            if (level != Trimap.BACKGROUND && level != Trimap.UNKNOWN && level != Trimap.FOREGROUND)
                throw new IllegalArgumentException("not a trimap level: " + level);
            if (mask.length != box.width() * box.height()) throw new IllegalArgumentException("mask does not fit its box");
        }

        public long pixels() {
            long n = 0;
            for (byte b : mask) if (b != 0) n++;
            return n;
        }

        public String levelName() {
            return level == Trimap.BACKGROUND ? "background" : level == Trimap.FOREGROUND ? "foreground" : "unknown";
        }
    }

    /** The strokes that fix the problem, in order. */
    public record Fix(List<Stroke> strokes) {
        public Fix {
            strokes = List.copyOf(strokes);
        }

        /** Paints the strokes into the trimap; returns the rectangle whose pixels changed (empty if none did). */
        public Rect applyTo(Trimap t) {
            int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE, maxX = -1, maxY = -1;
            for (Stroke s : strokes) {
                Rect b = s.box();
                byte v = (byte) s.level();
                for (int y = Math.max(0, b.y()); y < Math.min(t.height, b.bottom()); y++) {
                    for (int x = Math.max(0, b.x()); x < Math.min(t.width, b.right()); x++) {
                        if (s.mask()[(y - b.y()) * b.width() + (x - b.x())] == 0) continue;
                        int i = y * t.width + x;
                        if (t.data[i] == v) continue;
                        t.data[i] = v;
                        if (x < minX) minX = x;
                        if (x > maxX) maxX = x;
                        if (y < minY) minY = y;
                        if (y > maxY) maxY = y;
                    }
                }
            }
            return maxX < 0 ? new Rect(0, 0, 0, 0) : new Rect(minX, minY, maxX - minX + 1, maxY - minY + 1);
        }
    }
}
