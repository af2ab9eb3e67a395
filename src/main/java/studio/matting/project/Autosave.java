package studio.matting.project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Crash recovery: every N edits ({@link #countEdit}) the session is written (atomically, image embedded so nothing
 * depends on files that may move) to a recovery file. Counting and writing are separate calls so an editor can count
 * and snapshot on its UI thread and write on a worker. On the next start {@link #findRecovery} tells whether the last session ended
 * without {@link #clear()} — i.e. it crashed — and the app can offer to restore it.
 */
public final class Autosave {
    public static final String FILE_NAME = "recovery" + ProjectFiles.EXTENSION;

    private final Path directory;
    private final int everyEdits;
    private int edits;

    /** The default recovery folder, {@code ~/.matting-studio/recovery/}. */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".matting-studio", "recovery");
    }

    public Autosave(Path directory, int everyEdits) {
        if (everyEdits <= 0) throw new IllegalArgumentException("autosave interval must be positive");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.everyEdits = everyEdits;
    }

    public Path file() {
        return directory.resolve(FILE_NAME);
    }

    /** Counts one edit; true on every N-th, when the caller should {@link #save} a snapshot. */
    public synchronized boolean countEdit() {
        edits++;
        return edits % everyEdits == 0;
    }

    public synchronized void save(Project p) throws IOException {
        ProjectFiles.save(p, file(), true, true);
    }

    /** Call on clean exit: removes the recovery file, so the next start offers nothing. */
    public synchronized void clear() throws IOException {
        Files.deleteIfExists(file());
        edits = 0;
    }

    public static Optional<Path> findRecovery(Path directory) {
        Path f = directory.resolve(FILE_NAME);
        return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
    }

    public Optional<Path> findRecovery() {
        return findRecovery(directory);
    }
}
