package studio.matting.problems;

import org.junit.jupiter.api.Test;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.Rect;
import studio.matting.refine.AlphaRefiner;
import studio.matting.refine.Refinements;
import studio.matting.trimap.Trimap;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The finder on generated mattes: planted defects are found where they are, a clean matte gives nothing. */
class ProblemFinderTest {
    static final int W = 240, H = 200;
    static final float[] FG = {0.85f, 0.35f, 0.2f}, BG = {0.15f, 0.3f, 0.8f};

    /** A subject (soft disc of radius 60 at (120, 100)) over a plain background, with true F and a trimap. */
    static final class Scene {
        FloatImage alpha = new FloatImage(W, H, 1), fg = new FloatImage(W, H, 3);
        Trimap trimap;

        Scene() {
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++) {
                    double d = Math.hypot(x - 120, y - 100);
                    alpha.set(x, y, 0, (float) Math.max(0, Math.min(1, (60 - d) / 3 + 0.5))); // 3 px ramp
                }
            alpha = new AlphaRefiner().apply(alpha, Refinements.NONE.withFeather(1.0), 0);
            for (int i = 0; i < W * H; i++) for (int c = 0; c < 3; c++) fg.data[i * 3 + c] = FG[c];
            trimap = band(5);
        }

        /** Unknown where 0.01 &lt; α &lt; 0.99 grown by m px; foreground / background elsewhere. */
        Trimap band(int m) {
            Trimap t = new Trimap(W, H);
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++) {
                    boolean near = false;
                    for (int dy = -m; dy <= m && !near; dy++)
                        for (int dx = -m; dx <= m && !near; dx++) {
                            int xx = x + dx, yy = y + dy;
                            if (xx < 0 || yy < 0 || xx >= W || yy >= H) continue;
                            float v = alpha.get(xx, yy, 0);
                            near = v > 0.01f && v < 0.99f;
                        }
                    t.set(x, y, near ? Trimap.UNKNOWN : alpha.get(x, y, 0) >= 0.5f ? Trimap.FOREGROUND : Trimap.BACKGROUND);
                }
            return t;
        }

        /** The photo: I = αF + (1 − α)B with the true colours (defects planted in α or F leave the photo as it was). */
        ByteImage image(FloatImage trueAlpha) {
            ByteImage img = new ByteImage(W, H, 3);
            for (int i = 0; i < W * H; i++) {
                float a = trueAlpha.data[i];
                for (int c = 0; c < 3; c++) img.data[i * 3 + c] = (byte) Math.round(255 * (a * FG[c] + (1 - a) * BG[c]));
            }
            return img;
        }

        List<Problem> find(ByteImage photo) {
            return ProblemFinder.find(photo, alpha, fg, trimap);
        }
    }

    static void fillDisc(FloatImage a, int cx, int cy, int r, float v) {
        for (int y = cy - r; y <= cy + r; y++)
            for (int x = cx - r; x <= cx + r; x++)
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) a.set(x, y, 0, v);
    }

    static Problem only(List<Problem> list, Problem.Kind kind) {
        List<Problem> of = list.stream().filter(p -> p.kind() == kind).toList();
        assertEquals(1, of.size(), kind + " in " + list);
        return of.get(0);
    }

    @Test
    void cleanMatteHasNoProblems() {
        Scene s = new Scene();
        List<Problem> found = s.find(s.image(s.alpha));
        assertEquals(List.of(), found);
    }

    @Test
    void strayIslandIsFoundAndItsFixPaintsBackground() {
        Scene s = new Scene();
        ByteImage photo = s.image(s.alpha);
        fillDisc(s.alpha, 25, 30, 6, 1f); // α says foreground where the photo shows background
        List<Problem> found = s.find(photo);
        Problem p = only(found, Problem.Kind.ISLAND);
        assertEquals(1, found.size(), found.toString());
        assertTrue(p.box().contains(25, 30) && p.box().width() <= 15 && p.box().height() <= 15, p.box().toString());
        assertTrue(p.score() > 0.3, "score " + p.score());
        Trimap t = s.trimap;
        Rect changed = p.fix().applyTo(t);
        assertEquals(Trimap.BACKGROUND, t.get(25, 30));
        assertTrue(changed.isEmpty(), "already background in the trimap: nothing to repaint, " + changed);
        // A fix on a trimap that called the island foreground repaints it.
        t.set(25, 30, Trimap.FOREGROUND);
        Rect again = p.fix().applyTo(t);
        assertEquals(new Rect(25, 30, 1, 1), again);
        assertEquals(Trimap.BACKGROUND, t.get(25, 30));
    }

    @Test
    void holeInsideTheSubjectIsFound() {
        Scene s = new Scene();
        ByteImage photo = s.image(s.alpha); // the photo shows the subject's colour in the hole
        fillDisc(s.alpha, 130, 90, 8, 0f);
        List<Problem> found = s.find(photo);
        Problem p = only(found, Problem.Kind.HOLE);
        assertTrue(p.box().contains(130, 90), p.box().toString());
        assertEquals(Problem.Kind.HOLE, found.get(0).kind(), "highest score: " + found);
        Trimap t = s.trimap;
        p.fix().applyTo(t);
        assertEquals(Trimap.FOREGROUND, t.get(130, 90));
    }

    @Test
    void realGapShowingTheBackgroundIsNotAHole() {
        Scene s = new Scene();
        FloatImage truth = s.alpha.copy();
        fillDisc(truth, 130, 90, 8, 0f); // the photo really shows the background there
        fillDisc(s.alpha, 130, 90, 8, 0f);
        assertTrue(s.find(s.image(truth)).stream().noneMatch(p -> p.kind() == Problem.Kind.HOLE));
    }

    @Test
    void largeMidAlphaAreaIsFound() {
        Scene s = new Scene();
        ByteImage photo = s.image(s.alpha);
        for (int y = 80; y < 110; y++) for (int x = 90; x < 120; x++) s.alpha.set(x, y, 0, 0.55f);
        List<Problem> found = s.find(photo);
        Problem p = only(found, Problem.Kind.MID_ALPHA);
        assertTrue(p.box().contains(105, 95) && p.box().width() <= 34, p.box().toString());
        Trimap t = s.trimap;
        p.fix().applyTo(t);
        assertEquals(Trimap.FOREGROUND, t.get(105, 95), "mean α ≥ ½: decided as foreground");
    }

    @Test
    void colourFringeOnOnePartOfTheEdgeIsFound() {
        Scene s = new Scene();
        ByteImage photo = s.image(s.alpha);
        // F still carries the old background on the edge's right-hand arc (−25° … 25°)
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                float a = s.alpha.get(x, y, 0);
                double ang = Math.toDegrees(Math.atan2(y - 100, x - 120));
                if (a > 0.01f && a < 0.99f && Math.abs(ang) < 25)
                    for (int c = 0; c < 3; c++) s.fg.data[(y * W + x) * 3 + c] = BG[c];
            }
        List<Problem> found = s.find(photo);
        Problem p = only(found, Problem.Kind.COLOUR_FRINGE);
        assertTrue(p.box().contains(180, 100), p.box().toString());
        assertTrue(p.box().x() > 160 && p.box().height() < 60, p.box().toString());
        assertEquals(1, found.size(), found.toString());
    }

    @Test
    void bandMuchWiderThanTheTransitionIsFound() {
        Scene s = new Scene();
        s.trimap = s.band(22);
        List<Problem> found = s.find(s.image(s.alpha));
        assertFalse(found.isEmpty());
        assertTrue(found.stream().allMatch(p -> p.kind() == Problem.Kind.WIDE_BAND), found.toString());
        Problem p = found.get(0);
        long unknownBefore = s.trimap.count(Trimap.UNKNOWN);
        p.fix().applyTo(s.trimap);
        long unknownAfter = s.trimap.count(Trimap.UNKNOWN);
        assertTrue(unknownAfter < 0.7 * unknownBefore, unknownBefore + " -> " + unknownAfter);
        // the transition itself stays unknown
        assertEquals(Trimap.UNKNOWN, s.trimap.get(180, 100));
        assertEquals(Trimap.UNKNOWN, s.trimap.get(120, 40));
    }

    @Test
    void jsonListsKindBoxAndScore() {
        Scene s = new Scene();
        ByteImage photo = s.image(s.alpha);
        fillDisc(s.alpha, 25, 30, 6, 1f);
        var json = ProblemsJson.toJson(List.of(new ProblemsJson.Entry("a.png", W, H, s.find(photo))));
        assertEquals(ProblemsJson.FORMAT, json.get("format").asText());
        var p = json.get("images").get(0).get("problems").get(0);
        assertEquals("island", p.get("kind").asText());
        assertTrue(p.get("box").get("x").asInt() <= 25 && p.get("box").get("width").asInt() > 0);
        assertTrue(p.get("score").asDouble() > 0);
        assertEquals("background", p.get("fix").get(0).get("paint").asText());
    }
}
