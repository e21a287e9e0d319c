package org.rlhf4j.kernels;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.rlhf4j.kernels.scalar.ScalarKernels;

/**
 * Chooses the kernel family. The default comes from {@code -Drlhf4j.backend=scalar|simd|auto}
 * (default {@code auto}) and {@code -Drlhf4j.threads=N} (default: available processors); the API
 * ({@link #use(Kernels)}, {@link #create(String, Parallel)}) does the same from code.
 *
 * <p>The SIMD kernels need the incubator module {@code jdk.incubator.vector}. It is looked up in the
 * boot layer <em>before</em> {@code SimdKernels} is loaded (by reflection), so a JVM started without
 * {@code --add-modules jdk.incubator.vector} never links a Vector API class: under {@code auto} it
 * runs the scalar kernels and logs that once; asking for {@code simd} explicitly throws
 * {@link BackendUnavailableException}.
 *
 * <p>The OpenCL kernels ({@code opencl}) need Aparapi (an optional dependency) and an OpenCL runtime.
 * They are loaded by reflection only when asked for by name, so no other choice ever links an Aparapi
 * class or loads native code. A missing jar, runtime or device throws
 * {@link BackendUnavailableException} with the way to install it. {@code auto} considers OpenCL only
 * when a device was asked for with {@code -Drlhf4j.opencl.device}: then it sends matrix products
 * to the device from a measured crossover size on ({@code kernels.opencl.Crossover}: a recorded
 * table, or a one-second calibration for a device not in it), and runs the CPU kernels, with one log
 * line, where there is no such device or it is never faster. On PoCL (OpenCL on the CPU) it is never
 * faster, so auto never picks it there (docs/gpu.md has the figures).
 */
public final class Backends {

    /** System property naming the backend. */
    public static final String BACKEND_PROPERTY = "rlhf4j.backend";
    /** System property giving the kernel thread count. */
    public static final String THREADS_PROPERTY = "rlhf4j.threads";

    private static final System.Logger LOG = System.getLogger(Backends.class.getName());
    private static final String SIMD_CLASS = "org.rlhf4j.kernels.simd.SimdKernels";
    private static final String OPENCL_CLASS = "org.rlhf4j.kernels.opencl.OpenClKernels";
    private static final String OPENCL_DEVICES_CLASS = "org.rlhf4j.kernels.opencl.OpenClDevices";
    private static final String OPENCL_CROSSOVER_CLASS = "org.rlhf4j.kernels.opencl.Crossover";
    /** System property choosing the OpenCL device (index or name substring); under auto it also asks for OpenCL. */
    public static final String OPENCL_DEVICE_PROPERTY = "rlhf4j.opencl.device";
    /**
     * System property choosing how the OpenCL device holds the kernels' arrays: {@code copy} (a buffer of its own,
     * filled from the Java array), {@code share} (a buffer over the Java array's memory: Aparapi's default, unsafe
     * with a moving garbage collector, opt-in for comparison only), or {@code auto} (the default: copy).
     * docs/gpu.md, "Transfers".
     */
    public static final String OPENCL_BUFFERS_PROPERTY = "rlhf4j.opencl.buffers";
    /**
     * System property choosing the OpenCL product's block: {@code 64} (the default: a 16 x 16 work group, 4 x 4
     * outputs per item) or {@code 128} (8 x 8 per item), to be measured on a GPU (docs/gpu.md).
     */
    public static final String OPENCL_MATMUL_BLOCK_PROPERTY = "rlhf4j.opencl.matmulBlock";
    private static final AtomicBoolean OPENCL_FALLBACK_LOGGED = new AtomicBoolean();
    /** The incubator module the SIMD kernels need. */
    public static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

    private static volatile Kernels current;
    /** True while {@link #current} is the default that {@link #current()} made (so rlhf4j owns its pool). */
    private static boolean currentIsDefault;

    private Backends() {
    }

    /** The kernels tensors use now; created on first use from the system properties. */
    public static Kernels current() {
        Kernels k = current;
        if (k == null) {
            synchronized (Backends.class) {
                k = current;
                if (k == null) {
                    String name = System.getProperty(BACKEND_PROPERTY, "auto");
                    Parallel pool = Parallel.ofThreads(defaultThreads());
                    try {
                        k = create(name, pool);
                    } catch (RuntimeException e) {
                        pool.close();
                        throw e;
                    }
                    current = k;
                    currentIsDefault = true;
                }
            }
        }
        return k;
    }

    /**
     * Makes {@code kernels} the current backend and returns the previous one (null if none had been
     * created). The caller owns both: close the previous one's {@link Parallel} when done with it.
     */
    public static synchronized Kernels use(Kernels kernels) {
        if (kernels == null) {
            throw new IllegalArgumentException("kernels must not be null");
        }
        Kernels previous = current;
        current = kernels;
        currentIsDefault = false;
        return previous;
    }

    /**
     * Forgets the current kernels, and closes their {@link Parallel} (stopping its threads) when they
     * are the default that {@link #current()} made; kernels given to {@link #use(Kernels)} belong to
     * their caller and are left alone. The next {@link #current()} makes a fresh default. For an
     * application that unloads rlhf4j (a redeploy) and wants no rlhf4j thread left behind.
     */
    public static synchronized void reset() {
        Kernels k = current;
        boolean owned = currentIsDefault;
        current = null;
        currentIsDefault = false;
        if (k != null && owned) {
            k.parallel().close();
        }
    }

    /** The name of the current backend: {@code scalar}, {@code simd} or {@code opencl}. */
    public static String currentName() {
        return current().name();
    }

    /**
     * True when {@code jdk.incubator.vector} is present, so SimdKernels can be loaded: in the boot layer when
     * rlhf4j is on the class path; when rlhf4j is the named module {@code org.rlhf4j} (its
     * {@code requires static} is optional), in its layer or a parent, and read by it.
     */
    public static boolean simdAvailable() {
        Module self = Backends.class.getModule();
        ModuleLayer layer = self.getLayer() != null ? self.getLayer() : ModuleLayer.boot();
        return layer.findModule(VECTOR_MODULE).filter(v -> !self.isNamed() || self.canRead(v)).isPresent();
    }

    /**
     * Creates the kernels named {@code scalar}, {@code simd}, {@code opencl} or {@code auto} on
     * {@code parallel}. {@code auto} is SIMD where the Vector API is present, scalar otherwise (logged once).
     *
     * @throws BackendUnavailableException when {@code simd} is asked for and the module is missing, or
     *         {@code opencl} and Aparapi, an OpenCL runtime or a device is missing
     * @throws IllegalArgumentException for an unknown name
     */
    public static Kernels create(String name, Parallel parallel) {
        String n = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "scalar":
                return new ScalarKernels(parallel);
            case "simd":
                if (!simdAvailable()) {
                    throw new BackendUnavailableException("the simd backend needs the incubator module "
                            + VECTOR_MODULE + ": start the JVM with --add-modules " + VECTOR_MODULE
                            + " (JDK 17 or newer), or use -D" + BACKEND_PROPERTY + "=scalar");
                }
                return loadSimd(parallel);
            case "opencl":
                return load(OPENCL_CLASS, "opencl", parallel);
            case "auto":
                Kernels cpu;
                if (simdAvailable()) {
                    cpu = loadSimd(parallel);
                } else {
                    if (FALLBACK_LOGGED.compareAndSet(false, true)) {
                        LOG.log(System.Logger.Level.INFO, "rlhf4j: module " + VECTOR_MODULE
                                + " not present (add --add-modules " + VECTOR_MODULE
                                + " for SIMD kernels); running the scalar kernels");
                    }
                    cpu = new ScalarKernels(parallel);
                }
                return System.getProperty(OPENCL_DEVICE_PROPERTY) == null ? cpu : autoWithOpenCl(cpu, parallel);
            default:
                throw new IllegalArgumentException("unknown backend '" + name + "' in -D" + BACKEND_PROPERTY
                        + ": use scalar, simd, opencl or auto");
        }
    }

    /** auto with an OpenCL device asked for: the device where measured faster, else cpu and one log line. */
    private static Kernels autoWithOpenCl(Kernels cpu, Parallel parallel) {
        try {
            Class<?> c = Class.forName(OPENCL_CROSSOVER_CLASS);
            return (Kernels) c.getMethod("auto", Kernels.class, Parallel.class).invoke(null, cpu, parallel);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException bad && bad.getMessage() != null
                    && bad.getMessage().startsWith("-Drlhf4j.")) {
                throw bad; // a malformed -Drlhf4j.opencl.* value is the caller's error, not a missing device
            }
            logNoOpenCl(unavailable("opencl", e.getCause()), cpu);
        } catch (ReflectiveOperationException | LinkageError e) {
            logNoOpenCl(unavailable("opencl", e), cpu);
        }
        return cpu;
    }

    private static void logNoOpenCl(BackendUnavailableException why, Kernels cpu) {
        if (OPENCL_FALLBACK_LOGGED.compareAndSet(false, true)) {
            // WARNING: what was asked for does not run; and loading Aparapi raises the root handlers to WARNING
            LOG.log(System.Logger.Level.WARNING, "rlhf4j: -D" + OPENCL_DEVICE_PROPERTY + " is set but OpenCL is"
                    + " unavailable (" + why.getMessage() + "); running the " + cpu.name() + " kernels");
        }
    }

    /**
     * The fastest CPU family in this JVM, without a log line: SIMD where the Vector API is present,
     * else scalar. The OpenCL kernels hand the ops they do not run on the device to it.
     */
    public static Kernels createCpu(Parallel parallel) {
        return simdAvailable() ? loadSimd(parallel) : new ScalarKernels(parallel);
    }

    /**
     * One line per OpenCL device (platform, device name, compute units), for {@code rlhf4j info}.
     * Loads Aparapi and its native library: call it only when OpenCL is wanted.
     *
     * @throws BackendUnavailableException saying why there is none (no Aparapi, no runtime, no device)
     */
    @SuppressWarnings("unchecked")
    public static java.util.List<String> openClDevices() {
        try {
            Class<?> c = Class.forName(OPENCL_DEVICES_CLASS);
            return (java.util.List<String>) c.getMethod("describe").invoke(null);
        } catch (InvocationTargetException e) {
            throw unavailable("opencl", e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw unavailable("opencl", e);
        }
    }

    /** The default thread count: {@code -Drlhf4j.threads}, else the available processors. */
    public static int defaultThreads() {
        String t = System.getProperty(THREADS_PROPERTY);
        if (t == null || t.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int threads = Integer.parseInt(t.trim());
            if (threads < 1) {
                throw new IllegalArgumentException("-D" + THREADS_PROPERTY + " must be >= 1, got " + t);
            }
            return threads;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + THREADS_PROPERTY + " must be an integer, got '" + t + "'", e);
        }
    }

    private static Kernels loadSimd(Parallel parallel) {
        return load(SIMD_CLASS, "simd", parallel);
    }

    private static Kernels load(String className, String family, Parallel parallel) {
        try {
            Class<?> c = Class.forName(className);
            return (Kernels) c.getConstructor(Parallel.class).newInstance(parallel);
        } catch (InvocationTargetException e) {
            throw unavailable(family, e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw unavailable(family, e);
        }
    }

    /** The typed failure of a family that could not be loaded or started, keeping a typed cause's message. */
    private static BackendUnavailableException unavailable(String family, Throwable cause) {
        if (cause instanceof BackendUnavailableException b) {
            return b;
        }
        if (family.equals("opencl") && (cause instanceof LinkageError || cause instanceof ClassNotFoundException)) {
            return new BackendUnavailableException("the opencl backend needs Aparapi (com.aparapi:aparapi:3.0.2 and"
                    + " aparapi-jni) on the class path: " + cause, cause);
        }
        return new BackendUnavailableException("could not start the " + family + " kernels: " + cause, cause);
    }
}
