package org.rlhf4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.nn.KvCache;
import org.rlhf4j.tensor.Generator;

/**
 * Generation throughput with the KV cache, batch 1, random weights, greedy decoding: the prompt runs
 * once (prefill), then each new token is one single-token cached step, exactly the loop of
 * {@link org.rlhf4j.nn.Sampler#generate} at temperature 0. Usage:
 *
 * <pre>
 *   GenBench [--quick] [--models=baby,gpt2] [--prompt=16] [--new=N] [--reps=3]
 * </pre>
 *
 * Prints per model {@code generate model=<baby|gpt2> impl=rlhf4j backend=.. threads=<t> prompt=16
 * new_tokens=<n> tokens_per_sec=.. decode_tokens_per_sec=.. prefill_ms=..}: tokens_per_sec is
 * n / (prefill + n-1 steps), what a caller of the Sampler sees; decode_tokens_per_sec counts the
 * single-token steps alone. Medians over the timed generations (at least reps, and at least 2 s of
 * them; quick: 0.5 s), after 2 s of warm-up generations (at least one; quick: 0.5 s). The
 * default n stays inside the block so no step re-runs a window: baby (block 64) generates
 * 64 - prompt + 1 = 49 tokens, gpt2 128 (quick: 16). bench/torch_gpt_bench.py does the same in PyTorch.
 */
public final class GenBench {

    private GenBench() {
    }

    public static void main(String[] args) {
        run(args);
    }

    public static void run(String[] args) {
        boolean quick = false;
        List<String> models = List.of("baby", "gpt2");
        int promptLength = 16, newTokens = -1, reps = -1;
        for (String arg : args) {
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "";
            if (arg.equals("--quick")) {
                quick = true;
            } else if (arg.startsWith("--models=")) {
                models = List.of(value.split(","));
            } else if (arg.startsWith("--prompt=")) {
                promptLength = Integer.parseInt(value);
            } else if (arg.startsWith("--new=")) {
                newTokens = Integer.parseInt(value);
            } else if (arg.startsWith("--reps=")) {
                reps = Integer.parseInt(value);
            } else {
                throw new IllegalArgumentException("GenBench: unknown argument '" + arg
                        + "'; usage: GenBench [--quick] [--models=baby,gpt2] [--prompt=16] [--new=N] [--reps=3]");
            }
        }
        reps = reps > 0 ? reps : quick ? 1 : 3;
        for (String name : models) {
            GptConfig config = switch (name) {
                case "baby" -> GptConfig.baby();
                case "gpt2" -> GptConfig.gpt2();
                default -> throw new IllegalArgumentException("GenBench: unknown model '" + name
                        + "'; use baby or gpt2");
            };
            int fits = config.blockSize() - promptLength + 1; // the prefill gives the first token
            int n = newTokens > 0 ? Math.min(newTokens, fits) : Math.min(fits, quick ? 16 : 128);
            measure(name, config, promptLength, n, reps, quick ? 0.5 : 2.0);
        }
    }

    /** Warm-up for {@code seconds} (one generation at least), then timed generations: reps and seconds at least. */
    private static void measure(String name, GptConfig config, int P, int n, int reps, double seconds) {
        Gpt model = new Gpt(config, new Generator(1337)).eval();
        Generator gen = new Generator(7);
        int[] prompt = new int[P];
        for (int i = 0; i < P; i++) {
            prompt[i] = (int) (gen.nextUniform() * config.vocabSize());
        }
        KvCache cache = new KvCache(config, 1);
        long warmupEnd = System.nanoTime() + (long) (seconds * 1e9);
        do { // warm-up generations (the JIT compiles the step), at least one
            generate(model, prompt, n, cache);
        } while (System.nanoTime() < warmupEnd);
        List<double[]> runs = new ArrayList<>(); // {prefill seconds, decode seconds}
        long timedEnd = System.nanoTime() + (long) (seconds * 1e9);
        while (runs.size() < reps || System.nanoTime() < timedEnd) {
            runs.add(generate(model, prompt, n, cache));
        }
        double prefill = TrainBench.median(runs.stream().mapToDouble(x -> x[0]).toArray());
        double decode = TrainBench.median(runs.stream().mapToDouble(x -> x[1]).toArray());
        double total = TrainBench.median(runs.stream().mapToDouble(x -> x[0] + x[1]).toArray());
        Kernels k = Backends.current();
        System.out.printf(Locale.ROOT, "generate model=%s impl=rlhf4j backend=%s threads=%d prompt=%d new_tokens=%d"
                        + " tokens_per_sec=%.1f decode_tokens_per_sec=%.1f prefill_ms=%.2f reps=%d%n",
                name, k.name(), k.parallel().threads(), P, n, n / total, (n - 1) / decode, prefill * 1e3, runs.size());
    }

    /** One greedy generation of n tokens from an empty cache: {prefill seconds, decode seconds}. */
    private static double[] generate(Gpt model, int[] prompt, int n, KvCache cache) {
        cache.clear();
        long t0 = System.nanoTime();
        float[] logits = model.forward(prompt, 1, prompt.length, cache).toArray(); // prefill: (1, V)
        long t1 = System.nanoTime();
        for (int i = 1; i < n; i++) { // the prefill gave token 1; steps give tokens 2 .. n
            logits = model.forward(new int[] {argmax(logits)}, 1, 1, cache).toArray();
        }
        argmax(logits); // token n
        long t2 = System.nanoTime();
        return new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9};
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int v = 1; v < logits.length; v++) {
            best = logits[v] > logits[best] ? v : best;
        }
        return best;
    }
}
