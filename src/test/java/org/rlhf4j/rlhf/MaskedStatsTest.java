package org.rlhf4j.rlhf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

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
        float[] w = MaskedStats.whiten(x, m, true);
        assertEquals(0, MaskedStats.mean(w, m), 1e-6);
        assertEquals(1, MaskedStats.variance(w, m), 1e-5);
        // padding: whatever it holds changes nothing, and comes out 0
        float[] y = x.clone();
        for (int i = 0; i < n; i++) {
            if (m[i] == 0) {
                y[i] = 1e6f;
            }
        }
        float[] w2 = MaskedStats.whiten(y, m, true);
        for (int i = 0; i < n; i++) {
            assertEquals(m[i] == 0 ? 0f : w[i], w2[i], 0f, "position " + i);
        }
    }

    @Test
    void withoutMeanShiftTheMeanStaysAndTheVarianceBecomesOne() {
        Random rnd = new Random(12);
        int n = 100;
        float[] x = new float[n], m = mask(n, rnd);
        for (int i = 0; i < n; i++) {
            x[i] = (float) (-2 + 0.1 * rnd.nextGaussian());
        }
        float[] w = MaskedStats.whiten(x, m, false);
        assertEquals(MaskedStats.mean(x, m), MaskedStats.mean(w, m), 1e-5);
        assertEquals(1, MaskedStats.variance(w, m), 1e-4);
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
