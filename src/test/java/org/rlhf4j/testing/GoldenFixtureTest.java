package org.rlhf4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldenFixtureTest {

    @Test
    void aWrittenFixtureReadsBackAndComparesWithinItsBound(@TempDir Path dir) throws IOException {
        float[] logits = {0.5f, -1.25f, 3f, 1e-3f, 7f, -0f};
        Path file = dir.resolve("regression.bin");
        GoldenFixture.builder().floats("logits", logits, 2, 3).ints("ids", new int[] {4, 2}, 2)
                .floats("loss", new float[] {2.5f}).writeTo(file);
        GoldenFixture fx = GoldenFixture.load(file);
        assertEquals(java.util.List.of("logits", "ids", "loss"), java.util.List.copyOf(fx.names()));
        assertArrayEquals(new int[] {2, 3}, fx.entry("logits").dims());
        assertArrayEquals(new int[] {4, 2}, fx.ints("ids"));
        assertArrayEquals(new int[0], fx.entry("loss").dims());
        fx.assertClose("logits", logits, 0, 0);
        float[] near = logits.clone();
        near[2] += 1e-6f;
        double bound = GoldenFixture.sumBound(16, 3);                       // a 16-term dot product of size 3
        fx.assertClose("logits", near, bound, 0);
        near[4] += 1e-3f;
        AssertionError e = assertThrows(AssertionError.class, () -> fx.assertClose("logits", near, bound, 0));
        assertTrue(e.getMessage().contains("1 of 6") && e.getMessage().contains("worst at 4"), e.getMessage());
        assertEquals(java.util.List.of(), Arrays.asList(dir.toFile().list((d, n) -> n.endsWith(".tmp"))));
    }

    @Test
    void readsThePyTorchFixture() {
        GoldenFixture fx = GoldenFixture.resource(GoldenFixtureTest.class, "/reference/gpt_tiny.bin");
        assertTrue(fx.names().contains("logits"), fx.names().toString());
        float[] logits = fx.floats("logits");
        fx.assertClose("logits", logits.clone(), 0, 0);
    }

    @Test
    void damagedFixturesAreRefusedBeforeAllocating() {
        byte[] good = GoldenFixture.builder().floats("x", new float[] {1, 2}, 2).toBytes();
        assertThrows(IllegalArgumentException.class, () -> GoldenFixture.parse(Arrays.copyOf(good, good.length - 1)));
        byte[] huge = good.clone();
        int dimAt = 8 + 4 + 4 + 4 + 1 + 4 + 4;                              // magic, version, count, name, dtype, rank
        huge[dimAt + 3] = 0x7f;                                              // dims[0] = ~2^31
        assertThrows(IllegalArgumentException.class, () -> GoldenFixture.parse(huge));
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertThrows(IllegalArgumentException.class, () -> GoldenFixture.parse(magic));
        assertThrows(IllegalArgumentException.class,
                () -> GoldenFixture.builder().floats("x", new float[3], 2));   // 3 values for dims [2]
        assertThrows(IllegalArgumentException.class, () -> GoldenFixture.parse(new byte[3]));
    }
}
