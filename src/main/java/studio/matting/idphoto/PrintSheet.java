package studio.matting.idphoto;

import studio.matting.image.ByteImage;

import java.util.Arrays;

/**
 * Lays out copies of an ID photo on photo paper: 6-inch (4×6 in, 102×152 mm, the size every photo kiosk prints),
 * 7-inch (5×7 in) or A4 (210×297 mm).
 * Both orientations are tried and the one holding more copies wins; the grid is centred, with an outer margin and a
 * gap between photos for cutting, optionally with thin grey cut lines in the gaps.
 */
public final class PrintSheet {
    private PrintSheet() { }

    public record Options(double paperWidthIn, double paperHeightIn, double marginMm, double gapMm, boolean cutLines) {
        public static final Options SIX_INCH = new Options(4, 6, 2, 2, true);
        public static final Options SEVEN_INCH = new Options(5, 7, 2, 2, true);
        public static final Options A4 = new Options(210 / IdPhotoPreset.MM_PER_INCH, 297 / IdPhotoPreset.MM_PER_INCH, 5, 2, true);
        /** The paper sizes by name, as the CLI's {@code --paper} and the editor's chooser offer them. */
        public static final java.util.Map<String, Options> PAPERS = java.util.Map.of("4x6", SIX_INCH, "5x7", SEVEN_INCH, "a4", A4);

        /** {@code 4x6}, {@code 5x7} or {@code a4}. */
        public static Options paper(String name) {
            Options o = PAPERS.get(name.toLowerCase(java.util.Locale.ROOT));
            if (o == null) throw new IllegalArgumentException("unknown paper '" + name + "'; known: 4x6, 5x7, a4");
            return o;
        }

        /** The paper's name for messages: 4x6 in, 5x7 in or A4. */
        public String label() {
            if (this.equals(A4)) return "A4";
            return String.format(java.util.Locale.ROOT, "%.0fx%.0f in", paperWidthIn, paperHeightIn);
        }

        public Options {
            if (!(paperWidthIn > 0 && paperHeightIn > 0)) throw new IllegalArgumentException("paper size must be positive");
            if (marginMm < 0 || gapMm < 0) throw new IllegalArgumentException("margins must not be negative");
        }
    }

    public record Layout(int sheetWidth, int sheetHeight, int cols, int rows, int originX, int originY, int gap) {
        public int count() {
            return cols * rows;
        }
    }

    public record Sheet(ByteImage image, int count, Layout layout) { }

    /** The best grid for photos of photoW × photoH pixels on the paper at this DPI. */
    public static Layout layout(int photoW, int photoH, double dpi, Options o) {
        int pw = (int) Math.round(o.paperWidthIn() * dpi), ph = (int) Math.round(o.paperHeightIn() * dpi);
        Layout portrait = grid(pw, ph, photoW, photoH, dpi, o);
        Layout landscape = grid(ph, pw, photoW, photoH, dpi, o);
        return landscape.count() > portrait.count() ? landscape : portrait;
    }

    private static Layout grid(int sw, int sh, int photoW, int photoH, double dpi, Options o) {
        int margin = IdPhotoPreset.pixels(o.marginMm(), dpi), gap = IdPhotoPreset.pixels(o.gapMm(), dpi);
        int cols = Math.max(0, (sw - 2 * margin + gap) / (photoW + gap));
        int rows = Math.max(0, (sh - 2 * margin + gap) / (photoH + gap));
        int gw = cols * photoW + Math.max(0, cols - 1) * gap, gh = rows * photoH + Math.max(0, rows - 1) * gap;
        return new Layout(sw, sh, cols, rows, (sw - gw) / 2, (sh - gh) / 2, gap);
    }

    public static Sheet render(ByteImage photo, double dpi, Options o) {
        if (photo.channels != 3) throw new IllegalArgumentException("the print sheet takes an RGB photo");
        Layout l = layout(photo.width, photo.height, dpi, o);
        if (l.count() == 0) throw new IllegalArgumentException("the photo is larger than the paper at " + Math.round(dpi) + " DPI");
        ByteImage sheet = new ByteImage(l.sheetWidth(), l.sheetHeight(), 3);
        Arrays.fill(sheet.data, (byte) 255);
        if (o.cutLines() && l.gap() >= 1) {
            // Lines run through the middle of the gaps and the outer margin edges, across the whole sheet.
            byte grey = (byte) 180;
            for (int c = 0; c <= l.cols(); c++) {
                int x = l.originX() + c * (photo.width + l.gap()) - (l.gap() + 1) / 2;
                if (x >= 0 && x < l.sheetWidth()) for (int y = 0; y < l.sheetHeight(); y++) fill(sheet, x, y, grey);
            }
            for (int r = 0; r <= l.rows(); r++) {
                int y = l.originY() + r * (photo.height + l.gap()) - (l.gap() + 1) / 2;
                if (y >= 0 && y < l.sheetHeight()) for (int x = 0; x < l.sheetWidth(); x++) fill(sheet, x, y, grey);
            }
        }
        for (int r = 0; r < l.rows(); r++)
            for (int c = 0; c < l.cols(); c++) {
                int ox = l.originX() + c * (photo.width + l.gap()), oy = l.originY() + r * (photo.height + l.gap());
                for (int y = 0; y < photo.height; y++)
                    System.arraycopy(photo.data, y * photo.stride, sheet.data, (oy + y) * sheet.stride + ox * 3, photo.width * 3);
            }
        return new Sheet(sheet, l.count(), l);
    }

    private static void fill(ByteImage img, int x, int y, byte v) {
        int o = img.index(x, y);
        img.data[o] = v;
        img.data[o + 1] = v;
        img.data[o + 2] = v;
    }
}
