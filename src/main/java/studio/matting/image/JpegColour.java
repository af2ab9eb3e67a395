package studio.matting.image;

import java.awt.image.Raster;

/**
 * The JPEG colour cases the decoders get wrong. TwelveMonkeys' reader handles Adobe CMYK (stored inverted) and YCCK,
 * with the embedded ICC profile when there is one. A four-component JPEG without an Adobe APP14 marker (what libjpeg
 * and the JDK writer produce from raw CMYK) it takes for YCbCr + alpha; libjpeg, and so most other decoders, read it
 * as plain, non-inverted CMYK, and so does this.
 */
final class JpegColour {
    private JpegColour() { }

    /** Four components, no Adobe marker, no ICC profile: plain CMYK, converted here. */
    static boolean isPlainCmyk(byte[] b) {
        if (b.length < 4 || (b[0] & 0xff) != 0xff || (b[1] & 0xff) != 0xd8) return false;
        boolean adobe = false, icc = false;
        int components = 0;
        int pos = 2;
        while (pos + 4 <= b.length) {
            if ((b[pos] & 0xff) != 0xff) return false;
            int marker = b[pos + 1] & 0xff;
            if (marker == 0xff) { pos++; continue; }
            if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8)) { pos += 2; continue; }
            if (marker == 0xd9 || marker == 0xda) break;
            int len = ((b[pos + 2] & 0xff) << 8) | (b[pos + 3] & 0xff);
            int data = pos + 4;
            if (marker == 0xee && startsWith(b, data, "Adobe")) adobe = true;
            if (marker == 0xe2 && startsWith(b, data, "ICC_PROFILE")) icc = true;
            boolean sof = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
            if (sof && data + 5 < b.length) components = b[data + 5] & 0xff;
            pos += 2 + len;
        }
        return components == 4 && !adobe && !icc;
    }

    private static boolean startsWith(byte[] b, int at, String s) {
        if (at + s.length() > b.length) return false;
        for (int i = 0; i < s.length(); i++) if (b[at + i] != s.charAt(i)) return false;
        return true;
    }

    /** R = (255 − C)(255 − K)/255 and likewise for G, B: the conversion libjpeg-based decoders use without a profile. */
    static ByteImage plainCmykToRgb(Raster r) {
        int w = r.getWidth(), h = r.getHeight();
        ByteImage out = new ByteImage(w, h, 3);
        Parallel.rows(h, w, (y0, y1) -> {
            int[] row = new int[w * 4];
            for (int y = y0; y < y1; y++) {
                r.getPixels(r.getMinX(), r.getMinY() + y, w, 1, row);
                int o = y * out.stride;
                for (int x = 0; x < w; x++) {
                    int i = x * 4, k = 255 - row[i + 3];
                    out.data[o++] = (byte) (((255 - row[i]) * k + 127) / 255);
                    out.data[o++] = (byte) (((255 - row[i + 1]) * k + 127) / 255);
                    out.data[o++] = (byte) (((255 - row[i + 2]) * k + 127) / 255);
                }
            }
        });
        return out;
    }

    /** A JPEG whose last bytes are not its EOI marker: when decoding fails, the likely reason is that it was cut. */
    static boolean lacksEnd(byte[] b) {
        if (b.length < 4 || (b[0] & 0xff) != 0xff || (b[1] & 0xff) != 0xd8) return false;
        int end = b.length;
        while (end > 2 && b[end - 1] == 0) end--; // some writers pad after EOI
        return !((b[end - 2] & 0xff) == 0xff && (b[end - 1] & 0xff) == 0xd9);
    }
}
