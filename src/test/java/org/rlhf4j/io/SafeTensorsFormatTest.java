package org.rlhf4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pins the exact bytes of a small file, both ways: the writer produces them and the reader reads them. */
class SafeTensorsFormatTest {

    @TempDir
    Path dir;

    /**
     * a = [1.0, -2.0] (shape [2]), b = 0.5 (a scalar), metadata {"format": "pt"}. The header is 138
     * bytes of compact JSON, padded with 6 spaces to 144 = 0x90, so the data starts at byte 152. These
     * are exactly the 164 bytes that Hugging Face's safetensors 0.8.0 {@code save()} returns for the
     * same tensors (checked with the library when this test was written).
     */
    private static byte[] expected() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x90, 0, 0, 0, 0, 0, 0, 0});
        out.writeBytes(("{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[8,12]}}"
                + "      ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {0, 0, (byte) 0x80, 0x3f}); // 1.0f, little-endian
        out.writeBytes(new byte[] {0, 0, 0, (byte) 0xc0});    // -2.0f
        out.writeBytes(new byte[] {0, 0, 0, 0x3f});           // 0.5f
        return out.toByteArray();
    }

    @Test
    void writerProducesTheKnownBytesWhateverTheInputOrder() throws Exception {
        Path file = dir.resolve("known.safetensors");
        SafeTensors.write(file, List.of(
                NamedTensor.f32("b", new int[0], new float[] {0.5f}),
                NamedTensor.f32("a", new int[] {2}, new float[] {1f, -2f})), Map.of("format", "pt"));
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(152 + 12, bytes.length);
        assertArrayEquals(expected(), bytes);
    }

    @Test
    void readerReadsTheKnownBytes() throws Exception {
        Path file = StFiles.put(dir, "known.safetensors", expected());
        SafeTensorsFile f = SafeTensors.read(file);
        assertEquals(Map.of("format", "pt"), f.metadata());
        assertEquals(List.of("a", "b"), f.tensors().stream().map(NamedTensor::name).toList());
        NamedTensor a = f.get("a");
        assertEquals(Dtype.F32, a.dtype());
        assertArrayEquals(new int[] {2}, a.shape());
        assertArrayEquals(new float[] {1f, -2f}, a.data());
        NamedTensor b = f.get("b");
        assertArrayEquals(new int[0], b.shape());
        assertEquals(0.5f, b.tensor().item());
    }

    @Test
    void tensorsComeBackInDataOrderNotHeaderOrder() throws Exception {
        // header lists "z" first but its data comes second
        String header = "{\"z\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
                + "\"y\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        Path file = StFiles.put(dir, "order.safetensors", StFiles.file(header, 8));
        assertEquals(List.of("y", "z"), SafeTensors.read(file).tensors().stream().map(NamedTensor::name).toList());
        SafeTensorsHeader h = SafeTensors.readHeader(file, ReadOptions.defaults());
        assertEquals(8 + header.length(), h.dataStart());
    }

    @Test
    void emptyFileHasAnEightBytePaddedHeaderAndNoData() throws Exception {
        Path file = dir.resolve("empty.safetensors");
        SafeTensors.write(file, List.of());
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(new byte[] {8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' '}, bytes);
        assertEquals(List.of(), SafeTensors.read(file).tensors());
    }

    @Test
    void zeroSizeTensorsShareTheirNeighboursOffsets() throws Exception {
        Path file = dir.resolve("zeros.safetensors");
        SafeTensors.write(file, List.of(
                NamedTensor.f32("a", new int[] {0, 3}, new float[0]),
                NamedTensor.f32("b", new int[] {1}, new float[] {7f}),
                NamedTensor.f32("c", new int[] {2, 0}, new float[0])));
        SafeTensorsFile f = SafeTensors.read(file);
        assertEquals(List.of("a", "b", "c"), f.tensors().stream().map(NamedTensor::name).toList());
        assertArrayEquals(new int[] {2, 0}, f.get("c").shape());
        assertEquals(8 + 8 * ((Files.size(file) - 8 - 4) / 8), Files.size(file) - 4, "data starts 8-aligned");
    }

    @Test
    void includeSkipsTensorsWithoutLoadingThem() throws Exception {
        Path file = StFiles.put(dir, "known.safetensors", expected());
        SafeTensorsFile f = SafeTensors.read(file, ReadOptions.defaults().withInclude("b"::equals));
        assertEquals(List.of("b"), f.tensors().stream().map(NamedTensor::name).toList());
    }
}
