package org.rlhf4j.rlhf.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;
import org.rlhf4j.tensor.Tensor;
import org.rlhf4j.testing.GradientCheck;
import org.rlhf4j.testing.RlhfArbitraries;
import org.rlhf4j.testing.RlhfInvariants;

class PpoLossesTest {

    private static final double EPS = 0.2;

    /** Log-probs whose ratios to {@code old} all lie strictly inside [1 - eps, 1 + eps]. */
    private static float[][] inside(Random rnd, int n) {
        float[] old = new float[n], now = new float[n];
        for (int i = 0; i < n; i++) {
            old[i] = (float) (-3 * rnd.nextDouble());
            now[i] = old[i] + (float) Math.log(1 + (rnd.nextDouble() - 0.5) * 0.3); // ratio in (0.85, 1.15)
        }
        return new float[][] {old, now};
    }

    @Test
    void clippedObjectiveEqualsUnclippedWhenEveryRatioIsInsideTheClipRange() {
        Random rnd = new Random(1);
        int B = 3, T = 5, n = B * T;
        float[][] lp = inside(rnd, n);
        float[] adv = new float[n], mask = new float[n];
        for (int i = 0; i < n; i++) {
            adv[i] = (float) rnd.nextGaussian();
            mask[i] = i % T < 2 + i / T ? 1 : 0; // rows of length 2, 3, 4
        }
        // loss and gradient equal the unclipped masked_mean(-A ratio); padding gets no gradient
        RlhfInvariants.assertClippingInactiveInsideTheRange(lp[1], lp[0], adv, mask, B, T, EPS);
        assertEquals(0, PpoLosses.policy(Tensor.of(lp[1], B, T), lp[0], adv, mask, EPS).clipFrac(), 0);
    }

    /** The same over generated padded batches and clip ranges. */
    @Property(tries = 200)
    void clippingIsInactiveInsideTheRangeOverPaddedBatches(@ForAll("batches") RlhfArbitraries.TokenBatch batch,
                                                           @ForAll long seed,
                                                           @ForAll @DoubleRange(min = 0.05, max = 0.5) double eps) {
        Random rnd = new Random(seed);
        int n = batch.B() * batch.T();
        float[] old = new float[n], now = new float[n], adv = new float[n];
        for (int i = 0; i < n; i++) {
            old[i] = (float) (-5 * rnd.nextDouble());
            now[i] = old[i] + (float) Math.log(1 + (rnd.nextDouble() - 0.5) * eps); // ratio within 1 +- eps/2
            adv[i] = (float) (2 * rnd.nextGaussian());
        }
        RlhfInvariants.assertClippingInactiveInsideTheRange(now, old, adv, batch.mask(), batch.B(), batch.T(), eps);
    }

    @Provide
    Arbitrary<RlhfArbitraries.TokenBatch> batches() {
        return RlhfArbitraries.tokenBatches(6, 17, 2, 0);
    }

    @Test
    void gradientIsZeroWhereTheClippedBranchIsActive() {
        // token 0: A > 0 and ratio 1.5 > 1 + eps -> clipped branch larger, no gradient
        // token 1: A < 0 and ratio 0.5 < 1 - eps -> clipped branch larger, no gradient
        // token 2: A > 0 and ratio 0.5 -> unclipped branch larger, gradient -A ratio / n
        // token 3: A < 0 and ratio 1.5 -> unclipped branch, gradient -A ratio / n
        float[] old = {0, 0, 0, 0};
        float[] now = {(float) Math.log(1.5), (float) Math.log(0.5), (float) Math.log(0.5), (float) Math.log(1.5)};
        float[] adv = {1, -1, 2, -2}, mask = {1, 1, 1, 1};
        Tensor logp = Tensor.of(now, 1, 4).requiresGrad(true);
        PpoLosses.PolicyLoss l = PpoLosses.policy(logp, old, adv, mask, EPS);
        l.loss().backward();
        float[] g = logp.grad().toArray();
        assertEquals(0f, g[0]);
        assertEquals(0f, g[1]);
        assertEquals(-2 * 0.5 / 4, g[2], 1e-6);   // d(-A r)/d logp = -A r
        assertEquals(2 * 1.5 / 4, g[3], 1e-6);
        assertEquals(0.5, l.clipFrac(), 0);
        // loss = mean(-1.2, 0.8 * ... ) by hand: max(-A r, -A clip r)
        double expected = (Math.max(-1.5, -1.2) + Math.max(0.5, 0.8) + Math.max(-1.0, -1.6) + Math.max(3.0, 2.4)) / 4;
        assertEquals(expected, l.loss().item(), 1e-6);
        assertEquals(1.0, l.ratioMean(), 1e-6);
    }

    @Test
    void paddingNeverCounts() {
        float[] old = {-1, -2, -3, -4}, adv = {1, -1, 0.5f, 7}, mask = {1, 1, 1, 0};
        float[] now = {-1.1f, -1.9f, -3f, -4f};
        double a = PpoLosses.policy(Tensor.of(now, 1, 4), old, adv, mask, EPS).loss().item();
        float[] now2 = now.clone();
        now2[3] = 50f; // a wild log-prob on padding
        float[] adv2 = adv.clone();
        adv2[3] = -1e6f;
        double b = PpoLosses.policy(Tensor.of(now2, 1, 4), old, adv2, mask, EPS).loss().item();
        assertEquals(a, b, 0);
        float[] v = {1, 2, 3, 4}, vOld = {1, 2, 3, 4}, ret = {0, 0, 0, 0};
        float[] v2 = {1, 2, 3, 1e6f};
        assertEquals(PpoLosses.value(Tensor.of(v, 1, 4), vOld, ret, mask, 0.2).loss().item(),
                PpoLosses.value(Tensor.of(v2, 1, 4), vOld, ret, mask, 0.2).loss().item(), 0);
    }

    @Test
    void valueLossIsHalfTheSquaredErrorInsideTheClipAndTheLargerBranchOutside() {
        float[] vOld = {0, 0, 0}, ret = {1, 1, -1}, mask = {1, 1, 1};
        // v = 0.1: inside the clip, 0.5 (0.1 - 1)^2
        // v = 0.5: clipped to 0.2, (0.2 - 1)^2 = 0.64 > (0.5 - 1)^2 = 0.25: the clipped branch, no gradient
        // v = -0.5 toward R = -1: clipped to -0.2, (0.8)^2 = 0.64 > 0.25: clipped
        Tensor v = Tensor.of(new float[] {0.1f, 0.5f, -0.5f}, 1, 3).requiresGrad(true);
        PpoLosses.ValueLoss l = PpoLosses.value(v, vOld, ret, mask, 0.2);
        l.loss().backward();
        assertEquals(0.5 * (0.81 + 0.64 + 0.64) / 3, l.loss().item(), 1e-6);
        float[] g = v.grad().toArray();
        assertEquals((0.1 - 1) / 3, g[0], 1e-6); // d 0.5 (v - R)^2 / 3
        assertEquals(0f, g[1]);
        assertEquals(0f, g[2]);
        assertEquals(2.0 / 3, l.clipFrac(), 1e-12);
    }

    /** Random-direction gradient check of both losses against double-precision references. */
    @Test
    void gradientsMatchFiniteDifferencesInDouble() {
        Random rnd = new Random(4);
        int n = 12;
        float[] old = new float[n], adv = new float[n], mask = new float[n], vOld = new float[n], ret = new float[n];
        float[] now = new float[n], v = new float[n];
        for (int i = 0; i < n; i++) {
            old[i] = (float) (-2 * rnd.nextDouble());
            now[i] = old[i] + (float) (0.6 * (rnd.nextDouble() - 0.5)); // some inside, some clipped
            adv[i] = (float) rnd.nextGaussian();
            mask[i] = i % 4 == 3 ? 0 : 1;
            vOld[i] = (float) rnd.nextGaussian();
            v[i] = vOld[i] + (float) (0.6 * (rnd.nextDouble() - 0.5));
            ret[i] = (float) rnd.nextGaussian();
        }
        GradientCheck.of(in -> PpoLosses.policy(in[0], old, adv, mask, EPS).loss()).name("ppo policy loss").seed(9)
                .inputs(Tensor.of(now, 3, 4).requiresGrad(true)).reference(x -> {
            double s = 0;
            int count = 0;
            for (int i = 0; i < n; i++) {
                if (mask[i] != 0) {
                    double r = Math.exp(x[0][i] - old[i]);
                    s += Math.max(-adv[i] * r, -adv[i] * Math.min(Math.max(r, 1 - EPS), 1 + EPS));
                    count++;
                }
            }
            return new double[] {s / count};
        }).check();
        GradientCheck.of(in -> PpoLosses.value(in[0], vOld, ret, mask, 0.2).loss()).name("ppo value loss").seed(10)
                .inputs(Tensor.of(v, 3, 4).requiresGrad(true)).reference(x -> {
            double s = 0;
            int count = 0;
            for (int i = 0; i < n; i++) {
                if (mask[i] != 0) {
                    double vc = vOld[i] + Math.min(Math.max(x[0][i] - vOld[i], -0.2), 0.2);
                    s += Math.max((x[0][i] - ret[i]) * (x[0][i] - ret[i]), (vc - ret[i]) * (vc - ret[i]));
                    count++;
                }
            }
            return new double[] {0.5 * s / count};
        }).check();
        // and without a reference, by float differences of the losses themselves
        GradientCheck.of(in -> PpoLosses.policy(in[0], old, adv, mask, EPS).loss()).name("ppo policy loss, float")
                .inputs(Tensor.of(now, 3, 4).requiresGrad(true)).check();
    }
}
