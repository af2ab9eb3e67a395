package studio.matting.cli;

import studio.matting.compositor.Background;
import studio.matting.idphoto.BackgroundPreset;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageLoadException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Parses {@code --bg}: a colour name (the ID-photo presets blue, red, white, plus black, gray, green), {@code #RRGGBB},
 * {@code R,G,B}, {@code checker}, or the path of an image (scaled to cover).
 */
final class BackgroundSpec {
    static final Map<String, int[]> NAMED = Map.of(
            "blue", BackgroundPreset.BLUE.rgb(),
            "red", BackgroundPreset.RED.rgb(),
            "white", BackgroundPreset.WHITE.rgb(),
            "black", new int[]{0, 0, 0},
            "gray", new int[]{128, 128, 128},
            "green", new int[]{0, 177, 64});

    private BackgroundSpec() { }

    /** A solid colour only (ID photos): the same syntax without images and the checkerboard. */
    static int[] parseColour(String spec) throws ImageLoadException {
        if (parse(spec) instanceof Background.Solid s) return new int[]{s.r, s.g, s.b};
        throw new IllegalArgumentException("an ID-photo background must be a colour (blue, red, white, #RRGGBB or R,G,B): " + spec);
    }

    static Background parse(String spec) throws ImageLoadException {
        String s = spec.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        int[] named = NAMED.get(lower);
        if (named != null) return Background.solid(named[0], named[1], named[2]);
        if (lower.equals("checker") || lower.equals("transparent")) return Background.checker();
        if (s.matches("#[0-9a-fA-F]{6}")) {
            int v = Integer.parseInt(s.substring(1), 16);
            return Background.solid((v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF);
        }
        if (s.matches("\\d{1,3},\\d{1,3},\\d{1,3}")) {
            String[] p = s.split(",");
            int r = Integer.parseInt(p[0]), g = Integer.parseInt(p[1]), b = Integer.parseInt(p[2]);
            if (r > 255 || g > 255 || b > 255) throw new IllegalArgumentException("colour components must be 0..255: " + spec);
            return Background.solid(r, g, b);
        }
        Path p = Path.of(s);
        if (Files.isRegularFile(p)) return Background.image(ImageFiles.readRgb(p));
        throw new IllegalArgumentException("--bg must be a colour (blue, red, white, #RRGGBB, R,G,B), 'checker' or an image file: " + spec);
    }
}
