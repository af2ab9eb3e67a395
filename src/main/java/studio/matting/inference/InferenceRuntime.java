package studio.matting.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The one place that owns ONNX Runtime: the environment, the execution-provider choice and the sessions (created once
 * per model file and device, then reused). CUDA is used when asked for (or on {@link Device#AUTO}) and its libraries
 * are present; otherwise, or when the CUDA provider fails, sessions run on the CPU and {@link #deviceDescription()}
 * says why. Creating the first session can take seconds, so call {@link #load} from a worker thread, never the UI
 * thread.
 */
public final class InferenceRuntime implements AutoCloseable {
    private static final Logger LOG = System.getLogger(InferenceRuntime.class.getName());
    /** Set to true to make loading ONNX Runtime's native library fail, as a full temp folder or a size limit does. */
    public static final String SIMULATE_LOAD_FAILURE = "matting.onnxruntime.simulateLoadFailure";
    private static InferenceRuntime shared;
    /** Once the native library failed to load, the same clear message for every later model (not NoClassDefFoundError). */
    private static volatile String nativeFailure;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, LoadedModel> sessions = new LinkedHashMap<>();
    // volatile, not guarded by the monitor: the UI thread reads the description while a worker holds the monitor
    // for seconds creating a session.
    private volatile Device requested;
    /** null until a session has been created (or the libraries were found missing): CUDA not yet tried. */
    private volatile Boolean cudaWorks;
    private volatile String cpuReason;
    private volatile boolean closed;

    /** A runtime for the given device preference. Most code should use {@link #shared()}. */
    public InferenceRuntime(Device requested) {
        this.requested = requested == null ? Device.AUTO : requested;
    }

    /**
     * The application-wide runtime, device taken from {@code -Dmatting.device}; its sessions are closed by a shutdown
     * hook.
     */
    public static synchronized InferenceRuntime shared() {
        if (shared == null) {
            InferenceRuntime rt = new InferenceRuntime(Device.fromSystemProperty());
            Runtime.getRuntime().addShutdownHook(new Thread(rt::closeQuietly, "onnxruntime-shutdown"));
            shared = rt;
        }
        return shared;
    }

    public Device requestedDevice() {
        return requested;
    }

    /**
     * Changes the device preference (the CLI's {@code --device}, the editor's setting). Open sessions are closed and
     * reopened on next use.
     */
    public void setDevice(Device device) {
        lock.writeLock().lock();
        try {
            synchronized (this) {
                Device d = device == null ? Device.AUTO : device;
                if (d == requested) return;
                requested = d;
                cudaWorks = null;
                cpuReason = null;
                closeSessions();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * "CUDA 0", or "CPU (...)" with the reason CUDA is not used, for the status bar and logs. Before the first session
     * it reports what will be tried (from a cheap library check).
     */
    public String deviceDescription() {
        if (requested == Device.CPU) return "CPU (requested)";
        if (Boolean.TRUE.equals(cudaWorks)) return "CUDA 0";
        if (cpuReason != null) return "CPU (" + cpuReason + ")";
        Optional<String> missing = CudaLibraries.missing();
        return missing.map(m -> "CPU (CUDA not found: " + m + ")").orElse("CUDA 0 (not yet initialised)");
    }

    /** True once a CUDA session was created successfully. */
    public boolean usingCuda() {
        return Boolean.TRUE.equals(cudaWorks);
    }

    /** Reads the card and loads its model (see {@link #load(ModelCard)}). */
    public LoadedModel load(Path cardPath) throws ModelException {
        return load(ModelCard.read(cardPath));
    }

    /**
     * The session for this card's model, created on first use: the file's SHA-256 is checked against the card, the
     * graph's input/output names and shapes against the card's, and a mismatch is refused with a
     * {@link ModelException} whose message names the file and the problem.
     */
    public LoadedModel load(ModelCard card) throws ModelException {
        environment(); // cheap once loaded; a library that cannot load fails every model the same clear way
        lock.readLock().lock();
        try {
            synchronized (this) {
                if (closed) throw new ModelException("Inference runtime is closed");
                Path model = card.modelPath();
                String key = model.toAbsolutePath().normalize() + "|" + requested;
                LoadedModel m = sessions.get(key);
                if (m != null && m.card().sha256().equals(card.sha256())) return m;
                if (m != null) { m.closeSession(); sessions.remove(key); }
                byte[] bytes = readVerified(card);
                m = createSession(card, bytes);
                sessions.put(key, m);
                return m;
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * {@link #load(ModelCard)} on a background daemon thread, for warming a model up (and learning the device) without
     * blocking the UI thread.
     */
    public CompletableFuture<LoadedModel> loadAsync(ModelCard card) {
        CompletableFuture<LoadedModel> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(load(card));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "model-load-" + card.name());
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static byte[] readVerified(ModelCard card) throws ModelException {
        Path model = card.modelPath();
        String label = "Model " + card.file();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(model);
        } catch (NoSuchFileException e) {
            throw new ModelException(label + ": missing file (expected at " + model + ")");
        } catch (IOException e) {
            throw new ModelException(label + ": cannot be read (" + e.getMessage() + ")", e);
        } catch (OutOfMemoryError e) {
            throw new ModelException(label + ": too large to load", e);
        }
        String actual = sha256(bytes);
        if (!actual.equals(card.sha256()))
            throw new ModelException(label + ": SHA-256 mismatch (card says " + card.sha256() + ", file is " + actual + ")");
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /**
     * The ONNX Runtime environment, or a {@link ModelException} saying why its native library cannot be loaded. The
     * library is unpacked into java.io.tmpdir first, so a full or read-only temp folder, a file-size limit (ulimit -f)
     * or a missing system library ends in UnsatisfiedLinkError, ExceptionInInitializerError or, on every later try,
     * NoClassDefFoundError: errors that would otherwise escape every {@code catch (Exception)} and end a batch.
     */
    static OrtEnvironment environment() throws ModelException {
        String failed = nativeFailure;
        if (failed != null) throw new ModelException(failed);
        boolean simulated = Boolean.getBoolean(SIMULATE_LOAD_FAILURE);
        try {
            if (simulated)
                throw new UnsatisfiedLinkError("simulated failure to unpack libonnxruntime (-D" + SIMULATE_LOAD_FAILURE + "=true)");
            return OrtEnvironment.getEnvironment();
        } catch (LinkageError | IllegalStateException e) {
            Throwable cause = e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
            String msg = "ONNX Runtime could not load its native library (" + firstLine(studio.matting.image.FileProblems.reason(cause))
                    + "), so no model can run. Likely causes: a full or unwritable temporary folder (" + System.getProperty("java.io.tmpdir")
                    + "; set -Djava.io.tmpdir=DIR), a file-size limit (ulimit -f), or a missing system library."
                    + " Without a model, give --mask or --trimap and a classical engine (closed-form).";
            if (!simulated) nativeFailure = msg; // a simulated failure ends when the property is cleared
            LOG.log(Level.DEBUG, msg, e);
            throw new ModelException(msg, e);
        }
    }

    /** True once loading the native library has failed (nothing that needs a model will work in this process). */
    public static boolean nativeLibraryFailed() {
        return nativeFailure != null;
    }

    private LoadedModel createSession(ModelCard card, byte[] bytes) throws ModelException {
        OrtEnvironment env = environment();
        String label = "Model " + card.file();
        boolean wantCuda = requested != Device.CPU && !Boolean.FALSE.equals(cudaWorks);
        if (wantCuda && cudaWorks == null) {
            Optional<String> missing = CudaLibraries.missing();
            if (missing.isPresent()) {
                cudaWorks = false;
                cpuReason = "CUDA not found: " + missing.get();
                wantCuda = false;
                logFallback();
            }
        }
        String cudaError = null;
        if (wantCuda) {
            OrtSession.SessionOptions opts = null;
            try {
                opts = baseOptions();
                opts.addCUDA(0);
                OrtSession s = openVerified(env, card, bytes, opts);
                cudaWorks = true;
                LOG.log(Level.INFO, "Loaded " + card.summary() + " on CUDA 0");
                return new LoadedModel(card, env, s, opts, "CUDA 0");
            } catch (OrtException e) {
                if (opts != null) opts.close();
                // Could be the provider (driver, libraries) or the model; the CPU attempt below decides which.
                cudaError = firstLine(e.getMessage());
                cudaWorks = false;
                cpuReason = "CUDA failed: " + cudaError;
            }
        }
        // A failed addCUDA leaves its options unusable, so the CPU always gets fresh ones.
        OrtSession.SessionOptions opts = null;
        try {
            opts = baseOptions();
            OrtSession s = openVerified(env, card, bytes, opts);
            if (cudaError != null) logFallback();
            LOG.log(Level.INFO, "Loaded " + card.summary() + " on " + deviceDescription());
            return new LoadedModel(card, env, s, opts, deviceDescription());
        } catch (OrtException e) {
            if (opts != null) opts.close();
            if (cudaError != null) {
                // The model failed on both providers: it is the model, so CUDA stays untried for the next one.
                cudaWorks = null;
                cpuReason = null;
            }
            String msg = e.getMessage() == null ? "" : e.getMessage();
            if (msg.contains("INVALID_PROTOBUF") || msg.toLowerCase().contains("protobuf parsing failed"))
                throw new ModelException(label + ": not an ONNX file (or it is damaged)", e);
            throw new ModelException(label + ": ONNX Runtime cannot load it (" + firstLine(msg) + ")", e);
        }
    }

    /** A session whose graph matches the card; on a mismatch the session and its options are closed. */
    private static OrtSession openVerified(OrtEnvironment env, ModelCard card, byte[] bytes, OrtSession.SessionOptions opts)
            throws OrtException, ModelException {
        OrtSession s = env.createSession(bytes, opts);
        try {
            verifyGraph(card, s);
            return s;
        } catch (ModelException e) {
            s.close();
            opts.close();
            throw e;
        }
    }

    private void logFallback() {
        Level level = requested == Device.CUDA ? Level.WARNING : Level.INFO;
        LOG.log(level, (requested == Device.CUDA ? "CUDA was requested but " : "") + "using the CPU: " + cpuReason);
    }

    private static OrtSession.SessionOptions baseOptions() throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        // One request at a time, each using all cores: conv nets parallelise well inside operators.
        o.setIntraOpNumThreads(Math.max(1, Runtime.getRuntime().availableProcessors()));
        o.setInterOpNumThreads(1);
        // ONNX Runtime's pool threads spin after each operator waiting for the next one, and after a run for a while
        // longer: on 2 cores that spinning ran beside the Java stages that follow (the mask's resize and blend, the
        // trimap) and took their core. Blocking instead: the default segmenter on 1200×1600 portraits 141-148 ->
        // 102-109 ms wall, 271-280 -> 163-174 ms CPU; the pipeline's batch 0.514 -> 0.48 s per image.
        o.addConfigEntry("session.intra_op.allow_spinning", "0");
        o.addConfigEntry("session.inter_op.allow_spinning", "0");
        o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        return o;
    }

    static void verifyGraph(ModelCard card, OrtSession s) throws OrtException, ModelException {
        describe(s).verify(card);
    }

    /** The session's inputs and outputs, in graph order, as plain data. */
    static ModelGraph describe(OrtSession s) throws OrtException {
        return new ModelGraph(tensors(s.getInputInfo()), tensors(s.getOutputInfo()));
    }

    private static java.util.List<ModelGraph.Tensor> tensors(Map<String, NodeInfo> nodes) {
        java.util.List<ModelGraph.Tensor> out = new java.util.ArrayList<>();
        for (NodeInfo n : nodes.values()) {
            if (n.getInfo() instanceof TensorInfo t) out.add(new ModelGraph.Tensor(n.getName(), t.type.name(), t.getShape(), t.getDimensionNames()));
            else out.add(new ModelGraph.Tensor(n.getName(), "not a tensor", null, null));
        }
        return out;
    }

    /**
     * Reads an ONNX file's inputs and outputs from a CPU session opened for that only (the importer's check, before
     * anything is copied). A file ONNX Runtime cannot parse is refused with "not an ONNX file".
     */
    public static ModelGraph inspect(Path onnx) throws ModelException {
        String label = "Model " + onnx.getFileName();
        if (!Files.isRegularFile(onnx)) throw new ModelException(label + ": missing file (expected at " + onnx + ")");
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            try (OrtSession s = OrtEnvironment.getEnvironment().createSession(onnx.toString(), o)) {
                return describe(s);
            }
        } catch (OrtException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage();
            if (msg.contains("INVALID_PROTOBUF") || msg.toLowerCase().contains("protobuf parsing failed"))
                throw new ModelException(label + ": not an ONNX file (or it is damaged)", e);
            throw new ModelException(label + ": ONNX Runtime cannot load it (" + firstLine(msg) + ")", e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /** A direct, native-order buffer of n floats, the form ONNX Runtime reads without copying. */
    public static FloatBuffer allocate(int n) {
        return ByteBuffer.allocateDirect(Math.multiplyExact(n, 4)).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static final ThreadLocal<ByteBuffer> REUSABLE = new ThreadLocal<>();

    /**
     * {@link #allocate}, but the calling thread's own buffer, grown when too small and handed out again by its next
     * call: a fresh direct buffer per run is memory the kernel must fault in and zero each time (it is freed only when
     * a GC notices), which cost a segmentation call at 480 px 5-25 ms. Valid until this thread's next call; the caller
     * must write all n values. A worker of a fork/join pool gets a fresh one: while it waits on a parallel loop it may
     * be handed other work, which could call this again before the first caller is done.
     */
    public static FloatBuffer reusable(int n) {
        if (Thread.currentThread() instanceof java.util.concurrent.ForkJoinWorkerThread) return allocate(n);
        int bytes = Math.multiplyExact(n, 4);
        ByteBuffer b = REUSABLE.get();
        if (b == null || b.capacity() < bytes) {
            b = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
            REUSABLE.set(b);
        }
        return b.clear().limit(bytes).slice().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** The output of one run, NCHW. */
    public record Output(float[] data, int n, int c, int h, int w) { }

    /** One named output of a run with the shape the graph gave it. */
    public record RawOutput(float[] data, long[] shape) { }

    /** A verified model with its session. Thread-safe: ONNX Runtime sessions allow concurrent runs. */
    public final class LoadedModel {
        private final ModelCard card;
        private final OrtEnvironment env;
        private final OrtSession session;
        private final OrtSession.SessionOptions options;
        private final String device;

        LoadedModel(ModelCard card, OrtEnvironment env, OrtSession session, OrtSession.SessionOptions options, String device) {
            this.card = card;
            this.env = env;
            this.session = session;
            this.options = options;
            this.device = device;
        }

        public ModelCard card() { return card; }

        /** Where this session runs, e.g. "CUDA 0" or "CPU (CUDA not found: ...)". */
        public String device() { return device; }

        /** Runs the graph on one NCHW tensor (a direct buffer, see {@link InferenceRuntime#allocate}). */
        public Output run(FloatBuffer input, long[] shape) throws ModelException {
            String label = "Model " + card.file();
            lock.readLock().lock();
            try {
                if (closed) throw new ModelException("Inference runtime is closed");
                input.rewind();
                try (OnnxTensor t = OnnxTensor.createTensor(env, input, shape);
                     OrtSession.Result r = session.run(Map.of(card.input().name(), t))) {
                    Optional<OnnxValue> v = r.get(card.output().name());
                    if (v.isEmpty() || !(v.get() instanceof OnnxTensor out)) throw new ModelException(label + ": no output '" + card.output().name() + "'");
                    long[] os = out.getInfo().getShape();
                    if (os.length != 4 || os[0] != shape[0] || os[2] != shape[2] || os[3] != shape[3])
                        throw new ModelException(label + ": output shape " + Arrays.toString(os) + " does not match input " + Arrays.toString(shape));
                    FloatBuffer fb = out.getFloatBuffer();
                    float[] data = new float[fb.remaining()];
                    fb.get(data);
                    return new Output(data, (int) os[0], (int) os[1], (int) os[2], (int) os[3]);
                } catch (OrtException e) {
                    throw new ModelException(label + ": inference failed (" + firstLine(e.getMessage()) + ")", e);
                }
            } finally {
                lock.readLock().unlock();
            }
        }

        /**
         * Runs the graph on one tensor in the card's layout and returns the card's output (the graph may have several)
         * as it comes: one channel, NCHW [n,1,h,w], NHWC [n,h,w,1] or [n,h,w], which all hold the same values in the
         * same order.
         */
        public RawOutput runOutput(FloatBuffer input, long[] shape) throws ModelException {
            String label = "Model " + card.file();
            String name = card.output().name();
            lock.readLock().lock();
            try {
                if (closed) throw new ModelException("Inference runtime is closed");
                input.rewind();
                try (OnnxTensor t = OnnxTensor.createTensor(env, input, shape);
                     OrtSession.Result r = session.run(Map.of(card.input().name(), t), java.util.Set.of(name))) {
                    Optional<OnnxValue> v = r.get(name);
                    if (v.isEmpty() || !(v.get() instanceof OnnxTensor out)) throw new ModelException(label + ": no output '" + name + "'");
                    FloatBuffer fb = out.getFloatBuffer();
                    float[] data = new float[fb.remaining()];
                    fb.get(data);
                    return new RawOutput(data, out.getInfo().getShape());
                } catch (OrtException e) {
                    throw new ModelException(label + ": inference failed (" + firstLine(e.getMessage()) + ")", e);
                }
            } finally {
                lock.readLock().unlock();
            }
        }

        void closeSession() {
            try {
                session.close();
            } catch (OrtException e) {
                LOG.log(Level.DEBUG, "closing session failed", e);
            }
            options.close();
        }
    }

    private void closeSessions() {
        for (LoadedModel m : sessions.values()) m.closeSession();
        sessions.clear();
    }

    /** Closes every session; later loads fail. Waits for running inferences to finish. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            markClosed();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Caller holds the write lock, so no inference is using a session being closed. */
    private synchronized void markClosed() {
        closed = true;
        closeSessions();
    }

    private void closeQuietly() {
        try {
            // At exit an inference may still be running on a worker; don't hang the JVM waiting for it.
            if (lock.writeLock().tryLock(2, TimeUnit.SECONDS)) {
                try {
                    markClosed();
                } finally {
                    lock.writeLock().unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
