package studio.matting.image;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Files a hostile user (or a crash, or a full disk) produces, made here from scratch, and what reading/writing does. */
class HostileImageTest {
    @TempDir Path dir;

    /** A smooth photo-like image: JPEG keeps it within a level or two. */
    static ByteImage smooth(int w, int h) {
        ByteImage img = new ByteImage(w, h, 3);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                img.set(x, y, 0, 40 + x * 160 / w);
                img.set(x, y, 1, 200 - y * 150 / h);
                img.set(x, y, 2, 90 + (x + y) * 60 / (w + h));
            }
        return img;
    }

    static String loadError(byte[] bytes, String name) {
        ImageLoadException e = assertThrows(ImageLoadException.class, () -> ImageFiles.decode(bytes, name));
        return e.getMessage();
    }

    // ---------------------------------------------------------------- point 4: truncated files

    @Test
    void truncatedJpegsAreRefusedAsTruncated() throws Exception {
        byte[] full = ImageFiles.encodeJpeg(smooth(160, 120), 0.9f, 300);
        assertEquals(160, ImageFiles.decode(full, "whole.jpg").image().width);
        int sos = sosEnd(full);
        for (int len : new int[] {full.length / 2, full.length * 9 / 10, full.length - 2, sos, sos + 10}) {
            String m = loadError(Arrays.copyOf(full, len), "cut.jpg");
            assertTrue(m.contains("truncated") && m.contains("cut.jpg"), len + " of " + full.length + ": " + m);
        }
    }

    /** Just past the start-of-scan header: a "header-only" file. */
    private static int sosEnd(byte[] b) {
        for (int i = 2; i + 3 < b.length; i++)
            if ((b[i] & 0xff) == 0xff && (b[i + 1] & 0xff) == 0xda) return i + 2 + (((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff));
        throw new AssertionError("no SOS");
    }

    @Test
    void truncatedPngsAreRefusedAsTruncated() throws Exception {
        Path p = dir.resolve("a.png");
        ImageFiles.writePng(smooth(120, 90), p);
        byte[] full = Files.readAllBytes(p);
        for (int len : new int[] {full.length / 2, full.length - 12, full.length - 1, 40}) {
            String m = loadError(Arrays.copyOf(full, len), "cut.png");
            assertTrue(m.contains("truncated"), len + ": " + m);
        }
        assertNull(ImageFiles.pngTruncation(full));
        // readAlpha (mattes, masks) takes the same checks
        Path cut = dir.resolve("cut.png");
        Files.write(cut, Arrays.copyOf(full, full.length - 12));
        assertTrue(assertThrows(ImageLoadException.class, () -> ImageFiles.readAlpha(cut)).getMessage().contains("truncated"));
    }

    @Test
    void isCompleteTellsAWholeOutputFromACutOrWrongSizedOne() throws Exception {
        Path png = dir.resolve("o.png"), jpg = dir.resolve("o.jpg"), cut = dir.resolve("cut.png");
        ImageFiles.writePng(smooth(40, 30), png);
        ImageFiles.writeJpeg(smooth(40, 30), jpg, 0.9f, 300, true);
        byte[] b = Files.readAllBytes(png);
        Files.write(cut, Arrays.copyOf(b, b.length - 5));
        assertTrue(ImageFiles.isComplete(png, 40, 30));
        assertTrue(ImageFiles.isComplete(jpg, 40, 30));
        assertTrue(ImageFiles.isComplete(jpg, 0, 0));
        assertFalse(ImageFiles.isComplete(png, 30, 40));
        assertFalse(ImageFiles.isComplete(cut, 40, 30));
        assertFalse(ImageFiles.isComplete(dir.resolve("missing.png"), 40, 30));
    }

    // ---------------------------------------------------------------- point 6: CMYK, YCCK, Adobe inverted CMYK

    /** Ink values c, m, y, k for each pixel: smooth ramps, with black. */
    private static int[] ink(int x, int y, int w, int h) {
        return new int[] {20 + x * 180 / w, 10 + y * 200 / h, 60 + (x + y) * 100 / (w + h), 10 + (w - x) * 70 / w};
    }

    /** The reference conversion (libjpeg-based decoders without a profile): R = (255 − C)(255 − K) / 255. */
    private static int[] reference(int[] cmyk) {
        int k = 255 - cmyk[3];
        return new int[] {(255 - cmyk[0]) * k / 255, (255 - cmyk[1]) * k / 255, (255 - cmyk[2]) * k / 255};
    }

    /** A four-component JPEG from raw samples, written by the JDK's writer (which adds no Adobe marker). */
    private static byte[] fourComponentJpeg(WritableRaster r) throws IOException {
        ImageWriter jw = null;
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.")) jw = w;
        }
        assertNotNull(jw);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(bos)) {
            jw.setOutput(ios);
            ImageWriteParam p = jw.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(1f);
            jw.write(null, new IIOImage(r, null, null), p);
        } finally {
            jw.dispose();
        }
        return bos.toByteArray();
    }

    /** Inserts an Adobe APP14 marker (transform 0: CMYK, 2: YCCK) after SOI, as Photoshop writes. */
    private static byte[] withAdobe(byte[] jpeg, int transform) {
        byte[] seg = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform};
        byte[] o = new byte[jpeg.length + seg.length];
        System.arraycopy(jpeg, 0, o, 0, 2);
        System.arraycopy(seg, 0, o, 2, seg.length);
        System.arraycopy(jpeg, 2, o, 2 + seg.length, jpeg.length - 2);
        return o;
    }

    private static void assertCloseToReference(byte[] jpeg, String what, int w, int h) throws Exception {
        ByteImage rgb = ImageOps.toRgb(ImageFiles.decode(jpeg, what + ".jpg").image());
        assertEquals(w, rgb.width);
        long sum = 0;
        int worst = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int[] ref = reference(ink(x, y, w, h));
                for (int c = 0; c < 3; c++) {
                    int d = Math.abs(rgb.get(x, y, c) - ref[c]);
                    sum += d;
                    worst = Math.max(worst, d);
                }
            }
        double mean = sum / (3.0 * w * h);
        assertTrue(mean < 2.0 && worst <= 8, what + ": mean |diff| " + mean + ", worst " + worst);
    }

    @Test
    void cmykYcckAndAdobeInvertedCmykDecodeToTheReferenceColours() throws Exception {
        int w = 64, h = 48;
        WritableRaster plain = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        WritableRaster inverted = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        WritableRaster ycck = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int[] c = ink(x, y, w, h);
                plain.setPixel(x, y, c);
                inverted.setPixel(x, y, new int[] {255 - c[0], 255 - c[1], 255 - c[2], 255 - c[3]});
                // Adobe YCCK: YCbCr of the ink values themselves, K stored inverted.
                double r = c[0], g = c[1], b = c[2];
                ycck.setPixel(x, y, new int[] {
                        (int) Math.round(0.299 * r + 0.587 * g + 0.114 * b),
                        (int) Math.round(-0.168736 * r - 0.331264 * g + 0.5 * b + 128),
                        (int) Math.round(0.5 * r - 0.418688 * g - 0.081312 * b + 128), 255 - c[3]});
            }
        assertCloseToReference(fourComponentJpeg(plain), "plain CMYK", w, h);
        assertCloseToReference(withAdobe(fourComponentJpeg(inverted), 0), "Adobe inverted CMYK", w, h);
        assertCloseToReference(withAdobe(fourComponentJpeg(ycck), 2), "YCCK", w, h);
    }

    // ---------------------------------------------------------------- point 9: temp folder, disk full, reasons

    @Test
    void decodingNeverNeedsTheTempFolder() throws Exception {
        byte[] jpeg = ImageFiles.encodeJpeg(smooth(50, 40), 0.9f, 0);
        Path cache = Files.createDirectory(dir.resolve("cache"));
        ImageIO.setUseCache(true);
        ImageIO.setCacheDirectory(cache.toFile());
        Files.delete(cache); // as good as full: nothing can be created there
        try {
            assertEquals(50, ImageFiles.decode(jpeg, "ok.jpg").image().width);
        } finally {
            ImageIO.setCacheDirectory(null);
            ImageIO.setUseCache(false);
        }
    }

    /** A stream that fails like a full disk once {@code room} bytes are written. */
    static OutputStream fillsAfter(OutputStream out, long room) {
        return new FilterOutputStream(out) {
            long written;

            @Override
            public void write(int b) throws IOException {
                if (++written > room) throw new IOException("No space left on device");
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if ((written += len) > room) throw new IOException("No space left on device");
                out.write(b, off, len);
            }
        };
    }

    @Test
    void aFullDiskSaysSoNamesTheFileAndLeavesNothingBehind() throws Exception {
        Path target = dir.resolve("full-alpha.png");
        ImageFiles.writePng(smooth(10, 10), target);
        byte[] before = Files.readAllBytes(target);
        AtomicFiles.setStreamFilterForTests(out -> fillsAfter(out, 100));
        try {
            IOException e = assertThrows(IOException.class, () -> ImageFiles.writePng(smooth(200, 200), target, 300, true));
            assertTrue(e.getMessage().contains("the disk is full") && e.getMessage().contains("full-alpha.png"), e.getMessage());
        } finally {
            AtomicFiles.setStreamFilterForTests(null);
        }
        assertArrayEquals(before, Files.readAllBytes(target), "the old file is untouched");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("full-alpha.png"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    /** The real thing where the test may mount a tiny tmpfs (root on Linux); skipped elsewhere. */
    @Test
    void aRealFullFileSystem() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("tiny"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt.toString()).redirectErrorStream(true).start();
        boolean mounted = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here");
        try {
            ByteImage noise = new ByteImage(300, 300, 3);
            java.util.Random r = new java.util.Random(1);
            r.nextBytes(noise.data); // incompressible: ~270 KB of PNG
            IOException e = assertThrows(IOException.class, () -> ImageFiles.writePng(noise, mnt.resolve("big.png"), 300, false));
            assertTrue(e.getMessage().contains("the disk is full") && e.getMessage().contains("big.png"), e.getMessage());
            try (Stream<Path> s = Files.list(mnt)) {
                assertEquals(0, s.count(), "no partial file, no .part left");
            }
        } finally {
            new ProcessBuilder("umount", mnt.toString()).start().waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void symlinkLoopsAndPermissionProblemsGetTheirReason() throws Exception {
        Path a = dir.resolve("a.jpg"), b = dir.resolve("b.jpg");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);
        ImageLoadException e = assertThrows(ImageLoadException.class, () -> ImageFiles.read(a));
        assertTrue(e.getMessage().contains("symbolic link loop"), e.getMessage());
        // As root (CI) chmod cannot take read access away, so the reason mapping is checked on the exception itself.
        assertEquals("permission denied", FileProblems.reason(new IOException("I/O error", new AccessDeniedException("/x/y.png"))));
        assertEquals("the disk is full", FileProblems.reason(new javax.imageio.IIOException("I/O error writing PNG file!",
                new IOException("No space left on device"))));
        Path folder = Files.createDirectory(dir.resolve("folder.png"));
        assertTrue(assertThrows(ImageLoadException.class, () -> ImageFiles.read(folder)).getMessage().contains("folder"));
    }

    // ---------------------------------------------------------------- point 2: sets of outputs, stale parts

    @Test
    void aStagedSetAppearsWholeOrNotAtAll() throws Exception {
        Path out = dir.resolve("out");
        try (AtomicFiles.Staging s = AtomicFiles.Staging.create(out, "photo")) {
            ImageFiles.writePng(smooth(8, 8), s.dir().resolve("photo-alpha.png"));
            ImageFiles.writePng(smooth(8, 8), s.dir().resolve("photo-cutout.png"));
            try (Stream<Path> l = Files.list(out)) {
                assertEquals(1, l.count(), "only the hidden staging folder before the commit");
            }
            assertEquals(2, s.commit().size());
        }
        try (Stream<Path> l = Files.list(out)) {
            assertEquals(List.of("photo-alpha.png", "photo-cutout.png"), l.map(p -> p.getFileName().toString()).sorted().toList());
        }
        AtomicFiles.Staging rolled = AtomicFiles.Staging.create(out, "other");
        ImageFiles.writePng(smooth(8, 8), rolled.dir().resolve("other-alpha.png"));
        assertTrue(rolled.abort());
        assertThrows(IOException.class, rolled::commit);
        rolled.close();
        assertFalse(Files.exists(out.resolve("other-alpha.png")));
        try (Stream<Path> l = Files.list(out)) {
            assertEquals(2, l.count());
        }
    }

    @Test
    void staleTemporaryFilesOfDeadProcessesAreRemovedLiveOnesKept() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long dead = gone.pid(), me = ProcessHandle.current().pid();
        Path legacy = Files.write(dir.resolve(".photo-cutout.png.12345678.part"), new byte[10]);
        Path deadPart = Files.write(dir.resolve(".photo-alpha.png." + dead + "-42.part"), new byte[10]);
        Path deadStaging = Files.createDirectory(dir.resolve(".photo." + dead + "-7.part"));
        Files.write(deadStaging.resolve("photo-alpha.png"), new byte[10]);
        Path mine = Files.write(dir.resolve(".x.png." + me + "-1.part"), new byte[10]);
        Path keep = Files.write(dir.resolve("photo-alpha.png"), new byte[10]);
        assertEquals(3, AtomicFiles.removeStaleParts(dir));
        assertFalse(Files.exists(legacy));
        assertFalse(Files.exists(deadPart));
        assertFalse(Files.exists(deadStaging));
        assertTrue(Files.exists(mine), "a running process's file is left alone");
        assertTrue(Files.exists(keep));
    }
}
