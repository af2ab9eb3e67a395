package studio.matting.image;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes files so that a failure (full disk, crash, exception in the encoder) never leaves a truncated file at the
 * target and never destroys an existing one: the bytes go to a temporary file in the same folder, which is then
 * renamed over the target.
 * <p>Temporary files are named {@code .NAME.PID-RANDOM.part}: a process killed with {@code kill -9} cannot delete its
 * own, so the next run removes those whose process is gone ({@link #removeStaleParts}). A {@link Staging} folder holds
 * several outputs until all of them are written, so a set of files appears together or not at all (up to the renames
 * themselves, which take microseconds; a reader that needs the whole set checks every member).
 */
public final class AtomicFiles {
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> DEFAULT_PERMS =
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
    private static final long PID = ProcessHandle.current().pid();
    /** {@code .NAME.PID-RANDOM.part}: ours, from this version on. */
    private static final Pattern PART = Pattern.compile("^\\..+\\.(\\d+)-\\d+\\.part$");
    /** {@code .NAME.RANDOM.part}: what earlier versions wrote, with no process id to tell whether it is still in use. */
    private static final Pattern LEGACY_PART = Pattern.compile("^\\..+\\.\\d+\\.part$");

    /** Wraps every temporary file's stream; tests put a failing one here to see what a full disk does. */
    private static volatile UnaryOperator<OutputStream> streamFilter = UnaryOperator.identity();

    private AtomicFiles() { }

    public static void write(Path target, boolean overwrite, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        try {
            if (dir != null) Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot write " + abs + ": " + dir + " is a file, not a folder", e);
        } catch (IOException e) {
            throw new IOException("cannot write " + abs + ": cannot create its folder (" + FileProblems.reason(e) + ")", e);
        }
        if (!overwrite && Files.exists(abs)) throw new FileAlreadyExistsException(abs.toString(), null, "file exists (not overwriting)");
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + "." + PID + "-", ".part");
        } catch (IOException e) {
            throw failure(abs, e);
        }
        boolean done = false;
        try {
            // createTempFile makes the file owner-only; an exported image should get the usual permissions.
            try {
                Files.setPosixFilePermissions(tmp, Files.exists(abs) ? Files.getPosixFilePermissions(abs) : DEFAULT_PERMS);
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system (Windows): the default ACLs apply
            }
            try (OutputStream out = new BufferedOutputStream(streamFilter.apply(Files.newOutputStream(tmp)), 1 << 16)) {
                writer.write(out);
            }
            move(tmp, abs, overwrite);
            done = true;
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException e) {
            throw failure(abs, e);
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
    }

    public static void write(Path target, boolean overwrite, byte[] bytes) throws IOException {
        write(target, overwrite, out -> out.write(bytes));
    }

    private static void move(Path from, Path to, boolean replace) throws IOException {
        try {
            if (replace) Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            else Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            if (replace) Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            else Files.move(from, to);
        }
    }

    /** "cannot write FILE: the disk is full" and the like, the reason found in the cause chain. */
    private static IOException failure(Path target, IOException e) {
        String m = e.getMessage();
        if (m != null && m.startsWith("cannot write ")) return e;
        return new IOException("cannot write " + target + ": " + FileProblems.reason(e), e);
    }

    /**
     * Removes temporary files and staging folders left in {@code dir} by processes that no longer run (killed before
     * they could clean up). Entries of running processes, this one included, are left alone: another run may be
     * writing into the same folder right now. Returns how many were removed.
     */
    public static int removeStaleParts(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) return 0;
        int removed = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".*.part")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                Matcher m = PART.matcher(n);
                boolean stale;
                if (m.matches()) {
                    long pid = Long.parseLong(m.group(1));
                    stale = pid != PID && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
                } else {
                    stale = LEGACY_PART.matcher(n).matches();
                }
                if (stale && deleteTree(p)) removed++;
            }
        } catch (IOException | RuntimeException ignored) {
            // an unreadable folder holds nothing we could remove
        }
        return removed;
    }

    private static boolean deleteTree(Path p) {
        try {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.walkFileTree(p, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                        Files.deleteIfExists(f);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                        Files.deleteIfExists(d);
                        return FileVisitResult.CONTINUE;
                    }
                });
            } else {
                Files.deleteIfExists(p);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A hidden folder beside the targets where a set of outputs is written in full before any of them is put in place
     * ({@link #commit}); {@link #close} without a commit removes it and everything in it. Named like a temporary file
     * ({@code .NAME.PID-RANDOM.part}), so {@link #removeStaleParts} removes one a killed process left behind.
     */
    public static final class Staging implements AutoCloseable {
        private enum State { OPEN, COMMITTED, ABORTED }

        private final Path target;
        private final Path dir;
        private State state = State.OPEN;

        private Staging(Path target, Path dir) {
            this.target = target;
            this.dir = dir;
        }

        /** A staging folder for outputs that will go into {@code targetDir}, named after {@code name}. */
        public static Staging create(Path targetDir, String name) throws IOException {
            Path abs = targetDir.toAbsolutePath();
            try {
                Files.createDirectories(abs);
            } catch (FileAlreadyExistsException e) {
                throw new IOException("cannot write into " + abs + ": it is a file, not a folder", e);
            } catch (IOException e) {
                throw new IOException("cannot write into " + abs + ": " + FileProblems.reason(e), e);
            }
            for (int attempt = 0; ; attempt++) {
                long r = java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
                Path d = abs.resolve("." + name + "." + PID + "-" + r + ".part");
                try {
                    return new Staging(abs, Files.createDirectory(d));
                } catch (FileAlreadyExistsException e) {
                    if (attempt > 100) throw e;
                } catch (IOException e) {
                    throw new IOException("cannot write into " + abs + ": " + FileProblems.reason(e), e);
                }
            }
        }

        /** Where to write the outputs (with their final names). */
        public Path dir() {
            return dir;
        }

        /** The folder the outputs go to. */
        public Path target() {
            return target;
        }

        /**
         * Moves every file written into the staging folder to the target folder, replacing files of the same name,
         * and removes the staging folder. Returns the targets, in name order.
         */
        public List<Path> commit() throws IOException {
            return commit(null);
        }

        /** As {@link #commit()}, calling {@code between} after each file is in place (for tests of interrupted sets). */
        public synchronized List<Path> commit(Runnable between) throws IOException {
            if (state == State.ABORTED) throw new IOException("interrupted: rolled back, nothing written");
            if (state == State.COMMITTED) throw new IllegalStateException("already committed");
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) if (!p.getFileName().toString().endsWith(".part")) files.add(p);
            }
            files.sort(null);
            List<Path> out = new ArrayList<>();
            for (Path f : files) {
                Path to = target.resolve(f.getFileName().toString());
                try {
                    move(f, to, true);
                } catch (IOException e) {
                    throw failure(to, e);
                }
                out.add(to);
                if (between != null) between.run();
            }
            state = State.COMMITTED;
            deleteTree(dir);
            return out;
        }

        /**
         * Rolls back a set not yet committed (waiting for a commit in progress to finish): the staging folder goes and
         * a later {@link #commit} fails. True when something was rolled back.
         */
        public synchronized boolean abort() {
            if (state != State.OPEN) return false;
            state = State.ABORTED;
            deleteTree(dir);
            return true;
        }

        /** Removes the staging folder unless committed: nothing of an unfinished set reaches the target folder. */
        @Override
        public synchronized void close() {
            if (state == State.OPEN) {
                state = State.ABORTED;
                deleteTree(dir);
            } else if (state == State.ABORTED) {
                deleteTree(dir); // a writer may have recreated it after an abort
            }
        }
    }

    /** Test hook: every later temporary file's stream goes through {@code filter} (identity restores). */
    public static void setStreamFilterForTests(UnaryOperator<OutputStream> filter) {
        streamFilter = filter == null ? UnaryOperator.identity() : filter;
    }
}
