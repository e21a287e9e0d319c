package org.rlhf4j.kernels.opencl;

import com.aparapi.device.Device;
import java.util.Locale;
import org.rlhf4j.kernels.Backends;

/**
 * How Aparapi hands a kernel's Java arrays to the OpenCL device, which its native layer reads from the device
 * object ({@code OpenCLDevice.setSharedMemory}) each time it makes a buffer. Aparapi's default is {@link #SHARE}
 * for every device, a discrete GPU included, and its changelog (aparapi-jni 1.4.0) names {@code setSharedMemory(false)}
 * as the fast setting for a GPU with memory of its own: so {@code auto} picks {@link #COPY} there.
 */
enum BufferMode {
    /**
     * {@code CL_MEM_COPY_HOST_PTR}: the device gets a buffer of its own, filled from the whole Java array when the
     * buffer is made; after that the two copies meet only at an explicit put or get.
     */
    COPY,
    /**
     * {@code CL_MEM_USE_HOST_PTR}: the buffer is the Java array's memory (on a CPU device, PoCL, nothing is copied;
     * a driver of a discrete GPU may keep a cached copy of its own).
     */
    SHARE;

    /**
     * The mode {@code spec} names ({@code copy}, {@code share}, or {@code auto} / blank: copy on a GPU or an
     * accelerator, share on a CPU device).
     *
     * @throws IllegalArgumentException for any other value, naming the property
     */
    static BufferMode resolve(String spec, Device.TYPE type) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "", "auto" -> type == Device.TYPE.CPU ? SHARE : COPY;
            case "copy" -> COPY;
            case "share" -> SHARE;
            default -> throw new IllegalArgumentException("-D" + Backends.OPENCL_BUFFERS_PROPERTY + "=" + spec
                    + ": expected copy, share or auto");
        };
    }

    /** The name the property takes and {@code rlhf4j info} prints. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
