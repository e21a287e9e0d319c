package org.rlhf4j.feedback.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.data.tokenizer.CharTokenizer;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.nn.SamplingConfig;
import org.rlhf4j.tensor.Generator;

/** Candidates sampled from a small untrained model: distinct, non-blank, and the same in every session. */
class SampledCandidatesTest {

    private static final CharTokenizer TOKENIZER = CharTokenizer.fromCorpus("abcdefgh ");
    private static final GptConfig CFG = new GptConfig(TOKENIZER.vocabSize(), 16, 1, 2, 16, 0f, true, 1e-5f, 0.5f);

    private static SampledCandidates source(long seed) {
        return new SampledCandidates(new Gpt(CFG, new Generator(3)), TOKENIZER,
                SamplingConfig.defaults().withMaxNewTokens(6).withSeed(seed));
    }

    @Test
    void kDistinctNonBlankCompletionsThatRepeatAcrossSessions() {
        List<String> first = source(7).candidates("abc", 4);
        assertEquals(4, first.size(), first.toString());
        assertEquals(4, first.stream().distinct().count());
        assertTrue(first.stream().noneMatch(String::isBlank));
        assertEquals(first, source(7).candidates("abc", 4), "same prompt, checkpoint and seed: same candidates");
        assertNotEquals(first, source(8).candidates("abc", 4), "another seed: other candidates");
        assertNotEquals(first, source(7).candidates("abd", 4), "another prompt: other draws");
    }

    @Test
    void promptsTheTokenizerCannotEncodeGiveNoCandidates() {
        assertEquals(List.of(), source(7).candidates("xyz", 2));
    }

    @Test
    void drawSeedsDifferByDrawPromptAndBase() {
        assertNotEquals(SampledCandidates.seed(1, "p", 0), SampledCandidates.seed(1, "p", 1));
        assertNotEquals(SampledCandidates.seed(1, "p", 0), SampledCandidates.seed(1, "q", 0));
        assertNotEquals(SampledCandidates.seed(1, "p", 0), SampledCandidates.seed(2, "p", 0));
        assertEquals(SampledCandidates.seed(1, "p", 0), SampledCandidates.seed(1, "p", 0));
    }
}
