package studio.matting.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.matting.image.ImageFiles;
import studio.matting.matting.SyntheticCase;
import studio.matting.trimap.TrimapFiles;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The bench suites' tables through the CLI, parsed into columns: every row has a value per header column. */
class BenchCommandTest {
    record Output(int rc, String text) { }

    private static Output bench(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            String[] all = new String[args.length + 1];
            all[0] = "bench";
            System.arraycopy(args, 0, all, 1, args.length);
            rc = MattingCli.run(all);
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        return new Output(rc, out);
    }

    /** The table whose header line starts with {@code firstColumn}: row name → (column → cell). */
    static Map<String, Map<String, String>> table(String out, String firstColumn) {
        List<String> lines = out.lines().toList();
        int h = -1;
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith(firstColumn + " ")) { h = i; break; }
        assertTrue(h >= 0, "a table headed '" + firstColumn + "' in:\n" + out);
        String[] head = lines.get(h).trim().split("\\s+");
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (int i = h + 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).trim().split("\\s+");
            if (cells.length != head.length) break;
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < head.length; c++) row.put(head[c], cells[c]);
            rows.put(cells[0], row);
        }
        return rows;
    }

    private static double num(Map<String, String> row, String col) {
        String v = row.get(col);
        assertNotNull(v, col + " in " + row);
        return Double.parseDouble(v);
    }

    @Test
    void mattingSuiteTableHasOneParsedRowPerImageAndAMean(@TempDir Path tmp) throws Exception {
        SyntheticCase a = new SyntheticCase(96, 120, 7, 2), b = new SyntheticCase(80, 64, 9, 3);
        Files.createDirectories(tmp.resolve("img"));
        Files.createDirectories(tmp.resolve("tri"));
        ImageFiles.writePng(a.rgb, tmp.resolve("img/s1.png"));
        TrimapFiles.write(a.trimap, tmp.resolve("tri/s1.png"), false);
        ImageFiles.writePng(b.rgb, tmp.resolve("img/s2.png"));
        TrimapFiles.write(b.trimap, tmp.resolve("tri/s2.png"), false);
        Output o = bench("--suite", "matting", "--images", tmp.resolve("img").toString(), "--trimaps", tmp.resolve("tri").toString());
        assertEquals(0, o.rc, o.text);
        assertTrue(o.text.startsWith("== matting: "), o.text);
        Map<String, Map<String, String>> t = table(o.text, "image");
        assertEquals(List.of("s1", "s2", "mean(2)"), List.copyOf(t.keySet()), o.text);
        Map<String, String> s1 = t.get("s1"), s2 = t.get("s2"), mean = t.get("mean(2)");
        assertEquals("96x120", s1.get("size"));
        assertEquals("80x64", s2.get("size"));
        assertEquals(a.trimap.count(128), (long) num(s1, "unknown"));
        assertEquals(b.trimap.count(128), (long) num(s2, "unknown"));
        for (Map<String, String> r : List.of(s1, s2)) {
            assertTrue(num(r, "iters") >= 1, "CG ran: " + r);
            // total covers assembly, factorisation and CG (each printed rounded to 0.01 s)
            assertTrue(num(r, "total") + 0.015 >= num(r, "lap[s]") + num(r, "ic[s]") + num(r, "cg[s]"), r.toString());
            assertEquals("-", r.get("SAD"), "no ground truth with --images/--trimaps");
        }
        assertEquals((num(s1, "total") + num(s2, "total")) / 2, num(mean, "total"), 0.011);
        assertEquals((num(s1, "iters") + num(s2, "iters")) / 2, num(mean, "iters"), 0.51);
    }

    @Test
    void aBadImageIsReportedAndTheRestGoOn(@TempDir Path tmp) throws Exception {
        SyntheticCase a = new SyntheticCase(96, 120, 7, 2);
        Files.createDirectories(tmp.resolve("img"));
        Files.createDirectories(tmp.resolve("tri"));
        Files.write(tmp.resolve("img/s0.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3}); // corrupt
        TrimapFiles.write(a.trimap, tmp.resolve("tri/s0.png"), false);
        ImageFiles.writePng(a.rgb, tmp.resolve("img/s1.png"));
        TrimapFiles.write(a.trimap, tmp.resolve("tri/s1.png"), false);
        Output o = bench("--suite", "matting", "--images", tmp.resolve("img").toString(), "--trimaps", tmp.resolve("tri").toString());
        assertEquals(1, o.rc, o.text);
        assertEquals(List.of("s1", "mean(1)"), List.copyOf(table(o.text, "image").keySet()), o.text);
        assertTrue(o.text.contains("error: s0: "), o.text);
    }

    @Test
    void pipelineSuiteTimesEveryStageOfEachPhoto(@TempDir Path tmp) throws Exception {
        SyntheticCase a = new SyntheticCase(120, 160, 5, 2);
        Files.createDirectories(tmp.resolve("in"));
        ImageFiles.writePng(a.rgb, tmp.resolve("in/p1.png"));
        ImageFiles.writeJpeg(a.rgb, tmp.resolve("in/p2.jpg"), 0.9f, 300, true);
        Output o = bench("--suite", "pipeline", "--images", tmp.resolve("in").toString(), "--device", "cpu");
        assertEquals(0, o.rc, o.text);
        if (o.text.contains("skipped: no segmentation model")) return; // a clone without models/
        Map<String, Map<String, String>> t = table(o.text, "image");
        assertEquals(List.of("p1", "p2", "mean(2)"), List.copyOf(t.keySet()), o.text);
        for (String name : List.of("p1", "p2")) {
            Map<String, String> r = t.get(name);
            assertEquals("120x160", r.get("size"));
            double stages = 0;
            for (String c : List.of("decode", "segment", "trimap", "matte", "fg", "encode")) {
                assertTrue(num(r, c) >= 0, c + " in " + r);
                stages += num(r, c);
            }
            assertEquals(stages, num(r, "total"), 0.004, "total is the sum of the stages (each rounded to 1 ms): " + r);
            assertTrue(num(r, "unknown") > 0, "the segmenter's trimap has a band: " + r);
        }
        for (String c : List.of("decode", "matte", "total"))
            assertEquals((num(t.get("p1"), c) + num(t.get("p2"), c)) / 2, num(t.get("mean(2)"), c), 0.0011, c);
        // the CPU line: the same stages in the process's CPU seconds; the whole span holds every stage's
        String cpu = o.text.lines().filter(l -> l.startsWith("cpu(2) ")).findFirst().orElseThrow(() -> new AssertionError("a cpu line in:\n" + o.text));
        String[] cells = cpu.trim().split("\\s+");
        assertEquals(9, cells.length, cpu);
        double total = Double.parseDouble(cells[8]), stages = 0;
        for (int i = 2; i < 8; i++) {
            double v = Double.parseDouble(cells[i]);
            assertTrue(v >= 0, cpu);
            stages += v;
        }
        assertTrue(total > 0 && total + 0.004 >= stages, cpu);
    }

    @Test
    void inferenceSuiteTimesEveryModelInTheFolder() {
        Output o = bench("--suite", "inference", "--device", "cpu", "--models", "src/test/resources/models");
        assertEquals(0, o.rc, o.text);
        assertTrue(o.text.startsWith("== inference: "), o.text);
        assertTrue(o.text.contains("CPU (requested)"), o.text);
        for (String model : new String[]{"tiny-unet", "tiny-mnet"}) {
            String line = o.text.lines().filter(l -> l.trim().startsWith(model + " ")).findFirst().orElseThrow(() -> new AssertionError(model + " in:\n" + o.text));
            List<String> cells = Arrays.asList(line.trim().split("\\s+"));
            double median = Double.parseDouble(cells.get(cells.indexOf("median") + 1));
            double min = Double.parseDouble(cells.get(cells.indexOf("min") + 1));
            assertTrue(median > 0 && min > 0 && min <= median, line);
        }
    }

    @Test
    void unknownSuiteIsRejected() {
        assertEquals(2, MattingCli.run("bench", "--suite", "no-such-suite"));
    }
}
