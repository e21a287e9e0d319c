package org.rlhf4j.data;

/**
 * A batch of B sequences of T positions, row-major: position t of row b is at {@code b * T + t}.
 * {@code targets[i]} is the token the model should predict after seeing {@code inputs} up to i, or
 * {@link SftEncoder#IGNORE_INDEX} where no loss is taken.
 *
 * @param inputs  (B, T) token ids
 * @param targets (B, T) next-token ids or IGNORE_INDEX
 */
public record Batch(int[] inputs, int[] targets, int batchSize, int blockSize) {

    public Batch {
        if (inputs.length != batchSize * blockSize || targets.length != inputs.length) {
            throw new IllegalArgumentException("Batch (" + batchSize + ", " + blockSize + ") needs "
                    + batchSize * blockSize + " inputs and targets, got " + inputs.length + " and " + targets.length);
        }
    }

    /** The number of targets that count towards the loss. */
    public int countedTargets() {
        int n = 0;
        for (int t : targets) {
            if (t != SftEncoder.IGNORE_INDEX) {
                n++;
            }
        }
        return n;
    }
}
