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
        ByteImage full = ImageOps.toRgb(rgb);
        ByteImage small = k == 1 ? full : ImageOps.boxReduce(full, k);
        Trimap t = k == 1 ? trimap : reduce(trimap, k);
        FloatImage a = engine.matte(small, t, ctx.sub(0, 0.8));
        ctx.checkCancelled();
        FloatImage f = fg.estimate(small, a, ctx.sub(0.8, 1));
        if (k == 1) return new Result(a, f, 1);
        return expand(a, f, full, trimap, k);
    }

    /**
     * α and F at full size in one pass over the photo: inside the trimap's unknown band bilinear from the draft
     * (pixel centres aligned with the k × k blocks, as {@link ImageOps#upsample}), elsewhere exact — α 0 or 1, F the
     * photo's colour (also where α = 0, where nothing reads it). No band mask and no second pass: on a 12 MP photo
     * this part is writing 192 MB, and a third of its time went to the mask and the pass that overwrote the rest.
     */
    static Result expand(FloatImage a, FloatImage f, ByteImage full, Trimap trimap, int k) {
        int w = full.width, h = full.height;
        FloatImage alpha = new FloatImage(w, h, 1), fore = new FloatImage(w, h, 3);
        int sw = a.width, sh = a.height;
        int[] xa = new int[w], xb = new int[w];
        float[] tx = new float[w];
        for (int x = 0; x < w; x++) {
            float fx = Math.max(0, Math.min(sw - 1, (x + 0.5f) / k - 0.5f));
            int i = (int) fx;
            xa[x] = i;
            xb[x] = Math.min(sw - 1, i + 1);
            tx[x] = fx - i;
        }
        Parallel.rows(h, w, (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                float fy = Math.max(0, Math.min(sh - 1, (y + 0.5f) / k - 0.5f));
                int ya = (int) fy, yb = Math.min(sh - 1, ya + 1);
                float ty = fy - ya;
                int ra = ya * a.stride, rb = yb * a.stride, fa = ya * f.stride, fb = yb * f.stride;
                int ao = y * alpha.stride, fo = y * fore.stride, so = y * full.stride, to = y * trimap.width;
                for (int x = 0; x < w; x++) {
                    int v = trimap.data[to + x] & 0xFF, d = fo + x * 3;
                    if (v == Trimap.UNKNOWN) {
                        float t = tx[x];
                        float top = a.data[ra + xa[x]] * (1 - t) + a.data[ra + xb[x]] * t;
                        float bot = a.data[rb + xa[x]] * (1 - t) + a.data[rb + xb[x]] * t;
                        alpha.data[ao + x] = top * (1 - ty) + bot * ty;
                        for (int c = 0; c < 3; c++) {
                            float ft = f.data[fa + xa[x] * 3 + c] * (1 - t) + f.data[fa + xb[x] * 3 + c] * t;
                            float fbt = f.data[fb + xa[x] * 3 + c] * (1 - t) + f.data[fb + xb[x] * 3 + c] * t;
                            fore.data[d + c] = ft * (1 - ty) + fbt * ty;
                        }
                    } else {
                        alpha.data[ao + x] = v == Trimap.FOREGROUND ? 1f : 0f;
                        int s = so + x * 3;
                        for (int c = 0; c < 3; c++) fore.data[d + c] = (full.data[s + c] & 0xFF) / 255f;
                    }
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
