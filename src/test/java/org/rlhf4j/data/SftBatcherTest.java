package org.rlhf4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rlhf4j.data.tokenizer.CharTokenizer;
import org.rlhf4j.tensor.Generator;

class SftBatcherTest {

    private final CharTokenizer chars = CharTokenizer.fromCorpus("abcdefghij");
    private final List<SftEncoder.Sequence> rows = rows();

    private List<SftEncoder.Sequence> rows() {
        List<SftExample> examples = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            examples.add(new SftExample(String.valueOf((char) ('a' + i)), String.valueOf((char) ('b' + i))));
        }
        return new SftEncoder(chars, 3, SftEncoder.OverlongPolicy.DROP).encodeAll(examples).sequences();
    }

    @Test
    void batchesAreRowsDrawnBySeed() {
        SftBatcher batcher = new SftBatcher(rows, 4, new Generator(3));
        Set<Integer> firstTokens = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            Batch b = batcher.next();
            assertEquals(4, b.batchSize());
            assertEquals(3, b.blockSize());
            for (int r = 0; r < 4; r++) {
                int first = b.inputs()[r * 3];
                assertEquals(first + 1, b.targets()[r * 3], "each row keeps its own target");
                assertEquals(SftEncoder.IGNORE_INDEX, b.targets()[r * 3 + 1]);
                firstTokens.add(first);
            }
            assertEquals(4, b.countedTargets());
        }
        assertEquals(9, firstTokens.size(), "every row is drawn");
    }

    @Test
    void resumeIsExact() {
        SftBatcher a = new SftBatcher(rows, 2, new Generator(8));
        a.next();
        a.next();
        SftBatcher resumed = new SftBatcher(rows, 2, new Generator(a.generator().seed(), a.generator().counter()));
        for (int i = 0; i < 5; i++) {
            Batch x = a.next();
            Batch y = resumed.next();
            assertArrayEquals(x.inputs(), y.inputs());
            assertArrayEquals(x.targets(), y.targets());
        }
    }

    @Test
    void refusesNoRows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SftBatcher(List.of(), 2, new Generator(0)));
        assertTrue(e.getMessage().startsWith("no SFT rows"));
    }
}
