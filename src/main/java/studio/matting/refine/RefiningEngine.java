package studio.matting.refine;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.matting.MattingEngine;
import studio.matting.matting.MattingException;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;

import java.util.Objects;

/**
 * An engine whose α comes out refined: for the batch paths (CLI, Auto), where the refined matte is the result and
 * the foreground colours should be estimated for it. Shift Edge's band is measured on the trimap it is given. The
 * editor instead keeps the engine's α and refines a copy ({@link RefinePreview}, {@link AlphaRefiner}), so the
 * settings stay non-destructive there. Region re-matting falls back to a full matte: a refined α cannot serve as the
 * "previous" α that pins the region's margin.
 */
public final class RefiningEngine implements MattingEngine {
    private final MattingEngine engine;
    private final Refinements refinements;

    public RefiningEngine(MattingEngine engine, Refinements refinements) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.refinements = Objects.requireNonNull(refinements, "refinements");
    }

    @Override
    public String id() {
        return engine.id();
    }

    @Override
    public String displayName() {
        return engine.displayName();
    }

    public MattingEngine delegate() {
        return engine;
    }

    @Override
    public FloatImage matte(ByteImage rgb, Trimap trimap, TaskContext ctx) throws MattingException {
        FloatImage alpha = engine.matte(rgb, trimap, ctx);
        ctx.checkCancelled();
        return AlphaRefiner.refineOnce(alpha, refinements, trimap);
    }
}
