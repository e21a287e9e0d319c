package org.rlhf4j.bench;

import java.util.Arrays;
import java.util.Locale;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.kernels.Parallel;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.optim.AdamW;
import org.rlhf4j.optim.AdamWConfig;
import org.rlhf4j.optim.GradClip;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;

/**
 * Training throughput of a GPT on random token batches: the baby (nanoGPT's CPU shakespeare-char
 * model, the default) or a gpt2-124M-shaped model ({@code --model=gpt2}, GPT-2 small's shape with
 * random weights; {@code --block} shortens its 1024 positions so that a step fits a slow device).
 * One iteration is zeroGrad, forward + loss, backward, global-norm clip at 1.0 and an AdamW step
 * (nanoGPT's CPU recipe: betas (0.9, 0.99), weight decay 0.1), timed after warm-up. Usage:
 *
 * <pre>
 *   TrainBench [--quick] [--model=baby|gpt2] [--block=T] [--batch=12,32 (gpt2: 4)] [--iters=N] [--warmup=N]
 *              [--threads=2] [--peak-gflops=512]
 * </pre>
 *
 * Prints, per batch size and thread count, {@code train model=<baby|gpt2> batch=B block=T impl=rlhf4j
 * backend=<simd|scalar|opencl> threads=<t> tokens_per_sec=.. ms_per_iter=.. ms_mean=.. mfu_gflops=..
 * mfu_pct=..}. ms_per_iter is the median iteration, tokens_per_sec = B·T / median, and mfu_gflops
 * is the model FLOPs achieved per second by {@link #flopsPerToken} (nanoGPT's estimate_mfu), mfu_pct
 * that as a share of the peak given; fwd_ms (zeroGrad + forward + loss), bwd_ms, clip_ms and adamw_ms
 * are the median time of each phase. On the opencl backend the line ends with the host-device copies
 * of one timed iteration (the mean over the timed ones): {@code h2d_mb=.. d2h_mb=.. h2d_copies=..
 * d2h_copies=.. launches=.. new_buffers=.. new_buffer_mb=..} (TransferStats says what each
 * counts). bench/torch_gpt_bench.py prints the same lines for PyTorch.
 */
public final class TrainBench {

    private TrainBench() {
    }

    public static void main(String[] args) {
        run(args);
    }

    public static void run(String[] args) {
        boolean quick = false;
        int[] batches = null, threadCounts = null;
        int iters = -1, warmup = -1, block = -1;
        String model = "baby";
        // GFLOPS: 2 cores x 64 fp32 FLOPs a cycle (two 512-bit FMA pipes) x ~4.0 GHz; docs/benchmarks.md (GPT section)
        double peak = 512;
        for (String arg : args) {
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "";
            if (arg.equals("--quick")) {
                quick = true;
            } else if (arg.startsWith("--model=")) {
                model = value;
            } else if (arg.startsWith("--block=")) {
                block = Integer.parseInt(value);
            } else if (arg.startsWith("--batch=")) {
                batches = ints(value);
            } else if (arg.startsWith("--threads=")) {
                threadCounts = ints(value);
            } else if (arg.startsWith("--iters=")) {
                iters = Integer.parseInt(value);
            } else if (arg.startsWith("--warmup=")) {
                warmup = Integer.parseInt(value);
            } else if (arg.startsWith("--peak-gflops=")) {
                peak = Double.parseDouble(value);
            } else {
                throw new IllegalArgumentException("TrainBench: unknown argument '" + arg + "'; usage: " + USAGE);
            }
        }
        GptConfig config = config(model, block);
        if (batches == null) { // gpt2 at 1024 positions: B 4 is 4,096 tokens a step, the size GPT-2's figures use
            batches = model.equals("gpt2") ? new int[] {4} : new int[] {12, 32};
        }
        iters = iters > 0 ? iters : quick ? 5 : 50;
        warmup = warmup >= 0 ? warmup : quick ? 3 : 15;
        System.out.printf(Locale.ROOT, "# %s %s, %d cpus; %s GPT: %d parameters without wpe, %.0f FLOPs per token%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), model, nonEmbeddingParams(config), flopsPerToken(config));
        if (threadCounts == null) {
            for (int B : batches) {
                measure(model, config, B, warmup, iters, peak);
            }
            return;
        }
        Kernels previous = Backends.current();
        try {
            for (int threads : threadCounts) {
                try (Parallel parallel = Parallel.ofThreads(threads)) {
                    Backends.use(Backends.create(previous.name(), parallel));
                    for (int B : batches) {
                        measure(model, config, B, warmup, iters, peak);
                    }
                }
            }
        } finally {
            Backends.use(previous);
        }
    }

    private static final String USAGE = "TrainBench [--quick] [--model=baby|gpt2] [--block=T] [--batch=12,32]"
            + " [--iters=N] [--warmup=N] [--threads=2] [--peak-gflops=512]";

    /** The model of {@code --model}, with {@code block} positions when it is positive. */
    static GptConfig config(String model, int block) {
        GptConfig c = switch (model) {
            case "baby" -> GptConfig.baby();
            case "gpt2" -> GptConfig.gpt2();
            default -> throw new IllegalArgumentException("TrainBench: --model must be baby or gpt2, got '" + model
                    + "'; usage: " + USAGE);
        };
        return block > 0 ? c.withBlockSize(block) : c;
    }

    /** Warm-up, then {@code iters} timed iterations of one training step at batch B; prints one line. */
    private static void measure(String name, GptConfig config, int B, int warmup, int iters, double peakGflops) {
        int T = config.blockSize(), V = config.vocabSize();
        Gpt model = new Gpt(config, new Generator(1337));
        AdamW opt = AdamW.forModel(model, AdamWConfig.nanoGptShakespeare());
        Generator data = new Generator(42);
        int[] ids = new int[B * T], targets = new int[B * T];
        double[] seconds = new double[iters];
        double[][] phases = new double[4][iters]; // zeroGrad + forward + loss, backward, clip, AdamW step
        float loss = Float.NaN;
        Copies copies = new Copies(Backends.current());
        for (int it = 0; it < warmup + iters; it++) {
            if (it == warmup) {
                copies.start();
            }
            for (int i = 0; i < ids.length; i++) { // a fresh random batch, as a data loader would give
                ids[i] = (int) (data.nextUniform() * V);
                targets[i] = (int) (data.nextUniform() * V);
            }
            long[] t = new long[5];
            t[0] = System.nanoTime();
            opt.zeroGrad();
            Tensor l = model.loss(ids, targets, B, T, -1); // forward + loss
            t[1] = System.nanoTime();
            l.backward();
            t[2] = System.nanoTime();
            GradClip.clipGlobalNorm(model.parameters(), 1.0);
            t[3] = System.nanoTime();
            opt.step();
            t[4] = System.nanoTime();
            loss = l.item();
            if (it >= warmup) {
                seconds[it - warmup] = (t[4] - t[0]) / 1e9;
                for (int p = 0; p < 4; p++) {
                    phases[p][it - warmup] = (t[p + 1] - t[p]) / 1e9;
                }
            }
        }
        if (!Float.isFinite(loss)) {
            throw new IllegalStateException("TrainBench: the loss is not finite (" + loss + ")");
        }
        double median = median(seconds), mean = Arrays.stream(seconds).average().orElse(Double.NaN);
        double tokensPerSec = B * T / median;
        double gflops = tokensPerSec * flopsPerToken(config) / 1e9;
        Kernels k = Backends.current();
        System.out.printf(Locale.ROOT, "train model=%s batch=%d block=%d impl=rlhf4j backend=%s threads=%d"
                        + " tokens_per_sec=%.0f ms_per_iter=%.2f ms_mean=%.2f mfu_gflops=%.1f mfu_pct=%.1f"
                        + " peak_gflops=%.0f iters=%d loss=%.3f fwd_ms=%.2f bwd_ms=%.2f clip_ms=%.2f adamw_ms=%.2f%s%n",
                name, B, T, k.name(), k.parallel().threads(), tokensPerSec, median * 1e3, mean * 1e3, gflops,
                100 * gflops / peakGflops, peakGflops, iters, loss, median(phases[0]) * 1e3,
                median(phases[1]) * 1e3, median(phases[2]) * 1e3, median(phases[3]) * 1e3, copies.perIteration(iters));
    }

    /**
     * Model FLOPs per trained token, nanoGPT's {@code estimate_mfu} (after the PaLM paper, Chowdhery
     * et al. 2022, appendix B): {@code 6·N + 12·L·H·Q·T}, where N counts the parameters without the
     * position embedding (the tied token embedding stays in: it is the head's matmul), 6·N is the
     * forward (2N) and backward (4N) matmul work, and 12·L·H·Q·T the attention scores and their use
     * (L layers, H heads, Q head size, T the block size; the causal mask is not discounted).
     */
    static double flopsPerToken(GptConfig c) {
        double attention = 12.0 * c.nLayer() * c.nHead() * c.headSize() * c.blockSize();
        return 6.0 * nonEmbeddingParams(c) + attention;
    }

    /** N of {@link #flopsPerToken}: every parameter except {@code wpe}, counted from a built model. */
    static long nonEmbeddingParams(GptConfig c) {
        Gpt model = new Gpt(c, new Generator(0));
        return model.parameterCount() - model.wpe.weight.size();
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static int[] ints(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }
}
