package org.rlhf4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;

/** {@link Gpt#hidden}: the trunk that heads other than the language-model head read. */
@ExtendWith(OwnKernels.class)
class GptHiddenTest {

    @Test
    void hiddenStatesTimesTheTransposedEmbeddingAreTheLogitsBitForBit() {
        Gpt model = new Gpt(GptTest.SMALL, new Generator(5));
        int B = 2, T = 7;
        int[] ids = new int[B * T];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (7 * i + 3) % GptTest.SMALL.vocabSize();
        }
        Tensor h = model.hidden(ids, B, T);
        assertArrayEquals(new int[] {B, T, GptTest.SMALL.nEmbd()}, h.dims());
        Tensor logits = h.matmul(model.wte.weight, false, true);
        assertArrayEquals(model.forward(ids, B, T).toArray(), logits.toArray());
    }

    @Test
    void aHiddenStateDependsOnlyOnItsPrefix() {
        Gpt model = new Gpt(GptTest.SMALL, new Generator(6));
        int C = GptTest.SMALL.nEmbd();
        int[] a = {1, 2, 3, 4, 5}, b = {1, 2, 3, 9, 11};
        float[] ha = model.hidden(a, 1, 5).toArray(), hb = model.hidden(b, 1, 5).toArray();
        for (int t = 0; t < 3; t++) { // causal attention: positions 0..2 never see 3..4
            for (int c = 0; c < C; c++) {
                if (Float.floatToRawIntBits(ha[t * C + c]) != Float.floatToRawIntBits(hb[t * C + c])) {
                    throw new AssertionError("position " + t + " changed with a later token");
                }
            }
        }
    }
}
