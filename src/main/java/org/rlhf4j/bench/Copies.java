package org.rlhf4j.bench;

import java.util.Locale;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.kernels.opencl.OpenClKernels;
import org.rlhf4j.kernels.opencl.TransferStats;

/**
 * The host-device copies of the opencl backend over an interval, for the benchmarks' lines; on any other
 * backend it reports nothing and never touches an OpenCL class (so Aparapi is not loaded).
 */
final class Copies {

    private final OpenClKernels device;
    private TransferStats.Snapshot start;

    Copies(Kernels k) {
        this.device = "opencl".equals(k.name()) ? (OpenClKernels) k : null;
    }

    /** Marks the start of the interval. */
    void start() {
        if (device != null) {
            start = device.transfers().snapshot();
        }
    }

    /**
     * {@code " h2d_mb=.. d2h_mb=.. h2d_copies=.. d2h_copies=.. launches=.. new_buffers=.. new_buffer_mb=..
     * skipped_puts=.. skipped_mb=.. buffers=copy|share"} per
     * iteration since {@link #start}
     * (the mean over {@code iterations}), or {@code ""} on a CPU backend.
     */
    String perIteration(int iterations) {
        if (device == null || start == null) {
            return "";
        }
        TransferStats.Snapshot d = device.transfers().snapshot().minus(start);
        double n = iterations;
        return String.format(Locale.ROOT, " h2d_mb=%.1f d2h_mb=%.1f h2d_copies=%.0f d2h_copies=%.0f launches=%.0f"
                        + " new_buffers=%.0f new_buffer_mb=%.1f skipped_puts=%.0f skipped_mb=%.1f buffers=%s",
                d.putBytes() / n / 1e6, d.getBytes() / n / 1e6, d.puts() / n, d.gets() / n, d.launches() / n,
                d.buffers() / n, d.bufferBytes() / n / 1e6, d.skipped() / n, d.skippedBytes() / n / 1e6,
                device.bufferMode());
    }
}
