package org.rlhf4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * write -> read gives back the same tensors bit for bit (NaN payloads and infinities included), with
 * names of any Unicode, shapes with zero-size dims and scalars, and metadata; and writing is a
 * function of the content alone.
 */
class SafeTensorsRoundTripProperties {

    private static Path dir;

    @BeforeContainer
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("rlhf4j-io-roundtrip");
    }

    @AfterContainer
    static void removeDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @Property(tries = 200)
    void writeThenReadIsIdentity(@ForAll("tensorLists") List<NamedTensor> tensors,
                                 @ForAll("metadata") Map<String, String> metadata) throws IOException {
        Path file = dir.resolve("rt.safetensors");
        SafeTensors.write(file, tensors, metadata);
        SafeTensorsFile back = SafeTensors.read(file);
        assertEquals(metadata, back.metadata());
        List<NamedTensor> expected = new ArrayList<>(tensors);
        expected.sort(Comparator.comparing(t -> t.name().getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
        assertEquals(expected.size(), back.tensors().size());
        for (int i = 0; i < expected.size(); i++) {
            NamedTensor want = expected.get(i);
            NamedTensor got = back.tensors().get(i);
            assertEquals(want.name(), got.name());
            assertEquals(Dtype.F32, got.dtype());
            assertArrayEquals(want.shape(), got.shape(), want.name());
            assertArrayEquals(rawBits(want.data()), rawBits(got.data()), want.name());
        }
        assertEquals(0, (Files.size(file) - 8 - 4L * tensors.stream().mapToInt(NamedTensor::size).sum()) % 8,
                "header padded to a multiple of 8");
    }

    @Property(tries = 100)
    void bytesDependOnContentNotInputOrder(@ForAll("tensorLists") List<NamedTensor> tensors,
                                           @ForAll("metadata") Map<String, String> metadata) throws IOException {
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        List<NamedTensor> reversed = new ArrayList<>(tensors);
        Collections.reverse(reversed);
        Map<String, String> reversedMetadata = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(metadata.keySet());
        Collections.reverse(keys);
        keys.forEach(k -> reversedMetadata.put(k, metadata.get(k)));
        SafeTensors.write(a, tensors, metadata);
        SafeTensors.write(b, reversed, reversedMetadata);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    private static int[] rawBits(float[] data) {
        int[] bits = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            bits[i] = Float.floatToRawIntBits(data[i]);
        }
        return bits;
    }

    @Provide
    Arbitrary<List<NamedTensor>> tensorLists() {
        Arbitrary<int[]> shapes = Arbitraries.integers().between(0, 4).list().ofMaxSize(4)
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray());
        Arbitrary<NamedTensor> tensor = Combinators.combine(StGen.names(), shapes).flatAs((name, shape) -> {
            int n = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
            return StGen.floatBits().array(float[].class).ofSize(n).map(data -> NamedTensor.f32(name, shape, data));
        });
        return tensor.list().ofMaxSize(6).uniqueElements(NamedTensor::name);
    }

    @Provide
    Arbitrary<Map<String, String>> metadata() {
        return Arbitraries.maps(StGen.names(), StGen.names()).ofMaxSize(3)
                ;
    }
}
