package org.rlhf4j.kernels.opencl;

import java.util.Locale;
import org.rlhf4j.kernels.Backends;

/**
 * How Aparapi hands a kernel's Java arrays to the OpenCL device, which its native layer reads from the device
 * object ({@code OpenCLDevice.setSharedMemory}) each time it makes a buffer. Aparapi's default is {@link #SHARE}
 * for every device; rlhf4j's ({@code auto}) is {@link #COPY} for every device. Share mode is unsafe with a moving
 * garbage collector: the buffer keeps the array's address from when it was made, and after Aparapi unpins the array
 * the collector may move it and reuse that memory, so a later launch or get reads (or writes) memory that is no longer
 * the array. On PoCL this gave wrong results in a review (a collection between a launch and its get); copy mode, whose
 * buffers are the device's own, never did. Aparapi's changelog (aparapi-jni 1.4.0) also names
 * {@code setSharedMemory(false)} as the fast setting for a GPU with memory of its own.
 */
enum BufferMode {
    /**
     * {@code CL_MEM_COPY_HOST_PTR}: the device gets a buffer of its own, filled from the whole Java array when the
     * buffer is made; after that the two copies meet only at an explicit put or get.
     */
    COPY,
    /**
     * {@code CL_MEM_USE_HOST_PTR}: the buffer is over the Java array's memory as it was when the buffer was made.
     * Opt-in only, to compare with Aparapi's default: unsafe when the collector moves the array (above).
     */
    SHARE;

    /**
     * The mode {@code spec} names ({@code copy}, {@code share}, or {@code auto} / blank: copy, on every device).
     *
     * @throws IllegalArgumentException for any other value, naming the property
     */
    static BufferMode resolve(String spec) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "", "auto" -> COPY;
            case "copy" -> COPY;
            case "share" -> SHARE;
            default -> throw new IllegalArgumentException("-D" + Backends.OPENCL_BUFFERS_PROPERTY + "=" + spec
                    + ": expected copy, share or auto");
        };
    }

    /** The name the property takes, and {@code bin/bench train} prints on the opencl backend. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
