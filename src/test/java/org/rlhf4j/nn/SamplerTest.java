package org.rlhf4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rlhf4j.tensor.Generator;

/** Greedy decoding with and without the KV cache, seeded sampling, top-k, top-p and EOS. */
@ExtendWith(OwnKernels.class)
class SamplerTest {

    private static final GptConfig CFG = new GptConfig(24, 10, 2, 2, 16, 0f, true, 1e-5f, 0.3f);

    private static Gpt model() {
        return new Gpt(CFG, new Generator(21));
    }

    @Test
    void greedyDecodingIsTheSameWithAndWithoutTheCache() {
        Gpt model = model();
        int[] prompt = {3, 1, 4};
        // 20 new tokens: the context passes the block size (10), so the cache's refill path runs too
        int[] cached = Sampler.generate(model, prompt, SamplingConfig.greedy(20));
        int[] uncached = Sampler.generate(model, prompt, SamplingConfig.greedy(20).withUseCache(false));
        assertEquals(20, cached.length);
        assertArrayEquals(uncached, cached);
        assertTrue(Arrays.stream(cached).distinct().count() > 1, "not a degenerate repetition: " + Arrays.toString(cached));
    }

    @Test
    void aLongPromptIsCroppedToTheBlockSize() {
        Gpt model = model();
        int[] prompt = GptTest.randomIds(9, 15, 24);
        assertArrayEquals(Sampler.generate(model, prompt, SamplingConfig.greedy(5).withUseCache(false)),
                Sampler.generate(model, prompt, SamplingConfig.greedy(5)));
    }

    @Test
    void samplingWithASeedIsReproducibleAndTheModeIsRestored() {
        Gpt model = model();
        SamplingConfig cfg = SamplingConfig.defaults().withMaxNewTokens(30).withSeed(7);
        int[] a = Sampler.generate(model, new int[] {1}, cfg), b = Sampler.generate(model, new int[] {1}, cfg);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, Sampler.generate(model, new int[] {1}, cfg.withSeed(8))), "another seed, another sample");
        assertArrayEquals(a, Sampler.generate(model, new int[] {1}, cfg.withUseCache(false)), "same draws without the cache");
        assertTrue(model.isTraining(), "the model's mode is restored");
    }

    @Test
    void generationStopsAtEosAndAtMaxTokens() {
        Gpt model = model();
        int[] free = Sampler.generate(model, new int[] {2}, SamplingConfig.greedy(12));
        int eos = free[4];
        int first = 0;
        while (free[first] != eos) {
            first++;
        }
        int[] stopped = Sampler.generate(model, new int[] {2}, SamplingConfig.greedy(12).withEosId(eos));
        assertArrayEquals(Arrays.copyOf(free, first + 1), stopped, "stops after the first EOS, which is kept");
        assertEquals(0, Sampler.generate(model, new int[] {2}, SamplingConfig.greedy(0)).length);
        assertThrows(IllegalArgumentException.class, () -> Sampler.generate(model, new int[0], SamplingConfig.greedy(1)));
    }

    @Test
    void topKKeepsTheKMostLikelyTokens() {
        float[] logits = {0.5f, 3f, -1f, 2f, 2.5f, 0f};
        double[] p = Sampler.probabilities(logits, 1f, 3, 1f);
        assertEquals(3, Arrays.stream(p).filter(x -> x > 0).count());
        assertTrue(p[1] > 0 && p[3] > 0 && p[4] > 0);
        assertEquals(1.0, Arrays.stream(p).sum(), 1e-12);
        double z = Math.exp(3) + Math.exp(2) + Math.exp(2.5);
        assertEquals(Math.exp(2.5) / z, p[4], 1e-12, "renormalised softmax over the kept tokens");
        double[] one = Sampler.probabilities(logits, 1f, 1, 1f);
        assertEquals(1.0, one[1], 0.0, "top-1 is greedy");
    }

    @Test
    void topPKeepsTheSmallestNucleusWithEnoughMass() {
        float[] logits = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.15), (float) Math.log(0.05)};
        double[] p = Sampler.probabilities(logits, 1f, 0, 0.75f);
        assertEquals(0.5 / 0.8, p[0], 1e-6, "0.5 + 0.3 >= 0.75: two tokens");
        assertEquals(0.3 / 0.8, p[1], 1e-6);
        assertEquals(0, p[2]);
        assertEquals(0, p[3]);
        assertEquals(1, Arrays.stream(Sampler.probabilities(logits, 1f, 0, 0.4f)).filter(x -> x > 0).count());
        assertEquals(4, Arrays.stream(Sampler.probabilities(logits, 1f, 0, 1f)).filter(x -> x > 0).count());
    }

    @Test
    void sampledTokensStayInTheCandidateSet() {
        Gpt model = model();
        int[] prompt = {5, 6};
        // with top-k 1 every sampled token must be the greedy one, whatever the seed and temperature
        int[] greedy = Sampler.generate(model, prompt, SamplingConfig.greedy(8));
        for (long seed = 0; seed < 3; seed++) {
            assertArrayEquals(greedy, Sampler.generate(model, prompt,
                    SamplingConfig.defaults().withMaxNewTokens(8).withTopK(1).withTemperature(2f).withSeed(seed)));
        }
    }

    @Test
    void configValidationNamesTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SamplingConfig.defaults().withTopP(0f))
                .getMessage().startsWith("topP"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SamplingConfig.defaults().withTopK(-1))
                .getMessage().startsWith("topK"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SamplingConfig.defaults().withTemperature(-1f))
                .getMessage().startsWith("temperature"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SamplingConfig.defaults().withMaxNewTokens(-1))
                .getMessage().startsWith("maxNewTokens"));
    }
}
