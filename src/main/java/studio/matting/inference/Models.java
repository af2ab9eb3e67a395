package studio.matting.inference;

import java.util.List;
import java.util.Optional;

/**
 * Entry points for the editor and the CLI: the engines for the models found in the default directories
 * ({@link ModelRepository#defaultDirs()}), running on the shared runtime. Construction is cheap; the model is verified
 * and its session created on first use (call that from a worker thread).
 */
public final class Models {
    /** The CLI's {@code --engine mnet} means "the first trimap-matting model" unless a card is literally named so. */
    public static final String MNET_ALIAS = "mnet";

    private Models() { }

    /** The segmentation model with this card name, or the first one when name is null. */
    public static Optional<SegmentationEngine> segmenter(String name) {
        return segmenter(ModelRepository.scanDefault(), InferenceRuntime.shared(), name);
    }

    /** The matting model with this card name ("mnet" or null: the first one found). */
    public static Optional<MNetEngine> matting(String name) {
        return matting(ModelRepository.scanDefault(), InferenceRuntime.shared(), name);
    }

    public static Optional<SegmentationEngine> segmenter(List<ModelRepository.Entry> entries, InferenceRuntime rt, String name) {
        return ModelRepository.find(entries, ModelCard.Task.SEGMENTATION, name).map(c -> new SegmentationEngine(rt, c));
    }

    public static Optional<MNetEngine> matting(List<ModelRepository.Entry> entries, InferenceRuntime rt, String name) {
        Optional<ModelCard> card = ModelRepository.find(entries, ModelCard.Task.TRIMAP_MATTING, name);
        if (card.isEmpty() && MNET_ALIAS.equals(name)) card = ModelRepository.find(entries, ModelCard.Task.TRIMAP_MATTING, null);
        return card.map(c -> new MNetEngine(rt, c));
    }
}
