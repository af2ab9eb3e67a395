package studio.matting.select;

import org.junit.jupiter.api.Test;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.Rect;
import studio.matting.segment.Segmenter;
import studio.matting.task.CancellationToken;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapBrush;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.*;

/** Box and scribble selection on generated scenes with a known mask. */
public class SubjectSelectorTest {
    static final SubjectSelector.Options OPT = SubjectSelector.Options.defaults();

    static FloatImage select(SelectScene s, Trimap marks, FloatImage prior, SubjectSelector.Options o) throws Exception {
        try (SubjectSelector sel = SubjectSelector.select(s.image, s.box, marks, null, prior, o, TaskContext.NONE)) {
            return sel.mask();
        }
    }

    public static Trimap decoyStroke(SelectScene s) {
        return s.decoyStroke();
    }

    @Test
    void theBoxAloneFindsATexturedObjectOnATexturedBackground() throws Exception {
        SelectScene s = SelectScene.render(320, 240, false, 1);
        FloatImage m = select(s, null, null, OPT);
        assertEquals(320, m.width);
        assertTrue(s.iou(m) > 0.93, "IoU " + s.iou(m));
        // nothing outside the box + margin is selected
        for (int y = 0; y < 240; y++) assertEquals(0f, m.data[y * 320], "left column, row " + y);
    }

    @Test
    void aBackgroundScribbleRemovesWhatTheBoxCannotKnowIsBackground() throws Exception {
        SelectScene s = SelectScene.render(320, 240, true, 2);
        double without = s.iou(select(s, null, null, OPT));
        double with = s.iou(select(s, decoyStroke(s), null, OPT));
        assertTrue(without < 0.85, "the decoy should fool the box alone: IoU " + without);
        assertTrue(with > 0.92, "IoU with the stroke " + with + " (without " + without + ")");
    }

    @Test
    void theSameBoxGivesTheSameSelection() throws Exception {
        // random colours, so GrabCut's k-means start decides the mixtures; OpenCV's generator is moved in between
        ByteImage img = new ByteImage(160, 120, 3);
        java.util.Random r = new java.util.Random(5);
        for (int y = 0; y < 120; y++)
            for (int x = 0; x < 160; x++) {
                // a disc of overlapping colours inside the box, noise of the same range round it
                boolean in = (x - 80) * (x - 80) + (y - 60) * (y - 60) < 900;
                for (int c = 0; c < 3; c++) img.set(x, y, c, (in ? 60 + c * 40 : 30 + c * 50) + r.nextInt(120));
            }
        Rect box = new Rect(40, 20, 80, 80);
        float[] first;
        try (SubjectSelector sel = SubjectSelector.select(img, box, null, null, null, OPT, TaskContext.NONE)) {
            first = sel.mask().data.clone();
        }
        for (int seed : new int[]{1, 77, 4242}) {
            org.opencv.core.Core.setRNGSeed(seed);
            try (SubjectSelector sel = SubjectSelector.select(img, box, null, null, null, OPT, TaskContext.NONE)) {
                assertArrayEquals(first, sel.mask().data, "after the generator was set to " + seed);
            }
        }
    }

    @Test
    void refiningResumesFromTheCurrentStateAndFollowsTheWholeScribbleLayer() throws Exception {
        SelectScene s = SelectScene.render(320, 240, true, 3);
        try (SubjectSelector sel = SubjectSelector.select(s.image, s.box, null, null, null, OPT, TaskContext.NONE)) {
            double first = s.iou(sel.mask());
            FloatImage before = sel.mask().copy();
            double refined = s.iou(sel.refine(decoyStroke(s), TaskContext.NONE));
            // only the changed part was recomputed, and everything outside it is the previous mask
            Rect changed = sel.changedBounds();
            assertFalse(changed.isEmpty());
            assertEquals(changed, changed.intersect(sel.region()));
            assertTrue(changed.x() > s.cx - s.rx / 2, "the stroke is on the right: " + changed);
            for (int y = 0; y < 240; y++)
                for (int x = 0; x < 320; x++)
                    if (!changed.contains(x, y)) assertEquals(before.data[y * 320 + x], sel.mask().data[y * 320 + x], x + "," + y);
            assertTrue(first < 0.85, "first " + first);
            assertTrue(refined > 0.92, "refined " + refined);
            // An F stroke on the decoy overrides: the stroke's pixels become subject again.
            Trimap f = Trimap.filled(320, 240, Trimap.UNKNOWN);
            new TrimapBrush(Trimap.FOREGROUND, 8).stroke(f, s.box.right() - 20, s.cy - 20, s.box.right() - 20, s.cy + 20);
            FloatImage m = sel.refine(f, TaskContext.NONE);
            assertTrue(m.data[s.cy * 320 + s.box.right() - 20] > 0.5f, "F-marked pixel must be subject");
        }
    }

    @Test
    void aGoodModelMaskSeedsTheSelectionAndIsKeptAndAMissingOneIsIgnored() throws Exception {
        SelectScene s = SelectScene.render(320, 240, true, 4);
        double plain = s.iou(select(s, null, null, OPT));
        try (SubjectSelector sel = SubjectSelector.select(s.image, s.box, null, null, s.truth, OPT, TaskContext.NONE)) {
            assertTrue(s.iou(sel.mask()) > 0.92, "seeded " + s.iou(sel.mask()) + " plain " + plain);
            assertTrue(sel.seedEnergy() < sel.boxEnergy(), sel.seedEnergy() + " vs " + sel.boxEnergy());
            assertTrue(sel.source().contains("current mask"), sel.source());
        }
        try (SubjectSelector sel = SubjectSelector.select(s.image, s.box, null, null, new FloatImage(320, 240, 1), OPT, TaskContext.NONE)) {
            assertTrue(sel.source().contains("found nothing"), sel.source());
            assertEquals(plain, s.iou(sel.mask()), 1e-9);
        }
    }

    @Test
    void aWrongModelMaskCannotMakeTheSelectionMuchWorseThanTheBoxAlone() throws Exception {
        SelectScene s = SelectScene.render(320, 240, false, 5);
        double plain = s.iou(select(s, null, null, OPT));
        // The "model" marks a background corner of the box as the subject.
        FloatImage wrong = new FloatImage(320, 240, 1);
        for (int y = s.box.y(); y < s.box.y() + s.box.height() / 3; y++)
            for (int x = s.box.x(); x < s.box.x() + s.box.width() / 3; x++) wrong.data[y * 320 + x] = 1;
        double seededOnly = s.iou(select(s, null, wrong, OPT.withPriorUse(SubjectSelector.PriorUse.SEED)));
        double best = s.iou(select(s, null, wrong, OPT));
        assertTrue(best >= plain - 0.02, "best " + best + " plain " + plain + " seeded only " + seededOnly);
    }

    @Test
    void aSegmenterRunsOnTheBoxCropAtWorkingSize() throws Exception {
        SelectScene s = SelectScene.render(640, 480, true, 6);
        List<int[]> sizes = new ArrayList<>();
        // a "model" that knows red from yellow: subject where red clearly beats green
        Segmenter redness = new Segmenter() {
            @Override public String id() { return "redness"; }
            @Override public String displayName() { return "redness"; }
            @Override public FloatImage segment(ByteImage rgb, TaskContext ctx) {
                sizes.add(new int[] {rgb.width, rgb.height});
                FloatImage p = new FloatImage(rgb.width, rgb.height, 1);
                for (int i = 0; i < rgb.width * rgb.height; i++)
                    p.data[i] = (rgb.data[3 * i] & 0xFF) - (rgb.data[3 * i + 1] & 0xFF) > 70 ? 0.9f : 0.1f;
                return p;
            }
        };
        SubjectSelector.Options small = OPT.withWorkingPixels(40_000);
        try (SubjectSelector sel = SubjectSelector.select(s.image, s.box, null, redness, null, small, TaskContext.NONE)) {
            assertEquals(1, sizes.size());
            assertEquals(sel.workingWidth(), sizes.get(0)[0]);
            assertEquals(sel.workingHeight(), sizes.get(0)[1]);
            assertTrue((long) sel.workingWidth() * sel.workingHeight() <= 41_000);
            Rect r = sel.region();
            assertTrue(r.x() <= s.box.x() && r.right() >= s.box.right(), "region holds the box");
            assertTrue(s.iou(sel.mask()) > 0.92, "seeded by the model " + s.iou(sel.mask()));
            assertTrue(sel.source().contains("redness"), sel.source());
        }
    }

    @Test
    void guidedUpsamplingPutsTheEdgeWhereTheFullResolutionColoursAre() throws Exception {
        SelectScene s = SelectScene.render(1200, 900, false, 7);
        SubjectSelector.Options coarse = OPT.withWorkingPixels(15_000);
        double guided = s.iou(select(s, null, null, coarse));
        double bilinear = s.iou(select(s, null, null, coarse.withRefineBoundary(false)));
        assertTrue(guided > bilinear, "guided " + guided + " bilinear " + bilinear);
        assertTrue(guided > 0.97, "guided " + guided);
    }

    @Test
    void cancellingStopsBetweenIterationsAndProgressIsReported() throws Exception {
        SelectScene s = SelectScene.render(320, 240, false, 8);
        CancellationToken[] holder = new CancellationToken[1];
        holder[0] = new CancellationToken((f, msg) -> {
            if (msg.startsWith("GrabCut 2")) holder[0].cancel();
        });
        assertThrows(CancellationException.class,
                () -> SubjectSelector.select(s.image, s.box, null, null, null, OPT, holder[0]));
        List<Double> progress = new ArrayList<>();
        try (SubjectSelector sel = SubjectSelector.select(s.image, s.box, null, null, null, OPT, new CancellationToken((f, m) -> progress.add(f)))) {
            assertNotNull(sel.mask());
        }
        assertEquals(1.0, progress.get(progress.size() - 1), 1e-9);
        for (int i = 1; i < progress.size(); i++) assertTrue(progress.get(i) >= progress.get(i - 1) - 1e-9, "progress goes forward: " + progress);
    }

    @Test
    void aBoxOutsideTheImageIsRefusedAndOneOverTheEdgeIsClipped() throws Exception {
        SelectScene s = SelectScene.render(200, 150, false, 9);
        assertThrows(IllegalArgumentException.class,
                () -> SubjectSelector.select(s.image, new Rect(300, 10, 50, 50), null, null, null, OPT, TaskContext.NONE));
        Rect over = new Rect(s.box.x() - 1000, s.box.y(), s.box.right() + 1000, s.box.height());
        try (SubjectSelector sel = SubjectSelector.select(s.image, over, null, null, null, OPT, TaskContext.NONE)) {
            assertEquals(0, sel.box().x());
            assertEquals(200, sel.box().right());
        }
    }

    @Test
    void theWholeImageAsBoxStillWorks() throws Exception {
        SelectScene s = SelectScene.render(160, 120, false, 10);
        try (SubjectSelector sel = SubjectSelector.select(s.image, Rect.of(160, 120), null, null, null, OPT, TaskContext.NONE)) {
            assertTrue(s.iou(sel.mask()) > 0.5, "IoU " + s.iou(sel.mask()));
        }
    }
}
