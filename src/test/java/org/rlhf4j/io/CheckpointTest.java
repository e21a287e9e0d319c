package org.rlhf4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.tensor.Tensor;

/** Save/load round trip, crashes injected at every step of a save, stale-file cleanup, checksums. */
class CheckpointTest {

    @TempDir
    Path root;

    /** A small but complete checkpoint whose every number depends on {@code step}. */
    static CheckpointData sample(int step) {
        Random r = new Random(step);
        float[] wte = new float[4 * 3];
        float[] bias = new float[3];
        for (int i = 0; i < wte.length; i++) {
            wte[i] = (float) r.nextGaussian();
        }
        bias[1] = Float.NaN;
        List<NamedTensor> weights = List.of(
                NamedTensor.f32("transformer.wte.weight", new int[] {4, 3}, wte),
                NamedTensor.f32("transformer.ln_f.bias", new int[] {3}, bias));
        List<NamedTensor> moments = List.of(
                NamedTensor.f32(CheckpointData.expAvg("transformer.wte.weight"), new int[] {4, 3}, new float[12]),
                NamedTensor.f32(CheckpointData.expAvgSq("transformer.wte.weight"), new int[] {4, 3}, wte.clone()));
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode config = f.objectNode().put("n_embd", 3).put("n_layer", 0).put("vocab_size", 4);
        ObjectNode tokenizer = f.objectNode().put("type", "char");
        tokenizer.putArray("chars").add("a").add("b");
        ObjectNode state = f.objectNode().put("step", step).put("data_position", 17L * step);
        state.putObject("rng").put("train", Long.MAX_VALUE - step);
        return new CheckpointData(weights, config, tokenizer, moments, state);
    }

    /** Same tensors (by name: files hold them sorted by name, not in the order given) and the same JSON. */
    static void assertSame(CheckpointData want, CheckpointData got) {
        assertEquals(byName(want.weights()), byName(got.weights()));
        assertEquals(byName(want.optimizer()), byName(got.optimizer()));
        // as JSON text: a long that fits an int is read back as an int node, the same JSON number
        assertEquals(want.config().toString(), got.config().toString());
        assertEquals(String.valueOf(want.tokenizer()), String.valueOf(got.tokenizer()));
        assertEquals(want.state().toString(), got.state().toString());
    }

    private static Map<String, NamedTensor> byName(List<NamedTensor> tensors) {
        return tensors.stream().collect(Collectors.toMap(NamedTensor::name, t -> t));
    }

    private List<String> listing() throws IOException {
        try (var files = Files.list(root)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void saveThenLoadGivesTheSameCheckpoint() throws IOException {
        Path dir = root.resolve("ckpt");
        Checkpoint.save(dir, sample(1));
        assertSame(sample(1), Checkpoint.load(dir));
        assertEquals(List.of("config.json", "manifest.json", "model.safetensors", "optimizer.safetensors",
                "state.json", "tokenizer.json"), Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList());
        assertEquals("pt", SafeTensors.read(dir.resolve(Checkpoint.MODEL)).metadata().get("format"),
                "transformers insists on this metadata");
        Checkpoint.save(dir, sample(2));
        assertSame(sample(2), Checkpoint.load(dir));
        assertEquals(List.of("ckpt"), listing(), "no staging or old copies left");
    }

    @Test
    void tensorsGoInAndComeOutAsTensors() throws IOException {
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("transformer.wpe.weight", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        params.put("transformer.ln_f.weight", Tensor.scalar(7f));
        CheckpointData sample = sample(1);
        Path dir = root.resolve("t");
        Checkpoint.save(dir, new CheckpointData(NamedTensor.of(params), sample.config(), null, List.of(), sample.state()));
        Map<String, Tensor> back = NamedTensor.toTensors(Checkpoint.load(dir).weights());
        assertEquals(params.keySet(), back.keySet());
        for (String name : params.keySet()) {
            assertEquals(params.get(name).shape(), back.get(name).shape(), name);
            assertEquals(Arrays.toString(params.get(name).toArray()), Arrays.toString(back.get(name).toArray()), name);
        }
    }

    @Test
    void optionalFilesMayBeAbsent() throws IOException {
        Path dir = root.resolve("bare");
        CheckpointData full = sample(3);
        CheckpointData bare = new CheckpointData(full.weights(), full.config(), null, List.of(), full.state());
        Checkpoint.save(dir, bare, false);
        CheckpointData back = Checkpoint.load(dir);
        assertNull(back.tokenizer());
        assertTrue(back.optimizer().isEmpty());
        assertFalse(Files.readString(dir.resolve("manifest.json")).contains("sha256"));
        assertSame(bare, back);
    }

    /** A crash after each step of the second save: the first checkpoint (or, once swapped in, the second) loads. */
    @Test
    void crashAtAnyStepLeavesALoadableCheckpoint() throws IOException {
        List<String> steps = List.of(Checkpoint.MODEL, Checkpoint.CONFIG, Checkpoint.TOKENIZER, Checkpoint.OPTIMIZER,
                Checkpoint.STATE, "manifest.json", "set aside", "renamed");
        for (String crashAfter : steps) {
            Path dir = root.resolve("c-" + steps.indexOf(crashAfter));
            Checkpoint.save(dir, sample(1));
            IOException crash = assertThrows(IOException.class, () -> Checkpoint.save(dir, sample(2), true, what -> {
                if (what.equals(crashAfter)) {
                    throw new IOException("injected crash after " + what);
                }
            }));
            assertEquals("injected crash after " + crashAfter, crash.getMessage());
            CheckpointData loaded = Checkpoint.load(dir);
            assertSame(crashAfter.equals("renamed") ? sample(2) : sample(1), loaded);
            // the next save cleans up whatever the crash left and succeeds
            Checkpoint.save(dir, sample(3));
            assertSame(sample(3), Checkpoint.load(dir));
            String name = dir.getFileName().toString();
            assertEquals(List.of(name), listing().stream().filter(n -> n.startsWith(name)).toList(), crashAfter);
        }
    }

    @Test
    void crashBetweenTheRenamesIsRecoveredByTheNextSave() throws IOException {
        Path dir = root.resolve("mid");
        Checkpoint.save(dir, sample(1));
        assertThrows(IOException.class, () -> Checkpoint.save(dir, sample(2), true, what -> {
            if (what.equals("set aside")) {
                throw new IOException("crash");
            }
        }));
        assertFalse(Files.exists(dir), "the crash hit between the two renames");
        assertSame(sample(1), Checkpoint.load(dir));
        Checkpoint.recover(dir.toAbsolutePath());
        assertEquals(List.of("mid"), listing(), "the previous copy is back in place, the staging copy gone");
        assertSame(sample(1), Checkpoint.load(dir));
    }

    @Test
    void aFailedSaveLeavesThePreviousCheckpointAndNoStagingBehind() throws IOException {
        Path dir = root.resolve("f");
        Checkpoint.save(dir, sample(1));
        CheckpointData full = sample(2);
        NamedTensor w = full.weights().get(0);
        CheckpointData bad = new CheckpointData(List.of(w, w), full.config(), null, List.of(), full.state());
        assertThrows(SafeTensorsException.BadInput.class, () -> Checkpoint.save(dir, bad));
        assertEquals(List.of("f"), listing());
        assertSame(sample(1), Checkpoint.load(dir));
    }

    @Test
    void staleStagingFromAKilledSaveIsCleanedUp() throws IOException {
        Path dir = root.resolve("s");
        Path stale = Files.createDirectory(root.resolve("s.tmp-dead"));
        Files.write(stale.resolve(Checkpoint.MODEL), new byte[10]);
        Files.createDirectory(root.resolve("sx.tmp-other")); // not this checkpoint's
        Checkpoint.save(dir, sample(1));
        assertEquals(List.of("s", "sx.tmp-other"), listing());
    }

    @Test
    void cleanUpOnStartRemovesWhatKilledSavesLeftAndNothingElse() throws IOException {
        Path dir = root.resolve("c");
        Checkpoint.save(dir, sample(1));
        Files.move(dir, root.resolve("c.old-1")); // killed between the renames...
        Path staging = Files.createDirectory(root.resolve("c.tmp-2")); // ... and a killed save's staging
        Files.write(staging.resolve(Checkpoint.MODEL + ".tmp-3"), new byte[5]);
        Path foreign = Files.createDirectory(root.resolve("c.tmp-mine"));
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        assertEquals(1, Checkpoint.cleanUp(dir), "the staging directory; the .old- copy is moved back");
        assertEquals(List.of("c", "c.tmp-mine"), listing());
        assertSame(sample(1), Checkpoint.load(dir));
        assertEquals(0, Checkpoint.cleanUp(dir), "nothing left to do");
        assertEquals(0, Checkpoint.cleanUp(root.resolve("no/such/parent/ck")), "a missing parent is no error");
    }

    @Test
    void neverReplacesADirectoryThatIsNotACheckpoint() throws IOException {
        Path home = Files.createDirectory(root.resolve("documents"));
        Files.writeString(home.resolve("thesis.txt"), "years of work");
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.save(home, sample(1)));
        assertTrue(e.getMessage().contains("not an rlhf4j checkpoint"), e.getMessage());
        assertEquals("years of work", Files.readString(home.resolve("thesis.txt")));
        assertEquals(List.of("documents"), listing(), "the staging directory was not even created");
        Path lookalike = Files.createDirectory(root.resolve("fresh.tmp-1"));
        Files.writeString(lookalike.resolve("notes.txt"), "mine");
        Checkpoint.save(root.resolve("fresh"), sample(1));
        assertEquals("mine", Files.readString(lookalike.resolve("notes.txt")), "a sibling that only looks stale is kept");
        Checkpoint.save(Files.createDirectory(root.resolve("empty")), sample(1));
        assertSame(sample(1), Checkpoint.load(root.resolve("empty")));
    }

    @Test
    void changedBytesAreCaughtByTheChecksum() throws IOException {
        Path dir = root.resolve("sum");
        Checkpoint.save(dir, sample(1));
        Path model = dir.resolve(Checkpoint.MODEL);
        try (FileChannel ch = FileChannel.open(model, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            java.nio.ByteBuffer b = ByteBuffer.allocate(1);
            long last = ch.size() - 1;
            ch.read(b, last);
            b.put(0, (byte) (b.get(0) ^ 1)).rewind();
            ch.write(b, last); // one bit of one float: the file stays a valid safetensors file
        }
        CheckpointException.ChecksumMismatch e = assertThrows(CheckpointException.ChecksumMismatch.class,
                () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().startsWith(model.toString()), e.getMessage());
        assertEquals(12, Checkpoint.load(dir, false).weight("transformer.wte.weight").size(), "loads when asked not to verify");
        Files.write(dir.resolve(Checkpoint.STATE), "{}".getBytes(StandardCharsets.UTF_8));
        assertThrows(CheckpointException.ChecksumMismatch.class, () -> Checkpoint.load(dir, false), "size differs");
    }

    @Test
    void missingOrForeignPiecesGetTheirOwnExceptions() throws IOException {
        assertThrows(CheckpointException.NotFound.class, () -> Checkpoint.load(root.resolve("nothing")));
        Path dir = root.resolve("m");
        Checkpoint.save(dir, sample(1));
        Files.delete(dir.resolve(Checkpoint.TOKENIZER));
        assertThrows(CheckpointException.Incomplete.class, () -> Checkpoint.load(dir));
        Checkpoint.save(dir, sample(1));
        Path manifest = dir.resolve("manifest.json");
        String text = Files.readString(manifest);
        Files.writeString(manifest, text.replace("\"state.json\"", "\"../escape.json\""));
        assertThrows(CheckpointException.BadManifest.class, () -> Checkpoint.load(dir));
        Files.writeString(manifest, text.replace("\"version\" : 1", "\"version\" : 2"));
        assertThrows(CheckpointException.BadManifest.class, () -> Checkpoint.load(dir));
        Files.writeString(manifest, text.replace("{", "[").replace("}", "]"));
        assertThrows(CheckpointException.BadJson.class, () -> Checkpoint.load(dir));
        Files.delete(manifest);
        assertThrows(CheckpointException.Incomplete.class, () -> Checkpoint.load(dir));
    }

    @Test
    void aBrokenWeightsFileReportsTheSafeTensorsRule() throws IOException {
        Path dir = root.resolve("w");
        Checkpoint.save(dir, sample(1));
        Path model = dir.resolve(Checkpoint.MODEL);
        byte[] bytes = Files.readAllBytes(model);
        bytes[0] = (byte) 0xFF; // header length now past the end of the file
        Files.write(model, bytes);
        assertThrows(SafeTensorsException.HeaderPastEnd.class, () -> Checkpoint.load(dir, false));
    }

    @Test
    void stateMustBeAJsonObject() throws IOException {
        Path dir = root.resolve("j");
        Checkpoint.save(dir, sample(1), false);
        Files.writeString(dir.resolve(Checkpoint.STATE), "[1,2]");
        Files.writeString(dir.resolve("manifest.json"), Files.readString(dir.resolve("manifest.json"))
                .replaceAll("(\"state.json\" : \\{\\s*\"bytes\" : )\\d+", "$15"));
        assertThrows(CheckpointException.BadJson.class, () -> Checkpoint.load(dir));
        Files.writeString(dir.resolve(Checkpoint.STATE), "{\"a\":1,\"a\":2}".substring(0, 5));
        assertThrows(CheckpointException.BadJson.class, () -> Checkpoint.load(dir));
    }
}
