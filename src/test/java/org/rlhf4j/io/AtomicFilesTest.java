package org.rlhf4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write that fails midway leaves the old file as it was and no temp file behind. */
class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void failureMidwayLeavesTheOldFileIntact() throws IOException {
        Path file = dir.resolve("w.safetensors");
        SafeTensors.write(file, List.of(NamedTensor.f32("old", new int[] {3}, new float[] {1, 2, 3})));
        byte[] before = Files.readAllBytes(file);
        IOException boom = assertThrows(IOException.class, () -> AtomicFiles.write(file, ch -> {
            ch.write(ByteBuffer.wrap(new byte[4096])); // half a file reaches the disk ...
            throw new IOException("injected failure");  // ... and then the writer dies
        }));
        assertEquals("injected failure", boom.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of("w.safetensors"), listing(), "the temp file is gone");
        assertEquals("old", SafeTensors.read(file).tensors().get(0).name());
    }

    @Test
    void runtimeFailureAlsoCleansUp() throws IOException {
        Path file = dir.resolve("f.bin");
        AtomicFiles.write(file, new byte[] {1, 2, 3});
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(file, ch -> {
            ch.write(ByteBuffer.wrap(new byte[] {9}));
            throw new IllegalStateException("injected");
        }));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
        assertEquals(List.of("f.bin"), listing());
    }

    @Test
    void invalidTensorsNeverTouchTheOldFile() throws IOException {
        Path file = dir.resolve("w.safetensors");
        SafeTensors.write(file, List.of(NamedTensor.f32("a", new int[0], new float[] {1})));
        byte[] before = Files.readAllBytes(file);
        NamedTensor dup = NamedTensor.f32("x", new int[0], new float[] {2});
        assertThrows(SafeTensorsException.BadInput.class, () -> SafeTensors.write(file, List.of(dup, dup)));
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void staleTempFilesFromACrashAreRemovedByTheNextWrite() throws IOException {
        Path file = dir.resolve("w.bin");
        Files.write(dir.resolve("w.bin.tmp-5eed"), new byte[100]); // what a kill -9 mid-write leaves
        Files.write(dir.resolve("other.bin.tmp-5eed"), new byte[1]); // another file's temp: not ours
        AtomicFiles.write(file, new byte[] {7});
        assertEquals(List.of("other.bin.tmp-5eed", "w.bin"), listing());
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(file));
    }

    @Test
    void replacesAnExistingFile() throws IOException {
        Path file = dir.resolve("r.bin");
        AtomicFiles.write(file, new byte[] {1});
        AtomicFiles.write(file, new byte[] {2, 3});
        assertArrayEquals(new byte[] {2, 3}, Files.readAllBytes(file));
        assertEquals(List.of("r.bin"), listing());
    }
}
