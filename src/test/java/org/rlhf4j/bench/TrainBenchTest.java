package org.rlhf4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.rlhf4j.nn.GptConfig;

/** The model-FLOPs formula of TrainBench at known answers, and the median it reports. */
class TrainBenchTest {

    @Test
    void babyHasNanoGptsParameterCountAndFlopsPerToken() {
        GptConfig baby = GptConfig.baby();
        // nanoGPT prints "number of parameters: 0.80M" for this model (its count leaves out wpe):
        // wte 65*128 + 4 blocks * (ln_1, ln_2 2*128 + c_attn 128*384 + c_proj 128*128 + c_fc 128*512
        // + mlp c_proj 512*128) + ln_f 128 (no biases)
        long n = 65 * 128 + 4 * (2 * 128 + 128 * 384 + 128 * 128 + 128 * 512 + 512 * 128) + 128;
        assertEquals(795_904L, n);
        assertEquals(n, TrainBench.nonEmbeddingParams(baby));
        // 6N + 12 L H Q T with L = 4 layers, H = 4 heads, Q = 32 head size, T = 64 positions
        assertEquals(6.0 * 795_904 + 12.0 * 4 * 4 * 32 * 64, TrainBench.flopsPerToken(baby), 0.0);
        assertEquals(5_168_640.0, TrainBench.flopsPerToken(baby), 0.0);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, TrainBench.median(new double[] {3, 1, 2}), 0.0);
        assertEquals(2.5, TrainBench.median(new double[] {4, 1, 3, 2}), 0.0);
    }
}
