package org.rlhf4j.data.tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Encoding speed of the GPT-2 tokenizer beside jtokkit's r50k_base, on Moby-Dick (and tinyshakespeare
 * when present). Not a test: run by hand, e.g.
 * {@code java -cp target/classes:target/test-classes:<jtokkit jar> org.rlhf4j.data.tokenizer.Gpt2TokenizerSpeed}.
 * Prints the first pass (cold JIT, empty piece cache) and the best of eight.
 */
public final class Gpt2TokenizerSpeed {

    private Gpt2TokenizerSpeed() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Gpt2Tokenizer gpt2 = Gpt2Tokenizer.bundled();
        System.out.printf("load bundled GPT-2 tokenizer: %.0f ms%n", (System.nanoTime() - t0) / 1e6);
        String text = Gpt2TokenizerReferenceTest.mobyDick();
        Path shakespeare = Path.of("..", "shared", "data", "tinyshakespeare.txt");
        if (Files.exists(shakespeare)) {
            text = text + Files.readString(shakespeare);
        }
        text = text + MixedText.generate(11, 500_000);
        System.out.printf("text: %,d chars%n", text.length());
        String t = text;
        measure("rlhf4j Gpt2Tokenizer", () -> gpt2.encode(t).length);
        measure("jtokkit r50k_base   ", () -> Gpt2TokenizerReferenceTest.R50K.encodeOrdinary(t).size());
    }

    private static void measure(String name, java.util.function.IntSupplier encode) {
        double best = Double.MAX_VALUE;
        double first = 0;
        int tokens = 0;
        for (int pass = 0; pass < 8; pass++) {
            long t0 = System.nanoTime();
            tokens = encode.getAsInt();
            double s = (System.nanoTime() - t0) / 1e9;
            first = pass == 0 ? s : first;
            best = Math.min(best, s);
        }
        System.out.printf("%s: %,d tokens; first pass (cold JIT and cache) %.3f s = %,.0f tokens/s;"
                + " best of 8 %.3f s = %,.0f tokens/s%n", name, tokens, first, tokens / first, best, tokens / best);
    }
}
