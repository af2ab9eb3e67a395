package studio.matting.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.matting.image.ByteImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageOps;
import studio.matting.sample.SyntheticPortrait;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapFiles;
import studio.matting.trimap.TrimapGenerator;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** --smooth/--feather/--contrast/--shift-edge/--decontaminate/--problems on `matte` and `idphoto`. */
class RefineOptionsTest {
    @TempDir
    static Path dir;
    static Path image, trimapFile;

    @BeforeAll
    static void files() throws Exception {
        SyntheticPortrait p = SyntheticPortrait.render(96, 120, 7);
        image = dir.resolve("p.png");
        ImageFiles.writePng(ImageOps.toByte(p.image), image);
        Trimap t = TrimapGenerator.fromMask(SyntheticPortrait.coarseMask(p.alpha), 5, 2);
        trimapFile = dir.resolve("p-trimap.png");
        TrimapFiles.write(t, trimapFile, true);
    }

    static MatteCommandTest.Run matte(Path out, String... extra) {
        String[] base = {image.toString(), "-o", out.toString(), "--trimap", trimapFile.toString(), "-j", "1"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return MatteCommandTest.matte(args);
    }

    static ByteImage read(Path p) throws Exception {
        return ImageFiles.read(p);
    }

    @Test
    void refinementsChangeTheAlphaAndProblemsAreWritten() throws Exception {
        Path plain = dir.resolve("plain"), refined = dir.resolve("refined"), json = dir.resolve("lists/problems.json");
        assertEquals(0, matte(plain).code());
        MatteCommandTest.Run r = matte(refined, "--feather", "2", "--shift-edge", "-40", "--contrast", "20", "--smooth", "10",
                "--problems", json.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("problem(s) in 1 image(s)"), r.out());
        ByteImage a0 = read(plain.resolve("p-alpha.png")), a1 = read(refined.resolve("p-alpha.png"));
        long s0 = 0, s1 = 0;
        for (int i = 0; i < a0.data.length; i++) {
            s0 += a0.data[i] & 0xFF;
            s1 += a1.data[i] & 0xFF;
        }
        assertTrue(s1 < s0 * 0.98, "shift edge −40 % shrinks the matte: " + s1 + " vs " + s0);
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals("matting-studio-problems", root.get("format").asText());
        assertEquals("p.png", root.get("images").get(0).get("image").asText());
        assertTrue(root.get("images").get(0).get("problems").isArray());
        for (JsonNode p : root.get("images").get(0).get("problems")) {
            assertTrue(p.has("kind") && p.has("box") && p.has("score"), p.toString());
            assertTrue(p.get("score").asDouble() > 0 && p.get("score").asDouble() <= 1, p.toString());
        }
        // an existing list is not replaced without --overwrite, and nothing is matted
        MatteCommandTest.Run again = matte(dir.resolve("again"), "--problems", json.toString());
        assertEquals(2, again.code(), again.out() + again.err());
        assertTrue(again.err().contains("already exists"), again.err());
        assertFalse(Files.exists(dir.resolve("again/p-alpha.png")));
    }

    @Test
    void decontaminateZeroKeepsThePhotosColours() throws Exception {
        Path zero = dir.resolve("d0"), full = dir.resolve("d100");
        assertEquals(0, matte(zero, "--decontaminate", "0").code());
        assertEquals(0, matte(full).code());
        ByteImage photo = ImageOps.toRgb(read(image)), c0 = read(zero.resolve("p-cutout.png")), c1 = read(full.resolve("p-cutout.png"));
        int soft = 0, differs = 0;
        for (int i = 0; i < photo.width * photo.height; i++) {
            int a = c0.data[i * 4 + 3] & 0xFF;
            if (a == 0 || a == 255) continue;
            soft++;
            for (int c = 0; c < 3; c++) assertEquals(photo.data[i * 3 + c] & 0xFF, c0.data[i * 4 + c] & 0xFF, "0 % = the photo's colour");
            for (int c = 0; c < 3; c++) if (Math.abs((c1.data[i * 4 + c] & 0xFF) - (photo.data[i * 3 + c] & 0xFF)) > 2) { differs++; break; }
        }
        assertTrue(soft > 100 && differs > soft / 4, soft + " soft pixels, " + differs + " decontaminated at 100 %");
    }

    @Test
    void outOfRangeValuesAreUsageErrors() {
        for (String[] bad : new String[][]{{"--shift-edge", "150"}, {"--feather", "-1"}, {"--smooth", "101"}, {"--contrast", "100.5"}, {"--decontaminate", "200"}}) {
            MatteCommandTest.Run r = matte(dir.resolve("bad"), bad);
            assertEquals(2, r.code(), String.join(" ", bad));
            assertTrue(r.err().contains(bad[0] + " must be between"), r.err());
        }
        assertFalse(Files.exists(dir.resolve("bad")));
    }

    @Test
    void idphotoTakesTheSameOptions() throws Exception {
        Path out = dir.resolve("id.png"), json = dir.resolve("id-problems.json");
        IdPhotoCommandTest.Run r = IdPhotoCommandTest.idphoto(IdPhotoCommandTest.SAMPLE.toString(), "--mask", IdPhotoCommandTest.MASK.toString(),
                "--kernel", "5", "--iterations", "3", "--preset", "1inch", "-o", out.toString(),
                "--smooth", "20", "--feather", "1", "--decontaminate", "60", "--problems", json.toString());
        assertEquals(0, r.code(), r.out());
        assertEquals(295, ImageFiles.read(out).width);
        assertTrue(Files.exists(json));
        IdPhotoCommandTest.Run bad = IdPhotoCommandTest.idphoto(IdPhotoCommandTest.SAMPLE.toString(), "-o", out.toString(), "--shift-edge", "-101");
        assertEquals(2, bad.code(), bad.out());
    }
}
