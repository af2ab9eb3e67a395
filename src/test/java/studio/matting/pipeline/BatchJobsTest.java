package studio.matting.pipeline;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class BatchJobsTest {
    @Test
    void defaultIsOnePerCoreCappedByTheHeap() {
        assertEquals(2, BatchJobs.defaultJobs(2, 8L << 30));
        assertEquals(3, BatchJobs.defaultJobs(16, 3L << 30), "one per GiB of heap");
        assertEquals(1, BatchJobs.defaultJobs(4, 512L << 20), "never below one");
        assertThrows(IllegalArgumentException.class, () -> new BatchJobs(0));
    }

    @Test
    void anImageThatRunsOutOfMemoryIsRetriedAloneOnce() throws Exception {
        BatchJobs batch = new BatchJobs(2);
        AtomicInteger inFlight = new AtomicInteger(), attempts = new AtomicInteger(), othersDuringRetry = new AtomicInteger(-1);
        CountDownLatch slowStarted = new CountDownLatch(1), failed = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<String> slow = pool.submit(() -> batch.call(() -> {
                inFlight.incrementAndGet();
                slowStarted.countDown();
                try {
                    assertTrue(failed.await(5, TimeUnit.SECONDS));
                    Thread.sleep(100); // the retry must wait for this image to finish
                    return "slow";
                } finally {
                    inFlight.decrementAndGet();
                }
            }));
            assertTrue(slowStarted.await(5, TimeUnit.SECONDS));
            Future<String> big = pool.submit(() -> batch.call(() -> {
                if (attempts.incrementAndGet() == 1) {
                    failed.countDown();
                    throw new OutOfMemoryError("test");
                }
                othersDuringRetry.set(inFlight.get());
                return "big";
            }));
            assertEquals("big", big.get(5, TimeUnit.SECONDS));
            assertEquals("slow", slow.get(5, TimeUnit.SECONDS));
            assertEquals(2, attempts.get());
            assertEquals(0, othersDuringRetry.get(), "the retry ran with no other image in flight");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSecondFailureOrASingleJobIsReported() {
        AtomicInteger attempts = new AtomicInteger();
        assertThrows(OutOfMemoryError.class, () -> new BatchJobs(2).call(() -> {
            attempts.incrementAndGet();
            throw new OutOfMemoryError("test");
        }));
        assertEquals(2, attempts.get());
        attempts.set(0);
        assertThrows(OutOfMemoryError.class, () -> new BatchJobs(1).call(() -> {
            attempts.incrementAndGet();
            throw new OutOfMemoryError("test");
        }));
        assertEquals(1, attempts.get(), "alone already: no retry");
    }
}
