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
        Lanes.forChunks(parallel, n, (from, to) -> {
            int bound = from + F.loopBound(to - from);
            // one small method per op: a single method holding every loop grows past C2's inlining
            // budget, and a vector that is not inlined is boxed on the heap (ten times slower)
            switch (op) {
                case NEG: neg(out, outOff, in, inOff, from, bound); break;
                case EXP: exp(out, outOff, in, inOff, from, bound); break;
                case SIGMOID: sigmoid(out, outOff, in, inOff, from, bound); break;
                case RELU: relu(out, outOff, in, inOff, from, bound); break;
                case GELU: gelu(out, outOff, in, inOff, from, bound); break;
                case SQRT: sqrt(out, outOff, in, inOff, from, bound); break;
                case ABS: abs(out, outOff, in, inOff, from, bound); break;
                case SCALE: scale(out, outOff, in, inOff, p, from, bound); break;
                case ADD_SCALAR: addScalar(out, outOff, in, inOff, p, from, bound); break;
                case CLAMP: clamp(out, outOff, in, inOff, p, q, from, bound); break;
                default: bound = from; // LOG, TANH, LOG_SIGMOID, POW_SCALAR: see the class comment
            }
            for (int i = bound; i < to; i++) {
                out[outOff + i] = ScalarMath.unary(op, p, q, in[inOff + i]);
            }
        });
    }

    private static void neg(float[] out, int oo, float[] in, int io, int from, int bound) {
        for (int i = from; i < bound; i += L) load(in, io + i).neg().intoArray(out, oo + i);
    }

    private static void exp(float[] out, int oo, float[] in, int io, int from, int bound) {
        for (int i = from; i < bound; i += L) VectorMath.exp(load(in, io + i)).intoArray(out, oo + i);
    }

    private static void sigmoid(float[] out, int oo, float[] in, int io, int from, int bound) {
        for (int i = from; i < bound; i += L) VectorMath.sigmoid(load(in, io + i)).intoArray(out, oo + i);
    }

    /** x <= 0 ? 0 : x, so NaN stays NaN. */
    private static void relu(float[] out, int oo, float[] in, int io, int from, int bound) {
        FloatVector zero = FloatVector.zero(F);
        for (int i = from; i < bound; i += L) {
            FloatVector x = load(in, io + i);
            x.blend(zero, x.compare(VectorOperators.LE, zero)).intoArray(out, oo + i);
        }
    }

    private static void gelu(float[] out, int oo, float[] in, int io, int from, int bound) {
        for (int i = from; i < bound; i += L) VectorMath.gelu(load(in, io + i)).intoArray(out, oo + i);
    }

    private static void sqrt(float[] out, int oo, float[] in, int io, int from, int bound) {
        for (int i = from; i < bound; i += L) load(in, io + i).lanewise(VectorOperators.SQRT).intoArray(out, oo + i);
    }

    private static void abs(float[] out, int oo, float[] in, int io, int from, int bound) {
        for (int i = from; i < bound; i += L) load(in, io + i).abs().intoArray(out, oo + i);
    }

    private static void scale(float[] out, int oo, float[] in, int io, float p, int from, int bound) {
        FloatVector pv = FloatVector.broadcast(F, p);
        for (int i = from; i < bound; i += L) load(in, io + i).mul(pv).intoArray(out, oo + i);
    }

    private static void addScalar(float[] out, int oo, float[] in, int io, float p, int from, int bound) {
        FloatVector pv = FloatVector.broadcast(F, p);
        for (int i = from; i < bound; i += L) load(in, io + i).add(pv).intoArray(out, oo + i);
    }

    /** min(max(x, p), q), with Math.max/min's NaN and signed-zero rules. */
    private static void clamp(float[] out, int oo, float[] in, int io, float p, float q, int from, int bound) {
        FloatVector pv = FloatVector.broadcast(F, p), qv = FloatVector.broadcast(F, q);
        for (int i = from; i < bound; i += L) load(in, io + i).max(pv).min(qv).intoArray(out, oo + i);
    }

    /**
     * dinp += dout * f'(inp), as dinp + (dout * d) like the reference (no fused multiply-add); d is
     * computed with the reference's float operations, except for GELU and LOG_SIGMOID.
     */
    static void unaryBackward(Parallel parallel, Unary op, float p, float q, float[] dinp, int dinpOff,
                              float[] dout, int doutOff, float[] inp, int inpOff, float[] out, int outOff, int n) {
        Lanes.forChunks(parallel, n, (from, to) -> {
            int bound = from + F.loopBound(to - from);
            Grad g = new Grad(dinp, dinpOff, dout, doutOff, inp, inpOff, out, outOff);
            switch (op) { // one small loop method per op, as in unary
                case NEG: g.neg(from, bound); break;
                case EXP: g.exp(from, bound); break;
                case LOG: g.log(from, bound); break;
                case TANH: g.tanh(from, bound); break;
                case SIGMOID: g.sigmoid(from, bound); break;
                case RELU: g.relu(from, bound); break;
                case GELU: g.gelu(from, bound); break;
                case SQRT: g.sqrt(from, bound); break;
                case LOG_SIGMOID: g.logSigmoid(from, bound); break;
                case ABS: g.abs(from, bound); break;
                case SCALE: g.scale(p, from, bound); break;
                case ADD_SCALAR: g.scale(1f, from, bound); break;
                case CLAMP: g.clamp(p, q, from, bound); break;
                default: throw new AssertionError(op + " has no vector derivative");
            }
            for (int i = bound; i < to; i++) {
                float d = ScalarMath.unaryDerivative(op, p, q, inp[inpOff + i], out[outOff + i]);
                dinp[dinpOff + i] += dout[doutOff + i] * d;
            }
        });
    }

    /** The arrays of one unaryBackward call, and one loop per op over [from, bound). */
    private static final class Grad {
        private final float[] dinp, dout, inp, out;
        private final int di, gi, xi, yi;

        Grad(float[] dinp, int di, float[] dout, int gi, float[] inp, int xi, float[] out, int yi) {
            this.dinp = dinp;
            this.dout = dout;
            this.inp = inp;
            this.out = out;
            this.di = di;
            this.gi = gi;
            this.xi = xi;
            this.yi = yi;
        }

        /** dinp[i..] += dout[i..] * d. */
        private void add(int i, FloatVector d) {
            load(dinp, di + i).add(load(dout, gi + i).mul(d)).intoArray(dinp, di + i);
        }

        void neg(int from, int bound) {
            for (int i = from; i < bound; i += L) load(dinp, di + i).add(load(dout, gi + i).neg()).intoArray(dinp, di + i);
        }

        void exp(int from, int bound) {
            for (int i = from; i < bound; i += L) add(i, load(out, yi + i));
        }

        void log(int from, int bound) { // 1 / x
            FloatVector one = FloatVector.broadcast(F, 1f);
            for (int i = from; i < bound; i += L) add(i, one.div(load(inp, xi + i)));
        }

        void tanh(int from, int bound) { // 1 - y^2
            FloatVector one = FloatVector.broadcast(F, 1f);
            for (int i = from; i < bound; i += L) {
                FloatVector y = load(out, yi + i);
                add(i, one.sub(y.mul(y)));
            }
        }

        void sigmoid(int from, int bound) { // y (1 - y)
            FloatVector one = FloatVector.broadcast(F, 1f);
            for (int i = from; i < bound; i += L) {
                FloatVector y = load(out, yi + i);
                add(i, y.mul(one.sub(y)));
            }
        }

        void relu(int from, int bound) { // x > 0 ? 1 : 0
            FloatVector zero = FloatVector.zero(F), one = FloatVector.broadcast(F, 1f);
            for (int i = from; i < bound; i += L) add(i, zero.blend(one, load(inp, xi + i).compare(VectorOperators.GT, zero)));
        }

        void gelu(int from, int bound) {
            for (int i = from; i < bound; i += L) add(i, VectorMath.geluDerivative(load(inp, xi + i)));
        }

        void sqrt(int from, int bound) { // 0.5 / y
            FloatVector half = FloatVector.broadcast(F, 0.5f);
            for (int i = from; i < bound; i += L) add(i, half.div(load(out, yi + i)));
        }

        void logSigmoid(int from, int bound) { // 1 - sigmoid(x) = sigmoid(-x)
            for (int i = from; i < bound; i += L) add(i, VectorMath.sigmoid(load(inp, xi + i).neg()));
        }

        void abs(int from, int bound) { // sign(x), 0 at 0
            FloatVector zero = FloatVector.zero(F), one = FloatVector.broadcast(F, 1f), minusOne = one.neg();
            for (int i = from; i < bound; i += L) {
                FloatVector x = load(inp, xi + i);
                add(i, zero.blend(one, x.compare(VectorOperators.GT, zero)).blend(minusOne, x.compare(VectorOperators.LT, zero)));
            }
        }

        void scale(float p, int from, int bound) { // p, and 1 for ADD_SCALAR
            FloatVector pv = FloatVector.broadcast(F, p);
            for (int i = from; i < bound; i += L) add(i, pv);
        }

        void clamp(float p, float q, int from, int bound) { // p <= x <= q ? 1 : 0
            FloatVector zero = FloatVector.zero(F), one = FloatVector.broadcast(F, 1f);
            FloatVector pv = FloatVector.broadcast(F, p), qv = FloatVector.broadcast(F, q);
            for (int i = from; i < bound; i += L) {
                FloatVector x = load(inp, xi + i);
                add(i, zero.blend(one, x.compare(VectorOperators.GE, pv).and(x.compare(VectorOperators.LE, qv))));
            }
        }
    }

    /** dst += alpha * src, unfused like the reference. */
    static void addScaled(Parallel parallel, float[] dst, int dstOff, float[] src, int srcOff, float alpha, int n) {
        Lanes.forChunks(parallel, n, (from, to) -> {
            int i = from, bound = from + F.loopBound(to - from);
            for (; i < bound; i += L) {
                load(dst, dstOff + i).add(load(src, srcOff + i).mul(FloatVector.broadcast(F, alpha))).intoArray(dst, dstOff + i);
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

    private static FloatVector load(float[] a, int off) {
        return FloatVector.fromArray(F, a, off);
    }
}
