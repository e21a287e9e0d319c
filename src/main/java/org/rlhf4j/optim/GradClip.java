package org.rlhf4j.optim;

import java.util.Collection;
import org.rlhf4j.tensor.Tensor;

/**
 * Global-norm gradient clipping (Pascanu, Mikolov and Bengio 2013), as PyTorch's
 * {@code clip_grad_norm_}: with {@code n = sqrt(sum over every gradient element g^2)}, every gradient
 * is multiplied by {@code min(1, maxNorm / (n + 1e-6))}.
 */
public final class GradClip {

    private GradClip() {
    }

    /**
     * Clips in place and returns the norm before clipping. Parameters without a gradient are skipped.
     * A non-finite norm (a NaN or infinite gradient) is returned and nothing is scaled: the caller
     * should skip the optimizer step (RELIABILITY.md: a non-finite step leaves everything untouched).
     */
    public static double clipGlobalNorm(Collection<Tensor> params, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be positive, got " + maxNorm);
        }
        double norm = globalNorm(params);
        double coef = maxNorm / (norm + 1e-6);
        if (Double.isFinite(norm) && coef < 1.0) {
            float c = (float) coef;
            for (Tensor p : params) {
                Tensor g = p.grad();
                if (g != null) {
                    float[] d = g.data();
                    for (int i = g.offset(), end = g.offset() + g.size(); i < end; i++) {
                        d[i] *= c;
                    }
                }
            }
        }
        return norm;
    }

    /** {@code sqrt(sum g^2)} over every gradient element, accumulated in double in parameter order. */
    public static double globalNorm(Collection<Tensor> params) {
        double sumSq = 0;
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g != null) {
                float[] d = g.data();
                for (int i = g.offset(), end = g.offset() + g.size(); i < end; i++) {
                    sumSq += (double) d[i] * d[i];
                }
            }
        }
        return Math.sqrt(sumSq);
    }
}
