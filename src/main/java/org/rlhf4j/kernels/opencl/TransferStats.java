package org.rlhf4j.kernels.opencl;

import java.util.concurrent.atomic.LongAdder;

/**
 * Host-to-device and device-to-host copies made by {@link OpenClKernels}: one count per explicit
 * {@code put} or {@code get} of a Java array, and its bytes (the whole array: Aparapi keys a device
 * buffer by the Java array and copies it whole, even when the op reads a window of it). Kernel
 * launches are counted too, so a caller can see transfers per launch.
 */
public final class TransferStats {

    private final LongAdder puts = new LongAdder(), putBytes = new LongAdder();
    private final LongAdder gets = new LongAdder(), getBytes = new LongAdder();
    private final LongAdder launches = new LongAdder();

    /** What has been counted so far. */
    public record Snapshot(long puts, long putBytes, long gets, long getBytes, long launches) {
        /** The transfers of an interval: this minus an earlier snapshot. */
        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(puts - earlier.puts, putBytes - earlier.putBytes, gets - earlier.gets,
                    getBytes - earlier.getBytes, launches - earlier.launches);
        }

        @Override
        public String toString() {
            return "h2d=" + puts + "/" + putBytes + "B d2h=" + gets + "/" + getBytes + "B launches=" + launches;
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

    /** The counts now. */
    public Snapshot snapshot() {
        return new Snapshot(puts.sum(), putBytes.sum(), gets.sum(), getBytes.sum(), launches.sum());
    }
}
