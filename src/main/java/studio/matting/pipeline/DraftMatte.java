package studio.matting.pipeline;

import studio.matting.image.ByteImage;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageOps;
import studio.matting.image.Parallel;
import studio.matting.matting.MattingEngine;
import studio.matting.matting.MattingException;
import studio.matting.task.TaskContext;
import studio.matting.trimap.Trimap;

/**
 * A quick whole-frame matte of a large photo, shown while the full-resolution one runs (the editor's Auto on a 12 MP
 * photo, 2 cores: the first matte after 1.3–1.5 s instead of 4.5 s; the full one follows, about 0.5 s later than
 * without it). The photo and its trimap are reduced by a whole factor to at most {@link #DRAFT_PIXELS} (box colours;
 * a reduced pixel is unknown when any of its pixels is or when they disagree), the same engine and foreground stage
 * run there, and α and F are upsampled bilinearly inside the trimap's unknown band. The known pixels are exact (α 0 or
 * 1, F the photo's colour), so only the band is a draft.
 */
public final class DraftMatte {
    /** Photos from this size on get a draft first (below it the full matte is about as quick as a draft would be). */
    public static final long MIN_PIXELS = 6_000_000;
    /**
     * The draft works at most at this many pixels: a 12 MP photo at 1/4 (750 × 1000). Measured on 12 MP: matte + F
     * 0.80 s at 1/4, 1.47 s at 1/3 (1.5 MP), before the upsampling was limited to the band (1/4 now: 0.48–0.52 s).
     */
    public static final long DRAFT_PIXELS = 800_000;

    /** The draft's α and F at the photo's size, and the factor it was computed at. */
    public record Result(FloatImage alpha, FloatImage foreground, int factor) { }

    private DraftMatte() { }

    /** The whole reduction factor for a w × h photo (1: no reduction needed). */
    public static int factor(int w, int h) {
        return (int) Math.max(1, Math.ceil(Math.sqrt((double) w * h / DRAFT_PIXELS)));
    }

    /** The draft at {@link #factor}. */
    public static Result run(ByteImage rgb, Trimap trimap, MattingEngine engine, AutoPipeline.ForegroundStage fg,
                             TaskContext ctx) throws MattingException {
        return run(rgb, trimap, engine, fg, factor(rgb.width, rgb.height), ctx);
    }

    /** The draft at reduction factor {@code k} (1: the plain matte). */
    public static Result run(ByteImage rgb, Trimap trimap, MattingEngine engine, AutoPipeline.ForegroundStage fg, int k,
                             TaskContext ctx) throws MattingException {
        if (k < 1) throw new IllegalArgumentException("factor must be >= 1");
        if (!rgb.sameSize(trimap.width, trimap.height)) throw new MattingException("trimap and image sizes differ");
        int w = rgb.width, h = rgb.height;
        ByteImage full = ImageOps.toRgb(rgb);
        ByteImage small = k == 1 ? full : ImageOps.boxReduce(full, k);
        Trimap t = k == 1 ? trimap : reduce(trimap, k);
        FloatImage a = engine.matte(small, t, ctx.sub(0, 0.8));
        ctx.checkCancelled();
        FloatImage f = fg.estimate(small, a, ctx.sub(0.8, 1));
        if (k == 1) return new Result(a, f, 1);
        // Bilinear only in the band; known pixels are set exactly (F: the photo's colour, also where α = 0, where
        // nothing reads it), which on a 12 MP photo is most of it.
        boolean[] band = new boolean[w * h];
        Parallel.rows(h, w, (y0, y1) -> {
            for (int i = y0 * w, e = y1 * w; i < e; i++) band[i] = (trimap.data[i] & 0xFF) == Trimap.UNKNOWN;
        });
        FloatImage alpha = ImageOps.upsample(a, k, w, h, band);
        FloatImage fore = ImageOps.upsample(f, k, w, h, band);
        Parallel.rows(h, w, (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                for (int x = 0, i = y * w; x < w; x++, i++) {
                    if (band[i]) continue;
                    int v = trimap.data[i] & 0xFF;
                    alpha.data[y * alpha.stride + x] = v == Trimap.FOREGROUND ? 1f : 0f;
                    int s = y * full.stride + x * 3, d = y * fore.stride + x * 3;
                    for (int c = 0; c < 3; c++) fore.data[d + c] = (full.data[s + c] & 0xFF) / 255f;
                }
            }
        });
        return new Result(alpha, fore, k);
    }

    /** A reduced pixel keeps its k × k pixels' level when they all agree, else it is unknown. */
    static Trimap reduce(Trimap t, int k) {
        int ow = (t.width + k - 1) / k, oh = (t.height + k - 1) / k;
        Trimap out = new Trimap(ow, oh);
        Parallel.rows(oh, ow * k * k, (y0, y1) -> {
            for (int oy = y0; oy < y1; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int first = -1;
                    boolean mixed = false;
                    for (int y = oy * k, ye = Math.min(t.height, y + k); y < ye && !mixed; y++) {
                        for (int x = ox * k, xe = Math.min(t.width, x + k); x < xe; x++) {
                            int v = t.data[y * t.width + x] & 0xFF;
                            if (first < 0) first = v;
                            else if (v != first) { mixed = true; break; }
                        }
                    }
                    out.data[oy * ow + ox] = (byte) (mixed ? Trimap.UNKNOWN : first);
                }
            }
        });
        return out;
    }
}
