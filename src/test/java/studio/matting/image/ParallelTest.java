package studio.matting.image;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelTest {
    @Test
    void eachRunsEveryItemExactlyOnce() {
        for (int count : new int[] {0, 1, 2, 3, 17, 1000}) {
            AtomicIntegerArray seen = new AtomicIntegerArray(Math.max(1, count));
            Parallel.each(count, i -> seen.incrementAndGet(i));
            for (int i = 0; i < count; i++) assertEquals(1, seen.get(i), "item " + i + " of " + count);
        }
    }

    /** Of the same type (the fork-join pool may wrap the one from another thread in a copy that names it). */
    @Test
    void eachPassesAnItemsExceptionToTheCaller() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.each(50, i -> {
            if (i == 31) throw new IllegalStateException("item 31");
        }));
        assertTrue(e.getMessage().contains("item 31"), e.getMessage());
    }
}
