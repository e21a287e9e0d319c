package org.rlhf4j.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.kernels.Parallel;

/**
 * The benchmark entry point (not a timed test). Usage:
 *
 * <pre>
 *   Bench matmul [--quick] [--shapes=256,XW,...] [--impl=scalar,simd,ejml,opencl] [--threads=1,2] [--spin]
 *   Bench ops [args]          elementwise / softmax / layer norm GB/s (OpsBench)
 *   Bench train [args]        baby-GPT training step tokens/s and model FLOPS (TrainBench)
 *   Bench generate [args]     KV-cache generation tokens/s, baby and gpt2 shapes (GenBench)
 * </pre>
 *
 * {@code matmul} prints {@code matmul MxKxN impl=<scalar|simd|ejml|opencl> threads=<t> gflops=<value> shape=<tag>}
 * for each shape and implementation: warm-up runs, then the best of the timed runs, with
 * GFLOPS = 2·M·K·N / seconds / 1e9. scripts/bench_numpy.py prints the same lines for numpy.
 * {@code --quick} shortens the timed runs; {@code --spin} runs the multi-threaded kernels on a
 * {@link SpinningExecutor} instead of {@link Parallel#ofThreads}, and tags those lines {@code workers=spin}.
 * {@code opencl} (not in the default list: it needs an OpenCL device) prints two lines per shape,
 * {@code threads=1} (the host thread): the plain one times the contract's matmul with its copies to and
 * from the device, the one tagged {@code transfers=none} the kernel alone on operands already there;
 * the copies of one call go to stderr as a comment.
 */
public final class Bench {

    /**
     * One benchmark shape: op(A) is M x K, op(B) is K x N, stored as the transformer stores them.
     * {@code name} is what {@code --shapes=} selects; {@code tag} is printed after the measurement.
     */
    record Shape(String name, int M, int K, int N, boolean transA, boolean transB, String tag) {
        String dims() {
            return M + "x" + K + "x" + N;
        }

        double flops() {
            return 2.0 * M * K * N;
        }
    }

    /** The shapes of issue 2; the same list as scripts/bench_numpy.py. */
    static final List<Shape> SHAPES = List.of(
            new Shape("256", 256, 256, 256, false, false, "square"),
            new Shape("512", 512, 512, 512, false, false, "square"),
            new Shape("1024", 1024, 1024, 1024, false, false, "square"),
            new Shape("2048", 2048, 2048, 2048, false, false, "square"),
            // a transformer layer with B*T = 4096 tokens, C = 256, a (C, 3C) weight W:
            new Shape("XW", 4096, 256, 768, false, false, "X*W"),          // forward: Y = X · W
            new Shape("dYWT", 4096, 768, 256, false, true, "dY*W^T"),      // backward: dX = dY · W^T
            new Shape("XTdY", 256, 4096, 768, true, false, "X^T*dY"));     // backward: dW = X^T · dY

    /**
     * Shapes run only when {@code --shapes=} names them (too big for the CPU's default list): a larger square, and
     * GPT-2 small's MLP product and tied head at B·T = 4096 tokens; bench/cublas_matmul.py knows the same names.
     */
    static final List<Shape> GPU_SHAPES = List.of(
            new Shape("4096", 4096, 4096, 4096, false, false, "square"),
            new Shape("gpt2fc", 4096, 768, 3072, false, false, "gpt2 X*W_fc"),
            new Shape("gpt2head", 4096, 768, 50257, false, true, "gpt2 h*wte^T"));

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "matmul" -> matmul(rest);
            case "ops" -> OpsBench.run(rest);
            case "train" -> TrainBench.run(rest);
            case "generate" -> GenBench.run(rest);
            default -> {
                usage();
                System.exit(2);
            }
        }
    }

    private static void usage() {
        System.err.println("usage: Bench matmul [--quick] [--shapes=256,512,XW,dYWT,XTdY,...] [--impl=scalar,simd,ejml,opencl]"
                + " [--threads=1,2] [--spin]");
        System.err.println("       Bench ops [args]");
        System.err.println("       Bench train [--quick] [--model=baby|gpt2] [--block=T] [--batch=12,32] [--threads=1,2]");
        System.err.println("       Bench generate [--quick] [--models=baby,gpt2]   (threads: -Drlhf4j.threads=N)");
    }


    private static void matmul(String[] args) {
        boolean quick = false, spin = false;
        List<String> shapeFilter = null, implFilter = List.of("scalar", "simd", "ejml");
        int[] threadCounts = {1, 2};
        for (String arg : args) {
            if (arg.equals("--quick")) {
                quick = true;
            } else if (arg.equals("--spin")) {
                spin = true;
            } else if (arg.startsWith("--shapes=")) {
                shapeFilter = Arrays.asList(arg.substring(9).split(","));
            } else if (arg.startsWith("--threads=")) {
                threadCounts = Arrays.stream(arg.substring(10).split(",")).mapToInt(Integer::parseInt).toArray();
            } else if (arg.startsWith("--impl=")) {
                implFilter = Arrays.asList(arg.substring(7).split(","));
            } else {
                usage();
                System.exit(2);
            }
        }
        System.err.printf(Locale.ROOT, "# %s %s, %d cpus, backend available: simd=%b%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Backends.simdAvailable());
        double budget = quick ? 0.4 : 2.0; // seconds of timed runs per measurement
        if (implFilter.contains("simd")) {
            warmUp("simd");
        }
        List<Shape> shapes = new java.util.ArrayList<>(SHAPES);
        if (shapeFilter != null) {
            shapes.addAll(GPU_SHAPES);
            for (String name : shapeFilter) {
                if (shapes.stream().noneMatch(s -> s.name().equals(name) || s.dims().equals(name))) {
                    throw new IllegalArgumentException("Bench matmul: unknown shape '" + name + "'; known: "
                            + shapes.stream().map(Shape::name).collect(java.util.stream.Collectors.joining(",")));
                }
            }
        }
        for (Shape s : shapes) {
            if (shapeFilter != null && !shapeFilter.contains(s.name()) && !shapeFilter.contains(s.dims())) {
                continue;
            }
            float[] a = random(s.M() * s.K(), 1), b = random(s.K() * s.N(), 2), out = new float[s.M() * s.N()];
            for (String impl : implFilter) {
                if (impl.equals("ejml")) {
                    report(s, impl, 1, ejml(s, a, b, budget), "");
                    continue;
                }
                if (impl.equals("opencl")) {
                    openCl(s, a, b, out, budget);
                    continue;
                }
                for (int threads : threadCounts) {
                    SpinningExecutor spinning = spin && threads > 1 ? new SpinningExecutor(threads - 1) : null;
                    try (Parallel p = spinning != null ? Parallel.using(spinning, threads) : Parallel.ofThreads(threads)) {
                        Kernels k = Backends.create(impl, p);
                        Runnable run = () -> k.matmul(out, 0, a, 0, b, 0, 1, s.M(), s.K(), s.N(),
                                s.transA(), s.transB(), false, false);
                        double seconds = time(run, impl.equals("scalar") ? budget / 2 : budget);
                        report(s, impl, threads, seconds, spinning != null ? " workers=spin" : "");
                    } finally {
                        if (spinning != null) {
                            spinning.shutdownNow();
                        }
                    }
                }
            }
        }
    }

    /**
     * Runs every transpose variant of a small product for about two seconds, on one and on two
     * threads, so that C2 has compiled the kernels before the first measurement: interpreted
     * Vector API code is thousands of times slower and would spoil a short warm-up.
     */
    private static void warmUp(String impl) {
        int n = 192;
        float[] a = random(n * n, 3), b = random(n * n, 4), out = new float[n * n];
        for (int threads = 1; threads <= 2; threads++) {
            try (Parallel p = Parallel.ofThreads(threads)) {
                Kernels k = Backends.create(impl, p);
                long end = System.nanoTime() + 1_000_000_000L;
                for (int i = 0; System.nanoTime() < end; i++) {
                    k.matmul(out, 0, a, 0, b, 0, 1, n, n, n, (i & 1) != 0, (i & 2) != 0, false, false);
                }
            }
        }
    }

    private static void openCl(Shape s, float[] a, float[] b, float[] out, double budget) {
        try (Parallel p = Parallel.ofThreads(1)) {
            org.rlhf4j.kernels.opencl.OpenClKernels k = (org.rlhf4j.kernels.opencl.OpenClKernels) Backends.create("opencl", p);
            Runnable run = () -> k.matmul(out, 0, a, 0, b, 0, 1, s.M(), s.K(), s.N(), s.transA(), s.transB(), false, false);
            run.run(); // the first launch compiles the kernel
            var before = k.transfers().snapshot();
            run.run();
            System.err.println("# opencl " + s.dims() + " on " + k.deviceDescription() + ", one call: "
                    + k.transfers().snapshot().minus(before));
            report(s, "opencl", 1, time(run, budget), "");
            report(s, "opencl", 1, k.matmulKernelSeconds(out, a, b, s.M(), s.K(), s.N(), s.transA(), s.transB(), budget),
                    " transfers=none");
        }
    }

    private static double ejml(Shape s, float[] a, float[] b, double budget) {
        FMatrixRMaj ma = s.transA() ? new FMatrixRMaj(s.K(), s.M(), true, a) : new FMatrixRMaj(s.M(), s.K(), true, a);
        FMatrixRMaj mb = s.transB() ? new FMatrixRMaj(s.N(), s.K(), true, b) : new FMatrixRMaj(s.K(), s.N(), true, b);
        FMatrixRMaj mc = new FMatrixRMaj(s.M(), s.N());
        Runnable run;
        if (s.transA() && s.transB()) {
            run = () -> CommonOps_FDRM.multTransAB(ma, mb, mc);
        } else if (s.transA()) {
            run = () -> CommonOps_FDRM.multTransA(ma, mb, mc);
        } else if (s.transB()) {
            run = () -> CommonOps_FDRM.multTransB(ma, mb, mc);
        } else {
            run = () -> CommonOps_FDRM.mult(ma, mb, mc);
        }
        return time(run, budget / 2);
    }

    /**
     * Best time of one run in seconds: warm-up runs for about a third of the budget (at least one),
     * then timed runs until the budget is spent (at least two, or one for runs longer than it).
     */
    private static double time(Runnable run, double budget) {
        long start = System.nanoTime();
        do {
            run.run();
        } while (System.nanoTime() - start < budget / 3 * 1e9);
        double best = Double.MAX_VALUE;
        int reps = 0;
        start = System.nanoTime();
        do {
            long t0 = System.nanoTime();
            run.run();
            best = Math.min(best, (System.nanoTime() - t0) * 1e-9);
            reps++;
        } while (System.nanoTime() - start < budget * 1e9 || (reps < 2 && best < budget));
        return best;
    }

    private static void report(Shape s, String impl, int threads, double seconds, String extraTag) {
        System.out.printf(Locale.ROOT, "matmul %s impl=%s threads=%d gflops=%.1f shape=%s%s%n",
                s.dims(), impl, threads, s.flops() / seconds / 1e9, s.tag(), extraTag);
        System.out.flush();
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }
}
