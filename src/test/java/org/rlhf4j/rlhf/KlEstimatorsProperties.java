package org.rlhf4j.rlhf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;
import org.rlhf4j.testing.RlhfInvariants;

class KlEstimatorsProperties {

    @Property(tries = 2000)
    void k3IsNeverNegative(@ForAll double logr) {
        RlhfInvariants.assertK3NonNegative(logr);
    }

    @Property(tries = 1000)
    void k3OfTwoLogProbsIsNeverNegative(@ForAll float logp, @ForAll float logq) {
        RlhfInvariants.assertKlEstimatorNonNegative(KlEstimators.Kind.K3::of, (double) logp - logq);
    }

    @Property(tries = 300)
    void k2IsNeverNegative(@ForAll double logr) {
        RlhfInvariants.assertKlEstimatorNonNegative(KlEstimators.Kind.K2::of, logr);
    }

    @Property(tries = 500)
    void k3MatchesItsDefinitionWhereThatIsAccurate(@ForAll @DoubleRange(min = -20, max = 20) double logr) {
        double direct = Math.exp(-logr) - 1 + logr;
        assertEquals(direct, KlEstimators.k3(logr), 1e-12 * Math.max(1, Math.abs(direct)) + 1e-15);
    }

    @Property(tries = 300)
    void k2IsHalfTheSquare(@ForAll @DoubleRange(min = -100, max = 100) double logr) {
        assertEquals(0.5 * logr * logr, KlEstimators.k2(logr), 1e-12 * logr * logr);
        assertEquals(logr, KlEstimators.k1(logr));
    }

    @Test
    void k3IsTinyButPositiveForTinyLogRatios() {
        assertEquals(0.5e-20 - 1e-30 / 6, KlEstimators.k3(1e-10), 1e-35); // x^2/2 - x^3/6, where exp - 1 + x rounds to 0
        assertEquals(0.0, KlEstimators.k3(0.0));
    }

    /** Over samples from p, the means of k1 and k3 both estimate KL(p || q) >= 0 (k1 unbiased, so is k3). */
    @Test
    void k1AndK3AveragedOverPolicySamplesEstimateTheTrueKl() {
        double[] p = {0.5, 0.3, 0.15, 0.05}, q = {0.25, 0.25, 0.25, 0.25};
        double kl = 0;
        for (int i = 0; i < p.length; i++) {
            kl += p[i] * Math.log(p[i] / q[i]);
        }
        Random rnd = new Random(3);
        int n = 200_000;
        double k1 = 0, k3 = 0;
        for (int s = 0; s < n; s++) {
            double u = rnd.nextDouble(), c = 0;
            int y = 0;
            while (y < p.length - 1 && u >= (c += p[y])) {
                y++;
            }
            double logr = Math.log(p[y]) - Math.log(q[y]);
            k1 += KlEstimators.k1(logr);
            k3 += KlEstimators.k3(logr);
        }
        assertEquals(kl, k1 / n, 0.01);
        assertEquals(kl, k3 / n, 0.01);
        assertTrue(kl > 0);
    }
}
