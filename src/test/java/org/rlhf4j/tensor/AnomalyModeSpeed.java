package org.rlhf4j.tensor;

import java.util.Arrays;
import java.util.Locale;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.optim.AdamW;
import org.rlhf4j.optim.AdamWConfig;

/**
 * The cost of anomaly mode on a training step of the baby GPT (batch 12, block 64: zeroGrad, forward +
 * loss, backward, AdamW), in one JVM: steps alternate off, on, off, on ... so that a loaded machine's
 * drift hits both alike; prints the median step time of each and the median of the per-pair ratios.
 * Run by hand (not a test): {@code java -cp <test classpath> org.rlhf4j.tensor.AnomalyModeSpeed [pairs]}.
 */
public final class AnomalyModeSpeed {

    private AnomalyModeSpeed() {
    }

    @SuppressWarnings("try")
    public static void main(String[] args) {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 30, B = 12, T = 64;
        Gpt gpt = new Gpt(GptConfig.baby(), new Generator(1));
        AdamW opt = AdamW.forModel(gpt, AdamWConfig.defaults());
        Generator g = new Generator(2);
        int[] ids = new int[B * T], targets = new int[B * T];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = g.nextInt(65);
            targets[i] = g.nextInt(65);
        }
        double[] off = new double[pairs], on = new double[pairs], ratio = new double[pairs];
        for (int warm = 0; warm < 5; warm++) {
            step(gpt, opt, ids, targets, B, T);
            try (AnomalyMode ignored = Autograd.detectAnomaly()) {
                step(gpt, opt, ids, targets, B, T);
            }
        }
        for (int p = 0; p < pairs; p++) {
            off[p] = step(gpt, opt, ids, targets, B, T);
            try (AnomalyMode ignored = Autograd.detectAnomaly()) {
                on[p] = step(gpt, opt, ids, targets, B, T);
            }
            ratio[p] = on[p] / off[p];
        }
        System.out.printf(Locale.ROOT, "anomaly baby B=%d T=%d pairs=%d off_ms=%.2f on_ms=%.2f on/off=%.3f%n",
                B, T, pairs, median(off), median(on), median(ratio));
    }

    private static double step(Gpt gpt, AdamW opt, int[] ids, int[] targets, int B, int T) {
        long t0 = System.nanoTime();
        opt.zeroGrad();
        gpt.loss(ids, targets, B, T, -1).backward();
        opt.step();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
