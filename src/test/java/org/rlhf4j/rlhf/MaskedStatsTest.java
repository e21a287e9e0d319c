package org.rlhf4j.rlhf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;
import org.rlhf4j.testing.RlhfArbitraries;
import org.rlhf4j.testing.RlhfInvariants;

class MaskedStatsTest {

    private static float[] mask(int n, Random rnd) {
        float[] m = new float[n];
        for (int i = 0; i < n; i++) {
            m[i] = rnd.nextDouble() < 0.7 ? 1 : 0;
        }
        m[0] = 1;
        m[1] = 1;
        return m;
    }

    @Test
    void whitenedValuesHaveMaskedMeanZeroAndVarianceOneAndPaddingIsIgnored() {
        Random rnd = new Random(11);
        int n = 200;
        float[] x = new float[n], m = mask(n, rnd);
        for (int i = 0; i < n; i++) {
            x[i] = (float) (3 + 5 * rnd.nextGaussian());
        }
        // mean 0, variance 1, padding out 0 and whatever padding holds changes nothing
        RlhfInvariants.assertWhitened(x, m, true);
    }

    @Test
    void withoutMeanShiftTheMeanStaysAndTheVarianceBecomesOne() {
        Random rnd = new Random(12);
        int n = 100;
        float[] x = new float[n], m = mask(n, rnd);
        for (int i = 0; i < n; i++) {
            x[i] = (float) (-2 + 0.1 * rnd.nextGaussian());
        }
        RlhfInvariants.assertWhitened(x, m, false);
    }

    /** Over generated padded batches (at least 2 real tokens), values of any scale and offset. */
    @Property(tries = 300)
    void whiteningHoldsOverPaddedBatches(@ForAll("batches") RlhfArbitraries.TokenBatch batch, @ForAll long seed,
                                         @ForAll @DoubleRange(min = -100, max = 100) double offset,
                                         @ForAll @DoubleRange(min = 1e-2, max = 1e3) double scale,
                                         @ForAll boolean shiftMean) {
        Assume.that(MaskedStats.count(batch.mask()) >= 2);
        Random rnd = new Random(seed);
        float[] x = new float[batch.mask().length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (offset + scale * rnd.nextGaussian());
        }
        RlhfInvariants.assertWhitened(x, batch.mask(), shiftMean);
    }

    @Provide
    Arbitrary<RlhfArbitraries.TokenBatch> batches() {
        return RlhfArbitraries.tokenBatches(8, 33, 2, 1);
    }

    @Test
    void meanAndVarianceCountOnlyMaskedPositions() {
        float[] x = {1, 2, 3, 100}, m = {1, 1, 1, 0};
        assertEquals(2, MaskedStats.mean(x, m), 0);
        assertEquals(1, MaskedStats.variance(x, m), 0); // Bessel: ((1 + 0 + 1) / 2)
        assertEquals(3, MaskedStats.count(m));
        assertEquals(Double.NaN, MaskedStats.mean(x, new float[4]));
    }
}
