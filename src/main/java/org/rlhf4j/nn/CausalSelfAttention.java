package org.rlhf4j.nn;

import java.util.function.LongSupplier;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Shape;
import org.rlhf4j.tensor.Tensor;
import org.rlhf4j.tensor.TensorLimits;

/**
 * Multi-head causal self-attention as in GPT-2 (Radford et al. 2019), scaled dot-product attention
 * (Vaswani et al. 2017, Eq. 1) over NH heads of size HS = C / NH:
 * {@code Attention(Q, K, V) = softmax(Q K^T / sqrt(HS) + mask) V}, the mask -inf above the diagonal
 * so position t sees positions {@code <= t} (applied inside the softmax, {@code Tensor.causalSoftmax}: the
 * mask is never materialised). Q, K and V come from one fused projection, GPT-2's
 * {@code c_attn} (C, 3C); the heads are joined and projected by {@code c_proj} (C, C), whose initial
 * weights are scaled by {@code 1/sqrt(2 nLayer)} (GPT-2 section 2.3). Attention dropout acts on the
 * probabilities, residual dropout on the output.
 *
 * <p>Without attention dropout (p = 0, or evaluation mode) the whole attention is one fused op,
 * {@code Tensor.causalAttention}: each head is read straight from c_attn's output and written straight
 * into the joined output, and the products skip the mask's zeros. With dropout on the probabilities
 * it is composed from ops: one copy turns (B, T, 3, NH, HS) into (3, B, NH, T, HS), whose three
 * slices q, k, v are zero-copy views; the scores are one batched product over B*NH with k read
 * transposed by the kernel (no copy), and the weighted values one more; a last copy joins the heads.
 * Both give the same bits when dropout is off (AttentionProperties).
 */
public final class CausalSelfAttention extends Module {

    public final Linear cAttn;
    public final Linear cProj;
    private final Dropout attnDropout;
    private final Dropout residDropout;
    private final int C, NH, HS;
    private final float scale;

    public CausalSelfAttention(GptConfig config, Generator init, LongSupplier dropoutSeeds) {
        C = config.nEmbd();
        NH = config.nHead();
        HS = config.headSize();
        scale = (float) (1.0 / Math.sqrt(HS));
        float projStd = (float) (config.initStd() / Math.sqrt(2.0 * config.nLayer()));
        cAttn = child("c_attn", new Linear(C, 3 * C, config.bias(), config.initStd(), init));
        cProj = child("c_proj", new Linear(C, C, config.bias(), projStd, init));
        attnDropout = child("attn_dropout", new Dropout(config.dropout(), dropoutSeeds));
        residDropout = child("resid_dropout", new Dropout(config.dropout(), dropoutSeeds));
    }

    /** x (B, T, C) -> (B, T, C), recorded on the tape. */
    public Tensor forward(Tensor x) {
        if (!attnDropout.isActive()) {
            return residDropout.forward(cProj.forward(cAttn.forward(x).causalAttention(NH))); // (B, T, C)
        }
        int B = x.dim(0), T = x.dim(1);
        Tensor heads = cAttn.forward(x).reshape(B, T, 3, NH, HS).permute(2, 0, 3, 1, 4); // (3, B, NH, T, HS)
        Tensor q = heads.narrow(0, 0, 1).reshape(B * NH, T, HS);                        // (B*NH, T, HS)
        Tensor k = heads.narrow(0, 1, 1).reshape(B * NH, T, HS);                        // (B*NH, T, HS)
        Tensor v = heads.narrow(0, 2, 1).reshape(B * NH, T, HS);                        // (B*NH, T, HS)
        // Vaswani et al. 2017, Eq. 1: softmax(Q K^T / sqrt(HS)) V, causally masked; the scale is applied
        // to q (T*HS elements) rather than to the scores (T*T)
        Tensor att = q.scale(scale).matmul(k, false, true);                             // (B*NH, T, T)
        att = att.causalSoftmax(0);                                                    // row t sees 0..t
        att = attnDropout.forward(att);
        Tensor y = att.matmul(v);                                                       // (B*NH, T, HS)
        y = y.reshape(B, NH, T, HS).permute(0, 2, 1, 3).reshape(B, T, C);                // (B, T, C)
        return residDropout.forward(cProj.forward(y));
    }

    /**
     * The same attention for new tokens x (B, Tn, C) at positions {@code L0 .. L0+Tn-1}, where
     * L0 = {@code cache.length()}: their keys and values are appended to layer {@code layer} of the
     * cache, and each query attends to every cached position up to its own. Call inside a no-grad
     * scope (nothing here is differentiable: the cache is written in place).
     */
    Tensor forward(Tensor x, KvCache cache, int layer) {
        int B = x.dim(0), Tn = x.dim(1), L0 = cache.length(), L = L0 + Tn, maxT = cache.capacity();
        Tensor heads = cAttn.forward(x).reshape(B, Tn, 3, NH, HS).permute(2, 0, 3, 1, 4); // (3, B, NH, Tn, HS)
        float[] h = heads.data();
        int slab = B * NH * Tn * HS, qOff = heads.offset(), kOff = qOff + slab, vOff = kOff + slab;
        float[] kc = cache.keys(layer), vc = cache.values(layer); // (B*NH, maxT, HS)
        for (int bh = 0; bh < B * NH; bh++) { // append this step's keys and values at rows L0 .. L-1
            System.arraycopy(h, kOff + bh * Tn * HS, kc, (bh * maxT + L0) * HS, Tn * HS);
            System.arraycopy(h, vOff + bh * Tn * HS, vc, (bh * maxT + L0) * HS, Tn * HS);
        }
        Kernels kern = Backends.current();
        float[] q = Tensor.wrap(h, qOff, Shape.of(slab)).scale(scale).data(); // (B*NH, Tn, HS), scaled as above
        float[] scores = TensorLimits.floats("attention scores", B * NH, Tn, L); // (B*NH, Tn, L): each head's first L cached rows
        for (int bh = 0; bh < B * NH; bh++) {
            kern.matmul(scores, bh * Tn * L, q, bh * Tn * HS, kc, bh * maxT * HS, 1, Tn, HS, L, false, true, false, false);
        }
        Tensor att = Tensor.wrap(scores, 0, Shape.of(B * NH, Tn, L));
        float[] p = att.causalSoftmax(L0).data(); // (B*NH, Tn, L), offset 0: new token i sees 0 .. L0 + i
        float[] y = TensorLimits.floats("attention output", B * NH, Tn, HS); // (B*NH, Tn, HS)
        for (int bh = 0; bh < B * NH; bh++) {
            kern.matmul(y, bh * Tn * HS, p, bh * Tn * L, vc, bh * maxT * HS, 1, Tn, L, HS, false, false, false, false);
        }
        Tensor joined = Tensor.wrap(y, 0, Shape.of(B, NH, Tn, HS)).permute(0, 2, 1, 3).reshape(B, Tn, C);
        return cProj.forward(joined); // (B, Tn, C); no residual dropout outside training
    }
}
