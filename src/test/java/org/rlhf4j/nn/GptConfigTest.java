package org.rlhf4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Presets and the validation messages of {@link GptConfig}. */
@ExtendWith(OwnKernels.class)
class GptConfigTest {

    @Test
    void presetsMatchTheirSources() {
        GptConfig baby = GptConfig.baby();
        assertEquals(new GptConfig(65, 64, 4, 4, 128, 0f, false, 1e-5f, 0.02f), baby);
        assertEquals(32, baby.headSize());
        GptConfig gpt2 = GptConfig.gpt2();
        assertEquals(new GptConfig(50257, 1024, 12, 12, 768, 0f, true, 1e-5f, 0.02f), gpt2);
        assertEquals(64, gpt2.headSize());
        assertEquals(100, baby.withVocabSize(100).vocabSize());
        assertEquals(baby, baby.withVocabSize(100).withVocabSize(65));
    }

    @Test
    void gpt2SmallHas124MParameters() {
        // counted from the shapes (building it would allocate 500 MB): wte + wpe + 12 blocks + ln_f
        GptConfig c = GptConfig.gpt2();
        long C = c.nEmbd();
        long block = 2 * 2 * C + (C * 3 * C + 3 * C) + (C * C + C) + (C * 4 * C + 4 * C) + (4 * C * C + C);
        long total = c.vocabSize() * C + c.blockSize() * C + c.nLayer() * block + 2 * C;
        assertEquals(124_439_808L, total, "Hugging Face's gpt2 parameter count");
        // and the same formula holds for a model that is built
        GptConfig small = c.withVocabSize(50).withBlockSize(8).withNLayer(2).withNEmbd(24).withNHead(3);
        long Cs = small.nEmbd();
        long blockS = 2 * 2 * Cs + (Cs * 3 * Cs + 3 * Cs) + (Cs * Cs + Cs) + (Cs * 4 * Cs + 4 * Cs) + (4 * Cs * Cs + Cs);
        assertEquals(50 * Cs + 8 * Cs + 2 * blockS + 2 * Cs,
                new Gpt(small, new org.rlhf4j.tensor.Generator(1)).parameterCount());
    }

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void eachInvalidFieldIsNamed() {
        GptConfig b = GptConfig.baby();
        assertEquals("vocabSize must be positive, got 0", message(() -> b.withVocabSize(0)));
        assertEquals("blockSize must be positive, got -1", message(() -> b.withBlockSize(-1)));
        assertEquals("nLayer must be positive, got 0", message(() -> b.withNLayer(0)));
        assertEquals("nHead must be positive, got 0", message(() -> b.withNHead(0)));
        assertEquals("nEmbd must be positive, got 0", message(() -> b.withNEmbd(0)));
        assertEquals("nEmbd must be a multiple of nHead, got nEmbd 128 and nHead 3", message(() -> b.withNHead(3)));
        assertEquals("dropout must be in [0, 1), got 1.0", message(() -> b.withDropout(1f)));
        assertEquals("dropout must be in [0, 1), got NaN", message(() -> b.withDropout(Float.NaN)));
        assertEquals("layerNormEps must be positive and finite, got 0.0", message(() -> b.withLayerNormEps(0f)));
        assertEquals("initStd must be >= 0 and finite, got -0.1", message(() -> b.withInitStd(-0.1f)));
    }
}
