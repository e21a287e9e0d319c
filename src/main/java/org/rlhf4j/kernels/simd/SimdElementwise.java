package org.rlhf4j.kernels.simd;

import static org.rlhf4j.kernels.simd.Lanes.F;
import static org.rlhf4j.kernels.simd.Lanes.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.rlhf4j.kernels.Parallel;
import org.rlhf4j.kernels.Unary;
import org.rlhf4j.kernels.scalar.ScalarMath;

/**
 * Flat elementwise kernels: unary ops and their gradients, addScaled, fill. Each op has its own
 * vector loop (the switch stays outside the loop), then a scalar tail computed by {@link ScalarMath}.
 * Ops built from correctly rounded IEEE operations (neg, abs, scale, relu, clamp, sqrt, ...) give
 * exactly the reference's bits; exp and the ones built on it (sigmoid, GELU) differ by rounding.
 *
 * <p>LOG, TANH, LOG_SIGMOID and POW_SCALAR run the reference's scalar loop: the Vector API's
 * LOG, TANH, LOG1P and POW give different last bits in compiled and interpreted code (see
 * {@link VectorMath}), which would break bit-identical results, and none of them is on a GPT's hot
 * path (GELU is computed through exp).
 */
final class SimdElementwise {

    private SimdElementwise() {
    }

    /** Whether {@link #unaryBackward} has a vector loop for op; the others stay with the reference. */
    static boolean hasVectorDerivative(Unary op) {
        return op != Unary.POW_SCALAR; // p x^(p-1): the exponent p - 1 would be rounded in float
    }

    static void unary(Parallel parallel, Unary op, float p, float q, float[] out, int outOff,
                      float[] in, int inOff, int n) {
        Lanes.forChunks(parallel, n, (from, to) -> unaryRange(op, p, q, out, outOff, in, inOff, from, to));
    }

    private static void unaryRange(Unary op, float p, float q, float[] out, int oo, float[] in, int io,
                                   int from, int to) {
        int i = from, bound = from + F.loopBound(to - from);
        switch (op) {
            case NEG:
                for (; i < bound; i += L) load(in, io + i).neg().intoArray(out, oo + i);
                break;
            case EXP:
                for (; i < bound; i += L) VectorMath.exp(load(in, io + i)).intoArray(out, oo + i);
                break;
            case SIGMOID:
                for (; i < bound; i += L) VectorMath.sigmoid(load(in, io + i)).intoArray(out, oo + i);
                break;
            case RELU: // x <= 0 ? 0 : x, so NaN stays NaN
                for (; i < bound; i += L) {
                    FloatVector x = load(in, io + i);
                    x.blend(0f, x.compare(VectorOperators.LE, 0f)).intoArray(out, oo + i);
                }
                break;
            case GELU:
                for (; i < bound; i += L) VectorMath.gelu(load(in, io + i)).intoArray(out, oo + i);
                break;
            case SQRT:
                for (; i < bound; i += L) load(in, io + i).lanewise(VectorOperators.SQRT).intoArray(out, oo + i);
                break;
            case ABS:
                for (; i < bound; i += L) load(in, io + i).abs().intoArray(out, oo + i);
                break;
            case SCALE:
                for (; i < bound; i += L) load(in, io + i).mul(p).intoArray(out, oo + i);
                break;
            case ADD_SCALAR:
                for (; i < bound; i += L) load(in, io + i).add(p).intoArray(out, oo + i);
                break;
            case CLAMP: // min(max(x, p), q), with Math.max/min's NaN and signed-zero rules
                for (; i < bound; i += L) load(in, io + i).max(p).min(q).intoArray(out, oo + i);
                break;
            default: // LOG, TANH, LOG_SIGMOID, POW_SCALAR: see the class comment
                break;
        }
        for (; i < to; i++) {
            out[oo + i] = ScalarMath.unary(op, p, q, in[io + i]);
        }
    }

    /** dinp += dout * f'(inp), as dinp + (dout * d) like the reference (no fused multiply-add). */
    static void unaryBackward(Parallel parallel, Unary op, float p, float q, float[] dinp, int dinpOff,
                              float[] dout, int doutOff, float[] inp, int inpOff, float[] out, int outOff, int n) {
        Lanes.forChunks(parallel, n, (from, to) -> {
            int i = from, bound = from + F.loopBound(to - from);
            for (; i < bound; i += L) {
                FloatVector d = derivative(op, p, q, load(inp, inpOff + i), load(out, outOff + i));
                load(dinp, dinpOff + i).add(load(dout, doutOff + i).mul(d)).intoArray(dinp, dinpOff + i);
            }
            for (; i < to; i++) {
                float d = ScalarMath.unaryDerivative(op, p, q, inp[inpOff + i], out[outOff + i]);
                dinp[dinpOff + i] += dout[doutOff + i] * d;
            }
        });
    }

    /** f'(x) given x and y = f(x); each case is a vector expression, so no vector escapes. */
    private static FloatVector derivative(Unary op, float p, float q, FloatVector x, FloatVector y) {
        switch (op) {
            case NEG: return FloatVector.broadcast(F, -1f);
            case EXP: return y;
            case LOG: return FloatVector.broadcast(F, 1f).div(x);
            case TANH: return y.mul(y).neg().add(1f);                      // 1 - y^2
            case SIGMOID: return y.mul(y.neg().add(1f));                   // y (1 - y)
            case RELU: return FloatVector.zero(F).blend(1f, x.compare(VectorOperators.GT, 0f));
            case GELU: return VectorMath.geluDerivative(x);
            case SQRT: return FloatVector.broadcast(F, 0.5f).div(y);
            case LOG_SIGMOID: return VectorMath.sigmoid(x.neg());          // 1 - sigmoid(x)
            case ABS: return FloatVector.zero(F).blend(1f, x.compare(VectorOperators.GT, 0f))
                    .blend(-1f, x.compare(VectorOperators.LT, 0f));
            case SCALE: return FloatVector.broadcast(F, p);
            case ADD_SCALAR: return ones();
            case CLAMP: return FloatVector.zero(F).blend(1f,
                    x.compare(VectorOperators.GE, p).and(x.compare(VectorOperators.LE, q)));
            default: throw new AssertionError(op + " has no vector derivative");
        }
    }

    /** dst += alpha * src, unfused like the reference. */
    static void addScaled(Parallel parallel, float[] dst, int dstOff, float[] src, int srcOff, float alpha, int n) {
        Lanes.forChunks(parallel, n, (from, to) -> {
            int i = from, bound = from + F.loopBound(to - from);
            for (; i < bound; i += L) {
                load(dst, dstOff + i).add(load(src, srcOff + i).mul(alpha)).intoArray(dst, dstOff + i);
            }
            for (; i < to; i++) {
                dst[dstOff + i] += alpha * src[srcOff + i];
            }
        });
    }

    static void fill(Parallel parallel, float[] out, int outOff, float value, int n) {
        Lanes.forChunks(parallel, n, (from, to) -> {
            FloatVector v = FloatVector.broadcast(F, value);
            int i = from, bound = from + F.loopBound(to - from);
            for (; i < bound; i += L) {
                v.intoArray(out, outOff + i);
            }
            for (; i < to; i++) {
                out[outOff + i] = value;
            }
        });
    }

    private static FloatVector ones() {
        return FloatVector.broadcast(F, 1f);
    }

    private static FloatVector load(float[] a, int off) {
        return FloatVector.fromArray(F, a, off);
    }
}
