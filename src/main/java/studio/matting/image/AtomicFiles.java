package studio.matting.image;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a failure (full disk, crash, exception in the encoder) never leaves a truncated file at the
 * target and never destroys an existing one: the bytes go to a temporary file in the same folder, which is then
 * renamed over the target.
 */
public final class AtomicFiles {
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> DEFAULT_PERMS =
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");

    private AtomicFiles() { }

    public static void write(Path target, boolean overwrite, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) Files.createDirectories(dir);
        if (!overwrite && Files.exists(abs)) throw new FileAlreadyExistsException(abs.toString(), null, "file exists (not overwriting)");
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".part");
        boolean done = false;
        try {
            // createTempFile makes the file owner-only; an exported image should get the usual permissions.
            try {
                Files.setPosixFilePermissions(tmp, Files.exists(abs) ? Files.getPosixFilePermissions(abs) : DEFAULT_PERMS);
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system (Windows): the default ACLs apply
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                writer.write(out);
            }
            try {
                if (overwrite) Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                else Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                if (overwrite) Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
                else Files.move(tmp, abs);
            }
            done = true;
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
    }

    public static void write(Path target, boolean overwrite, byte[] bytes) throws IOException {
        write(target, overwrite, out -> out.write(bytes));
    }
}
