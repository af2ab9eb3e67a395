package studio.matting.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.*;

class ImageFilesTest {
    @TempDir Path dir;

    private static ByteImage pattern(int w, int h, int c) {
        ByteImage img = new ByteImage(w, h, c);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int k = 0; k < c; k++) img.set(x, y, k, (x * 7 + y * 13 + k * 50) & 0xFF);
        return img;
    }

    @Test
    void pngKeepsAlphaAndDpi() throws Exception {
        ByteImage rgba = pattern(31, 17, 4);
        Path p = dir.resolve("a.png");
        ImageFiles.writePng(rgba, p, 300, false);
        ImageFiles.Decoded d = ImageFiles.decode(p);
        assertEquals(4, d.image().channels);
        for (int y = 0; y < 17; y++)
            for (int x = 0; x < 31; x++)
                for (int c = 0; c < 4; c++) assertEquals(rgba.get(x, y, c), d.image().get(x, y, c));
        assertEquals(300, d.dpi(), 0.5);
        assertEquals(300, ImageFiles.readDpi(p), 0.5);
    }

    @Test
    void sixteenBitAndGrayPngAreConverted() throws Exception {
        BufferedImage g16 = new BufferedImage(8, 4, BufferedImage.TYPE_USHORT_GRAY);
        for (int x = 0; x < 8; x++) g16.getRaster().setSample(x, 1, 0, x * 8000);
        Path p16 = dir.resolve("g16.png");
        ImageIO.write(g16, "png", p16.toFile());
        ByteImage r = ImageFiles.read(p16);
        assertEquals(1, r.channels);
        for (int x = 0; x < 8; x++) assertEquals(Math.round(x * 8000 / 257.0), r.get(x, 1, 0), 1.0);

        BufferedImage g8 = new BufferedImage(5, 5, BufferedImage.TYPE_BYTE_GRAY);
        g8.getRaster().setSample(2, 3, 0, 200);
        Path p8 = dir.resolve("g8.png");
        ImageIO.write(g8, "png", p8.toFile());
        ByteImage rgb = ImageFiles.readRgb(p8);
        assertEquals(3, rgb.channels);
        for (int c = 0; c < 3; c++) assertEquals(200, rgb.get(2, 3, c));
    }

    @Test
    void jpegKeepsDpi() throws Exception {
        Path p = dir.resolve("a.jpg");
        ImageFiles.writeJpeg(pattern(40, 30, 3), p, 0.9f, 200, false);
        assertEquals(200, ImageFiles.readDpi(p), 0.5);
        assertEquals(3, ImageFiles.read(p).channels);
    }

    /** A JPEG with a hand-written APP1 Exif segment saying "rotate 90° clockwise" (orientation 6). */
    @Test
    void exifOrientationIsApplied() throws Exception {
        int w = 48, h = 24;
        ByteImage img = new ByteImage(w, h, 3);
        // A white block in the top-left corner; after a 90° clockwise turn it sits in the top-right corner.
        for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) for (int c = 0; c < 3; c++) img.set(x, y, c, 255);
        byte[] jpeg = ImageFiles.encodeJpeg(img, 0.95f, 72);
        byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0};
        byte[] exif = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
        int len = 2 + exif.length + tiff.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(new byte[]{(byte) 0xFF, (byte) 0xE1, (byte) (len >> 8), (byte) len});
        out.write(exif);
        out.write(tiff);
        out.write(jpeg, 2, jpeg.length - 2);
        Path p = dir.resolve("rot.jpg");
        Files.write(p, out.toByteArray());
        ByteImage r = ImageFiles.read(p);
        assertEquals(h, r.width);
        assertEquals(w, r.height);
        assertTrue(r.get(r.width - 4, 4, 0) > 200, "white block should be top-right after rotation");
        assertTrue(r.get(4, 4, 0) < 60, "top-left should be dark after rotation");
    }

    @Test
    void badInputGivesClearMessages() throws Exception {
        Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
        assertTrue(assertThrows(ImageLoadException.class, () -> ImageFiles.read(empty)).getMessage().contains("empty"));

        Path text = Files.writeString(dir.resolve("notes.png"), "this is not an image\n");
        assertTrue(assertThrows(ImageLoadException.class, () -> ImageFiles.read(text)).getMessage().contains("not a supported image"));

        byte[] png = Files.readAllBytes(writeSample());
        byte[] cut = java.util.Arrays.copyOf(png, png.length / 2);
        Path corrupt = Files.write(dir.resolve("corrupt.png"), cut);
        ImageLoadException e = assertThrows(ImageLoadException.class, () -> ImageFiles.read(corrupt));
        assertTrue(e.getMessage().startsWith("Cannot open corrupt.png"), e.getMessage());

        Path missing = dir.resolve("missing.png");
        assertTrue(assertThrows(ImageLoadException.class, () -> ImageFiles.read(missing)).getMessage().contains("no such file"));
    }

    @Test
    void hugeDeclaredSizeIsRefusedWithoutDecoding() throws Exception {
        Path p = Files.write(dir.resolve("bomb.png"), pngHeaderOnly(30000, 30000));
        ImageLoadException e = assertThrows(ImageLoadException.class, () -> ImageFiles.read(p));
        assertTrue(e.getMessage().contains("30000 x 30000"), e.getMessage());
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
    }

    private Path writeSample() throws Exception {
        Path p = dir.resolve("sample.png");
        ImageFiles.writePng(pattern(64, 64, 3), p, 72, true);
        return p;
    }

    /** PNG signature + a valid IHDR (8-bit RGB) + an empty IDAT + IEND, all with correct CRCs. */
    static byte[] pngHeaderOnly(int w, int h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        byte[] ihdr = {(byte) (w >>> 24), (byte) (w >>> 16), (byte) (w >>> 8), (byte) w,
                (byte) (h >>> 24), (byte) (h >>> 16), (byte) (h >>> 8), (byte) h, 8, 2, 0, 0, 0};
        chunk(out, "IHDR", ihdr);
        chunk(out, "IDAT", new byte[0]);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        int n = data.length;
        out.writeBytes(new byte[]{(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        long c = crc.getValue();
        out.writeBytes(new byte[]{(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
    }
}
