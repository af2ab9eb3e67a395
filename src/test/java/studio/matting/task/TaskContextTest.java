package studio.matting.task;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.*;

class TaskContextTest {
    @Test
    void subRangeMapsProgressIntoParentRange() {
        List<Double> seen = new ArrayList<>();
        CancellationToken token = new CancellationToken((f, m) -> seen.add(f));
        TaskContext second = token.sub(0.5, 1.0);
        second.progress(0.0, "a");
        second.progress(0.5, "b");
        second.progress(2.0, "clamped");
        assertEquals(List.of(0.5, 0.75, 1.0), seen);
    }

    @Test
    void cancelPropagatesToSubContexts() {
        CancellationToken token = new CancellationToken();
        TaskContext sub = token.sub(0, 0.3);
        assertDoesNotThrow(sub::checkCancelled);
        token.cancel();
        assertTrue(sub.isCancelled());
        assertThrows(CancellationException.class, sub::checkCancelled);
    }
}
