package studio.matting.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import studio.matting.idphoto.SketchPortrait;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageOps;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/**
 * `idphoto` on generated portraits with a drawn face (and their exact masks): exact preset pixel size, DPI in the file,
 * background colour, print sheets, the compliance report, and refusals (exit 1, nothing written).
 */
class IdPhotoCommandTest {
    @TempDir
    Path dir;
    Path face, faceMask;

    record Run(int code, String out) { }

    static Run idphoto(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        IdPhotoCommand cmd = new IdPhotoCommand();
        cmd.out = new PrintStream(o, true, StandardCharsets.UTF_8);
        cmd.err = cmd.out;
        CommandLine cl = MattingCli.configure(new CommandLine(cmd));
        cl.setOut(new PrintWriter(cmd.out, true));
        cl.setErr(new PrintWriter(cmd.out, true));
        return new Run(cl.execute(args), o.toString(StandardCharsets.UTF_8));
    }

    static void writeMask(FloatImage m, Path file) throws Exception {
        ImageFiles.writePng(ImageOps.toByte(m), file);
    }

    @BeforeEach
    void portrait() throws Exception {
        SketchPortrait p = SketchPortrait.single();
        face = dir.resolve("face.png");
        faceMask = dir.resolve("face-mask.png");
        ImageFiles.writePng(p.image, face);
        writeMask(p.mask, faceMask);
    }

    @Test
    void oneInchAt300DpiWithSheetAndReport() throws Exception {
        Path out = dir.resolve("id.jpg"), sheet = dir.resolve("sheet.png"), report = dir.resolve("id.json");
        Run r = idphoto(face.toString(), "--mask", faceMask.toString(), "--kernel", "5", "--iterations", "3",
                "--preset", "1inch", "--bg", "blue", "--dpi", "300", "-o", out.toString(), "--sheet", sheet.toString(),
                "--report", report.toString());
        assertEquals(0, r.code(), r.out());
        ByteImage photo = ImageFiles.readRgb(out);
        assertEquals(295, photo.width);
        assertEquals(413, photo.height);
        assertEquals(300, ImageFiles.readDpi(out), 0.5);
        // the top corners are background: the preset blue (JPEG tolerance)
        assertEquals(67, photo.get(3, 3, 0), 4);
        assertEquals(142, photo.get(3, 3, 1), 4);
        assertEquals(219, photo.get(3, 3, 2), 4);
        ByteImage sh = ImageFiles.readRgb(sheet);
        assertEquals(1200, sh.width);
        assertEquals(1800, sh.height);
        assertTrue(r.out().contains("copies on 4x6 in"), r.out());

        JsonNode j = new ObjectMapper().readTree(report.toFile());
        assertEquals("1inch", j.get("preset").asText());
        assertEquals(295, j.get("size").get("widthPx").asInt());
        JsonNode head = null;
        for (JsonNode rule : j.get("rules")) if (rule.get("id").asText().equals("head")) head = rule;
        assertNotNull(head, j.toString());
        assertEquals(21.0, head.get("min").asDouble(), 1e-9);
        assertEquals(25.0, head.get("max").asDouble(), 1e-9);
        assertTrue(head.get("measured").asDouble() > 15 && head.get("measured").asDouble() < 30, head.toString());
        assertEquals(head.get("measured").asDouble() >= 21 && head.get("measured").asDouble() <= 25, head.get("pass").asBoolean());
        assertTrue(j.has("pass") && j.get("background").get("pass").asBoolean());
    }

    @Test
    void sevenInchAndA4Sheets() throws Exception {
        Path out = dir.resolve("a.png"), sheet = dir.resolve("a4.jpg");
        Run r = idphoto(face.toString(), "--mask", faceMask.toString(), "--preset", "icao", "--bg", "white", "-o", out.toString(),
                "--sheet", sheet.toString(), "--paper", "a4", "--max-kb", "900");
        assertEquals(0, r.code(), r.out());
        ByteImage sh = ImageFiles.readRgb(sheet);
        assertEquals(2480, sh.width);
        assertEquals(3508, sh.height);
        assertTrue(Files.size(sheet) <= 900 * 1024);
        assertTrue(r.out().contains("on A4"), r.out());
        Run seven = idphoto(face.toString(), "--mask", faceMask.toString(), "-o", dir.resolve("b.png").toString(),
                "--sheet", dir.resolve("b-sheet.png").toString(), "--paper", "5x7");
        assertEquals(0, seven.code(), seven.out());
        assertTrue(seven.out().contains("18 copies on 5x7 in"), seven.out());
        Run bad = idphoto(face.toString(), "--mask", faceMask.toString(), "-o", dir.resolve("c.png").toString(), "--paper", "letter");
        assertEquals(2, bad.code(), bad.out());
    }

    @Test
    void maxKbIsRespectedAndUnknownPresetIsAUsageError() throws Exception {
        Path out = dir.resolve("small.jpg");
        Run r = idphoto(face.toString(), "--mask", faceMask.toString(), "--preset", "passport", "--bg", "white", "--dpi", "300", "--max-kb", "20", "-o", out.toString());
        assertEquals(0, r.code(), r.out());
        assertTrue(Files.size(out) <= 20 * 1024, "size " + Files.size(out));
        ByteImage photo = ImageFiles.readRgb(out);
        assertEquals(390, photo.width);
        assertEquals(567, photo.height);

        Run bad = idphoto(face.toString(), "--mask", faceMask.toString(), "--preset", "3inch", "-o", dir.resolve("x.jpg").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.out().contains("unknown ID-photo preset"), bad.out());
        assertFalse(Files.exists(dir.resolve("x.jpg")));
    }

    @Test
    void missingMaskOrTrimapIsABadArgumentBeforeAnyWork() {
        Run r = idphoto(face.toString(), "--mask", dir.resolve("nope.png").toString(), "-o", dir.resolve("x.jpg").toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.out().contains("nope.png"), r.out());
        Run t = idphoto(face.toString(), "--trimap", dir.resolve("nope-trimap.png").toString(), "-o", dir.resolve("x.jpg").toString());
        assertEquals(2, t.code(), t.out());
        assertFalse(Files.exists(dir.resolve("x.jpg")));
    }

    @Test
    void noPersonNoFaceAndTwoPeopleAreRefusedWithExitOneAndNothingWritten() throws Exception {
        // A fern-like texture the "segmenter" called a person.
        Path fern = dir.resolve("fern.png"), fernMask = dir.resolve("fern-mask.png");
        ImageFiles.writePng(SketchPortrait.foliage(600, 800, 11), fern);
        FloatImage full = new FloatImage(600, 800, 1);
        Arrays.fill(full.data, 1f);
        writeMask(full, fernMask);
        assertRefused(idphoto(fern.toString(), "--mask", fernMask.toString(), "-o", dir.resolve("f.jpg").toString(),
                "--sheet", dir.resolve("f-sheet.jpg").toString(), "--report", dir.resolve("f.json").toString()), "no face");

        // An empty mask: no person at all.
        Path empty = dir.resolve("empty-mask.png");
        writeMask(new FloatImage(600, 800, 1), empty);
        assertRefused(idphoto(face.toString(), "--mask", empty.toString(), "-o", dir.resolve("e.jpg").toString()), "no person");

        SketchPortrait two = SketchPortrait.render(1200, 800, new SketchPortrait.Head(300, 330, 220, 0), new SketchPortrait.Head(900, 340, 210, 0));
        Path pair = dir.resolve("pair.png"), pairMask = dir.resolve("pair-mask.png");
        ImageFiles.writePng(two.image, pair);
        writeMask(two.mask, pairMask);
        assertRefused(idphoto(pair.toString(), "--mask", pairMask.toString(), "-o", dir.resolve("p.jpg").toString()), "2 faces");
        try (var s = Files.list(dir)) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().matches("[fep](-sheet)?\\.(jpg|json)")).count(), "nothing written");
        }
    }

    private static void assertRefused(Run r, String what) {
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains(what), r.out());
        assertFalse(r.out().contains("Exception"), r.out());
    }

    @Test
    void matteWithSizeWritesIdPhotosInBatch() throws Exception {
        Path out = dir.resolve("batch");
        MatteCommand cmd = new MatteCommand();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        cmd.out = new PrintStream(o, true, StandardCharsets.UTF_8);
        cmd.err = cmd.out;
        int code = MattingCli.configure(new CommandLine(cmd)).execute(face.toString(), "--mask", faceMask.toString(), "-o", out.toString(),
                "--size", "2inch", "--bg", "white", "--format", "jpg", "--dpi", "300");
        assertEquals(0, code, o.toString(StandardCharsets.UTF_8));
        ByteImage photo = ImageFiles.readRgb(out.resolve("face-composite.jpg"));
        assertEquals(413, photo.width);
        assertEquals(579, photo.height);
        assertTrue(Files.exists(out.resolve("face-alpha.png")));
    }
}
