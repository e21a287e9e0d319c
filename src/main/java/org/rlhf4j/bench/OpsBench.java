package org.rlhf4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.kernels.Binary;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.kernels.Parallel;
import org.rlhf4j.kernels.Unary;

/**
 * Throughput of the memory-bound kernels (elementwise, softmax family, layer norm) on the shapes
 * of a small GPT, as GB/s of bytes read plus bytes written, next to the machine's copy bandwidth
 * measured the same way. One line per measurement:
 * {@code op softmax rows=4096 cols=768 impl=simd threads=2 gbps=12.3}.
 *
 * <p>Each figure is the best of several timed calls after a warm-up, so that another process
 * sharing the machine shows up as slower runs that are discarded, not as a lower figure.
 *
 * <p>Arguments (all optional): op names to run (default: all), {@code --rows R}, {@code --cols C},
 * {@code --vocab V}, {@code --ce-rows R}, {@code --threads 1,2}, {@code --impls scalar,simd},
 * {@code --reps N}.
 */
public final class OpsBench {

    /** One benchmarked call and the bytes it reads and writes. */
    private interface Op {
        void run(Kernels k);
    }

    private OpsBench() {
    }

    public static void run(String[] args) {
        int rows = 4096, cols = 768, vocab = 50257, ceRows = 1024, reps = 15;
        int[] threads = {1, 2};
        String[] impls = {"scalar", "simd"};
        List<String> only = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows": rows = Integer.parseInt(args[++i]); break;
                case "--cols": cols = Integer.parseInt(args[++i]); break;
                case "--vocab": vocab = Integer.parseInt(args[++i]); break;
                case "--ce-rows": ceRows = Integer.parseInt(args[++i]); break;
                case "--reps": reps = Integer.parseInt(args[++i]); break;
                case "--threads": threads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray(); break;
                case "--impls": impls = args[++i].split(","); break;
                default: only.add(args[i]);
            }
        }
        runAll(rows, cols, vocab, ceRows, reps, threads, impls, only);
    }

    private static void runAll(int rows, int cols, int vocab, int ceRows, int reps, int[] threads, String[] impls,
                               List<String> only) {
        int n = rows * cols;
        float[] x = random(1, n), y = random(2, n), dout = random(3, n), out = new float[n], out2 = new float[n];
        float[] bias = random(4, cols), w = random(5, cols), mean = new float[rows], rstd = new float[rows];
        float[] dw = new float[cols], db = new float[cols];
        int[] strides = {cols, 1}, bcast = {0, 1}, shape = {rows, cols};
        long elems = n, fl = Float.BYTES;

        for (int t : threads) { // the yardsticks: a copy from memory, and one of an op's size (partly in L3)
            copyBandwidth(1, 16 << 20, t, reps);
            copyBandwidth(rows, cols, t, reps);
        }
        bench(only, "add", rows, cols, 3 * elems * fl, impls, threads, reps,
                k -> k.binary(Binary.ADD, out, 0, x, 0, strides, y, 0, strides, shape));
        bench(only, "mul_bcast", rows, cols, (2 * elems + cols) * fl, impls, threads, reps,
                k -> k.binary(Binary.MUL, out, 0, x, 0, strides, bias, 0, bcast, shape));
        bench(only, "exp", rows, cols, 2 * elems * fl, impls, threads, reps,
                k -> k.unary(Unary.EXP, 0f, 0f, out, 0, x, 0, n));
        bench(only, "gelu", rows, cols, 2 * elems * fl, impls, threads, reps,
                k -> k.unary(Unary.GELU, 0f, 0f, out, 0, x, 0, n));
        bench(only, "gelu_bwd", rows, cols, 4 * elems * fl, impls, threads, reps, // reads dinp, dout, x, y; writes dinp
                k -> k.unaryBackward(Unary.GELU, 0f, 0f, out2, 0, dout, 0, x, 0, out, 0, n));
        bench(only, "softmax", rows, cols, 2 * elems * fl, impls, threads, reps,
                k -> k.softmaxForward(out, 0, x, 0, rows, cols));
        bench(only, "softmax_bwd", rows, cols, 4 * elems * fl, impls, threads, reps,
                k -> k.softmaxBackward(out2, 0, dout, 0, out, 0, rows, cols));
        bench(only, "logsoftmax", rows, cols, 2 * elems * fl, impls, threads, reps,
                k -> k.logSoftmaxForward(out, 0, x, 0, rows, cols));
        bench(only, "layernorm", rows, cols, (2 * elems + 2 * cols + 2 * rows) * fl, impls, threads, reps,
                k -> k.layerNormForward(out, 0, mean, 0, rstd, 0, x, 0, w, 0, bias, 0, rows, cols, 1e-5f));
        bench(only, "layernorm_bwd", rows, cols, (4 * elems + 5 * cols + 2 * rows) * fl, impls, threads, reps,
                k -> k.layerNormBackward(out2, 0, dw, 0, db, 0, dout, 0, x, 0, w, 0, mean, 0, rstd, 0, rows, cols));

        if (only.isEmpty() || only.contains("crossentropy") || only.contains("crossentropy_bwd")) {
            long ce = (long) ceRows * vocab;
            float[] logits = random(6, (int) ce), dlogits = new float[(int) ce];
            float[] losses = new float[ceRows], lse = new float[ceRows], dlosses = new float[ceRows];
            Arrays.fill(dlosses, 1f / ceRows);
            int[] targets = new SplittableRandom(7).ints(ceRows, 0, vocab).toArray();
            bench(only, "crossentropy", ceRows, vocab, ce * fl, impls, threads, Math.max(3, reps / 3),
                    k -> k.crossEntropyForward(losses, 0, lse, 0, logits, 0, targets, 0, ceRows, vocab, -100));
            bench(only, "crossentropy_bwd", ceRows, vocab, 3 * ce * fl, impls, threads, Math.max(3, reps / 3),
                    k -> k.crossEntropyBackward(dlogits, 0, dlosses, 0, logits, 0, lse, 0, targets, 0, ceRows, vocab, -100));
        }
    }

    private static void bench(List<String> only, String name, int rows, int cols, long bytes,
                              String[] impls, int[] threads, int reps, Op op) {
        if (!only.isEmpty() && !only.contains(name)) {
            return;
        }
        for (String impl : impls) {
            for (int t : threads) {
                try (Parallel p = Parallel.ofThreads(t)) {
                    Kernels k = Backends.create(impl, p);
                    double seconds = best(reps, () -> op.run(k));
                    print(name, rows, cols, impl, t, bytes / seconds / 1e9);
                }
            }
        }
    }

    /**
     * Best wall time of one call: warm up for 1.5 s and at least 10 calls (C2 needs that long to
     * compile the vector code on a busy 2-core machine; before that C1 code runs 10 times slower),
     * then reps timed calls.
     */
    private static double best(int reps, Runnable call) {
        long warmUntil = System.nanoTime() + 1_500_000_000L;
        for (int i = 0; i < 10 || System.nanoTime() < warmUntil; i++) {
            call.run();
        }
        long best = Long.MAX_VALUE;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            call.run();
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best / 1e9;
    }

    /** Copy bandwidth of rows * cols floats, copied by t threads in contiguous parts, read + write counted. */
    private static void copyBandwidth(int rows, int cols, int t, int reps) {
        int n = rows * cols;
        float[] src = random(8, n), dst = new float[n];
        try (Parallel p = Parallel.ofThreads(t)) {
            double seconds = best(reps, () -> p.forRange(t, 1, (from, to) -> {
                for (int part = from; part < to; part++) {
                    int a = (int) ((long) n * part / t), b = (int) ((long) n * (part + 1) / t);
                    System.arraycopy(src, a, dst, a, b - a);
                }
            }));
            print("copy", rows, cols, "java", t, 2.0 * n * Float.BYTES / seconds / 1e9);
        }
    }

    private static void print(String op, int rows, int cols, String impl, int threads, double gbps) {
        System.out.println(String.format(Locale.ROOT, "op %s rows=%d cols=%d impl=%s threads=%d gbps=%.2f",
                op, rows, cols, impl, threads, gbps));
    }

    private static float[] random(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextDouble() * 4 - 2);
        }
        return a;
    }

    /** Temporary entry point until org.rlhf4j.bench.Bench dispatches {@code Bench ops} here. */
    public static void main(String[] args) {
        run(args);
    }
}
