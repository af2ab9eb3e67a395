package studio.matting.idphoto;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import studio.matting.face.FaceDetector;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageOps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Detection and placement on real faces: the Shen et al. portraits in {@code ../shared/data/portraits} (test split,
 * their person masks as α). Skipped when the data is absent. The placed face is measured by running the detector again
 * on each output photo.
 */
class FacePlacementPortraitsTest {
    static final Path DATA = Path.of(System.getProperty("matting.shared", "../shared"), "data");
    static final int[] BLUE = BackgroundPreset.BLUE.rgb();

    record Input(String id, ByteImage image, FloatImage mask) { }

    static List<String> testIds() throws Exception {
        Path list = DATA.resolve("portraits/test.txt");
        Assumptions.assumeTrue(Files.isRegularFile(list), "no portraits at " + list.toAbsolutePath() + ": skipped");
        return Files.readAllLines(list).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static Input load(String id) throws Exception {
        ByteImage img = ImageFiles.readRgb(DATA.resolve("portraits/images/" + id + ".jpg"));
        FloatImage m = ImageOps.toFloat(ImageOps.toGray(ImageFiles.read(DATA.resolve("portraits/masks/" + id + ".png"))));
        return new Input(id, img, m);
    }

    @Test
    void twentyPortraitsGetTheSameFaceSizeCentred() throws Exception {
        List<String> ids = testIds();
        int tried = 0, refused = 0;
        List<Double> heights = new ArrayList<>();
        List<String> missed = new ArrayList<>();
        StringBuilder log = new StringBuilder();
        for (String id : ids) {
            if (heights.size() + missed.size() >= 20) break;
            Input in = load(id);
            tried++;
            FaceLocator.FaceSubject s;
            try {
                s = FaceLocator.locate(in.image(), in.mask());
            } catch (IdPhotoRefusal r) {
                refused++;
                log.append(id).append(" refused: ").append(r.getMessage()).append('\n');
                continue;
            }
            IdPhotoCropper.Crop c = IdPhotoCropper.crop(s, IdPhotoPreset.ONE_INCH, null);
            ByteImage out = IdPhotoCropper.render(in.image(), in.mask(), null, c, IdPhotoPreset.ONE_INCH, 300, BLUE);
            List<FaceDetector.Face> faces = FaceDetector.shared().detect(out).stream().filter(FaceDetector.Face::confirmed).toList();
            assertTrue(faces.size() <= 1, id + ": " + faces.size() + " faces in the output");
            if (faces.isEmpty()) {
                missed.add(id);
                continue;
            }
            FaceDetector.Face f = faces.get(0);
            double off = Math.abs(f.centerX() - out.width / 2.0) / out.width;
            log.append(String.format(java.util.Locale.ROOT, "%s face %.3f of the height, %.3f of the width off centre, tilt %.1f°%n",
                    id, f.height() / out.height, off, s.tiltDeg()));
            assertTrue(off <= 0.03, id + " face centre " + off + " of the width off centre\n" + log);
            heights.add(f.height() / out.height);
        }
        System.out.print(log);
        assertTrue(refused * 5 <= tried, refused + " of " + tried + " portraits refused\n" + log);
        assertTrue(missed.size() <= 2, "no face found again in the outputs of " + missed);
        double min = heights.stream().mapToDouble(d -> d).min().orElseThrow(), max = heights.stream().mapToDouble(d -> d).max().orElseThrow();
        System.out.printf(java.util.Locale.ROOT, "%d portraits placed: face height %.3f–%.3f of the photo, max/min %.3f%n", heights.size(), min, max, max / min);
        assertTrue(heights.size() >= 18, "placed " + heights.size());
        assertTrue(max / min <= 1.15, "face height varies " + max / min + "x\n" + log);
    }

    @Test
    void twoPortraitsSideBySideAreRefused() throws Exception {
        List<String> ids = testIds();
        int pairs = 0;
        for (int i = 0; i + 1 < ids.size() && pairs < 3; i += 2) {
            Input a = load(ids.get(i)), b = load(ids.get(i + 1));
            try {
                FaceLocator.locate(a.image(), a.mask());
                FaceLocator.locate(b.image(), b.mask());
            } catch (IdPhotoRefusal r) {
                continue; // only pairs whose halves each make an ID photo
            }
            ByteImage img = new ByteImage(a.image().width + b.image().width, a.image().height, 3);
            FloatImage m = new FloatImage(img.width, img.height, 1);
            for (int y = 0; y < img.height; y++) {
                System.arraycopy(a.image().data, y * a.image().stride, img.data, y * img.stride, a.image().width * 3);
                System.arraycopy(b.image().data, y * b.image().stride, img.data, y * img.stride + a.image().width * 3, b.image().width * 3);
                System.arraycopy(a.mask().data, y * a.mask().stride, m.data, y * m.stride, a.mask().width);
                System.arraycopy(b.mask().data, y * b.mask().stride, m.data, y * m.stride + a.mask().width, b.mask().width);
            }
            IdPhotoRefusal r = assertThrows(IdPhotoRefusal.class, () -> FaceLocator.locate(img, m), ids.get(i) + "+" + ids.get(i + 1));
            assertEquals(IdPhotoRefusal.Kind.SEVERAL_FACES, r.kind(), r.getMessage());
            pairs++;
        }
        assertEquals(3, pairs);
    }

    @Test
    void photosWithoutPeopleAreRefused() throws Exception {
        Path dir = DATA.resolve("backgrounds");
        Assumptions.assumeTrue(Files.isDirectory(dir), "no backgrounds: skipped");
        List<Path> files;
        try (var s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("elementary-") || p.getFileName().toString().startsWith("mate-"))
                    .sorted().limit(8).toList();
        }
        assertFalse(files.isEmpty());
        for (Path f : files) {
            ByteImage img = ImageFiles.readRgb(f);
            FloatImage everything = new FloatImage(img.width, img.height, 1);
            Arrays.fill(everything.data, 1f); // as if a segmenter had called the whole frame a person
            IdPhotoRefusal r = assertThrows(IdPhotoRefusal.class, () -> FaceLocator.locate(img, everything), f.getFileName().toString());
            assertEquals(IdPhotoRefusal.Kind.NO_FACE, r.kind());
        }
    }
}
