package org.rlhf4j.kernels;

/**
 * Run in a child JVM by {@link OpenClSignalChainingTest}: builds and launches one OpenCL kernel (PoCL compiles
 * it with its in-process LLVM), then waits a second so that {@code -Xcheck:jni}'s periodic check of the JVM's
 * signal handlers runs, and prints {@code launched}.
 */
public final class SignalProbe {

    private SignalProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        try (Parallel p = Parallel.sequential()) {
            Kernels k = Backends.create("opencl", p);
            float[] a = {1, 2, 3, 4, 5, 6}, b = {7, 8, 9, 10, 11, 12}, c = new float[4];
            k.matmul(c, 0, a, 0, b, 0, 1, 2, 3, 2, false, false, false, false);
            Thread.sleep(1000);
            System.out.println("launched");
        }
    }
}
