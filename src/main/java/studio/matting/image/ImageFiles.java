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
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Reading and writing images for the whole application (UI, CLI and tests).
 * <p>Reading: JPEG, PNG, BMP, GIF, WebP and TIFF, recognised by content rather than by extension; EXIF orientation
 * applied; 16-bit, grayscale, palette and CMYK / YCCK inputs converted to 8-bit RGB. Dimensions are checked from the
 * header before any pixel is decoded, so a decompression bomb is refused without allocating it. A truncated file is
 * refused ("truncated"), never shown with grey where its data is missing: a PNG must reach its IEND chunk, and a JPEG
 * that the decoder finds ending early (no EOI marker, premature end of data) is refused. Decoding never touches the
 * temporary folder, so a full one cannot make valid images unreadable.
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

    static {
        // ImageIO would otherwise cache streams in java.io.tmpdir; a full or missing temp folder then makes every
        // image "unsupported". Everything here is decoded from memory.
        ImageIO.setUseCache(false);
    }

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
        return decode(readBytes(path), path.getFileName().toString());
    }

    private static byte[] readBytes(Path path) throws ImageLoadException {
        try {
            long size = Files.size(path);
            if (Files.isDirectory(path)) throw new ImageLoadException(Messages.format("image.readFailed", path.getFileName(), "it is a folder"));
            if (size == 0) throw new ImageLoadException(Messages.format("image.empty", path.getFileName()));
            if (size > MAX_FILE_BYTES)
                throw new ImageLoadException(Messages.format("image.tooLargeFile", path.getFileName(), size / (1 << 20)));
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ImageLoadException(Messages.format("image.noSuchFile", path), e);
        } catch (ImageLoadException e) {
            throw e;
        } catch (IOException e) {
            throw new ImageLoadException(Messages.format("image.readFailed", path.getFileName(), FileProblems.reason(e)), e);
        } catch (OutOfMemoryError e) {
            throw new ImageLoadException(Messages.format("image.outOfMemory", path.getFileName()), e);
        }
    }

    public static Decoded decode(byte[] bytes, String name) throws ImageLoadException {
        if (bytes.length == 0) throw new ImageLoadException(Messages.format("image.empty", name));
        String pngEnd = pngTruncation(bytes);
        if (pngEnd != null) throw new ImageLoadException(Messages.format("image.truncated", name, pngEnd));
        List<String> warnings = new ArrayList<>();
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext())
                throw new ImageLoadException(Messages.format("image.unsupported", name));
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, false);
                reader.addIIOReadWarningListener((source, warning) -> {
                    synchronized (warnings) { warnings.add(warning); }
                });
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
                boolean jpeg = format.contains("jp");
                ByteImage img = jpeg && JpegColour.isPlainCmyk(bytes)
                        ? JpegColour.plainCmykToRgb(reader.readRaster(0, null))
                        : fromBufferedImage(reader.read(0));
                synchronized (warnings) {
                    for (String warning : warnings)
                        if (FileProblems.isTruncation(new IOException(warning)))
                            throw new ImageLoadException(Messages.format("image.truncated", name, warning));
                }
                if (jpeg) img = ExifOrientation.apply(img, ExifOrientation.read(bytes));
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
            if (FileProblems.isTruncation(e) || JpegColour.lacksEnd(bytes))
                throw new ImageLoadException(Messages.format("image.truncated", name, msg), e);
            throw new ImageLoadException(Messages.format("image.corrupt", name, msg), e);
        }
    }

    /**
     * Why a PNG is cut short ("the file ends inside its IDAT chunk", "no IEND chunk"), or null when it is whole or not
     * a PNG. Walking the chunk lengths costs nothing next to decoding, and unlike the decoder it also catches a file
     * cut between its last image chunk and IEND.
     */
    static String pngTruncation(byte[] b) {
        if (b.length < 8 || (b[0] & 0xff) != 0x89 || b[1] != 'P' || b[2] != 'N' || b[3] != 'G') return null;
        int pos = 8;
        while (pos + 8 <= b.length) {
            long len = ((b[pos] & 0xffL) << 24) | ((b[pos + 1] & 0xff) << 16) | ((b[pos + 2] & 0xff) << 8) | (b[pos + 3] & 0xff);
            String type = new String(b, pos + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (pos + 12 + len > b.length) return "the file ends inside its " + type + " chunk";
            if (type.equals("IEND")) return null;
            pos += (int) (12 + len);
        }
        return "the file ends before its IEND chunk";
    }

    /**
     * True when {@code file} is a whole PNG or JPEG of {@code width} x {@code height} pixels (a width &lt;= 0 accepts
     * any size): its header reads and it ends with its end marker (IEND, EOI). Used to tell a finished output from one
     * a crash or another program left behind, without decoding it.
     */
    public static boolean isComplete(Path file, int width, int height) {
        try {
            if (!Files.isRegularFile(file)) return false;
            long size = Files.size(file);
            if (size < 16) return false;
            byte[] tail = new byte[12];
            try (SeekableByteChannel ch = Files.newByteChannel(file)) {
                ch.position(size - tail.length);
                ByteBuffer bb = ByteBuffer.wrap(tail);
                while (bb.hasRemaining() && ch.read(bb) >= 0) { /* read the last bytes */ }
            }
            boolean pngEnd = tail[4] == 'I' && tail[5] == 'E' && tail[6] == 'N' && tail[7] == 'D';
            boolean jpegEnd = (tail[10] & 0xff) == 0xff && (tail[11] & 0xff) == 0xd9;
            if (!pngEnd && !jpegEnd) return false;
            try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
                if (in == null) return false;
                Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
                if (!readers.hasNext()) return false;
                ImageReader r = readers.next();
                try {
                    r.setInput(in, true, true);
                    return width <= 0 || (r.getWidth(0) == width && r.getHeight(0) == height);
                } finally {
                    r.dispose();
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The size an image will have once read (EXIF orientation applied), from its header, without decoding pixels.
     * Refuses what {@link #read} would refuse for the header alone (unsupported, empty, too large).
     */
    public static int[] orientedSize(Path path) throws ImageLoadException {
        byte[] bytes = readBytes(path);
        String name = path.getFileName().toString();
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) throw new ImageLoadException(Messages.format("image.unsupported", name));
            ImageReader r = readers.next();
            try {
                r.setInput(in, true, true);
                int w = r.getWidth(0), h = r.getHeight(0);
                boolean jpeg = r.getFormatName().toLowerCase(Locale.ROOT).contains("jp");
                int o = jpeg ? ExifOrientation.read(bytes) : 1;
                return o >= 5 && o <= 8 ? new int[] {h, w} : new int[] {w, h};
            } finally {
                r.dispose();
            }
        } catch (ImageLoadException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageLoadException(Messages.format("image.corrupt", name, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
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
        ByteImage direct = interleavedSrgb(bi);
        if (direct != null) return direct;
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

    /**
     * The bytes of an 8-bit, pixel-interleaved sRGB image (what the JPEG and PNG readers return: TYPE_3BYTE_BGR,
     * TYPE_4BYTE_ABGR, or the same in another band order) reordered straight from its buffer, rows in parallel; null
     * for anything else. {@code getRGB} gives the same values for these (sRGB, 8 bits, alpha not premultiplied: no
     * conversion) but through the colour model per pixel, which took 25–38 ms of a 1200×1600 JPEG's 35–50 ms decode.
     */
    static ByteImage interleavedSrgb(BufferedImage bi) {
        ColorModel cm = bi.getColorModel();
        if (!(cm instanceof java.awt.image.ComponentColorModel) || !cm.getColorSpace().isCS_sRGB() || cm.isAlphaPremultiplied()) return null;
        Raster r = bi.getRaster();
        if (!(r.getSampleModel() instanceof java.awt.image.PixelInterleavedSampleModel sm) || !(r.getDataBuffer() instanceof DataBufferByte db)
                || db.getNumBanks() != 1 || r.getParent() != null) return null;
        int bands = sm.getNumBands(), w = bi.getWidth(), h = bi.getHeight();
        if (bands != (cm.hasAlpha() ? 4 : 3) || sm.getPixelStride() != bands) return null;
        for (int b = 0; b < bands; b++) if (sm.getSampleSize(b) != 8) return null;
        int[] off = sm.getBandOffsets();
        int stride = sm.getScanlineStride(), base = db.getOffset()
                - r.getSampleModelTranslateY() * stride - r.getSampleModelTranslateX() * bands;
        byte[] data = db.getData();
        ByteImage out = new ByteImage(w, h, bands);
        Parallel.rows(h, w, (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                int s = base + y * stride, o = y * out.stride;
                for (int x = 0; x < w; x++, s += bands)
                    for (int b = 0; b < bands; b++) out.data[o++] = data[s + off[b]];
            }
        });
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
        byte[] bytes = readBytes(path);
        if (pngTruncation(bytes) == null) {
            try {
                BufferedImage bi = ImageIO.read(new ByteArrayImageInputStream(bytes)); // closes the stream itself
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
        }
        return ImageOps.toFloat(ImageOps.toGray(decode(bytes, path.getFileName().toString()).image()));
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
        ImageWriter writer = jdkWriter("jpeg");
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

    /**
     * The JDK's own writer for a format: TwelveMonkeys registers a JPEG writer ahead of it, and the JFIF density code
     * here speaks the JDK's metadata dialect.
     */
    private static ImageWriter jdkWriter(String format) {
        ImageWriter first = null;
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName(format); it.hasNext(); ) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.imageio.")) {
                if (first != null) first.dispose();
                return w;
            }
            if (first == null) first = w; else w.dispose();
        }
        if (first == null) throw new IllegalStateException("no ImageIO writer for " + format);
        return first;
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
