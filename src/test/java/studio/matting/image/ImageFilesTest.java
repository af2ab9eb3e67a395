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

    /** What the colour model says each pixel is: the reference the direct byte path must reproduce. */
    private static ByteImage viaGetRgb(BufferedImage bi, boolean alpha) {
        ByteImage out = new ByteImage(bi.getWidth(), bi.getHeight(), alpha ? 4 : 3);
        for (int y = 0; y < bi.getHeight(); y++)
            for (int x = 0; x < bi.getWidth(); x++) {
                int p = bi.getRGB(x, y), o = y * out.stride + x * out.channels;
                out.data[o] = (byte) (p >>> 16); out.data[o + 1] = (byte) (p >>> 8); out.data[o + 2] = (byte) p;
                if (alpha) out.data[o + 3] = (byte) (p >>> 24);
            }
        return out;
    }

    @Test
    void interleavedSrgbBytesAreReadStraightAndMatchTheColourModel() throws Exception {
        java.util.Random rnd = new java.util.Random(3);
        int w = 301, h = 217; // odd sizes; tall enough for the rows to run in parallel
        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_INT_RGB,
                BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_4BYTE_ABGR_PRE}) {
            BufferedImage bi = new BufferedImage(w, h, type);
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) bi.setRGB(x, y, rnd.nextInt());
            boolean alpha = bi.getColorModel().hasAlpha();
            boolean direct = type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_4BYTE_ABGR;
            assertEquals(direct, ImageFiles.interleavedSrgb(bi) != null, "direct path for type " + type);
            assertArrayEquals(viaGetRgb(bi, alpha).data, ImageFiles.fromBufferedImage(bi).data, "type " + type);
            // a sub-image shares its parent's buffer at an offset: it takes the general path, with the same pixels
            BufferedImage sub = bi.getSubimage(7, 5, 100, 90);
            assertArrayEquals(viaGetRgb(sub, alpha).data, ImageFiles.fromBufferedImage(sub).data, "sub-image of type " + type);
        }
        // RGB in memory order (a reader's TYPE_CUSTOM): another band order, the same answer
        java.awt.image.ComponentColorModel cm = new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB), false, false,
                java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_BYTE);
        java.awt.image.WritableRaster raster = java.awt.image.Raster.createInterleavedRaster(
                java.awt.image.DataBuffer.TYPE_BYTE, w, h, w * 3, 3, new int[] {0, 1, 2}, null);
        rnd.nextBytes(((java.awt.image.DataBufferByte) raster.getDataBuffer()).getData());
        BufferedImage rgb = new BufferedImage(cm, raster, false, null);
        assertNotNull(ImageFiles.interleavedSrgb(rgb));
        assertArrayEquals(viaGetRgb(rgb, false).data, ImageFiles.fromBufferedImage(rgb).data);
        // and a JPEG through the reader, as decode sees it
        ByteArrayOutputStream jpg = new ByteArrayOutputStream();
        ImageIO.write(rgb, "jpg", jpg);
        BufferedImage back = ImageIO.read(new java.io.ByteArrayInputStream(jpg.toByteArray()));
        assertArrayEquals(viaGetRgb(back, false).data, ImageFiles.fromBufferedImage(back).data);
    }
}
