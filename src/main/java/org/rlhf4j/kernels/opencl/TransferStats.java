package org.rlhf4j.kernels.opencl;

import java.util.concurrent.atomic.LongAdder;

/**
 * Host-to-device and device-to-host copies made by {@link OpenClKernels}: one count per explicit
 * {@code put} or {@code get} of a Java array, and its bytes (the whole array: Aparapi keys a device
 * buffer by the Java array and copies it whole, even when the op reads a window of it). Kernel
 * launches are counted too, so a caller can see transfers per launch.
 *
 * <p>And the device buffers Aparapi makes: one per array field that holds a different Java array than at
 * that kernel's previous launch, filled from the whole Java array. In copy mode ({@code CL_MEM_COPY_HOST_PTR},
 * {@code -Drlhf4j.opencl.buffers}' default) those bytes cross the bus to a discrete GPU, as a put's do; in share
 * mode ({@code CL_MEM_USE_HOST_PTR}, opt-in) the buffer is over the Java array's memory. A buffer
 * Aparapi remakes because the garbage collector moved the array is not seen here.
 *
 * <p>A put is skipped, and counted as {@code skipped}, when the array is bound anew to every field that holds
 * it: its new buffers are filled from it already, so the put would copy the same bytes a second time.
 */
public final class TransferStats {

    private final LongAdder puts = new LongAdder(), putBytes = new LongAdder();
    private final LongAdder gets = new LongAdder(), getBytes = new LongAdder();
    private final LongAdder launches = new LongAdder(), executes = new LongAdder();
    private final LongAdder buffers = new LongAdder(), bufferBytes = new LongAdder();
    private final LongAdder skipped = new LongAdder(), skippedBytes = new LongAdder();

    /**
     * What has been counted so far; {@code buffers} and {@code bufferBytes} count the new device buffers,
     * {@code skipped} and {@code skippedBytes} the puts left out because the array's new buffers hold it already;
     * {@code launches} counts passes, {@code executes} Aparapi executes (one per launch of any number of passes).
     */
    public record Snapshot(long puts, long putBytes, long gets, long getBytes, long launches, long buffers,
                           long bufferBytes, long skipped, long skippedBytes, long executes) {
        /** The transfers of an interval: this minus an earlier snapshot. */
        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(puts - earlier.puts, putBytes - earlier.putBytes, gets - earlier.gets,
                    getBytes - earlier.getBytes, launches - earlier.launches, buffers - earlier.buffers,
                    bufferBytes - earlier.bufferBytes, skipped - earlier.skipped, skippedBytes - earlier.skippedBytes,
                    executes - earlier.executes);
        }

        @Override
        public String toString() {
            return "h2d=" + puts + "/" + putBytes + "B d2h=" + gets + "/" + getBytes + "B launches=" + launches
                    + " new_buffers=" + buffers + "/" + bufferBytes + "B skipped_puts=" + skipped + "/" + skippedBytes
                    + "B executes=" + executes;
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

    void execute() {
        executes.increment();
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
                bufferBytes.sum(), skipped.sum(), skippedBytes.sum(), executes.sum());
    }
}
