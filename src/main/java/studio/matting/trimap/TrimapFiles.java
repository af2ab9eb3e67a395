package studio.matting.trimap;

import studio.matting.image.ByteImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageLoadException;

import java.io.IOException;
import java.nio.file.Path;

/** Loading and saving trimaps as 8-bit grayscale PNGs with the values 0 / 128 / 255. */
public final class TrimapFiles {
    private TrimapFiles() { }

    /** Reads any gray or colour image and snaps it to the three levels (see {@link Trimap#snap}). */
    public static Trimap read(Path path) throws ImageLoadException {
        return Trimap.fromGray(ImageFiles.readGray(path));
    }

    public static void write(Trimap trimap, Path path, boolean overwrite) throws IOException {
        ImageFiles.writePng(new ByteImage(trimap.width, trimap.height, 1, trimap.data, trimap.width), path, Double.NaN, overwrite);
    }
}
