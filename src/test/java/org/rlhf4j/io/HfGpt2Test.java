package org.rlhf4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Hugging Face GPT-2 directory: config.json as transformers writes it, names in either form, mask buffers. */
class HfGpt2Test {

    @TempDir
    Path dir;

    /** transformers' GPT2Config.to_json_file() output for a tiny model (keys as in the hub's gpt2 config). */
    static final String CONFIG = """
            {
              "activation_function": "gelu_new",
              "architectures": ["GPT2LMHeadModel"],
              "attn_pdrop": 0.1,
              "bos_token_id": 50256,
              "embd_pdrop": 0.1,
              "eos_token_id": 50256,
              "initializer_range": 0.02,
              "layer_norm_epsilon": 1e-05,
              "model_type": "gpt2",
              "n_ctx": 3,
              "n_embd": 4,
              "n_head": 2,
              "n_inner": null,
              "n_layer": 1,
              "n_positions": 3,
              "resid_pdrop": 0.1,
              "torch_dtype": "float32",
              "transformers_version": "4.40.0",
              "vocab_size": 5
            }
            """;

    /** One tensor of a hand-laid-out file: any dtype, raw little-endian bytes. */
    record Raw(String name, String dtype, int[] shape, byte[] bytes) { }

    /** Lays out tensors in the given order, as any conforming writer may. */
    static void writeRaw(Path file, List<Raw> tensors) throws IOException {
        ObjectNode header = JsonNodeFactory.instance.objectNode();
        header.putObject("__metadata__").put("format", "pt");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Raw t : tensors) {
            ObjectNode e = header.putObject(t.name());
            e.put("dtype", t.dtype());
            var shape = e.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            e.putArray("data_offsets").add(data.size()).add(data.size() + t.bytes().length);
            data.writeBytes(t.bytes());
        }
        Files.write(file, StFiles.file(header.toString().getBytes(StandardCharsets.UTF_8), data.toByteArray()));
    }

    /** F16 bytes of 0.5 * (i + 1) for i in [0, n): small integers and halves are exact in F16. */
    static byte[] f16Ramp(int n) {
        ByteBuffer b = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            float v = 0.5f * (i + 1); // v = m * 2^-1 with m <= 2^11: F16 bits built by hand below
            int exp = Math.getExponent(v);
            int mantissa = (int) ((v / Math.scalb(1f, exp) - 1f) * 1024f);
            b.putShort((short) (((exp + 15) << 10) | mantissa));
        }
        return b.array();
    }

    /** The parameters of a 1-layer GPT-2 (C 4, V 5, T 3) named as GPT2Model saves them (no prefix), in F16. */
    static List<Raw> tinyGpt2(boolean withMaskBuffers) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        shapes.put("wte.weight", new int[] {5, 4});
        shapes.put("wpe.weight", new int[] {3, 4});
        shapes.put("h.0.ln_1.weight", new int[] {4});
        shapes.put("h.0.ln_1.bias", new int[] {4});
        shapes.put("h.0.attn.c_attn.weight", new int[] {4, 12}); // Conv1D: (in, out)
        shapes.put("h.0.attn.c_attn.bias", new int[] {12});
        shapes.put("h.0.attn.c_proj.weight", new int[] {4, 4});
        shapes.put("h.0.attn.c_proj.bias", new int[] {4});
        shapes.put("h.0.ln_2.weight", new int[] {4});
        shapes.put("h.0.ln_2.bias", new int[] {4});
        shapes.put("h.0.mlp.c_fc.weight", new int[] {4, 16});
        shapes.put("h.0.mlp.c_fc.bias", new int[] {16});
        shapes.put("h.0.mlp.c_proj.weight", new int[] {16, 4});
        shapes.put("h.0.mlp.c_proj.bias", new int[] {4});
        shapes.put("ln_f.weight", new int[] {4});
        shapes.put("ln_f.bias", new int[] {4});
        List<Raw> raws = new ArrayList<>();
        shapes.forEach((name, shape) -> {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            raws.add(new Raw(name, "F16", shape, f16Ramp(n)));
            if (withMaskBuffers && name.equals("h.0.attn.c_attn.weight")) {
                byte[] mask = new byte[9]; // tril(ones(3, 3)) as BOOL
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j <= i; j++) {
                        mask[3 * i + j] = 1;
                    }
                }
                raws.add(new Raw("h.0.attn.bias", "BOOL", new int[] {1, 1, 3, 3}, mask));
                raws.add(new Raw("h.0.attn.masked_bias", "F32", new int[0], new byte[] {0, 0x40, 0x1c, (byte) 0xc6}));
            }
        });
        return raws;
    }

    @Test
    void loadsAHuggingFaceDirectory() throws IOException {
        Files.writeString(dir.resolve("config.json"), CONFIG);
        writeRaw(dir.resolve("model.safetensors"), tinyGpt2(true));
        HfGpt2.Loaded loaded = HfGpt2.load(dir);
        HfGpt2Config c = loaded.config();
        assertEquals(List.of(4, 1, 2, 3, 5, 16), List.of(c.nEmbd(), c.nLayer(), c.nHead(), c.nPositions(), c.vocabSize(), c.nInner()));
        assertEquals(1e-5, c.layerNormEpsilon());
        assertEquals("gelu_new", c.activationFunction());
        assertEquals(0.1, c.raw().get("attn_pdrop").doubleValue());
        assertEquals(16, loaded.weights().size());
        assertTrue(loaded.weights().stream().allMatch(t -> t.name().startsWith("transformer.")));
        NamedTensor attn = loaded.weights().stream().filter(t -> t.name().equals("transformer.h.0.attn.c_attn.weight"))
                .findFirst().orElseThrow();
        assertEquals(Dtype.F16, attn.dtype());
        assertArrayEquals(new int[] {4, 12}, attn.shape());
        assertEquals(0.5f, attn.data()[0]);
        assertEquals(24f, attn.data()[47], "F16 widened exactly");
        assertEquals(List.of("h.0.attn.bias", "h.0.attn.masked_bias"), loaded.names().dropped());
        assertTrue(loaded.names().tiedLmHead());
        assertEquals(List.of(), loaded.names().unknown());
    }

    @Test
    void namesAreNormalisedDroppedOrReported() {
        HfGpt2Names.Result r = HfGpt2Names.normalise(List.of("wte.weight", "transformer.wpe.weight",
                "transformer.h.11.mlp.c_fc.bias", "h.0.attn.masked_bias", "transformer.h.3.attn.bias", "lm_head.weight",
                "score.weight", "h.01.ln_1.weight", "transformer.h.0.attn.c_attn.weigh", "../../etc/passwd"));
        assertEquals(Map.of("wte.weight", "transformer.wte.weight", "transformer.wpe.weight", "transformer.wpe.weight",
                "transformer.h.11.mlp.c_fc.bias", "transformer.h.11.mlp.c_fc.bias", "lm_head.weight", "lm_head.weight"),
                r.canonical());
        assertEquals(List.of("h.0.attn.masked_bias", "transformer.h.3.attn.bias"), r.dropped());
        assertEquals(List.of("score.weight", "h.01.ln_1.weight", "transformer.h.0.attn.c_attn.weigh", "../../etc/passwd"),
                r.unknown());
        assertFalse(r.tiedLmHead());
        HfGpt2Names.Result clash = HfGpt2Names.normalise(List.of("ln_f.bias", "transformer.ln_f.bias"));
        assertEquals(List.of("transformer.ln_f.bias"), clash.conflicts());
        assertTrue(clash.tiedLmHead());
    }

    @Test
    void collidingNamesInAFileAreAnError() throws IOException {
        Files.writeString(dir.resolve("config.json"), CONFIG);
        byte[] four = new byte[16];
        writeRaw(dir.resolve("model.safetensors"), List.of(new Raw("ln_f.bias", "F32", new int[] {4}, four),
                new Raw("transformer.ln_f.bias", "F32", new int[] {4}, four)));
        assertThrows(CheckpointException.BadConfig.class, () -> HfGpt2.load(dir));
    }

    @Test
    void configDefaultsAndRejections() throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        HfGpt2Config defaults = HfGpt2Config.from(f.objectNode(), "empty");
        assertEquals(List.of(768, 12, 12, 1024, 50257, 3072),
                List.of(defaults.nEmbd(), defaults.nLayer(), defaults.nHead(), defaults.nPositions(), defaults.vocabSize(),
                        defaults.nInner()));
        assertThrows(CheckpointException.BadConfig.class, () -> HfGpt2Config.from(f.objectNode().put("n_embd", "768"), "x"));
        assertThrows(CheckpointException.BadConfig.class, () -> HfGpt2Config.from(f.objectNode().put("n_layer", 0), "x"));
        assertThrows(CheckpointException.BadConfig.class, () -> HfGpt2Config.from(f.objectNode().put("n_head", 1.5), "x"));
        assertThrows(CheckpointException.BadConfig.class,
                () -> HfGpt2Config.from(f.objectNode().put("n_embd", 10).put("n_head", 4), "x"));
        assertThrows(CheckpointException.BadConfig.class,
                () -> HfGpt2Config.from(f.objectNode().put("layer_norm_epsilon", -1), "x"));
        Files.writeString(dir.resolve("config.json"), "{\"n_embd\": 4, \"n_embd\": 8}");
        assertThrows(CheckpointException.BadJson.class, () -> HfGpt2Config.read(dir.resolve("config.json")));
    }
}
