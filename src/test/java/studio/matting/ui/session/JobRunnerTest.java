package studio.matting.ui.session;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

class JobRunnerTest {

    @Test
    void outcomeArrivesOnTheUiExecutorAndBusyEndsAfterIt() throws Exception {
        ExecutorService ui = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-ui"));
        JobRunner jobs = new JobRunner(ui);
        AtomicReference<String> thread = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        jobs.submit(ctx -> 42, JobRunner.outcome(v -> {
            thread.set(Thread.currentThread().getName() + ":" + v);
            done.countDown();
        }, e -> { }));
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals("test-ui:42", thread.get());
        for (int i = 0; i < 100 && jobs.isBusy(); i++) Thread.sleep(10);
        assertFalse(jobs.isBusy());
        jobs.shutdown();
        ui.shutdown();
    }

    /** A window closed while a job ran: its outcome is dropped, not posted to a UI executor that is gone. */
    @Test
    void jobFinishingAfterShutdownIsDroppedQuietly() throws Exception {
        ExecutorService ui = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-ui"));
        JobRunner jobs = new JobRunner(ui);
        CountDownLatch started = new CountDownLatch(1), release = new CountDownLatch(1);
        AtomicInteger outcomes = new AtomicInteger();
        AtomicReference<Throwable> uncaught = new AtomicReference<>();
        jobs.submit(ctx -> {
            Thread.currentThread().setUncaughtExceptionHandler((t, e) -> uncaught.set(e));
            started.countDown();
            // shutdownNow interrupts; keep waiting so the job really ends after both executors stopped
            while (true) {
                try {
                    if (release.await(5, TimeUnit.SECONDS)) break;
                } catch (InterruptedException e) {
                    // the window closed; finish anyway like a native call that ignores interrupts
                }
            }
            return "late";
        }, JobRunner.outcome(v -> outcomes.incrementAndGet(), e -> outcomes.incrementAndGet()));
        assertTrue(started.await(5, TimeUnit.SECONDS));
        jobs.shutdown();
        ui.shutdown();
        assertTrue(ui.awaitTermination(5, TimeUnit.SECONDS));
        release.countDown();
        for (int i = 0; i < 200 && jobs.isBusy(); i++) Thread.sleep(10);
        assertFalse(jobs.isBusy(), "the dropped job no longer counts as pending");
        assertEquals(0, outcomes.get());
        assertNull(uncaught.get());
        // and nothing new is accepted
        jobs.submit(ctx -> 1, JobRunner.outcome(v -> outcomes.incrementAndGet(), e -> { }));
        assertFalse(jobs.isBusy());
    }
}
