package studio.matting.image;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

    /** Which threads ran the bands of one large {@link Parallel#rows} call, and that every row ran once. */
    private static java.util.Set<Thread> bandThreads() {
        java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        int h = 4096;
        AtomicIntegerArray seen = new AtomicIntegerArray(h);
        Parallel.rows(h, 4096, (y0, y1) -> {
            threads.add(Thread.currentThread());
            for (int y = y0; y < y1; y++) seen.incrementAndGet(y);
        });
        for (int y = 0; y < h; y++) assertEquals(1, seen.get(y));
        return threads;
    }

    @Test
    void jobsThatFillEveryWorkerRunTheirKernelsOnTheirOwnThread() throws Exception {
        int n = Parallel.threads();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            // every job waits until all are inside asJob, so the jobs fill the workers while each calls the kernel
            CyclicBarrier inside = new CyclicBarrier(n);
            List<Future<java.util.Set<Thread>>> jobs = new ArrayList<>();
            for (int j = 0; j < n; j++) jobs.add(pool.submit(() -> Parallel.asJob(() -> {
                inside.await(10, TimeUnit.SECONDS);
                java.util.Set<Thread> t = bandThreads();
                assertTrue(t.size() == 1 && t.contains(Thread.currentThread()), "the job's own thread ran every band: " + t);
                // a nested job is the same job
                assertEquals(Boolean.TRUE, Parallel.asJob(() -> bandThreads().equals(java.util.Set.of(Thread.currentThread()))));
                inside.await(10, TimeUnit.SECONDS);
                return t;
            })));
            for (Future<java.util.Set<Thread>> f : jobs) f.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        if (n > 1) {
            // one job alone leaves workers free: its kernels are split again (the pool's workers take bands)
            boolean split = false;
            for (int attempt = 0; attempt < 20 && !split; attempt++)
                split = Parallel.asJob(() -> bandThreads().stream().anyMatch(t -> t != Thread.currentThread()));
            assertTrue(split, "a lone job's kernel never reached a pool worker");
        }
    }
}
