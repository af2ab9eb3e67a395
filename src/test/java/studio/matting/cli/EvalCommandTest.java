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
        for (String l : lines.subList(1, 3)) {
            String[] f = l.split(",");
            assertEquals("trimap2", f[1]);
            double sad = Double.parseDouble(f[3]), mse = Double.parseDouble(f[4]);
            // Closed-form on these images scores SAD ≈ 1.5–2 (trimap2); a broken solver lands at tens.
            assertTrue(sad > 0 && sad < 5, f[0] + " SAD " + sad);
            assertTrue(mse >= 0 && mse < 0.02, f[0] + " MSE " + mse);
        }
        // An existing CSV is not replaced without --overwrite.
        assertEquals(2, MattingCli.run("eval", "--alphamatting", dir.toString(), "--only", "GT01", "--csv", csv.toString()));
    }

    @Test
    void badArgumentsGiveAClearError(@TempDir Path tmp) {
        assertEquals(2, MattingCli.run("eval", "--images", tmp.toString()));
        assertEquals(2, MattingCli.run("eval", "--alphamatting", tmp.resolve("missing").toString()));
        assertEquals(2, MattingCli.run("eval", "--alphamatting", tmp.toString(), "--engine", "no-such-engine"));
    }
}
