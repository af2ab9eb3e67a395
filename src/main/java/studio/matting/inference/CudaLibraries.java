package studio.matting.inference;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Looks for the CUDA 12 / cuDNN 9 libraries ONNX Runtime's CUDA provider needs, on the file system only. ONNX Runtime
 * itself is no help: {@code getAvailableProviders()} lists CUDA whenever the GPU jar is used, and a failing
 * {@code addCUDA} costs seconds (it unpacks a large provider library first), so we only probe when these exist.
 */
final class CudaLibraries {
    private CudaLibraries() { }

    /** @return empty when every library was found, else the user-facing reason ("libcublasLt.so.12 missing"). */
    static Optional<String> missing() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
        List<String> needed = windows ? List.of("cublasLt64_12.dll", "cudnn64_9.dll")
                : List.of("libcublasLt.so.12", "libcudnn.so.9");
        return missing(needed, searchDirs(windows));
    }

    static Optional<String> missing(List<String> needed, Set<Path> dirs) {
        List<String> absent = new ArrayList<>();
        for (String lib : needed) {
            boolean found = false;
            for (Path d : dirs) {
                if (Files.exists(d.resolve(lib))) { found = true; break; }
            }
            if (!found) absent.add(lib);
        }
        return absent.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", absent) + " missing");
    }

    static Set<Path> searchDirs(boolean windows) {
        Set<Path> dirs = new LinkedHashSet<>();
        addPathList(dirs, System.getenv(windows ? "PATH" : "LD_LIBRARY_PATH"));
        if (windows) {
            String cudaPath = System.getenv("CUDA_PATH");
            if (cudaPath != null) dirs.add(Path.of(cudaPath, "bin"));
        } else {
            for (String d : List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib",
                    "/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib")) dirs.add(Path.of(d));
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/usr/local"), "cuda-*")) {
                for (Path p : ds) dirs.add(p.resolve("lib64"));
            } catch (IOException | RuntimeException ignored) {
                // no /usr/local or unreadable: nothing more to search
            }
        }
        return dirs;
    }

    private static void addPathList(Set<Path> dirs, String list) {
        if (list == null) return;
        for (String s : list.split(File.pathSeparator)) {
            if (s.isBlank()) continue;
            try {
                dirs.add(Path.of(s.trim()));
            } catch (RuntimeException ignored) {
                // an invalid PATH entry cannot hold a library
            }
        }
    }
}
