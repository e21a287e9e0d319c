package org.rlhf4j.embedding;

import org.rlhf4j.data.tokenizer.CharTokenizer;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.nn.Sampler;
import org.rlhf4j.nn.SamplingConfig;
import org.rlhf4j.optim.AdamW;
import org.rlhf4j.optim.AdamWConfig;
import org.rlhf4j.tensor.Generator;

/**
 * Run in a child JVM by {@link JvmMatrixTest}: trains the baby GPT ({@link GptConfig#baby()}: 4 layers, 4 heads,
 * n_embd 128) for {@code steps} AdamW steps on a fixed character text with fixed seeds, then samples greedily
 * from it, on whatever backend {@link Backends#current()} picks in that JVM. Prints one line per fact:
 * {@code backend=}, {@code loss <step> <value>} (every step, {@link Float#toString} so the value reads back
 * exactly), {@code sample=}, {@code done}. Everything the JVM warns about goes to its stderr, which the test reads.
 */
public final class TrainingProbe {

    static final String TEXT = "the quick brown fox jumps over the lazy dog. a stitch in time saves nine. ";

    private TrainingProbe() {
    }

    public static void main(String[] args) {
        int steps = Integer.parseInt(args[0]), B = 4, T = 32;
        CharTokenizer tok = CharTokenizer.fromCorpus(TEXT);
        int[] data = tok.encode(TEXT.repeat(4));
        Gpt gpt = new Gpt(GptConfig.baby().withVocabSize(tok.vocabSize()), new Generator(1));
        AdamW opt = AdamW.forModel(gpt, AdamWConfig.defaults().withLr(1e-3));
        Generator g = new Generator(2);
        int[] ids = new int[B * T], targets = new int[B * T];
        System.out.println("backend=" + Backends.currentName());
        for (int step = 0; step < steps; step++) {
            for (int b = 0; b < B; b++) { // B random windows of T + 1 characters
                int start = g.nextInt(data.length - T - 1);
                System.arraycopy(data, start, ids, b * T, T);
                System.arraycopy(data, start + 1, targets, b * T, T);
            }
            opt.zeroGrad();
            var loss = gpt.loss(ids, targets, B, T, -1);
            loss.backward();
            opt.step();
            System.out.println("loss " + step + " " + loss.item());
        }
        int[] out = Sampler.generate(gpt, tok.encode("the "), SamplingConfig.greedy(16));
        System.out.println("sample=" + tok.decode(out).replace('\n', ' '));
        Backends.reset();
        System.out.println("done");
    }
}
