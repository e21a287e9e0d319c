package org.rlhf4j.kernels.opencl;

import com.aparapi.Kernel;
import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.kernel.KernelManager;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.rlhf4j.kernels.BackendUnavailableException;

/**
 * One OpenCL device as {@link OpenClKernels} uses it: binds kernels to it (explicit transfers, no
 * other device), copies arrays to and from it with a count of each copy, launches kernels over
 * ranges sized for it, and refuses a launch that Aparapi ran anywhere else.
 */
final class Launcher {

    /** Work items per group of the one-dimensional kernels. */
    static final int GROUP = 64;

    /** The array fields of a kernel class and its superclasses up to Kernel, local memory left out. */
    private static final ClassValue<Field[]> ARRAY_FIELDS = new ClassValue<>() {
        @Override
        protected Field[] computeValue(Class<?> type) {
            List<Field> fields = new ArrayList<>();
            for (Class<?> c = type; c != null && c != Kernel.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    boolean array = f.getType() == float[].class || f.getType() == int[].class;
                    if (array && !Modifier.isStatic(f.getModifiers()) && !f.isAnnotationPresent(Kernel.Local.class)) {
                        fields.add(f);
                    }
                }
            }
            return fields.toArray(new Field[0]);
        }
    };

    /** Marks a field whose buffer's array is unknown (after a failed launch). */
    private static final Object UNKNOWN = new Object();

    private final OpenCLDevice device;
    final TransferStats stats = new TransferStats();
    private volatile Kernel lastLaunched;
    /** Per kernel, the array each field held at its last launch (read and written under the kernel's lock). */
    private final Map<Kernel, Object[]> bound = Collections.synchronizedMap(new IdentityHashMap<>());

    private final BufferMode buffers;

    /** Binds to {@code device}, whose buffers are then made in {@code buffers} mode (it sets the device object). */
    Launcher(OpenCLDevice device, BufferMode buffers) {
        this.device = device;
        this.buffers = buffers;
        device.setSharedMemory(buffers == BufferMode.SHARE);
    }

    BufferMode buffers() {
        return buffers;
    }

    /** Explicit transfers, and this device only (Aparapi would otherwise fall back to Java). */
    void prepare(Kernel k) {
        k.setExplicit(true);
        LinkedHashSet<Device> only = new LinkedHashSet<>();
        only.add(device);
        KernelManager.instance().setPreferredDevices(k, only);
    }

    String description() {
        return device.getOpenCLPlatform().getName().trim() + " / " + device.getName().trim() + " ("
                + device.getMaxComputeUnits() + " compute units)";
    }

    String name() {
        return device.getName().trim();
    }

    boolean ranOnOpenCl() {
        Kernel k = lastLaunched;
        return k != null && k.isRunningCL() && k.getTargetDevice() instanceof OpenCLDevice;
    }

    /**
     * Puts x on the device for k's next launch, unless every field of k that holds x held another array at k's
     * previous launch (or k never ran): Aparapi then makes each of those buffers anew at the launch, filled from the
     * Java array (in both modes: {@code CL_MEM_COPY_HOST_PTR} copies it, {@code CL_MEM_USE_HOST_PTR} is it), and
     * in explicit mode it enqueues a write only for a put, so the put would copy the same bytes a second time.
     * The fields must be set before the put.
     */
    void put(Kernel k, float[] x) {
        if (boundAnew(k, x)) {
            stats.skip(4L * x.length);
        } else {
            k.put(x);
            stats.put(4L * x.length);
        }
    }

    void put(Kernel k, int[] x) {
        if (boundAnew(k, x)) {
            stats.skip(4L * x.length);
        } else {
            k.put(x);
            stats.put(4L * x.length);
        }
    }

    /**
     * True when some field of k holds x now and none of the fields that hold it held x at k's last launch, nor
     * held an unknown array (after a failed launch, when Aparapi may have taken the new arrays already).
     */
    private boolean boundAnew(Kernel k, Object x) {
        Field[] fields = ARRAY_FIELDS.get(k.getClass());
        Object[] last = bound.get(k);
        boolean held = false;
        for (int i = 0; i < fields.length; i++) {
            if (field(fields[i], k) == x) {
                held = true;
                if (last != null && (last[i] == x || last[i] == UNKNOWN)) {
                    return false;
                }
            }
        }
        return held;
    }

    /**
     * Puts an output array on the device unless the launch overwrites all of it: {@code get} copies the
     * whole array back, so whatever lies outside the window [off, off + n) must be on the device too,
     * and an accumulating kernel reads the window itself.
     */
    void putUnlessOverwritten(Kernel k, float[] out, int off, int n, boolean accumulate) {
        if (accumulate || off != 0 || n != out.length) {
            put(k, out);
        }
    }

    void get(Kernel k, float[] x) {
        k.get(x);
        stats.get(4L * x.length);
    }

    /** Runs k over range on the device, or throws when Aparapi ran it anywhere else. */
    void launch(Kernel k, Range range) {
        launch(k, range, 1);
    }

    /**
     * Runs {@code passes} passes of k over range in one launch (Aparapi's {@code execute(range, passes)}: the arrays
     * are pinned and their buffers kept for all the passes, which run in order, each seeing {@code getPassId()}), or
     * throws when Aparapi ran it anywhere else. Counts one launch per pass.
     */
    void launch(Kernel k, Range range, int passes) {
        Object[] now = boundArrays(k);
        try {
            k.execute(range, passes);
        } catch (RuntimeException | AssertionError e) { // Aparapi's own checks after a failed device
            forget(k);
            throw new BackendUnavailableException(k.getClass().getSimpleName() + " failed on the OpenCL device "
                    + description() + ": " + e.getMessage() + " (Aparapi's log has the OpenCL compiler's"
                    + " message)", e);
        } catch (Throwable t) { // an Error (out of memory, linkage): Aparapi may have taken the new arrays already
            forget(k);
            throw t;
        }
        stats.execute();
        countNewBuffers(k, now);
        for (int p = 0; p < passes; p++) {
            stats.launch();
        }
        lastLaunched = k;
        if (!k.isRunningCL()) {
            forget(k);
            throw new BackendUnavailableException(k.getClass().getSimpleName() + " did not run on the OpenCL device "
                    + description() + " but on " + k.getTargetDevice() + " (Aparapi's fallback; its log says"
                    + " why, e.g. a construct it cannot translate to OpenCL)");
        }
    }

    /** The arrays k's array fields hold now. */
    private static Object[] boundArrays(Kernel k) {
        Field[] fields = ARRAY_FIELDS.get(k.getClass());
        Object[] now = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
            now[i] = field(fields[i], k);
        }
        return now;
    }

    private static Object field(Field f, Kernel k) {
        try {
            return f.get(k);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read kernel field " + f, e);
        }
    }

    /** After a failed launch: what k's buffers hold is unknown, so no put is skipped until it runs again. */
    private void forget(Kernel k) {
        Object[] last = bound.computeIfAbsent(k, x -> new Object[ARRAY_FIELDS.get(k.getClass()).length]);
        java.util.Arrays.fill(last, UNKNOWN);
    }

    /**
     * Counts the fields of a launch that held another array than at k's previous launch: Aparapi made a new buffer
     * for each. Recorded after the launch succeeded.
     */
    private void countNewBuffers(Kernel k, Object[] now) {
        Object[] last = bound.computeIfAbsent(k, x -> new Object[now.length]);
        for (int i = 0; i < now.length; i++) {
            if (now[i] != last[i]) {
                last[i] = now[i];
                stats.buffer(now[i] instanceof float[] f ? 4L * f.length : now[i] instanceof int[] n ? 4L * n.length : 0);
            }
        }
    }

    /** A one-dimensional range of {@code groups} work groups of {@code local} items. */
    Range groups(int groups, int local) {
        return Range.create(device, groups * local, local);
    }

    /** A one-dimensional range of at least n items, in groups of GROUP. */
    Range range(int n) {
        return Range.create(device, (n + GROUP - 1) / GROUP * GROUP, GROUP);
    }

    /** One work group of MatmulKernel.GROUP^2 items per block^2 block of each product's output (block 64 or 128). */
    Range matmulRange(int M, int N, int batch, int block) {
        int g = MatmulKernel.GROUP, blocks0 = (N + block - 1) / block;
        int blocks1 = (M + block - 1) / block;
        return Range.create3D(device, blocks0 * g, blocks1 * g, batch, g, g, 1);
    }
}
