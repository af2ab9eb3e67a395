package studio.matting.refine;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import studio.matting.trimap.Trimap;

import static org.junit.jupiter.api.Assertions.*;

/** Settings: Select and Mask's ranges, JSON round trip for the project file, band width. */
class RefinementsTest {
    @Test
    void rangesAreSelectAndMasks() {
        new Refinements(100, 250, 100, -100, 0);
        new Refinements(0, 0, 0, 100, 100);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Refinements(101, 0, 0, 0, 100));
        assertTrue(e.getMessage().contains("smooth must be between 0 and 100"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Refinements(0, 250.5, 0, 0, 100));
        assertThrows(IllegalArgumentException.class, () -> new Refinements(0, 0, -1, 0, 100));
        assertThrows(IllegalArgumentException.class, () -> new Refinements(0, 0, 0, -101, 100));
        assertThrows(IllegalArgumentException.class, () -> new Refinements(0, 0, 0, 0, Double.NaN));
        assertTrue(Refinements.NONE.alphaIdentity());
        assertFalse(Refinements.NONE.withShiftEdge(-3).alphaIdentity());
    }

    @Test
    void jsonRoundTripAndErrors() throws Exception {
        Refinements r = new Refinements(12, 3.5, 40, -25, 80);
        assertEquals(r, Refinements.fromJsonString(r.toJsonString()));
        assertEquals(r, Refinements.fromJson(new ObjectMapper().readTree(r.toJson().toString())));
        assertEquals(Refinements.NONE, Refinements.fromJson(null), "older projects have no refinements");
        assertEquals(Refinements.NONE.withFeather(2), Refinements.fromJsonString("{\"feather\": 2}"), "missing fields take defaults");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Refinements.fromJsonString("{\"contrast\": \"high\"}"));
        assertTrue(e.getMessage().contains("refinements.contrast must be a number"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Refinements.fromJsonString("{\"feather\": 999}"));
        assertThrows(IllegalArgumentException.class, () -> Refinements.fromJsonString("{\"feather\": "));
        assertThrows(IllegalArgumentException.class, () -> Refinements.fromJsonString("[1, 2]"));
    }

    @Test
    void bandWidthOfAStripe() {
        Trimap t = Trimap.filled(100, 80, Trimap.BACKGROUND);
        for (int y = 0; y < 80; y++) for (int x = 40; x < 52; x++) t.set(x, y, Trimap.UNKNOWN);
        assertEquals(12, EdgeBand.width(t), 0.01);
        assertEquals(EdgeBand.DEFAULT_WIDTH, EdgeBand.width(Trimap.filled(10, 10, Trimap.FOREGROUND)));
        assertEquals(EdgeBand.DEFAULT_WIDTH, EdgeBand.width(null));
    }
}
