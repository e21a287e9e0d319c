package org.rlhf4j.data;

import java.util.List;
import org.rlhf4j.tensor.Generator;

/**
 * Random batches of encoded SFT rows: each of the B rows is drawn uniformly, with replacement, from an
 * explicitly seeded {@link Generator} (as {@link BlockBatcher} draws pretraining blocks). As there, the
 * generator's (seed, counter) is the whole state: a batcher built on the same rows with
 * {@code new Generator(seed, counter)} continues exactly.
 */
public final class SftBatcher {

    private final List<SftEncoder.Sequence> rows;
    private final int batchSize;
    private final int blockSize;
    private final Generator generator;

    public SftBatcher(List<SftEncoder.Sequence> rows, int batchSize, Generator generator) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no SFT rows to draw from (all dropped, or an empty file?)");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.rows = List.copyOf(rows);
        this.batchSize = batchSize;
        this.blockSize = this.rows.get(0).inputs().length;
        for (SftEncoder.Sequence r : this.rows) {
            if (r.inputs().length != blockSize) {
                throw new IllegalArgumentException("rows of different lengths: " + blockSize + " and " + r.inputs().length);
            }
        }
        this.generator = generator;
    }

    /** The next (B, T) batch; advances the generator by at least B draws. */
    public Batch next() {
        int T = blockSize;
        int[] inputs = new int[batchSize * T];   // (B, T)
        int[] targets = new int[batchSize * T];  // (B, T)
        for (int b = 0; b < batchSize; b++) {
            SftEncoder.Sequence row = rows.get(generator.nextInt(rows.size()));
            System.arraycopy(row.inputs(), 0, inputs, b * T, T);
            System.arraycopy(row.targets(), 0, targets, b * T, T);
        }
        return new Batch(inputs, targets, batchSize, T);
    }

    /** The generator, whose (seed, counter) is the state to save for an exact resume. */
    public Generator generator() {
        return generator;
    }
}
