package studio.matting.segment;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
import studio.matting.image.Parallel;
import studio.matting.matting.MattingException;
import studio.matting.task.TaskContext;

/**
 * image → soft person mask (one channel, [0,1], same size as the image). The starting point of the trimap. Implemented
 * by the ONNX U-Net and by model-free sources (a mask file, a user-dragged ellipse), so the editor and the CLI never
 * care where the mask came from.
 */
public interface Segmenter {
    String id();

    String displayName();

    FloatImage segment(ByteImage rgb, TaskContext ctx) throws MattingException;

    /**
     * The same mask at the resolution the segmenter computes it: the whole image's frame at any size (a squashing
     * model's is not even the image's aspect), values in [0, 1]; {@link #resizeToImage} makes it {@link #segment}'s.
     * A chain of segmenters combines its parts' masks at this size and resizes once, instead of resizing every part's
     * to the photo and comparing and blending them there (a 1200×1600 portrait's default chain: a network at 240×320
     * and one at 120×160). Default: {@link #segment}.
     */
    default FloatImage maskAtWorkingSize(ByteImage rgb, TaskContext ctx) throws MattingException {
        return segment(rgb, ctx);
    }

    /** A mask of any size resized (bilinear) to w × h and kept in [0, 1]; one of that size is returned as it is. */
    static FloatImage resizeToImage(FloatImage mask, int w, int h) {
        if (mask.sameSize(w, h)) return mask;
        FloatImage full = ImageOps.resize(mask, w, h);
        float[] fd = full.data;
        Parallel.rows(h, w, (y0, y1) -> { // 12 MP: a 48 MB pass
            for (int i = y0 * full.stride, e = y1 * full.stride; i < e; i++) fd[i] = Math.max(0f, Math.min(1f, fd[i]));
        });
        return full;
    }
}
