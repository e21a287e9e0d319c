package org.rlhf4j.rlhf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;
import org.rlhf4j.testing.RlhfArbitraries;
import org.rlhf4j.testing.RlhfInvariants;

class GaeTest {

    @Test
    void handComputedExample() {
        // gamma 0.9, lambda 0.8 over r = [1, 0, 2], V = [0.5, 1, 1.5]:
        //   t=2: delta = 2 + 0 - 1.5 = 0.5;             A = 0.5
        //   t=1: delta = 0 + 0.9*1.5 - 1 = 0.35;        A = 0.35 + 0.72*0.5 = 0.71
        //   t=0: delta = 1 + 0.9*1 - 0.5 = 1.4;         A = 1.4 + 0.72*0.71 = 1.9112
        // a second row of length 2 (one padding position) in T = 3:
        //   t=1: delta = 3 - 2 = 1;                     A = 1
        //   t=0: delta = -1 + 0.9*2 - 0 = 0.8;          A = 0.8 + 0.72 = 1.52
        float[] r = {1, 0, 2, -1, 3, 99}, v = {0.5f, 1, 1.5f, 0, 2, 99};
        Gae.Result g = Gae.compute(r, v, new int[] {3, 2}, 3, 0.9, 0.8);
        float[] a = {1.9112f, 0.71f, 0.5f, 1.52f, 1f, 0f};
        float[] ret = {2.4112f, 1.71f, 2.0f, 1.52f, 3f, 0f};
        for (int i = 0; i < 6; i++) {
            assertEquals(a[i], g.advantages()[i], 1e-6, "advantage " + i);
            assertEquals(ret[i], g.returns()[i], 1e-6, "return " + i);
        }
    }

    @Test
    void withGammaAndLambdaOneAdvantageIsRewardToGoMinusValue() {
        Random rnd = new Random(7);
        int B = 5, T = 9;
        float[] r = new float[B * T], v = new float[B * T];
        int[] lengths = new int[B];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) rnd.nextGaussian();
            v[i] = (float) rnd.nextGaussian();
        }
        for (int b = 0; b < B; b++) {
            lengths[b] = rnd.nextInt(T + 1);
        }
        RlhfInvariants.assertGaeIsRewardToGoMinusValue(r, v, lengths, T);
    }

    /** The same identities over generated padded batches: every length 0..T, awkward T, any rewards. */
    @Property(tries = 300)
    void gaeIdentitiesHoldOverPaddedBatches(@ForAll("batches") RlhfArbitraries.TokenBatch batch, @ForAll long seed,
                                            @ForAll @DoubleRange(min = 0, max = 1) double gamma) {
        Random rnd = new Random(seed);
        float[] r = new float[batch.B() * batch.T()], v = new float[r.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) (3 * rnd.nextGaussian());
            v[i] = (float) (3 * rnd.nextGaussian());
        }
        RlhfInvariants.assertGaeIsRewardToGoMinusValue(r, v, batch.lengths(), batch.T());
        RlhfInvariants.assertGaeLambdaZeroIsOneStepTd(r, v, batch.lengths(), batch.T(), gamma);
    }

    @Provide
    Arbitrary<RlhfArbitraries.TokenBatch> batches() {
        return RlhfArbitraries.tokenBatches();
    }

    @Test
    void lambdaZeroIsOneStepTd() {
        float[] r = {1, 2}, v = {3, 5};
        Gae.Result g = Gae.compute(r, v, new int[] {2}, 2, 0.5, 0);
        assertEquals(1 + 0.5 * 5 - 3, g.advantages()[0], 1e-6);
        assertEquals(2 - 5, g.advantages()[1], 1e-6);
        RlhfInvariants.assertGaeLambdaZeroIsOneStepTd(r, v, new int[] {2}, 2, 0.5);
    }

    @Test
    void badShapesAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> Gae.compute(new float[3], new float[4], new int[] {2}, 4, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Gae.compute(new float[4], new float[4], new int[] {5}, 4, 1, 1));
    }
}
