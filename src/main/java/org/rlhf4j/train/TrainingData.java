package org.rlhf4j.train;

import java.util.List;
import java.util.zip.CRC32;
import org.rlhf4j.data.Batch;
import org.rlhf4j.data.BlockBatcher;
import org.rlhf4j.data.SftBatcher;
import org.rlhf4j.data.SftEncoder;
import org.rlhf4j.data.TokenStream;
import org.rlhf4j.tensor.Generator;

/**
 * What a {@link Trainer} draws batches from: training and validation data, and a way to draw batches
 * of them from an explicitly seeded {@link Generator}. The trainer owns the generators, so their
 * (seed, counter) states are saved and restored with each checkpoint; that is the data position.
 * {@link #fingerprint()} identifies the data, so a resume on different data is refused.
 */
public interface TrainingData {

    /** The next batch of a source; for pretraining a (B, T) block batch, for SFT a batch of rows. */
    @FunctionalInterface
    interface Source {
        Batch next();
    }

    /** Batches of the training ({@code validation == false}) or validation split, drawn with {@code g}. */
    Source batches(boolean validation, Generator g, int batchSize, int blockSize);

    /** A checksum of the data, stored in checkpoints. */
    long fingerprint();

    /** Pretraining: random blocks of the two token streams (nanoGPT's {@code get_batch}). */
    static TrainingData blocks(TokenStream.Split split) {
        long crc = crc(split.train().toArray(), crc(split.validation().toArray(), 0));
        return new TrainingData() {
            @Override
            public Source batches(boolean validation, Generator g, int batchSize, int blockSize) {
                return new BlockBatcher(validation ? split.validation() : split.train(), batchSize, blockSize, g)::next;
            }

            @Override
            public long fingerprint() {
                return crc;
            }
        };
    }

    /** Supervised fine-tuning: random rows of the encoded examples (their length is the block size). */
    static TrainingData sft(List<SftEncoder.Sequence> trainRows, List<SftEncoder.Sequence> validationRows) {
        long crc = 0;
        for (List<SftEncoder.Sequence> rows : List.of(trainRows, validationRows)) {
            for (SftEncoder.Sequence r : rows) {
                crc = crc(r.targets(), crc(r.inputs(), crc));
            }
        }
        long fingerprint = crc;
        return new TrainingData() {
            @Override
            public Source batches(boolean validation, Generator g, int batchSize, int blockSize) {
                return new SftBatcher(validation ? validationRows : trainRows, batchSize, g)::next;
            }

            @Override
            public long fingerprint() {
                return fingerprint;
            }
        };
    }

    /** CRC-32 of {@code ids} (as little-endian ints) chained after {@code previous}. */
    private static long crc(int[] ids, long previous) {
        CRC32 c = new CRC32();
        for (int shift = 0; shift < 64; shift += 8) {
            c.update((int) (previous >>> shift));
        }
        byte[] buf = new byte[4 * 1024];
        for (int i = 0; i < ids.length; ) {
            int n = 0;
            for (; n < buf.length && i < ids.length; i++, n += 4) {
                buf[n] = (byte) ids[i];
                buf[n + 1] = (byte) (ids[i] >>> 8);
                buf[n + 2] = (byte) (ids[i] >>> 16);
                buf[n + 3] = (byte) (ids[i] >>> 24);
            }
            c.update(buf, 0, n);
        }
        return c.getValue();
    }
}
