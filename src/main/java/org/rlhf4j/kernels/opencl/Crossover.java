package org.rlhf4j.kernels.opencl;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.kernels.Parallel;

/**
 * Where the OpenCL matmul (with its copies to and from the device) beats the CPU kernels: a size in
 * flops (2 M K N per product) from which {@code auto} sends matrix products to the device, or
 * {@link #NEVER}. Measured, not guessed: from {@link #RECORDED} when the device's name is there,
 * otherwise by {@link #calibrate} the first time a JVM meets the device (square products of side
 * 128 to 2048, best of three runs each, a few seconds on a GPU).
 *
 * <p>Only matmul is routed: the other ops on the device read and write every element once per call
 * with a copy each way, so with the contract's per-call copies they cannot beat the CPU's memory
 * bandwidth; none was measured faster anywhere.
 */
public final class Crossover {

    /** The device is never faster, at any measured size. */
    public static final double NEVER = Double.POSITIVE_INFINITY;

    /**
     * Device-name substring to crossover, from measurements. PoCL on this project's CI machine
     * (2 cores of an AMD EPYC, device "pthread-skylake-avx512-AMD EPYC"), 2026-11-25, under load,
     * {@code bin/bench matmul --quick --shapes=256,512,1024,XW,dYWT,XTdY --impl=simd,opencl --threads=1,2}
     * and {@code --threads=2}: OpenCL 1.3 to 6.6 GFLOPS with or without copies, SIMD 93 to 442 GFLOPS, at
     * every size, in two runs (docs/gpu.md): never. PoCL's CPU devices are all named {@code pthread-<cpu>} or {@code cpu-<cpu>}.
     */
    static final Map<String, Double> RECORDED = Map.of("pthread-", NEVER, "cpu-", NEVER);

    private static final Map<String, Double> MEASURED = new ConcurrentHashMap<>();
    private static final System.Logger LOG = System.getLogger(Crossover.class.getName());
    private static final java.util.Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private Crossover() {
    }

    /**
     * {@code auto}'s choice when an OpenCL device was asked for ({@code -Drlhf4j.opencl.device}): the
     * CPU kernels where the device is never faster, else {@link AutoKernels} sending products from
     * the crossover on to the device. Logs the choice once per device.
     *
     * @throws org.rlhf4j.kernels.BackendUnavailableException when there is no such device
     */
    public static Kernels auto(Kernels cpu, Parallel parallel) {
        OpenClKernels ocl = new OpenClKernels(parallel);
        double crossover = forDevice(ocl, cpu);
        if (crossover == NEVER) {
            log(ocl, System.Logger.Level.WARNING, "rlhf4j: OpenCL device " + ocl.deviceDescription() + " is slower than the " + cpu.name()
                    + " kernels at every measured size; auto runs the " + cpu.name() + " kernels");
            return cpu;
        }
        log(ocl, System.Logger.Level.INFO, String.format(Locale.ROOT, "rlhf4j: auto sends matrix products of %.3g flops or more to OpenCL"
                + " device %s, the rest to the %s kernels", crossover, ocl.deviceDescription(), cpu.name()));
        return new AutoKernels(cpu, ocl, crossover);
    }

    /**
     * Once per device. Not running the device that was asked for is a WARNING: loading Aparapi sets
     * the root log handlers to its own level ({@code -Dcom.aparapi.logLevel}, default WARNING), which
     * would hide an INFO line.
     */
    private static void log(OpenClKernels ocl, System.Logger.Level level, String message) {
        if (LOGGED.add(ocl.deviceDescription())) {
            LOG.log(level, message);
        }
    }

    /** The crossover for the device of {@code ocl}: recorded, measured earlier in this JVM, or measured now. */
    static double forDevice(OpenClKernels ocl, Kernels cpu) {
        String name = ocl.deviceName().toLowerCase(Locale.ROOT);
        for (Map.Entry<String, Double> e : RECORDED.entrySet()) {
            if (name.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return MEASURED.computeIfAbsent(name, n -> calibrate(ocl, cpu));
    }

    /**
     * The smallest square product (side 128, 256, 512, 1024, 2048) from which the device wins at every
     * larger measured side, in flops; {@link #NEVER} when it does not win at 2048.
     */
    static double calibrate(OpenClKernels ocl, Kernels cpu) {
        return calibrate(ocl, cpu, new int[] {128, 256, 512, 1024, 2048});
    }

    /** {@link #calibrate} over the given increasing sides (the tests use small ones). */
    static double calibrate(OpenClKernels ocl, Kernels cpu, int[] sides) {
        boolean[] wins = new boolean[sides.length];
        for (int s = 0; s < sides.length; s++) {
            int n = sides[s];
            java.util.Random r = new java.util.Random(n);
            float[] a = new float[n * n], b = new float[n * n], out = new float[n * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) r.nextGaussian();
                b[i] = (float) r.nextGaussian();
            }
            double device = best(() -> ocl.matmul(out, 0, a, 0, b, 0, 1, n, n, n, false, false, false, false));
            double host = best(() -> cpu.matmul(out, 0, a, 0, b, 0, 1, n, n, n, false, false, false, false));
            wins[s] = device < host;
        }
        double crossover = NEVER;
        for (int s = sides.length - 1; s >= 0 && wins[s]; s--) {
            crossover = 2.0 * sides[s] * sides[s] * sides[s];
        }
        return crossover;
    }

    /** Best of three timed runs after one untimed (which compiles the kernel), in seconds. */
    private static double best(Runnable run) {
        run.run();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            run.run();
            best = Math.min(best, (System.nanoTime() - t0) * 1e-9);
        }
        return best;
    }
}
