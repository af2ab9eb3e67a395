package studio.matting.select;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.Rect;
import studio.matting.matting.MattingException;
import studio.matting.segment.Segmenter;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;

import java.util.function.BiFunction;

/**
 * A box selection as a {@link Segmenter}, so the one-click pipeline (and the CLI's {@code matte --box}) runs it in
 * place of a segmentation model: mask → trimap → matte as usual. One selection per call; the editor, which refines
 * with strokes, keeps a {@link SubjectSelector} instead.
 */
public final class BoxSelection implements Segmenter {
    private final Rect box;
    private final BiFunction<Integer, Integer, Trimap> scribbles;
    private final Segmenter model;
    private final SubjectSelector.Options options;
    private volatile String lastSource = "GrabCut";

    /**
     * @param scribbles for an image's width and height, its scribble layer (or null); null for none
     * @param model     segmentation model that seeds the selection, or null
     */
    public BoxSelection(Rect box, BiFunction<Integer, Integer, Trimap> scribbles, Segmenter model, SubjectSelector.Options options) {
        this.box = box;
        this.scribbles = scribbles;
        this.model = model;
        this.options = options;
    }

    @Override public String id() { return "box-select"; }

    @Override public String displayName() {
        return "Box selection " + SubjectSelector.describe(box) + (model == null ? "" : " seeded by " + model.id());
    }

    /** What made the last mask ("GrabCut", "GrabCut + MODEL", …). */
    public String lastSource() { return lastSource; }

    @Override
    public FloatImage segment(ByteImage rgb, TaskContext ctx) throws MattingException {
        Trimap marks = scribbles == null ? null : scribbles.apply(rgb.width, rgb.height);
        try (SubjectSelector s = SubjectSelector.select(rgb, box, marks, model, null, options, ctx)) {
            lastSource = s.source();
            return s.mask();
        }
    }
}
