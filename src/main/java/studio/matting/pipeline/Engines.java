package studio.matting.pipeline;

import studio.matting.face.FaceDetector;
import studio.matting.foreground.ForegroundEstimator;
import studio.matting.image.ByteImage;
import studio.matting.inference.Device;
import studio.matting.inference.InferenceRuntime;
import studio.matting.inference.MNetEngine;
import studio.matting.inference.ModelCard;
import studio.matting.inference.ModelRepository;
import studio.matting.inference.SegmentationEngine;
import studio.matting.matting.ClosedFormEngine;
import studio.matting.matting.MattingEngine;
import studio.matting.segment.ColourRefinedSegmenter;
import studio.matting.segment.PortraitDetailSegmenter;
import studio.matting.segment.ReducedInputSegmenter;
import studio.matting.segment.Segmenter;
import studio.matting.segment.ZoomSegmenter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The engine catalogue — the one registry of what the editor and the CLI can choose from: the classical engines
 * (always) and the models found in the model folders ({@link ModelRepository#defaultDirs()}). Models are scanned
 * once; their ONNX sessions are opened on first use by the shared {@link InferenceRuntime}. A factory is called per
 * lookup, so each caller gets its own engine instance.
 */
public final class Engines {
    /** {@code --engine mnet} means "the first trimap-matting model" unless a card is literally named so. */
    public static final String MNET_ALIAS = "mnet";

    private static volatile Catalog defaults;

    static { ModelRepository.addChangeListener(() -> defaults = null); } // models import/remove: a new catalogue on next use

    private Engines() { }

    /** What one scan of model folders offers: engines by id (classical first) and segmenters, in scan order. */
    public static final class Catalog {
        private final Map<String, Supplier<MattingEngine>> matting = new LinkedHashMap<>();
        private final List<ModelRepository.Entry> models;
        private final InferenceRuntime runtime;

        public Catalog(List<ModelRepository.Entry> models, InferenceRuntime runtime) {
            this.models = List.copyOf(models);
            this.runtime = runtime;
            matting.put(ClosedFormEngine.ID, ClosedFormEngine::new);
            for (ModelRepository.Entry e : this.models) {
                if (e.ok() && e.card().task() == ModelCard.Task.TRIMAP_MATTING) {
                    ModelCard card = e.card();
                    matting.putIfAbsent(card.name(), () -> trimapMatting(runtime, card));
                }
            }
        }

        public List<String> mattingIds() { return new ArrayList<>(matting.keySet()); }

        /** @throws IllegalArgumentException naming the known ids when {@code id} is none of them */
        public MattingEngine matting(String id) {
            Supplier<MattingEngine> f = matting.get(id);
            if (f == null && MNET_ALIAS.equals(id)) {
                Optional<ModelCard> first = ModelRepository.find(models, ModelCard.Task.TRIMAP_MATTING, null);
                if (first.isPresent()) f = matting.get(first.get().name());
            }
            if (f == null)
                throw new IllegalArgumentException("unknown matting engine '" + id + "'; available: " + String.join(", ", mattingIds()));
            return f.get();
        }

        /** Every engine that can be created here, classical first; one that cannot start is left out and logged. */
        public List<MattingEngine> mattingEngines() {
            List<MattingEngine> out = new ArrayList<>();
            for (String id : mattingIds()) {
                try {
                    out.add(matting(id));
                } catch (RuntimeException | LinkageError e) {
                    System.err.println("Matting engine " + id + " unavailable: " + e.getMessage());
                }
            }
            return out;
        }

        public List<String> segmenterIds() {
            List<String> out = new ArrayList<>();
            for (ModelRepository.Entry e : models) if (e.ok() && e.card().task() == ModelCard.Task.SEGMENTATION) out.add(e.card().name());
            return out;
        }

        /** Every usable segmentation model, in scan order. */
        public List<Segmenter> segmenters() {
            List<Segmenter> out = new ArrayList<>();
            for (ModelRepository.Entry e : models)
                if (e.ok() && e.card().task() == ModelCard.Task.SEGMENTATION) out.add(segmenterFor(e.card()));
            return out;
        }

        /** The segmentation model with this card name, or the first one when name is null. */
        public Optional<Segmenter> segmenter(String name) {
            return ModelRepository.find(models, ModelCard.Task.SEGMENTATION, name).map(this::segmenterFor);
        }

        /**
         * A card's segmenter, with the portrait specialist its card names when that model is installed too; a large
         * photo goes in reduced ({@link ReducedInputSegmenter}) to at least twice the largest size any of its passes
         * runs at.
         */
        private Segmenter segmenterFor(ModelCard card) {
            Segmenter s = segmenterAtFullSize(card);
            int scene = card.portraitDetail().map(ModelCard.PortraitDetail::sceneSize).orElse(0);
            int side = Math.max(ReducedInputSegmenter.MIN_LONG_SIDE, 2 * Math.max(largestSide(card), scene));
            return new ReducedInputSegmenter(s, side);
        }

        /** The long side a card's graph runs at (its working size, fixed size or reference size). */
        private static int largestSide(ModelCard card) {
            ModelCard.Size z = card.input().size();
            return z.fixed() ? Math.max(z.width(), z.height()) : z.workingSize();
        }

        private Segmenter segmenterAtFullSize(ModelCard card) {
            Segmenter s = new SegmentationEngine(runtime, card);
            Optional<ModelCard.PortraitDetail> d = card.portraitDetail();
            Optional<ModelCard> spec = d.isEmpty() || d.get().model().equals(card.name()) ? Optional.empty()
                    : ModelRepository.find(models, ModelCard.Task.SEGMENTATION, d.get().model())
                    .filter(c -> c.name().equals(d.get().model()));
            // without the specialist (none named, or removed) the general model alone, zoomed and refined as the card says
            if (spec.isEmpty()) return sceneChain(card, s);
            ModelCard.PortraitDetail p = d.get();
            // a second working size needs a graph that takes any size (the "multiple" rule); other cards keep one pass
            ModelCard.Size size = card.input().size();
            // busts fill the frame and keep the specialist's edge; small people and scenes get the zoom and the colours
            Segmenter scene = p.sceneSize() > 0 && size.anySize()
                    ? sceneChain(card, new SegmentationEngine(runtime, card, p.sceneSize())) : null;
            return new PortraitDetailSegmenter(s, new SegmentationEngine(runtime, spec.get()), p.weight(),
                    p.minAgreement(), p.minBottom(), p.minArea(), scene, Engines::atLeastFaces);
        }

        /** A pass for scenes: again on the people's box when they are small (card zoom), then settled by colour. */
        private static Segmenter sceneChain(ModelCard card, Segmenter pass) {
            Segmenter s = pass;
            Optional<ModelCard.Zoom> z = card.zoom();
            if (z.isPresent()) s = new ZoomSegmenter(s, new ZoomSegmenter.Options(z.get().maxArea(), z.get().margin(),
                    z.get().minComponent()));
            Optional<ModelCard.ColourRefine> r = card.colourRefine();
            if (r.isPresent())
                s = new ColourRefinedSegmenter(s, new ColourRefinedSegmenter.Options(r.get().low(), r.get().high(),
                        r.get().iterations(), r.get().maxSide()));
            return s;
        }

        /** Model cards that were found but refused (hash mismatch, bad card), with the reason, for the UI and logs. */
        public List<String> modelProblems() {
            List<String> out = new ArrayList<>();
            for (ModelRepository.Entry e : models) if (!e.ok()) out.add(e.name() + ": " + e.problem());
            return out;
        }
    }

    /**
     * Whether a bust shows a group for the blend's group-shot rule; false (the plain blend, as before the rule) when OpenCV's cascades
     * cannot be loaded here, said once on stderr.
     */
    static boolean atLeastFaces(ByteImage rgb, int k) {
        if (faceDetectorBroken) return false;
        try {
            return FaceDetector.shared().atLeast(rgb, k);
        } catch (RuntimeException | LinkageError e) {
            faceDetectorBroken = true;
            System.err.println("Face detection unavailable (" + e.getMessage() + "): busts are blended without the group-shot rule");
            return false;
        }
    }

    private static volatile boolean faceDetectorBroken;

    /** A trimap-matting card's engine; a refiner gets its base engine (only closed-form can be one: ModelCard checks the name). */
    public static MattingEngine trimapMatting(InferenceRuntime runtime, ModelCard card) {
        boolean refines = ModelCard.BASE_CLOSED_FORM.equals(card.input().baseAlpha());
        return new MNetEngine(runtime, card, refines ? new ClosedFormEngine() : null);
    }

    /** The catalogue of the default model folders on the shared runtime, scanned on first use. */
    public static Catalog catalog() {
        Catalog c = defaults;
        if (c == null) {
            synchronized (Engines.class) {
                if (defaults == null) defaults = new Catalog(ModelRepository.scanDefault(), InferenceRuntime.shared());
                c = defaults;
            }
        }
        return c;
    }

    /** --device / the editor's setting: auto, cpu or cuda. */
    public static void setDevice(String device) {
        Device d = Device.parse(device);
        System.setProperty(Device.PROPERTY, d.name().toLowerCase(java.util.Locale.ROOT));
        InferenceRuntime.shared().setDevice(d);
    }

    public static String deviceDescription() {
        return InferenceRuntime.shared().deviceDescription();
    }

    public static List<String> modelProblems() { return catalog().modelProblems(); }

    public static List<String> mattingIds() { return catalog().mattingIds(); }

    public static MattingEngine matting(String id) { return catalog().matting(id); }

    public static List<MattingEngine> mattingEngines() { return catalog().mattingEngines(); }

    public static List<String> segmenterIds() { return catalog().segmenterIds(); }

    /** Every usable segmentation model, for the editor's Mask menu. */
    public static List<Segmenter> segmenters() { return catalog().segmenters(); }

    /** The segmentation model with this card name, or the first one when name is null. */
    public static Optional<Segmenter> segmenter(String name) { return catalog().segmenter(name); }

    /** The first segmentation model found, if any. */
    public static Optional<Segmenter> defaultSegmenter() { return segmenter(null); }

    public static AutoPipeline.ForegroundStage foregroundStage() {
        return new ForegroundEstimator()::estimate;
    }
}
