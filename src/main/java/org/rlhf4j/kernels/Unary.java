package org.rlhf4j.kernels;

/**
 * Elementwise unary operations of {@link Kernels#unary}. Some take parameters p and q; the others
 * ignore them.
 */
public enum Unary {
    /** -x */
    NEG,
    /** e^x */
    EXP,
    /** ln x */
    LOG,
    /** tanh x */
    TANH,
    /** 1 / (1 + e^-x), computed without overflow for large |x|. */
    SIGMOID,
    /** max(0, x); subgradient 0 at x = 0. */
    RELU,
    /**
     * GPT-2's tanh approximation (Hendrycks and Gimpel 2016):
     * 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
     */
    GELU,
    /** sqrt x */
    SQRT,
    /** log sigmoid(x) = -softplus(-x) = min(x, 0) - log1p(e^-|x|): stable for any x. */
    LOG_SIGMOID,
    /** |x|; subgradient 0 at x = 0. */
    ABS,
    /** p * x */
    SCALE,
    /** x + p */
    ADD_SCALAR,
    /** x ^ p for a constant exponent p. */
    POW_SCALAR,
    /** min(max(x, p), q); the gradient passes where p &lt;= x &lt;= q (as PyTorch's clamp). */
    CLAMP
}
