package org.rlhf4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Each fused op (hand-written backward) against the same maths composed from primitive ops, whose
 * backward the tape derives: forward values and input gradients must agree to float rounding
 * (1e-5 absolute on O(1) values; both sides are float, each rounding at most 6e-8 relative).
 */
class FusedVsCompositeTest {

    private static final float TOL = 1e-5f;
    private final Generator gen = new Generator(2024);

    private Tensor[] twoCopies(int... dims) {
        Tensor x = Tensor.randn(gen, dims);
        return new Tensor[] {x.detach().requiresGrad(true), Tensor.of(x.toArray(), dims).requiresGrad(true)};
    }

    /** Compares f and g on the same input: values, then gradients under the same random output weights. */
    private void compare(Function<Tensor, Tensor> fused, Function<Tensor, Tensor> composite, int... dims) {
        Tensor[] x = twoCopies(dims);
        Tensor f = fused.apply(x[0]), c = composite.apply(x[1]);
        assertArrayEquals(c.toArray(), f.toArray(), TOL, "forward");
        Tensor w = Tensor.randn(gen, f.dims());
        f.mul(w).sum().backward();
        c.mul(w).sum().backward();
        assertArrayEquals(x[1].grad().toArray(), x[0].grad().toArray(), TOL, "gradient");
    }

    @Test
    void softmaxEqualsExpOverSum() {
        // softmax(x) = e^(x - m) / sum e^(x - m)
        compare(Tensor::softmax, x -> {
            Tensor e = x.sub(x.max(-1, true).detach()).exp();
            return e.div(e.sum(-1, true));
        }, 3, 5);
    }

    @Test
    void logSoftmaxEqualsShiftedMinusLogSumExp() {
        // log softmax(x) = (x - m) - log sum e^(x - m)
        compare(Tensor::logSoftmax, x -> {
            Tensor z = x.sub(x.max(-1, true).detach());
            return z.sub(z.exp().sum(-1, true).log());
        }, 2, 3, 4);
    }

    @Test
    void crossEntropyEqualsMeanNegativeLogLikelihood() {
        int[] targets = {2, -1, 0, 4};
        float[] picks = new float[20]; // one-hot of the counted targets
        picks[2] = 1f;
        picks[10] = 1f;
        picks[19] = 1f;
        Tensor onehot = Tensor.of(picks, 4, 5);
        compare(x -> x.crossEntropy(targets, -1), x -> x.logSoftmax().mul(onehot).sum().scale(-1f / 3f), 4, 5);
    }

    @Test
    void layerNormEqualsItsDefinition() {
        Tensor w = Tensor.randn(gen, 6), b = Tensor.randn(gen, 6);
        float eps = 1e-5f;
        // y = (x - mean) / sqrt(var + eps) * w + b, biased variance
        compare(x -> x.layerNorm(w, b, eps), x -> {
            Tensor centred = x.sub(x.mean(-1, true));
            Tensor var = centred.mul(centred).mean(-1, true);
            return centred.div(var.addScalar(eps).sqrt()).mul(w).add(b);
        }, 2, 2, 6);
    }

    @Test
    void layerNormParameterGradientsEqualTheComposite() {
        Tensor x = Tensor.randn(gen, 4, 3);
        Tensor w1 = Tensor.randn(gen, 3).requiresGrad(true), b1 = Tensor.randn(gen, 3).requiresGrad(true);
        Tensor w2 = Tensor.of(w1.toArray(), 3).requiresGrad(true), b2 = Tensor.of(b1.toArray(), 3).requiresGrad(true);
        Tensor dy = Tensor.randn(gen, 4, 3);
        x.layerNorm(w1, b1, 1e-5f).backward(dy);
        Tensor centred = x.sub(x.mean(-1, true));
        centred.div(centred.mul(centred).mean(-1, true).addScalar(1e-5f).sqrt()).mul(w2).add(b2).backward(dy);
        assertArrayEquals(w2.grad().toArray(), w1.grad().toArray(), TOL);
        assertArrayEquals(b2.grad().toArray(), b1.grad().toArray(), TOL);
    }

    @Test
    void embeddingEqualsOneHotMatmul() {
        int[] ids = {3, 0, 3, 1};
        float[] onehot = new float[4 * 5];
        for (int n = 0; n < ids.length; n++) {
            onehot[n * 5 + ids[n]] = 1f;
        }
        Tensor oh = Tensor.of(onehot, 4, 5);
        compare(t -> t.embedding(ids), oh::matmul, 5, 3);
        assertEquals(2, Tensor.zeros(5, 3).embedding(ids, 2, 2).rank() - 1);
    }
}
