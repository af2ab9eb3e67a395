package studio.matting.image;

import java.io.EOFException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * The user-facing reason behind an I/O failure. The JDK's messages often hide it: an {@code AccessDeniedException}'s
 * message is just the path, ImageIO wraps a full disk as "I/O error writing PNG file!", and a symbolic-link loop
 * surfaces as a generic file-system error. This walks the cause chain and names what went wrong.
 */
public final class FileProblems {
    private FileProblems() { }

    /** What a failure means for the user: "permission denied", "the disk is full", … or the deepest message. */
    public static String reason(Throwable e) {
        String fallback = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String known = known(t);
            if (known != null) return known;
            if (fallback == null && t.getMessage() != null && !t.getMessage().isBlank()) fallback = t.getMessage();
        }
        return fallback != null ? fallback : e.getClass().getSimpleName();
    }

    /** True when the failure was the disk (or a quota, or a file-size limit) running out of room. */
    public static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = lower(t);
            if (m.contains("no space left") || m.contains("disk quota") || m.contains("not enough space")
                    || m.contains("there is not enough space") || m.contains("file too large")) return true;
        }
        return false;
    }

    /** True when the cause chain shows input that ended early (an {@link EOFException} or a decoder saying so). */
    public static boolean isTruncation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof EOFException) return true;
            String m = lower(t);
            if (m.contains("truncated") || m.contains("premature end") || m.contains("unexpected end")) return true;
        }
        return false;
    }

    private static String known(Throwable t) {
        if (t instanceof AccessDeniedException) return "permission denied";
        if (t instanceof FileSystemLoopException) return "symbolic link loop";
        if (t instanceof NoSuchFileException) return "no such file or folder";
        if (t instanceof NotDirectoryException) return "not a folder";
        String m = lower(t);
        if (m.contains("no space left") || m.contains("not enough space")) return "the disk is full";
        if (m.contains("disk quota")) return "disk quota exceeded";
        if (m.contains("file too large")) return "file size limit exceeded";
        if (m.contains("too many levels of symbolic links")) return "symbolic link loop";
        if (m.contains("read-only file system")) return "read-only file system";
        if (m.contains("permission denied") || m.contains("access is denied")) return "permission denied";
        if (t instanceof FileSystemException fse && fse.getReason() != null && !fse.getReason().isBlank())
            return fse.getReason();
        return null;
    }

    private static String lower(Throwable t) {
        String m = t instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() + " " + t.getMessage() : t.getMessage();
        return m == null ? "" : m.toLowerCase(Locale.ROOT);
    }
}
