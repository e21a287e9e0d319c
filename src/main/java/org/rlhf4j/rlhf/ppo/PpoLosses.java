package org.rlhf4j.rlhf.ppo;

import org.rlhf4j.tensor.Tensor;

/**
 * The PPO losses over a padded batch of response tokens, through tensors so that autograd reaches the
 * policy and the value model. Every tensor argument is (B, T) over response positions; the float arrays
 * are the same layout, constants of the rollout (old log-probs, advantages, old values, returns) and the
 * mask (1 on real tokens, 0 on padding). Every mean is a masked mean: padding never counts.
 */
public final class PpoLosses {

    /** The clipped policy loss and its diagnostics (doubles, no gradient). */
    public record PolicyLoss(Tensor loss, double clipFrac, double approxKl, double ratioMean, double ratioVar) {
    }

    /** The clipped value loss and the share of tokens where the clipped branch was larger. */
    public record ValueLoss(Tensor loss, double clipFrac) {
    }

    private PpoLosses() {
    }

    /**
     * {@code sum(x * mask) / sum(mask)} as a rank-0 tensor (gradient {@code mask / sum(mask)}); 0 when
     * nothing counts.
     */
    public static Tensor maskedMean(Tensor x, float[] mask) {
        int n = 0;
        for (float m : mask) {
            n += m != 0 ? 1 : 0;
        }
        if (mask.length != x.size()) {
            throw new IllegalArgumentException("maskedMean: " + x.size() + " values but " + mask.length + " mask entries");
        }
        Tensor m = Tensor.of(mask, x.dims());
        return x.mul(m).sum().scale(n == 0 ? 0f : 1f / n);
    }

    /**
     * The clipped surrogate (Schulman et al. 2017, Eq. 7), as a loss to minimise:
     * <pre>
     *   ratio = exp(logp - logp_old)
     *   loss  = masked_mean(max(-A * ratio, -A * clip(ratio, 1 - eps, 1 + eps)))
     * </pre>
     * Where every ratio lies in [1 - eps, 1 + eps] this equals the unclipped {@code -A * ratio}; where the
     * clipped branch is strictly larger its gradient is 0. Diagnostics (masked): the clip fraction (share of
     * tokens where the clipped branch is strictly larger, TRL's {@code pg_clipfrac}), approx KL
     * {@code mean(0.5 (logp - logp_old)^2)} (TRL's {@code approxkl}), and the ratio's mean and variance.
     */
    public static PolicyLoss policy(Tensor logp, float[] oldLogp, float[] advantages, float[] mask, double eps) {
        int[] dims = logp.dims();
        Tensor logRatio = logp.sub(Tensor.of(oldLogp, dims));                 // (B, T)
        Tensor ratio = logRatio.exp();                                        // (B, T)
        Tensor negA = Tensor.of(advantages, dims).neg();                      // (B, T)
        Tensor unclipped = negA.mul(ratio);                                   // -A ratio
        Tensor clipped = negA.mul(ratio.clamp((float) (1 - eps), (float) (1 + eps))); // -A clip(ratio)
        Tensor loss = maskedMean(unclipped.maximum(clipped), mask);           // ties: gradient to the unclipped
        float[] u = unclipped.toArray(), c = clipped.toArray(), lr = logRatio.toArray(), r = ratio.toArray();
        double clip = 0, kl = 0, rs = 0, rss = 0;
        int n = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                clip += c[i] > u[i] ? 1 : 0;
                kl += 0.5 * lr[i] * lr[i];
                rs += r[i];
                n++;
            }
        }
        double ratioMean = n == 0 ? Double.NaN : rs / n;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                rss += (r[i] - ratioMean) * (r[i] - ratioMean);
            }
        }
        return new PolicyLoss(loss, n == 0 ? 0 : clip / n, n == 0 ? 0 : kl / n, ratioMean,
                n < 2 ? 0 : rss / (n - 1));
    }

    /**
     * The clipped value loss (TRL; Huang et al. 2024, detail "value function clipping"):
     * <pre>
     *   V_clip = V_old + clip(V - V_old, -eps_v, eps_v)
     *   loss   = 0.5 * masked_mean(max((V - R)^2, (V_clip - R)^2))
     * </pre>
     */
    public static ValueLoss value(Tensor values, float[] oldValues, float[] returns, float[] mask, double epsV) {
        int[] dims = values.dims();
        Tensor vOld = Tensor.of(oldValues, dims);
        Tensor ret = Tensor.of(returns, dims);
        Tensor vClipped = vOld.add(values.sub(vOld).clamp((float) -epsV, (float) epsV)); // (B, T)
        Tensor d1 = values.sub(ret), d2 = vClipped.sub(ret);
        Tensor l1 = d1.mul(d1), l2 = d2.mul(d2);                                       // squared errors
        Tensor loss = maskedMean(l1.maximum(l2), mask).scale(0.5f);
        float[] a = l1.toArray(), b = l2.toArray();
        double clip = 0;
        int n = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                clip += b[i] > a[i] ? 1 : 0;
                n++;
            }
        }
        return new ValueLoss(loss, n == 0 ? 0 : clip / n);
    }
}
