package studio.matting.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class EvalCommandTest {
    static Path alphamatting() {
        return Path.of(System.getProperty("matting.shared", "../shared")).resolve("data").resolve("alphamatting");
    }

    @Test
    void evalOnTwoAlphamattingImagesWithTrimap2(@TempDir Path tmp) throws Exception {
        Path dir = alphamatting();
        boolean present = Files.isDirectory(dir.resolve("input"));
        if (!present) System.out.println("EvalCommandTest: skipped, no alphamatting data at " + dir.toAbsolutePath());
        Assumptions.assumeTrue(present, "alphamatting data not found at " + dir.toAbsolutePath());
        Path csv = tmp.resolve("eval.csv");
        int rc = MattingCli.run("eval", "--alphamatting", dir.toString(), "--trimap-set", "trimap2", "--only", "GT01,GT12",
                "--engine", "closed-form", "--csv", csv.toString());
        assertEquals(0, rc);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("image,trimap,engine,sad,mse,grad,conn,seconds", lines.get(0));
        assertEquals(3, lines.size(), "two images: " + lines);
        // Measured with closed-form (radius 1, ε 1e-7, CG to 1e-7): GT01 SAD 1.7388 MSE 0.00442, GT12 SAD 1.9399
        // MSE 0.01135. The bands (±0.03 SAD, ±5 % MSE) leave room for solver round-off and preconditioner changes but
        // not for a real regression: a one-pixel shift of the known region or a wrong ε moves SAD by more.
        String[][] expected = {{"GT01", "1.7388", "0.00442"}, {"GT12", "1.9399", "0.01135"}};
        for (int i = 0; i < 2; i++) {
            String[] f = lines.get(i + 1).split(",");
            assertEquals(expected[i][0], f[0]);
            assertEquals("trimap2", f[1]);
            double sad = Double.parseDouble(f[3]), mse = Double.parseDouble(f[4]);
            assertEquals(Double.parseDouble(expected[i][1]), sad, 0.03, f[0] + " SAD");
            double m = Double.parseDouble(expected[i][2]);
            assertEquals(m, mse, 0.05 * m, f[0] + " MSE");
        }
        // An existing CSV is not replaced without --overwrite.
        assertEquals(2, MattingCli.run("eval", "--alphamatting", dir.toString(), "--only", "GT01", "--csv", csv.toString()));
    }

    /** The bundled MNet is an eval engine like closed-form (found in models/), scored on a real alphamatting image. */
    @Test
    void evalRunsTheBundledMNet(@TempDir Path tmp) throws Exception {
        Path dir = alphamatting();
        Assumptions.assumeTrue(Files.isDirectory(dir.resolve("input")), "alphamatting data not found at " + dir.toAbsolutePath());
        Assumptions.assumeTrue(Files.isRegularFile(Path.of("models/mnet.json")), "no bundled MNet");
        Path csv = tmp.resolve("mnet.csv");
        assertEquals(0, MattingCli.run("eval", "--alphamatting", dir.toString(), "--trimap-set", "trimap2", "--only", "GT01",
                "--engine", "mnet", "--csv", csv.toString()));
        String[] f = Files.readAllLines(csv).get(1).split(",");
        assertEquals("mnet", f[2]);
        double sad = Double.parseDouble(f[3]);
        // mnet 2.0.0 scores SAD ≈ 1.9 on GT01 trimap2 (closed-form 1.74); an untrained or broken model lands at tens.
        assertTrue(sad > 0 && sad < 6, "GT01 SAD " + sad);
    }

    /**
     * The bundled segmentation model scored through the editor's engine on a portraits-layout folder built from the
     * bundled sample: its true mask scores high and the inverted mask (a control that must fail) scores near zero.
     */
    @Test
    void portraitsEvalScoresTheBundledSegmenter(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(Path.of("models/portrait-unet.json")), "no bundled segmentation model");
        Path dir = tmp.resolve("portraits");
        Files.createDirectories(dir.resolve("images"));
        Files.createDirectories(dir.resolve("masks"));
        for (String id : List.of("sample", "inverted")) Files.copy(Path.of("assets/portrait.png"), dir.resolve("images/" + id + ".png"));
        Files.copy(Path.of("assets/portrait-mask.png"), dir.resolve("masks/sample.png"));
        studio.matting.image.ByteImage m = studio.matting.image.ImageFiles.readGray(Path.of("assets/portrait-mask.png"));
        for (int i = 0; i < m.data.length; i++) m.data[i] = (byte) (255 - (m.data[i] & 0xFF));
        studio.matting.image.ImageFiles.writePng(m, dir.resolve("masks/inverted.png"), 0, false);
        Files.writeString(dir.resolve("test.txt"), "sample\ninverted\n");
        Path csv = tmp.resolve("seg.csv");
        assertEquals(0, MattingCli.run("eval", "--portraits", dir.toString(), "--segmenter", "portrait-unet", "--csv", csv.toString()));
        List<String> lines = Files.readAllLines(csv);
        assertEquals("image,model,person_iou,two_class_iou,seconds", lines.get(0));
        assertEquals(3, lines.size(), lines.toString());
        double sample = Double.parseDouble(lines.get(1).split(",")[2]), inverted = Double.parseDouble(lines.get(2).split(",")[2]);
        assertTrue(sample > 0.9, "bundled model on the sample: IoU " + sample);
        assertTrue(inverted < 0.1, "inverted mask must score near zero: IoU " + inverted);

        assertEquals(2, MattingCli.run("eval", "--portraits", dir.toString(), "--split", "missing.txt"));
        assertEquals(2, MattingCli.run("eval", "--portraits", dir.toString(), "--segmenter", "no-such-model"));
        assertEquals(2, MattingCli.run("eval", "--portraits", dir.toString(), "--alphamatting", dir.toString()));
    }

    @Test
    void badArgumentsGiveAClearError(@TempDir Path tmp) {
        assertEquals(2, MattingCli.run("eval", "--images", tmp.toString()));
        assertEquals(2, MattingCli.run("eval", "--alphamatting", tmp.resolve("missing").toString()));
        assertEquals(2, MattingCli.run("eval", "--alphamatting", tmp.toString(), "--engine", "no-such-engine"));
    }
}
