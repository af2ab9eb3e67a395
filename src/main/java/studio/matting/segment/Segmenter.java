package studio.matting.segment;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
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
}
