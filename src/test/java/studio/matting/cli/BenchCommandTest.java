package studio.matting.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageOps;
import studio.matting.matting.SyntheticCase;
import studio.matting.trimap.TrimapFiles;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class BenchCommandTest {
    @Test
    void mattingSuiteRunsOnAGivenFolder(@TempDir Path tmp) throws Exception {
        SyntheticCase c = new SyntheticCase(96, 120, 7, 2);
        Files.createDirectories(tmp.resolve("img"));
        Files.createDirectories(tmp.resolve("tri"));
        ImageFiles.writePng(c.rgb, tmp.resolve("img/s1.png"));
        TrimapFiles.write(c.trimap, tmp.resolve("tri/s1.png"), false);
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            rc = MattingCli.run("bench", "--suite", "matting", "--images", tmp.resolve("img").toString(), "--trimaps", tmp.resolve("tri").toString());
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        assertEquals(0, rc);
        assertTrue(out.contains("== matting"), out);
        String row = out.lines().filter(l -> l.startsWith("s1 ")).findFirst().orElseThrow(() -> new AssertionError(out));
        assertTrue(row.contains("96x120"), row);
        long unknown = c.trimap.count(128);
        assertTrue(row.contains(" " + unknown + " "), "unknown count " + unknown + " in " + row);
    }

    @Test
    void inferenceSuiteTimesEveryModelInTheFolder() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            rc = MattingCli.run("bench", "--suite", "inference", "--device", "cpu", "--models", "src/test/resources/models");
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, out);
        assertTrue(out.contains("== inference"), out);
        assertTrue(out.contains("CPU (requested)"), out);
        for (String model : new String[]{"tiny-unet", "tiny-mnet"})
            assertTrue(out.lines().anyMatch(l -> l.contains(model) && l.contains("ms")), model + " timed in:\n" + out);
    }

    @Test
    void unknownSuiteIsRejected() {
        assertEquals(2, MattingCli.run("bench", "--suite", "no-such-suite"));
    }
}
