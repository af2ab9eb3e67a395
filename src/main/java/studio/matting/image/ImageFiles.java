package studio.matting.image;

import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import studio.matting.i18n.Messages;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;

/**
 * Reading and writing images for the whole application (UI, CLI and tests).
 * <p>Reading: JPEG, PNG, BMP, GIF and WebP, recognised by content rather than by extension; EXIF orientation applied;
 * 16-bit, grayscale, palette and CMYK-less inputs converted to 8 bits. Dimensions are checked from the header before
 * any pixel is decoded, so a decompression bomb is refused without allocating it.
 * <p>Writing: PNG (gray, RGB, RGBA, 16-bit gray, by {@link PngEncoder}) with a pHYs DPI chunk, JPEG with quality and JFIF density; always
 * atomically (see {@link AtomicFiles}).
 */
public final class ImageFiles {
    /** Largest image accepted, in pixels; override with -Dmatting.maxPixels. 150 MP covers medium-format cameras. */
    public static final long MAX_PIXELS = Long.getLong("matting.maxPixels", 150_000_000L);
    /** Largest file accepted, in bytes. */
    public static final long MAX_FILE_BYTES = Long.getLong("matting.maxFileBytes", 1L << 30);

    private static final double INCH_MM = 25.4;

    private ImageFiles() { }

    /** An image as decoded, with its DPI when the file recorded one (NaN otherwise). */
    public record Decoded(ByteImage image, double dpi, String format) { }

    /** Reads an image keeping its natural channel count: 1 (gray), 3 (RGB) or 4 (RGBA). */
    public static ByteImage read(Path path) throws ImageLoadException {
        return decode(path).image();
    }

    /** Reads an image as 3-channel RGB (alpha, if any, is dropped: matting works on the visible colours). */
    public static ByteImage readRgb(Path path) throws ImageLoadException {
        return ImageOps.toRgb(read(path));
    }

    /** Reads an image as one 8-bit channel (luma for colour images), e.g. a mask, an alpha matte or a trimap. */
    public static ByteImage readGray(Path path) throws ImageLoadException {
        return ImageOps.toGray(read(path));
    }

    public static Decoded decode(Path path) throws ImageLoadException {
        byte[] bytes;
        try {
            long size = Files.size(path);
            if (size == 0) throw new ImageLoadException(Messages.format("image.empty", path.getFileName()));
            if (size > MAX_FILE_BYTES)
                throw new ImageLoadException(Messages.format("image.tooLargeFile", path.getFileName(), size / (1 << 20)));
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ImageLoadException(Messages.format("image.noSuchFile", path), e);
        } catch (ImageLoadException e) {
            throw e;
        } catch (IOException e) {
            throw new ImageLoadException(Messages.format("image.readFailed", path.getFileName(), e.getMessage()), e);
        }
        return decode(bytes, path.getFileName().toString());
    }

    public static Decoded decode(byte[] bytes, String name) throws ImageLoadException {
        if (bytes.length == 0) throw new ImageLoadException(Messages.format("image.empty", name));
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext())
                throw new ImageLoadException(Messages.format("image.unsupported", name));
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, false);
                int w = reader.getWidth(0), h = reader.getHeight(0);
                if (w <= 0 || h <= 0) throw new ImageLoadException(Messages.format("image.badSize", name, w, h));
                if ((long) w * h > MAX_PIXELS)
                    throw new ImageLoadException(Messages.format("image.tooManyPixels", name, w, h,
                            String.format(Locale.ROOT, "%.0f", (double) w * h / 1e6), String.format(Locale.ROOT, "%.0f", MAX_PIXELS / 1e6)));
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                IIOMetadata meta = null;
                try {
                    meta = reader.getImageMetadata(0);
                } catch (IOException | RuntimeException ignored) {
                    // metadata is optional: some encoders write chunks the JDK rejects
                }
                BufferedImage bi = reader.read(0);
                ByteImage img = fromBufferedImage(bi);
                if (format.contains("jp")) img = ExifOrientation.apply(img, ExifOrientation.read(bytes));
                return new Decoded(img, meta == null ? Double.NaN : dpiOf(meta), format);
            } finally {
                reader.dispose();
            }
        } catch (ImageLoadException e) {
            throw e;
        } catch (OutOfMemoryError e) {
            throw new ImageLoadException(Messages.format("image.outOfMemory", name), e);
        } catch (IOException | RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new ImageLoadException(Messages.format("image.corrupt", name, msg), e);
        }
    }

    /** Converts any decoded BufferedImage to an 8-bit ByteImage with 1, 3 or 4 channels. */
    public static ByteImage fromBufferedImage(BufferedImage bi) {
        int w = bi.getWidth(), h = bi.getHeight();
        ColorModel cm = bi.getColorModel();
        Raster r = bi.getRaster();
        boolean alpha = cm.hasAlpha();
        int bands = r.getNumBands();
        boolean gray = !(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY;
        if (gray) {
            // Read samples directly: drawing a gray image into RGB would apply a gamma change.
            int bits = cm.getComponentSize(0);
            ByteImage out = new ByteImage(w, h, alpha ? 4 : 1);
            int[] row = new int[w * bands];
            int shift = Math.max(0, bits - 8);
            int maxIn = (1 << bits) - 1;
            for (int y = 0; y < h; y++) {
                r.getPixels(0, y, w, 1, row);
                int o = y * out.stride;
                for (int x = 0; x < w; x++) {
                    int v = row[x * bands];
                    int g = bits >= 8 ? v >>> shift : (v * 255 + maxIn / 2) / maxIn;
                    if (alpha) {
                        int a = row[x * bands + 1];
                        int a8 = bits >= 8 ? a >>> shift : (a * 255 + maxIn / 2) / maxIn;
                        out.data[o++] = (byte) g; out.data[o++] = (byte) g; out.data[o++] = (byte) g; out.data[o++] = (byte) a8;
                    } else {
                        out.data[o++] = (byte) g;
                    }
                }
            }
            return out;
        }
        if (!(cm instanceof IndexColorModel) && r.getTransferType() == DataBuffer.TYPE_USHORT && bands >= 3) {
            ByteImage out = new ByteImage(w, h, alpha ? 4 : 3);
            int[] row = new int[w * bands];
            for (int y = 0; y < h; y++) {
                r.getPixels(0, y, w, 1, row);
                int o = y * out.stride;
                for (int x = 0; x < w; x++) {
                    int b = x * bands;
                    out.data[o++] = (byte) (row[b] >>> 8);
                    out.data[o++] = (byte) (row[b + 1] >>> 8);
                    out.data[o++] = (byte) (row[b + 2] >>> 8);
                    if (alpha) out.data[o++] = (byte) (row[b + 3] >>> 8);
                }
            }
            return out;
        }
        ByteImage out = new ByteImage(w, h, alpha ? 4 : 3);
        int[] argb = new int[w];
        for (int y = 0; y < h; y++) {
            bi.getRGB(0, y, w, 1, argb, 0, w);
            int o = y * out.stride;
            for (int x = 0; x < w; x++) {
                int p = argb[x];
                out.data[o++] = (byte) (p >>> 16);
                out.data[o++] = (byte) (p >>> 8);
                out.data[o++] = (byte) p;
                if (alpha) out.data[o++] = (byte) (p >>> 24);
            }
        }
        return out;
    }

    /** Wraps a ByteImage as a BufferedImage for encoding (copies into the JDK's channel order). */
    public static BufferedImage toBufferedImage(ByteImage img) {
        int w = img.width, h = img.height, ch = img.channels;
        int type = switch (ch) {
            case 1 -> BufferedImage.TYPE_BYTE_GRAY;
            case 3 -> BufferedImage.TYPE_3BYTE_BGR;
            default -> BufferedImage.TYPE_4BYTE_ABGR;
        };
        BufferedImage bi = new BufferedImage(w, h, type);
        byte[] dst = ((DataBufferByte) bi.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < h; y++) {
            int s = y * img.stride, d = y * w * ch;
            if (ch == 1) {
                System.arraycopy(img.data, s, dst, d, w);
            } else if (ch == 3) {
                for (int x = 0; x < w; x++, s += 3, d += 3) {
                    dst[d] = img.data[s + 2]; dst[d + 1] = img.data[s + 1]; dst[d + 2] = img.data[s];
                }
            } else {
                for (int x = 0; x < w; x++, s += 4, d += 4) {
                    dst[d] = img.data[s + 3]; dst[d + 1] = img.data[s + 2]; dst[d + 2] = img.data[s + 1]; dst[d + 3] = img.data[s];
                }
            }
        }
        return bi;
    }

    // ---------------------------------------------------------------- writing

    /** Writes a PNG (1, 3 or 4 channels, 8-bit). dpi &lt;= 0 or NaN writes no pHYs chunk. */
    public static void writePng(ByteImage img, Path path, double dpi, boolean overwrite) throws IOException {
        AtomicFiles.write(path, overwrite, out -> PngEncoder.DEFAULT.write(img, dpi, out));
    }

    public static void writePng(ByteImage img, Path path) throws IOException {
        writePng(img, path, Double.NaN, true);
    }

    /** Writes a one-channel float image (alpha in [0,1]) as a 16-bit grayscale PNG. */
    public static void writePng16(FloatImage alpha, Path path, double dpi, boolean overwrite) throws IOException {
        if (alpha.channels != 1) throw new IllegalArgumentException("16-bit PNG export takes a one-channel image");
        AtomicFiles.write(path, overwrite, out -> PngEncoder.DEFAULT.write16(alpha, dpi, out));
    }

    /** Reads a one-channel image at full precision as floats in [0,1] (16-bit PNGs keep their 16 bits). */
    public static FloatImage readAlpha(Path path) throws ImageLoadException {
        try {
            BufferedImage bi = ImageIO.read(path.toFile());
            if (bi != null && bi.getRaster().getTransferType() == DataBuffer.TYPE_USHORT && bi.getRaster().getNumBands() == 1) {
                FloatImage out = new FloatImage(bi.getWidth(), bi.getHeight(), 1);
                WritableRaster r = bi.getRaster();
                int[] row = new int[bi.getWidth()];
                for (int y = 0; y < bi.getHeight(); y++) {
                    r.getPixels(0, y, bi.getWidth(), 1, row);
                    for (int x = 0; x < row.length; x++) out.data[y * out.stride + x] = row[x] / 65535f;
                }
                return out;
            }
        } catch (IOException | RuntimeException ignored) {
            // fall through to the checked 8-bit path, which reports a clear message
        }
        return ImageOps.toFloat(readGray(path));
    }

    public static void encodePng(BufferedImage bi, double dpi, OutputStream out) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata meta = writer.getDefaultImageMetadata(new ImageTypeSpecifier(bi), param);
            if (dpi > 0 && Double.isFinite(dpi)) {
                IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
                IIOMetadataNode phys = new IIOMetadataNode("pHYs");
                String ppm = Integer.toString((int) Math.round(dpi / INCH_MM * 1000.0));
                phys.setAttribute("pixelsPerUnitXAxis", ppm);
                phys.setAttribute("pixelsPerUnitYAxis", ppm);
                phys.setAttribute("unitSpecifier", "meter");
                root.appendChild(phys);
                meta.mergeTree("javax_imageio_png_1.0", root);
            }
            writer.write(null, new IIOImage(bi, null, meta), param);
        } finally {
            writer.dispose();
        }
    }

    /** Writes a JPEG (RGB or gray; alpha is not allowed) with quality 0..1 and JFIF density in DPI. */
    public static void writeJpeg(ByteImage img, Path path, float quality, double dpi, boolean overwrite) throws IOException {
        byte[] bytes = encodeJpeg(img, quality, dpi);
        AtomicFiles.write(path, overwrite, bytes);
    }

    public static byte[] encodeJpeg(ByteImage img, float quality, double dpi) throws IOException {
        if (img.channels == 4) throw new IllegalArgumentException("JPEG has no alpha: composite the image first");
        BufferedImage bi = toBufferedImage(img);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bos = new ByteArrayOutputStream(Math.max(1024, img.width * img.height / 4));
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(bos)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(Math.max(0f, Math.min(1f, quality)));
            IIOMetadata meta = writer.getDefaultImageMetadata(new ImageTypeSpecifier(bi), param);
            if (dpi > 0 && Double.isFinite(dpi)) setJfifDensity(meta, (int) Math.round(dpi));
            writer.write(null, new IIOImage(bi, null, meta), param);
        } finally {
            writer.dispose();
        }
        return bos.toByteArray();
    }

    private static void setJfifDensity(IIOMetadata meta, int dpi) throws IIOInvalidTreeException {
        Node root = meta.getAsTree("javax_imageio_jpeg_image_1.0");
        NodeList jfif = ((IIOMetadataNode) root).getElementsByTagName("app0JFIF");
        IIOMetadataNode node;
        if (jfif.getLength() > 0) {
            node = (IIOMetadataNode) jfif.item(0);
        } else {
            node = new IIOMetadataNode("app0JFIF");
            Node setup = ((IIOMetadataNode) root).getElementsByTagName("JPEGvariety").item(0);
            if (setup == null) { setup = new IIOMetadataNode("JPEGvariety"); root.insertBefore(setup, root.getFirstChild()); }
            setup.appendChild(node);
        }
        node.setAttribute("resUnits", "1");
        node.setAttribute("Xdensity", Integer.toString(dpi));
        node.setAttribute("Ydensity", Integer.toString(dpi));
        meta.setFromTree("javax_imageio_jpeg_image_1.0", root);
    }

    /** The DPI recorded in a PNG (pHYs) or JPEG (JFIF) file, or NaN when none is recorded. */
    public static double readDpi(Path path) throws ImageLoadException {
        return decode(path).dpi();
    }

    private static double dpiOf(IIOMetadata meta) {
        try {
            for (String fmt : meta.getMetadataFormatNames()) {
                Node root = meta.getAsTree(fmt);
                if (fmt.equals("javax_imageio_png_1.0")) {
                    Node phys = child(root, "pHYs");
                    if (phys != null && "meter".equals(attr(phys, "unitSpecifier")))
                        return Double.parseDouble(attr(phys, "pixelsPerUnitXAxis")) * INCH_MM / 1000.0;
                } else if (fmt.equals("javax_imageio_jpeg_image_1.0")) {
                    NodeList l = ((IIOMetadataNode) root).getElementsByTagName("app0JFIF");
                    if (l.getLength() > 0) {
                        Node n = l.item(0);
                        String units = attr(n, "resUnits");
                        double d = Double.parseDouble(attr(n, "Xdensity"));
                        if ("1".equals(units)) return d;
                        if ("2".equals(units)) return d * 2.54;
                    }
                }
            }
        } catch (RuntimeException ignored) {
            // malformed metadata: treat as no DPI
        }
        return Double.NaN;
    }

    private static Node child(Node n, String name) {
        for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) if (name.equals(c.getNodeName())) return c;
        return null;
    }

    private static String attr(Node n, String name) {
        NamedNodeMap a = n.getAttributes();
        Node v = a == null ? null : a.getNamedItem(name);
        return v == null ? null : v.getNodeValue();
    }
}
