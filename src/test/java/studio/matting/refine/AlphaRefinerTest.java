package studio.matting.refine;

import org.junit.jupiter.api.Test;
import studio.matting.image.FloatImage;

import static org.junit.jupiter.api.Assertions.*;

/** Each refinement against a direct reference on generated mattes. */
class AlphaRefinerTest {
    static final int N = 160;

    /** A disc of radius r at the centre, α = covered fraction of each pixel (4×4 supersampling). */
    static FloatImage disc(int w, int h, double cx, double cy, double r) {
        FloatImage a = new FloatImage(w, h, 1);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int in = 0;
                for (int sy = 0; sy < 4; sy++)
                    for (int sx = 0; sx < 4; sx++) {
                        double dx = x + (sx + 0.5) / 4 - 0.5 - cx, dy = y + (sy + 0.5) / 4 - 0.5 - cy;
                        if (dx * dx + dy * dy <= r * r) in++;
                    }
                a.set(x, y, 0, in / 16f);
            }
        return a;
    }

    /** Reference blur: explicit separable convolution with the sampled, normalised Gaussian (±5σ), replicated border. */
    static float[] explicitGaussian(float[] src, int w, int h, double sigma) {
        int r = (int) Math.ceil(5 * sigma);
        double[] k = new double[2 * r + 1];
        double s = 0;
        for (int i = -r; i <= r; i++) s += k[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
        for (int i = 0; i < k.length; i++) k[i] /= s;
        float[] tmp = new float[w * h], out = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int i = -r; i <= r; i++) acc += k[i + r] * src[y * w + Math.max(0, Math.min(w - 1, x + i))];
                tmp[y * w + x] = (float) acc;
            }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int i = -r; i <= r; i++) acc += k[i + r] * tmp[Math.max(0, Math.min(h - 1, y + i)) * w + x];
                out[y * w + x] = (float) acc;
            }
        return out;
    }

    static double sum(FloatImage a) {
        double s = 0;
        for (float v : a.data) s += v;
        return s;
    }

    static float maxDiff(float[] a, float[] b) {
        float m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    static Refinements feather(double px) {
        return Refinements.NONE.withFeather(px);
    }

    @Test
    void featherMatchesAnExplicitGaussianConvolution() {
        FloatImage d = disc(N, N, 80, 80, 40);
        for (double sigma : new double[]{0.7, 1.5, 4, 12.5}) {
            FloatImage f = new AlphaRefiner().apply(d, feather(sigma), 0);
            float[] ref = explicitGaussian(d.data, N, N, sigma);
            float err = maxDiff(f.data, ref);
            System.out.printf("feather σ=%.1f: max |box cascade − Gaussian| = %.4f%n", sigma, err);
            assertTrue(err < 0.01, "σ=" + sigma + ": max |box cascade − Gaussian| = " + err);
            assertEquals(sum(d), sum(f), 1e-3 * sum(d), "blur keeps the mass");
        }
    }

    @Test
    void featheredStraightEdgeHasTheErfProfile() {
        // Half-plane α = 1 for x < 100 (pixel centres x + ½ < 100), blurred with σ: α(x) = Φ((100 − (x + ½)) / σ).
        int w = 200, h = 8;
        FloatImage a = new FloatImage(w, h, 1);
        for (int y = 0; y < h; y++) for (int x = 0; x < 100; x++) a.set(x, y, 0, 1f);
        for (double sigma : new double[]{3, 20, 40}) {
            FloatImage f = new AlphaRefiner().apply(a, feather(sigma), 0);
            for (int x = 40; x < 160; x++) {
                double expected = phi((100 - (x + 0.5)) / sigma);
                assertEquals(expected, f.get(x, 4, 0), 0.01, "σ=" + sigma + " x=" + x);
            }
        }
    }

    /**
     * σ = 250 on an image smaller than σ: the three boxes' compact support (±3r) shows against the Gaussian's tails
     * once the replicated border dominates, hence the looser bound.
     */
    @Test
    void largeFeatherStaysCheapAndBounded() {
        FloatImage d = disc(300, 200, 150, 100, 60);
        FloatImage f = new AlphaRefiner().apply(d, feather(250), 0);
        for (float v : f.data) assertTrue(v >= 0 && v <= 1, "α in [0,1]: " + v);
        float[] ref = explicitGaussian(d.data, 300, 200, 250);
        float err = maxDiff(f.data, ref);
        System.out.printf("feather σ=250 on 300x200: max |box cascade − Gaussian| = %.4f%n", err);
        assertTrue(err < 0.03, "max " + err);
    }

    static double phi(double z) {
        return 0.5 * erfc(-z / Math.sqrt(2));
    }

    /** erfc by Numerical Recipes' Chebyshev fit (|error| &lt; 1.2e-7). */
    static double erfc(double x) {
        double z = Math.abs(x), t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
                + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    @Test
    void shiftEdgeGrowsAndShrinksTheDiscByTheShareOfTheBand() {
        double r0 = 40;
        FloatImage soft = new AlphaRefiner().apply(disc(N, N, 80, 80, r0), feather(1.5), 0);
        double band = 24; // ±100 % = ±12 px
        for (double shift : new double[]{50, -50, 100, -100, 25}) {
            double d = AlphaRefiner.shiftDistance(shift, band);
            assertEquals(shift / 100 * 12, d, 1e-9);
            FloatImage s = new AlphaRefiner().apply(soft, Refinements.NONE.withShiftEdge(shift), band);
            double expected = Math.PI * (r0 + d) * (r0 + d);
            assertEquals(expected, sum(s), 0.025 * expected, "shift " + shift + "% → area of a disc of radius " + (r0 + d));
            // The ½ level along the axes and the diagonal sits at r0 + d (±0.7 px), so the edge moved, not just grew.
            for (double angle : new double[]{0, 30, 45, 90, 200}) {
                double rad = halfLevelRadius(s, 80, 80, Math.toRadians(angle));
                assertEquals(r0 + d, rad, 0.7, "shift " + shift + "% at " + angle + "°");
            }
        }
    }

    /** Radius where α crosses ½ along a ray from the centre (linear interpolation of bilinear samples). */
    static double halfLevelRadius(FloatImage a, double cx, double cy, double angle) {
        double prev = bilinear(a, cx, cy), prevR = 0;
        for (double r = 0.25; r < 79; r += 0.25) {
            double v = bilinear(a, cx + r * Math.cos(angle), cy + r * Math.sin(angle));
            if (prev >= 0.5 && v < 0.5) return prevR + (prev - 0.5) / (prev - v) * (r - prevR);
            prev = v;
            prevR = r;
        }
        return Double.NaN;
    }

    static double bilinear(FloatImage a, double x, double y) {
        // α at pixel centre (i, j) is sampled at (i, j) here (the disc's centre is in the same convention)
        int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y);
        double fx = x - x0, fy = y - y0;
        return (1 - fy) * ((1 - fx) * at(a, x0, y0) + fx * at(a, x0 + 1, y0)) + fy * ((1 - fx) * at(a, x0, y0 + 1) + fx * at(a, x0 + 1, y0 + 1));
    }

    static float at(FloatImage a, int x, int y) {
        return a.get(Math.max(0, Math.min(a.width - 1, x)), Math.max(0, Math.min(a.height - 1, y)), 0);
    }

    @Test
    void shiftKeepsTheEdgeProfile() {
        // A straight soft edge moved by 5 px: the profile is the original profile translated.
        int w = 120, h = 6;
        FloatImage a = new FloatImage(w, h, 1);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) a.set(x, y, 0, (float) phi((60 - x) / 3.0));
        FloatImage s = new AlphaRefiner().apply(a, Refinements.NONE.withShiftEdge(50), 20); // d = 5 px
        for (int x = 20; x < 100; x++) assertEquals(phi((65 - x) / 3.0), s.get(x, 3, 0), 0.03, "x=" + x);
        FloatImage in = new AlphaRefiner().apply(a, Refinements.NONE.withShiftEdge(-25), 20); // d = −2.5 px
        for (int x = 20; x < 100; x++) assertEquals(phi((57.5 - x) / 3.0), in.get(x, 3, 0), 0.03, "x=" + x);
    }

    @Test
    void contrastFollowsItsCurveKeepsZeroAndOneAndSteepens() {
        FloatImage ramp = new FloatImage(101, 1, 1);
        for (int x = 0; x <= 100; x++) ramp.set(x, 0, 0, x / 100f);
        for (double c : new double[]{10, 50, 90, 100}) {
            FloatImage out = new AlphaRefiner().apply(ramp, Refinements.NONE.withContrast(c), 0);
            assertEquals(0f, out.get(0, 0, 0), "0 stays 0 at " + c + "%");
            assertEquals(1f, out.get(100, 0, 0), "1 stays 1 at " + c + "%");
            assertEquals(c >= 100 ? 1 : 0.5, out.get(50, 0, 0), 1e-6, "½ is the pivot");
            for (int x = 1; x <= 100; x++) {
                assertTrue(out.get(x, 0, 0) >= out.get(x - 1, 0, 0), "monotone");
                assertEquals(AlphaRefiner.contrastCurve(x / 100.0, c), out.get(x, 0, 0), 1e-6);
            }
            if (c < 100) {
                // direct reference: the levels stretch 0.5 + (α − 0.5)·s, s = 1 / (1 − c), clamped
                double s = 1 / (1 - c / 100);
                for (int x = 0; x <= 100; x++)
                    assertEquals(Math.max(0, Math.min(1, 0.5 + (x / 100.0 - 0.5) * s)), out.get(x, 0, 0), 1e-5, c + "% at " + x);
            }
        }
        // A soft disc edge gets narrower: fewer pixels strictly between 0.05 and 0.95.
        FloatImage soft = new AlphaRefiner().apply(disc(N, N, 80, 80, 40), feather(4), 0);
        FloatImage hard = new AlphaRefiner().apply(soft, Refinements.NONE.withContrast(60), 0);
        assertTrue(transition(hard) < 0.5 * transition(soft), transition(hard) + " vs " + transition(soft));
        assertEquals(sum(soft), sum(hard), 0.01 * sum(soft), "symmetric curve: the disc keeps its area");
    }

    static int transition(FloatImage a) {
        int n = 0;
        for (float v : a.data) if (v > 0.05f && v < 0.95f) n++;
        return n;
    }

    @Test
    void smoothRemovesAPlantedJagAndLeavesTheRestAlone() {
        FloatImage clean = disc(N, N, 80, 80, 40);
        FloatImage jag = clean.copy();
        // a spike 3 px wide and 7 px long sticking out at the right, and a 3 × 6 notch cut in at the left
        for (int y = 79; y <= 81; y++) for (int x = 120; x < 127; x++) jag.set(x, y, 0, 1f);
        for (int y = 79; y <= 81; y++) for (int x = 40; x < 46; x++) jag.set(x, y, 0, 0f);
        // soft detail far from the disc: a uniform veil α = 0.4, which Smooth must not touch
        for (int y = 5; y < 30; y++) for (int x = 5; x < 30; x++) jag.set(x, y, 0, 0.4f);
        FloatImage s = new AlphaRefiner().apply(jag, Refinements.NONE.withSmooth(40), 0); // σ = 4 px
        for (int x = 124; x < 127; x++) assertTrue(s.get(x, 80, 0) < 0.1, "spike gone at x=" + x + ": " + s.get(x, 80, 0));
        assertTrue(s.get(42, 80, 0) > 0.7, "notch mostly filled 2 px inside the edge: " + s.get(42, 80, 0));
        for (int x = 43; x < 46; x++) assertTrue(s.get(x, 80, 0) > 0.9, "notch filled at x=" + x + ": " + s.get(x, 80, 0));
        for (int y = 10; y < 25; y++) for (int x = 10; x < 25; x++) assertEquals(0.4f, s.get(x, y, 0), 1e-5f, "veil kept");
        // away from the jags the disc is what it was: the ½ level within 0.5 px of r = 40
        for (double angle : new double[]{45, 90, 135, 225, 270, 315})
            assertEquals(40, halfLevelRadius(s, 80, 80, Math.toRadians(angle)), 0.5, angle + "°");
        assertEquals(0f, s.get(80, 80, 0) - 1f, 1e-6, "inside stays 1");
        assertEquals(0f, s.get(150, 150, 0), 1e-6, "outside stays 0");
    }

    @Test
    void noRefinementIsACopyAndInputIsNeverChanged() {
        FloatImage d = disc(50, 40, 25, 20, 10);
        float[] before = d.data.clone();
        FloatImage same = new AlphaRefiner().apply(d, Refinements.NONE, 30);
        assertNotSame(d, same);
        assertArrayEquals(before, same.data);
        new AlphaRefiner().apply(d, new Refinements(30, 3, 40, -50, 100), 30);
        assertArrayEquals(before, d.data, "input untouched");
    }

    @Test
    void previewIsTheFullResolutionResultReduced() {
        int w = 900, h = 600;
        FloatImage full = disc(w, h, 450, 300, 200);
        Refinements r = new Refinements(20, 6, 30, 40, 100);
        double band = 30;
        FloatImage big = new AlphaRefiner().apply(full, r, band);
        RefinePreview preview = new RefinePreview();
        FloatImage small = preview.refine(full, r, band, 300);
        assertEquals(3, preview.factor());
        assertEquals(300, small.width);
        assertEquals(200, small.height);
        FloatImage reduced = studio.matting.image.ImageOps.boxReduce(big, 3);
        float err = maxDiff(small.data, reduced.data);
        assertTrue(err < 0.12, "preview vs reduced export, max " + err);
        double mean = 0;
        for (int i = 0; i < small.data.length; i++) mean += Math.abs(small.data[i] - reduced.data[i]);
        assertTrue(mean / small.data.length < 0.003, "mean " + mean / small.data.length);
        // the reduction is cached: the same α object gives the same reduction, a new slider value only re-refines
        FloatImage again = preview.refine(full, r.withFeather(0), band, 300);
        assertEquals(300, again.width);

        // layers for the composite preview: photo and F reduced alike, colours decontaminated by the amount
        studio.matting.image.ByteImage photo = new studio.matting.image.ByteImage(w, h, 3);
        FloatImage fg = new FloatImage(w, h, 3);
        for (int i = 0; i < photo.data.length; i++) {
            photo.data[i] = (byte) (i % 251);
            fg.data[i] = 0.25f;
        }
        RefinePreview.Layers none = preview.layers(photo, full, fg, r.withDecontaminate(0), band, 300);
        assertEquals(300, none.image().width);
        assertEquals(200, none.alpha().height);
        for (int i = 0; i < none.foreground().data.length; i++)
            assertEquals((none.image().data[i] & 0xFF) / 255f, none.foreground().data[i], 1e-6f, "0 %: the (reduced) photo's colours");
        RefinePreview.Layers all = preview.layers(photo, full, fg, r, band, 300);
        assertSame(none.image(), all.image(), "reduced photo cached");
        for (float v : all.foreground().data) assertEquals(0.25f, v, 1e-6f, "100 %: the (reduced) estimated F");
    }
}
