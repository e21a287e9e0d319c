package org.rlhf4j.kernels.opencl;

import java.util.concurrent.atomic.LongAdder;

/**
 * Host-to-device and device-to-host copies made by {@link OpenClKernels}: one count per explicit
 * {@code put} or {@code get} of a Java array, and its bytes (the whole array: Aparapi keys a device
 * buffer by the Java array and copies it whole, even when the op reads a window of it). Kernel
 * launches are counted too, so a caller can see transfers per launch.
 *
 * <p>And the device buffers Aparapi makes: one per array field that holds a different Java array than at
 * that kernel's previous launch. Aparapi makes such a buffer with {@code CL_MEM_COPY_HOST_PTR} on a device
 * that does not share the host's memory (a discrete GPU), which fills it from the whole Java array: those
 * bytes cross the bus as well, before and besides any explicit put. On a CPU device (PoCL) it uses the Java
 * array itself ({@code CL_MEM_USE_HOST_PTR}) and nothing is copied. Which of the two Aparapi does is the
 * buffer mode ({@code -Drlhf4j.opencl.buffers}: copy on a GPU, share on a CPU device). A buffer Aparapi remakes
 * because the garbage collector moved the array is not seen here.
 *
 * <p>A put is skipped, and counted as {@code skipped}, when the array is bound anew to every field that holds
 * it: its new buffers are filled from it already, so the put would copy the same bytes a second time.
 */
public final class TransferStats {

    private final LongAdder puts = new LongAdder(), putBytes = new LongAdder();
    private final LongAdder gets = new LongAdder(), getBytes = new LongAdder();
    private final LongAdder launches = new LongAdder();
    private final LongAdder buffers = new LongAdder(), bufferBytes = new LongAdder();
    private final LongAdder skipped = new LongAdder(), skippedBytes = new LongAdder();

    /**
     * What has been counted so far; {@code buffers} and {@code bufferBytes} count the new device buffers,
     * {@code skipped} and {@code skippedBytes} the puts left out because the array's new buffers hold it already.
     */
    public record Snapshot(long puts, long putBytes, long gets, long getBytes, long launches, long buffers,
                           long bufferBytes, long skipped, long skippedBytes) {
        /** The transfers of an interval: this minus an earlier snapshot. */
        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(puts - earlier.puts, putBytes - earlier.putBytes, gets - earlier.gets,
                    getBytes - earlier.getBytes, launches - earlier.launches, buffers - earlier.buffers,
                    bufferBytes - earlier.bufferBytes, skipped - earlier.skipped, skippedBytes - earlier.skippedBytes);
        }

        @Override
        public String toString() {
            return "h2d=" + puts + "/" + putBytes + "B d2h=" + gets + "/" + getBytes + "B launches=" + launches
                    + " new_buffers=" + buffers + "/" + bufferBytes + "B skipped_puts=" + skipped + "/" + skippedBytes
                    + "B";
        }
    }

    void put(long bytes) {
        puts.increment();
        putBytes.add(bytes);
    }

    void get(long bytes) {
        gets.increment();
        getBytes.add(bytes);
    }

    void launch() {
        launches.increment();
    }

    void skip(long bytes) {
        skipped.increment();
        skippedBytes.add(bytes);
    }

    void buffer(long bytes) {
        buffers.increment();
        bufferBytes.add(bytes);
    }

    /** The counts now. */
    public Snapshot snapshot() {
        return new Snapshot(puts.sum(), putBytes.sum(), gets.sum(), getBytes.sum(), launches.sum(), buffers.sum(),
                bufferBytes.sum(), skipped.sum(), skippedBytes.sum());
    }
}
