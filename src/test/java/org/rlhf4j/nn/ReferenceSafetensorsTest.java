package org.rlhf4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlhf4j.tensor.Generator;

/**
 * The Hugging Face-style files beside the fixture are what they claim: model.safetensors (written by
 * hand in dev/reference/gpt_reference.py) follows the safetensors layout (u64 little-endian header
 * length, a JSON header padded to 8 bytes, contiguous F32 data ending at end of file) and holds the
 * fixture's initial weights under rlhf4j's parameter names and shapes; config.json describes the same
 * model. This checks the fixture files only; loading them is the io package's job.
 */
class ReferenceSafetensorsTest {

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ReferenceSafetensorsTest.class.getResourceAsStream("/reference/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void safetensorsHoldsTheFixtureWeightsUnderHuggingFaceNames() throws IOException {
        byte[] file = resource("model.safetensors");
        ByteBuffer buf = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong();
        assertEquals(0, headerLength % 8, "header padded to 8 bytes");
        JsonNode header = new ObjectMapper().readTree(new String(file, 8, (int) headerLength, StandardCharsets.UTF_8));
        int dataStart = 8 + (int) headerLength;
        ReferenceFixture fx = ReferenceFixture.load("/reference/gpt_tiny.bin");
        Map<String, org.rlhf4j.tensor.Tensor> params =
                new Gpt(GptReferenceTest.config(), new Generator(0)).namedParameters();
        List<String> names = new ArrayList<>();
        long expectedOffset = 0;
        for (Map.Entry<String, JsonNode> e : header.properties()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            names.add(e.getKey());
            JsonNode t = e.getValue();
            assertEquals("F32", t.get("dtype").asText());
            int[] shape = new int[t.get("shape").size()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = t.get("shape").get(d).asInt();
            }
            assertArrayEquals(params.get(e.getKey()).dims(), shape, e.getKey());
            long from = t.get("data_offsets").get(0).asLong(), to = t.get("data_offsets").get(1).asLong();
            assertEquals(expectedOffset, from, e.getKey() + " starts where the previous tensor ended");
            expectedOffset = to;
            float[] values = new float[(int) ((to - from) / 4)];
            ByteBuffer data = ByteBuffer.wrap(file, dataStart + (int) from, (int) (to - from)).order(ByteOrder.LITTLE_ENDIAN);
            data.asFloatBuffer().get(values);
            assertArrayEquals(fx.floats("weights/" + e.getKey()), values, e.getKey());
        }
        assertEquals(new ArrayList<>(params.keySet()), names, "every parameter, in order, nothing else");
        assertEquals(file.length, dataStart + expectedOffset, "the last tensor ends at end of file");
    }

    @Test
    void configJsonDescribesTheSameModel() throws IOException {
        JsonNode c = new ObjectMapper().readTree(resource("config.json"));
        GptConfig expected = GptReferenceTest.config();
        assertEquals("gpt2", c.get("model_type").asText());
        assertEquals(expected.vocabSize(), c.get("vocab_size").asInt());
        assertEquals(expected.blockSize(), c.get("n_positions").asInt());
        assertEquals(expected.nLayer(), c.get("n_layer").asInt());
        assertEquals(expected.nHead(), c.get("n_head").asInt());
        assertEquals(expected.nEmbd(), c.get("n_embd").asInt());
        assertEquals(expected.layerNormEps(), c.get("layer_norm_epsilon").floatValue());
        assertTrue(c.get("tie_word_embeddings").asBoolean());
        assertEquals("gelu_new", c.get("activation_function").asText());
    }
}
