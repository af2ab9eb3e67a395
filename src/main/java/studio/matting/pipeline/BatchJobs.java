package studio.matting.pipeline;

import studio.matting.image.Parallel;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * How many images a batch works on at once, and running one of them alone when it ran out of memory beside others.
 * <p>One image never keeps every core busy: decoding, the bust test, PNG filtering and the triangular solves leave a
 * core idle part of the time, so a second image in flight fills those gaps (matte on 12 portraits of 1200×1600, 2
 * cores: 1.73 s per image with one job, 1.17 s with two). Each image in flight holds its own buffers, so the default
 * is also capped by the heap ({@link #BYTES_PER_JOB} each), and an image that runs out of memory is retried once with
 * the batch's other workers held back ({@link #call}) instead of being reported failed. Each image runs as a
 * {@link Parallel#asJob}: while the images in flight fill every core, their kernels are not split into bands.
 */
public final class BatchJobs {
    /** Heap set aside per image in flight for the default (a 12 MP photo's solve needs about this). */
    public static final long BYTES_PER_JOB = 1L << 30;

    private final int jobs;
    /** Every image holds the read lock; an out-of-memory retry takes the write lock and so runs alone. */
    private final ReadWriteLock gate = new ReentrantReadWriteLock();

    public BatchJobs(int jobs) {
        if (jobs < 1) throw new IllegalArgumentException("jobs must be >= 1");
        this.jobs = jobs;
    }

    /** One image per core, as many as the heap holds at {@link #BYTES_PER_JOB} each, at least one. */
    public static int defaultJobs() {
        return defaultJobs(Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory());
    }

    static int defaultJobs(int cores, long maxHeap) {
        return (int) Math.max(1, Math.min(cores, maxHeap / BYTES_PER_JOB));
    }

    public int jobs() { return jobs; }

    /**
     * Runs one image's work. When it throws {@link OutOfMemoryError} while other images may be in flight, it is run
     * once more alone (the others finish their current image and wait); a second failure is thrown.
     */
    public <T> T call(Callable<T> work) throws Exception {
        gate.readLock().lock();
        try {
            return Parallel.asJob(work);
        } catch (OutOfMemoryError e) {
            if (jobs == 1) throw e;
        } finally {
            gate.readLock().unlock();
        }
        gate.writeLock().lock();
        try {
            return Parallel.asJob(work);
        } finally {
            gate.writeLock().unlock();
        }
    }
}
