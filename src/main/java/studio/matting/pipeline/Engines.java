package studio.matting.pipeline;

import studio.matting.foreground.ForegroundEstimator;
import studio.matting.inference.Device;
import studio.matting.inference.InferenceRuntime;
import studio.matting.inference.MNetEngine;
import studio.matting.inference.ModelCard;
import studio.matting.inference.ModelRepository;
import studio.matting.inference.SegmentationEngine;
import studio.matting.matting.MattingEngine;
import studio.matting.matting.MattingEngines;
import studio.matting.segment.Segmenter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the editor and the CLI can choose from: the classical engines (always) and the models found in the model
 * folders (see {@link ModelRepository#defaultDirs()}). Models are scanned once; their ONNX sessions are opened on
 * first use by the shared {@link InferenceRuntime}.
 */
public final class Engines {
    private static volatile List<ModelRepository.Entry> models;

    static { ModelRepository.addChangeListener(() -> models = null); } // models import/remove: scan again on next use

    private Engines() { }

    /** --device / the editor's setting: auto, cpu or cuda. */
    public static void setDevice(String device) {
        Device d = Device.parse(device);
        System.setProperty(Device.PROPERTY, d.name().toLowerCase(java.util.Locale.ROOT));
        InferenceRuntime.shared().setDevice(d);
    }

    public static String deviceDescription() {
        return InferenceRuntime.shared().deviceDescription();
    }

    private static List<ModelRepository.Entry> models() {
        List<ModelRepository.Entry> m = models;
        if (m == null) {
            synchronized (Engines.class) {
                if (models == null) {
                    models = List.copyOf(ModelRepository.scanDefault());
                    for (ModelRepository.Entry e : models) {
                        if (e.ok() && e.card().task() == ModelCard.Task.TRIMAP_MATTING) {
                            ModelCard card = e.card();
                            MattingEngines.register(card.name(), () -> new MNetEngine(InferenceRuntime.shared(), card));
                        }
                    }
                }
                m = models;
            }
        }
        return m;
    }

    /** Model cards that were found but refused (hash mismatch, bad card), with the reason, for the UI and logs. */
    public static List<String> modelProblems() {
        List<String> out = new ArrayList<>();
        for (ModelRepository.Entry e : models()) if (!e.ok()) out.add(e.name() + ": " + e.problem());
        return out;
    }

    public static List<String> mattingIds() {
        models();
        return MattingEngines.ids();
    }

    public static MattingEngine matting(String id) {
        models();
        return MattingEngines.byId(id);
    }

    /** Every engine that can be created here, classical first; one that cannot start is left out and logged. */
    public static List<MattingEngine> mattingEngines() {
        List<MattingEngine> out = new ArrayList<>();
        for (String id : mattingIds()) {
            try {
                out.add(MattingEngines.byId(id));
            } catch (RuntimeException | LinkageError e) {
                System.err.println("Matting engine " + id + " unavailable: " + e.getMessage());
            }
        }
        return out;
    }

    public static List<String> segmenterIds() {
        List<String> out = new ArrayList<>();
        for (ModelRepository.Entry e : models()) if (e.ok() && e.card().task() == ModelCard.Task.SEGMENTATION) out.add(e.card().name());
        return out;
    }

    /** Every usable segmentation model, for the editor's Mask menu. */
    public static List<Segmenter> segmenters() {
        List<Segmenter> out = new ArrayList<>();
        for (ModelRepository.Entry e : models())
            if (e.ok() && e.card().task() == ModelCard.Task.SEGMENTATION) out.add(new SegmentationEngine(InferenceRuntime.shared(), e.card()));
        return out;
    }

    /** The first segmentation model found, if any. */
    public static Optional<Segmenter> defaultSegmenter() {
        return segmenters().stream().findFirst();
    }

    public static AutoPipeline.ForegroundStage foregroundStage() {
        return new ForegroundEstimator()::estimate;
    }
}
