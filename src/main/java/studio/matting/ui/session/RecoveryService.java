package studio.matting.ui.session;

import studio.matting.project.Autosave;
import studio.matting.project.Project;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Crash recovery for the editor: every {@link #EVERY} trimap edits a snapshot of the session is taken on the UI
 * thread (so it is consistent) and written by the job runner (atomic write, off the UI thread). A clean exit removes
 * the file; a file found at start-up means the last session crashed.
 */
public final class RecoveryService {
    public static final int EVERY = 5;

    private final Autosave autosave;
    private final Supplier<Project> snapshot;
    private final JobRunner jobs;
    private final Consumer<String> failed;

    /**
     * @param snapshot the session as a project now, or null when there is nothing to save
     * @param failed   told (UI thread) the message of a write that failed; editing goes on
     */
    public RecoveryService(Path directory, Supplier<Project> snapshot, JobRunner jobs, Consumer<String> failed) {
        this.autosave = new Autosave(directory, EVERY);
        this.snapshot = snapshot;
        this.jobs = jobs;
        this.failed = failed;
    }

    public Path file() { return autosave.file(); }

    /** One edit; every {@link #EVERY}-th writes a snapshot in the background. */
    public void edited() {
        if (!autosave.countEdit()) return;
        Project p = snapshot.get();
        if (p == null) return;
        jobs.submit(ctx -> {
            autosave.save(p);
            return null;
        }, JobRunner.outcome(r -> { }, e -> failed.accept(JobRunner.message(e))));
    }

    public Optional<Path> findRecovery() { return autosave.findRecovery(); }

    /** Removes the recovery file (clean exit, or the user declined to restore it). */
    public void clear() {
        try {
            autosave.clear();
        } catch (IOException e) {
            System.err.println("Could not remove the recovery file: " + e.getMessage());
        }
    }
}
