package org.rlhf4j.tensor;

import org.rlhf4j.kernels.Binary;
import org.rlhf4j.kernels.Unary;

/**
 * The registry of differentiable ops: every node on the tape names one. {@link Node}'s constructor
 * takes an {@code Op}, so an op cannot be recorded without a constant here, and a test fails when a
 * constant has no gradient check (GradCheckProperties). Several tensor methods share a constant
 * where they are the same op: reshape, view, squeeze and unsqueeze are {@link #RESHAPE}; transpose
 * is a {@link #PERMUTE}; slice and split are {@link #NARROW}s; broadcastTo is {@link #EXPAND}.
 */
public enum Op {
    // binary, with numpy broadcasting (ElementwiseOps)
    ADD(Binary.ADD), SUB(Binary.SUB), MUL(Binary.MUL), DIV(Binary.DIV),
    MINIMUM(Binary.MIN), MAXIMUM(Binary.MAX), POW(Binary.POW),
    // unary (ElementwiseOps); some take constant parameters p, q
    NEG(Unary.NEG), EXP(Unary.EXP), LOG(Unary.LOG), TANH(Unary.TANH), SIGMOID(Unary.SIGMOID),
    RELU(Unary.RELU), GELU(Unary.GELU), SQRT(Unary.SQRT), LOG_SIGMOID(Unary.LOG_SIGMOID),
    ABS(Unary.ABS), SCALE(Unary.SCALE), ADD_SCALAR(Unary.ADD_SCALAR), POW_SCALAR(Unary.POW_SCALAR),
    CLAMP(Unary.CLAMP),
    // selection and noise (ElementwiseOps)
    WHERE, MASKED_FILL, DROPOUT,
    // reductions (ReduceOps)
    SUM, MEAN, MAX,
    // fused (FusedOps, MatmulOps)
    MATMUL, SOFTMAX, CAUSAL_SOFTMAX, CAUSAL_ATTENTION, LOG_SOFTMAX, CROSS_ENTROPY, LAYER_NORM, EMBEDDING,
    // views and copies (ViewOps)
    RESHAPE, PERMUTE, NARROW, CONCAT, EXPAND,
    /** A user-defined {@link CustomFunction}. */
    CUSTOM,
    /** The linear head fused into the cross-entropy (FusedOps); last, so that the older constants keep their ordinals. */
    LINEAR_CROSS_ENTROPY;

    private final Binary binary;
    private final Unary unary;

    Op() {
        this(null, null);
    }

    Op(Binary binary) {
        this(binary, null);
    }

    Op(Unary unary) {
        this(null, unary);
    }

    Op(Binary binary, Unary unary) {
        this.binary = binary;
        this.unary = unary;
    }

    /** The elementwise kernel of a binary op; null for the others. */
    public Binary binary() {
        return binary;
    }

    /** The elementwise kernel of a unary op; null for the others. */
    public Unary unary() {
        return unary;
    }

    /** The name used in error messages: {@code matmul}, {@code logSoftmax}, ... */
    public String label() {
        String[] words = name().toLowerCase(java.util.Locale.ROOT).split("_");
        StringBuilder s = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            s.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return s.toString();
    }
}
