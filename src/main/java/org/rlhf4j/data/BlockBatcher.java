package org.rlhf4j.data;

import org.rlhf4j.tensor.Generator;

/**
 * Random (B, T) blocks of a token stream for pretraining, as nanoGPT's {@code get_batch}:
 * <pre>
 *   ix = torch.randint(len(data) - block_size, (batch_size,))
 *   x  = data[i   : i+T]    for i in ix      # (B, T) inputs
 *   y  = data[i+1 : i+1+T]  for i in ix      # (B, T) targets: the next token at every position
 * </pre>
 * Start positions are uniform in [0, n - T), drawn from an explicitly seeded {@link Generator}. The
 * generator's (seed, counter) is the batcher's whole state: to resume exactly, save
 * {@code generator().seed()} and {@code generator().counter()}, and later build a batcher on the same
 * stream with {@code new Generator(seed, counter)}; it then draws the batches the first would have.
 */
public final class BlockBatcher {

    private final TokenStream tokens;
    private final int batchSize;
    private final int blockSize;
    private final Generator generator;

    /** B = batchSize rows of T = blockSize positions; needs more than T tokens. */
    public BlockBatcher(TokenStream tokens, int batchSize, int blockSize, Generator generator) {
        if (batchSize < 1 || blockSize < 1) {
            throw new IllegalArgumentException("batch size and block size must be >= 1, got " + batchSize + " and " + blockSize);
        }
        if (tokens.size() <= blockSize) {
            throw new IllegalArgumentException("a block of " + blockSize + " inputs and its targets needs at least "
                    + (blockSize + 1) + " tokens; the stream has " + tokens.size());
        }
        this.tokens = tokens;
        this.batchSize = batchSize;
        this.blockSize = blockSize;
        this.generator = generator;
    }

    /** The next batch; advances the generator by at least B draws. */
    public Batch next() {
        int T = blockSize;
        int[] inputs = new int[batchSize * T];   // (B, T)
        int[] targets = new int[batchSize * T];  // (B, T)
        for (int b = 0; b < batchSize; b++) {
            int i = generator.nextInt(tokens.size() - T);
            tokens.copy(i, inputs, b * T, T);       // x = data[i : i+T]
            tokens.copy(i + 1, targets, b * T, T);  // y = data[i+1 : i+1+T]
        }
        return new Batch(inputs, targets, batchSize, T);
    }

    /** The generator, whose (seed, counter) is the state to save for an exact resume. */
    public Generator generator() {
        return generator;
    }

    public int batchSize() {
        return batchSize;
    }

    public int blockSize() {
        return blockSize;
    }

    public TokenStream tokens() {
        return tokens;
    }
}
