package org.rlhf4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rlhf4j.io.HfGpt2;
import org.rlhf4j.io.NamedTensor;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;
import org.rlhf4j.train.ConfigJson;

/**
 * The Hugging Face loading path end to end: the fixture's {@code model.safetensors} + {@code config.json}
 * (written under HF GPT-2 names by dev/reference/gpt_reference.py) go through {@link HfGpt2#load}
 * and {@link ConfigJson#gptConfig} into a {@link Gpt}, whose logits then match PyTorch's.
 */
@ExtendWith(OwnKernels.class)
class HfGpt2LoadTest {

    @Test
    void huggingFaceFilesLoadIntoAGptThatMatchesPyTorch() throws Exception {
        Path dir = Path.of(HfGpt2LoadTest.class.getResource("/reference/config.json").toURI()).getParent();
        HfGpt2.Loaded loaded = HfGpt2.load(dir);
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        GptConfig config = ConfigJson.gptConfig(json, dir.resolve("config.json").toString());
        assertEquals(GptReferenceTest.config().nLayer(), config.nLayer());
        assertEquals(GptReferenceTest.config().nEmbd(), config.nEmbd());

        Gpt model = new Gpt(config, new Generator(0));
        Map<String, Tensor> params = model.namedParameters();
        int copied = 0;
        for (NamedTensor t : loaded.weights()) {
            Tensor p = params.get(t.name());
            if (p == null) {
                continue; // the tied lm_head, if the file has one
            }
            assertArrayEquals(p.dims(), t.shape(), t.name() + ": shape as GPT-2's Conv1D stores it");
            System.arraycopy(t.data(), 0, p.data(), p.offset(), t.data().length);
            copied++;
        }
        assertEquals(params.size(), copied, "every parameter came from the file");

        ReferenceFixture fx = ReferenceFixture.load("/reference/gpt_tiny.bin");
        int[] cfg = fx.ints("config");
        float[] logits = model.forward(fx.ints("inputs"), cfg[5], cfg[6]).toArray();
        double err = GptReferenceTest.relError(logits, fx.floats("logits"));
        assertTrue(err <= 1e-5, "logits through the HF loading path, relative error " + err);
    }
}
