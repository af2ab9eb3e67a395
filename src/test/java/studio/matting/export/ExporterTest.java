package studio.matting.export;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.matting.compositor.Background;
import studio.matting.image.AtomicFiles;
import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageOps;
import studio.matting.sample.SyntheticPortrait;
import studio.matting.trimap.Trimap;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class ExporterTest {
    private static final SyntheticPortrait P = SyntheticPortrait.render(160, 200, 3);

    @TempDir
    Path dir;

    private static Exporter.Inputs inputs() {
        Trimap t = new Trimap(160, 200);
        for (int i = 0; i < t.data.length; i++) t.data[i] = (byte) (P.alpha.data[i] > 0.99f ? 255 : P.alpha.data[i] > 0.01f ? 128 : 0);
        return new Exporter.Inputs(ImageOps.toByte(P.image), P.alpha, P.foreground, t, Background.solid(255, 255, 255));
    }

    @Test
    void alpha8BitPngReReadsToSameBytes() throws IOException {
        ExportOptions o = ExportOptions.defaults(dir, "p").withOutputs(true, false, false, false, false);
        Exporter.export(inputs(), o);
        ByteImage back = ImageFiles.readGray(o.alphaPath());
        ByteImage expect = ImageOps.toByte(P.alpha);
        assertArrayEquals(expect.data, back.data);
        assertEquals(300, ImageFiles.readDpi(o.alphaPath()), 0.5);
    }

    @Test
    void alpha16BitPngReReadsToSameValues() throws IOException {
        ExportOptions o = ExportOptions.defaults(dir, "p").withOutputs(true, true, false, false, false).withDpi(600);
        Exporter.export(inputs(), o);
        FloatImage back = ImageFiles.readAlpha(o.alphaPath());
        for (int i = 0; i < P.alpha.data.length; i++)
            assertEquals(Math.round(P.alpha.data[i] * 65535f), Math.round(back.data[i] * 65535f), "pixel " + i);
        assertEquals(600, ImageFiles.readDpi(o.alphaPath()), 0.5);
    }

    @Test
    void allOutputsWithDpiAndCutoutAlpha() throws IOException {
        ExportOptions o = ExportOptions.defaults(dir, "all").withOutputs(true, false, true, true, true)
                .withComposite(ExportOptions.CompositeFormat.JPEG, 0.9f, 0).withDpi(350);
        Exporter.Result r = Exporter.export(inputs(), o);
        assertEquals(4, r.written().size());
        assertEquals(0.9f, r.jpegQuality());
        assertEquals(350, ImageFiles.readDpi(o.compositePath()), 0.5);
        assertEquals(350, ImageFiles.readDpi(o.cutoutPath()), 0.5);
        ByteImage cut = ImageFiles.read(o.cutoutPath());
        assertEquals(4, cut.channels);
        assertArrayEquals(ImageOps.toByte(P.alpha).data, ImageOps.alphaChannel(cut).data);
        assertEquals(inputs().trimap().count(128), Trimap.fromGray(ImageFiles.readGray(o.trimapPath())).count(128));
    }

    @Test
    void neverOverwritesUnlessAllowed() throws IOException {
        ExportOptions o = ExportOptions.defaults(dir, "x");
        Exporter.export(inputs(), o);
        Files.writeString(o.cutoutPath(), "keep me");
        assertEquals(List.of(o.alphaPath(), o.cutoutPath(), o.compositePath()), Exporter.existingTargets(o));
        assertThrows(FileAlreadyExistsException.class, () -> Exporter.export(inputs(), o));
        assertEquals("keep me", Files.readString(o.cutoutPath()));
        Exporter.export(inputs(), o.withOverwrite(true));
        assertEquals(4, ImageFiles.read(o.cutoutPath()).channels);
    }

    @Test
    void maxKbJpegRespectsTheLimit() throws IOException {
        // A noisy photo-like image so that size depends strongly on quality.
        ByteImage img = new ByteImage(400, 300, 3);
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < img.data.length; i++) img.data[i] = (byte) (((i / 3) % 400) / 2 + r.nextInt(60));
        FloatImage alpha = new FloatImage(400, 300, 1);
        java.util.Arrays.fill(alpha.data, 1f);
        byte[] q95 = ImageFiles.encodeJpeg(img, 0.95f, 300);
        int limitKb = (int) (q95.length / 1024 / 2);
        ExportOptions o = ExportOptions.defaults(dir, "small").withOutputs(false, false, false, true, false)
                .withComposite(ExportOptions.CompositeFormat.JPEG, 0.95f, limitKb);
        Exporter.Result res = Exporter.export(new Exporter.Inputs(img, alpha, null, null, Background.solid(0, 0, 0)), o);
        long size = Files.size(o.compositePath());
        assertTrue(size <= limitKb * 1024L, size + " > " + limitKb + " KB");
        assertTrue(res.jpegQuality() < 0.95f && res.jpegQuality() >= 0.01f);
        // One step higher quality must not fit, or the search stopped early.
        if (res.jpegQuality() < 1f) {
            byte[] higher = ImageFiles.encodeJpeg(img, res.jpegQuality() + 0.01f, 300);
            assertTrue(higher.length > limitKb * 1024L, "quality " + res.jpegQuality() + " is not the highest that fits");
        }
        assertEquals(300, ImageFiles.readDpi(o.compositePath()), 0.5);

        ExportOptions tiny = o.withComposite(ExportOptions.CompositeFormat.JPEG, 0.9f, 1).withOverwrite(true);
        ExportException e = assertThrows(ExportException.class,
                () -> Exporter.export(new Exporter.Inputs(img, alpha, null, null, Background.solid(0, 0, 0)), tiny));
        assertTrue(e.getMessage().contains("lowest quality"), e.getMessage());
    }

    @Test
    void failedWriteLeavesNoPartialFile() throws IOException {
        Path target = dir.resolve("out.png");
        assertThrows(IOException.class, () -> AtomicFiles.write(target, false, out -> {
            out.write(new byte[100_000]);
            throw new IOException("encoder failed");
        }));
        assertFalse(Files.exists(target));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count(), "temporary files left behind");
        }
        // An export whose JPEG cannot meet its size limit writes none of its files.
        ExportOptions o = ExportOptions.defaults(dir, "none").withComposite(ExportOptions.CompositeFormat.JPEG, 0.9f, 1);
        ByteImage noisy = new ByteImage(300, 300, 3);
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < noisy.data.length; i++) noisy.data[i] = (byte) r.nextInt(256);
        FloatImage alpha = new FloatImage(300, 300, 1);
        assertThrows(ExportException.class, () -> Exporter.export(new Exporter.Inputs(noisy, alpha, null, null, Background.solid(9, 9, 9)), o));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
    }
}
