package studio.matting.image;

/**
 * Reads the EXIF orientation tag (0x0112) from a JPEG's APP1 segment and applies it, so a portrait shot with a
 * rotated camera is shown and matted upright, as every photo viewer does.
 */
public final class ExifOrientation {
    private ExifOrientation() { }

    /** @return orientation 1..8, or 1 when absent or unreadable. */
    public static int read(byte[] file) {
        if (file.length < 4 || (file[0] & 0xFF) != 0xFF || (file[1] & 0xFF) != 0xD8) return 1;
        int p = 2;
        while (p + 4 <= file.length) {
            if ((file[p] & 0xFF) != 0xFF) return 1;
            int marker = file[p + 1] & 0xFF;
            if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) { p += 2; continue; }
            if (marker == 0xDA || marker == 0xD9) return 1; // image data starts: no EXIF before it
            int len = ((file[p + 2] & 0xFF) << 8) | (file[p + 3] & 0xFF);
            if (len < 2 || p + 2 + len > file.length) return 1;
            if (marker == 0xE1 && len >= 8 && file[p + 4] == 'E' && file[p + 5] == 'x' && file[p + 6] == 'i'
                    && file[p + 7] == 'f' && file[p + 8] == 0 && file[p + 9] == 0) {
                int o = parseTiff(file, p + 10, p + 2 + len);
                if (o != 0) return o;
            }
            p += 2 + len;
        }
        return 1;
    }

    private static int parseTiff(byte[] b, int start, int end) {
        if (start + 8 > end) return 0;
        boolean le;
        if (b[start] == 'I' && b[start + 1] == 'I') le = true;
        else if (b[start] == 'M' && b[start + 1] == 'M') le = false;
        else return 0;
        long ifd = u32(b, start + 4, le);
        if (ifd < 8 || start + ifd + 2 > end) return 0;
        int pos = (int) (start + ifd);
        int count = u16(b, pos, le);
        for (int i = 0; i < count; i++) {
            int e = pos + 2 + i * 12;
            if (e + 12 > end) return 0;
            if (u16(b, e, le) == 0x0112) {
                int v = u16(b, e + 8, le);
                return (v >= 1 && v <= 8) ? v : 0;
            }
        }
        return 0;
    }

    private static int u16(byte[] b, int p, boolean le) {
        return le ? (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8) : ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    private static long u32(byte[] b, int p, boolean le) {
        return le ? (u16(b, p, true) | ((long) u16(b, p + 2, true) << 16)) : (((long) u16(b, p, false) << 16) | u16(b, p + 2, false));
    }

    /** Returns the upright image for an EXIF orientation (1 = already upright, returned as is). */
    public static ByteImage apply(ByteImage src, int orientation) {
        if (orientation <= 1 || orientation > 8) return src;
        boolean swap = orientation >= 5;
        int w = src.width, h = src.height, ch = src.channels;
        int ow = swap ? h : w, oh = swap ? w : h;
        ByteImage out = new ByteImage(ow, oh, ch);
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx, sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; } // 8
                }
                System.arraycopy(src.data, sy * src.stride + sx * ch, out.data, y * out.stride + x * ch, ch);
            }
        }
        return out;
    }
}
