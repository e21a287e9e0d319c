package org.rlhf4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files from other writers. hf-gpt2/ was written by Hugging Face's own safetensors library
 * (dev/reference/hf_safetensors_fixture.py): a GPT-2 in F32 with GPT2Model names and BOOL/F32
 * attention-mask buffers, in F16 with GPT2LMHeadModel names and lm_head.weight, and in BF16; every
 * value must come back exactly as the library's float32 view of it. reference/ is the PyTorch fixture
 * of the nn package (dev/reference/gpt_reference.py), loaded here through the same HF path.
 */
class HfSafetensorsFixtureTest {

    private static Path resource(String dir) throws URISyntaxException {
        return Path.of(HfSafetensorsFixtureTest.class.getResource("/" + dir + "/config.json").toURI()).getParent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"f32", "f16", "bf16"})
    void loadsWhatTheSafetensorsLibraryWrote(String variant) throws Exception {
        JsonNode expected = new ObjectMapper().readTree(resource("io/hf-gpt2/f32").resolveSibling("expected.json").toFile())
                .get(variant);
        HfGpt2.Loaded loaded = HfGpt2.load(resource("io/hf-gpt2/" + variant));
        HfGpt2Config c = loaded.config();
        assertEquals(List.of(8, 1, 2, 4, 10, 32), List.of(c.nEmbd(), c.nLayer(), c.nHead(), c.nPositions(),
                c.vocabSize(), c.nInner()));
        assertEquals(expected.size(), loaded.weights().size());
        Dtype dtype = Map.of("f32", Dtype.F32, "f16", Dtype.F16, "bf16", Dtype.BF16).get(variant);
        for (NamedTensor t : loaded.weights()) {
            JsonNode want = expected.get(t.name());
            assertNotNull(want, "unexpected tensor " + t.name());
            assertEquals(dtype, t.dtype(), t.name());
            int[] shape = new int[want.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = want.get("shape").get(i).intValue();
            }
            assertArrayEquals(shape, t.shape(), t.name());
            float[] values = new float[want.get("values").size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) want.get("values").get(i).doubleValue();
            }
            assertArrayEquals(values, t.data(), 0f, t.name());
        }
        assertEquals(List.of(), loaded.names().unknown());
        assertEquals(!variant.equals("f16"), loaded.names().tiedLmHead(), "only the f16 file stores lm_head.weight");
        // in data order: the library lays out wider dtypes first (F32 masked_bias, then the BOOL mask)
        assertEquals(variant.equals("f32") ? List.of("h.0.attn.masked_bias", "h.0.attn.bias") : List.of(),
                loaded.names().dropped());
    }

    @Test
    void theMaskBuffersReadAsFloatsToo() throws Exception {
        SafeTensorsFile all = SafeTensors.read(resource("io/hf-gpt2/f32").resolve("model.safetensors"));
        NamedTensor mask = all.get("h.0.attn.bias");
        assertEquals(Dtype.BOOL, mask.dtype());
        assertArrayEquals(new int[] {1, 1, 4, 4}, mask.shape());
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1}, mask.data());
        assertEquals(-1e4f, all.get("h.0.attn.masked_bias").tensor().item());
        assertEquals(Map.of("format", "pt"), all.metadata());
    }

    @Test
    void theNnReferenceFixtureLoadsThroughTheHuggingFacePath() throws IOException, URISyntaxException {
        HfGpt2.Loaded loaded = HfGpt2.load(resource("reference"));
        HfGpt2Config c = loaded.config();
        assertEquals(List.of(32, 2, 2, 16, 64), List.of(c.nEmbd(), c.nLayer(), c.nHead(), c.nPositions(), c.vocabSize()));
        assertEquals(2 + 12 * c.nLayer() + 2, loaded.weights().size());
        assertTrue(loaded.weights().stream().allMatch(t -> t.name().startsWith("transformer.")));
        assertTrue(loaded.names().tiedLmHead());
        assertFalse(loaded.weights().isEmpty());
        NamedTensor cAttn = loaded.weights().stream().filter(t -> t.name().equals("transformer.h.1.attn.c_attn.weight"))
                .findFirst().orElseThrow();
        assertArrayEquals(new int[] {32, 96}, cAttn.shape(), "Conv1D layout (in, out)");
    }
}
