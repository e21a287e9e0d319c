package org.rlhf4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.rlhf4j.tensor.Generator;

class BlockBatcherTest {

    /** Token i has id 1000 + i, so a row shows where it starts. */
    private static final TokenStream DATA = TokenStream.of(IntStream.range(0, 50).map(i -> 1000 + i).toArray());

    @Test
    void targetsAreTheNextTokens() {
        Batch b = new BlockBatcher(DATA, 4, 8, new Generator(1)).next();
        assertEquals(4, b.batchSize());
        assertEquals(8, b.blockSize());
        for (int row = 0; row < 4; row++) {
            int start = b.inputs()[row * 8] - 1000;
            for (int t = 0; t < 8; t++) {
                assertEquals(1000 + start + t, b.inputs()[row * 8 + t]);       // x = data[i : i+T]
                assertEquals(1000 + start + t + 1, b.targets()[row * 8 + t]);  // y = data[i+1 : i+1+T]
            }
        }
        assertEquals(32, b.countedTargets());
    }

    @Test
    void startsCoverExactlyZeroToNMinusT() {
        // n = 50, T = 8: starts uniform in [0, 42), as torch.randint(len(data) - block_size)
        int[] seen = new int[50];
        BlockBatcher batcher = new BlockBatcher(DATA, 16, 8, new Generator(2));
        for (int i = 0; i < 500; i++) {
            Batch b = batcher.next();
            for (int row = 0; row < 16; row++) {
                seen[b.inputs()[row * 8] - 1000]++;
            }
        }
        for (int s = 0; s < 42; s++) {
            // 8000 draws over 42 starts: about 190 each; 120 is more than 5 standard deviations below
            assertTrue(seen[s] > 120, "start " + s + " drawn " + seen[s] + " times");
        }
        for (int s = 42; s < 50; s++) {
            assertEquals(0, seen[s], "start " + s + " would run past the end");
        }
    }

    @Test
    void sameSeedSameBatchesAndResumeIsExact() {
        BlockBatcher a = new BlockBatcher(DATA, 3, 5, new Generator(42));
        BlockBatcher b = new BlockBatcher(DATA, 3, 5, new Generator(42));
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(a.next().inputs(), b.next().inputs());
        }
        // save (seed, counter), continue one; the other is rebuilt from the saved state
        long seed = a.generator().seed();
        long counter = a.generator().counter();
        Batch[] straight = {a.next(), a.next(), a.next()};
        BlockBatcher resumed = new BlockBatcher(DATA, 3, 5, new Generator(seed, counter));
        for (Batch expected : straight) {
            Batch got = resumed.next();
            assertArrayEquals(expected.inputs(), got.inputs());
            assertArrayEquals(expected.targets(), got.targets());
        }
        BlockBatcher other = new BlockBatcher(DATA, 3, 5, new Generator(43));
        assertFalse(Arrays.equals(new BlockBatcher(DATA, 3, 5, new Generator(42)).next().inputs(), other.next().inputs()));
    }

    @Test
    void refusesStreamsTooShortForABlock() {
        TokenStream eight = TokenStream.of(new int[8]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BlockBatcher(eight, 1, 8, new Generator(0)));
        assertEquals("a block of 8 inputs and its targets needs at least 9 tokens; the stream has 8", e.getMessage());
        Batch only = new BlockBatcher(TokenStream.of(new int[] {1, 2, 3}), 2, 2, new Generator(0)).next();
        assertArrayEquals(new int[] {1, 2, 1, 2}, only.inputs(), "one possible start");
        assertThrows(IllegalArgumentException.class, () -> new BlockBatcher(DATA, 0, 8, new Generator(0)));
    }

    @Test
    void uniformIntsStayInRangeAndBalanced() {
        // A large bound that is not a power of two: both halves of the range are equally likely.
        Generator g = new Generator(5);
        int bound = 1_500_000_001;
        int low = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            int r = g.nextInt(bound);
            assertTrue(r >= 0 && r < bound);
            low += r < bound / 2 ? 1 : 0;
        }
        assertEquals(0.5, low / (double) n, 0.02);
        assertThrows(IllegalArgumentException.class, () -> g.nextInt(0));
    }
}
