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
        // One small loop method per op, each behind its own lambda, so that C2 compiles each op's
        // loop as a root of its own: one method holding every loop outgrows C2's inlining budget
        // (NodeCountInliningCutoff), and a vector that crosses a call C2 did not inline is boxed
        // on the heap, ten times slower.
        switch (op) {
            case NEG: Lanes.forChunks(parallel, n, (f, t) -> tail(op, p, q, out, outOff, in, inOff, neg(out, outOff, in, inOff, f, t), t)); break;
            case EXP: Lanes.forChunks(parallel, n, (f, t) -> tail(op, p, q, out, outOff, in, inOff, exp(out, outOff, in, inOff, f, t), t)); break;
            case SIGMOID: Lanes.forChunks(parallel, n, (f, t) -> tail(op, p, q, out, outOff, in, inOff, sigmoid(out, outOff, in, inOff, f, t), t)); break;
            case RELU: Lanes.forChunks(parallel, n, (f, t) -> tail(op, p, q, out, outOff, in, inOff, relu(out, outOff, in, inOff, f, t), t)); break;
            case GELU: Lanes.forChunks(parallel, n, (f, t) -> tail(op, p, q, out, outOff, in, inOff, gelu(out, outOff, in, inOff, f, t), t)); break;
            case SQRT: Lanes.forChunks(parallel, n, (f, t) -> tail(op, p, q, out, outOff, in, inOff, sqrt(out, outOff, in, inOff, f, t), t)); break;
            case ABS: Lanes.forChunks(parallel, n, (f, t) -> tail(op, p, q, out, outOff, in, inOff, abs(out, outOff, in, inOff, f, t), t)); break;
            case SCALE: Lanes.forChunks(parallel, n, (f, t) -> tail(op, p, q, out, outOff, in, inOff, scale(out, outOff, in, inOff, p, f, t), t)); break;
            case ADD_SCALAR: Lanes.forChunks(parallel, n, (f, t) -> tail(op, p, q, out, outOff, in, inOff, addScalar(out, outOff, in, inOff, p, f, t), t)); break;
            case CLAMP: Lanes.forChunks(parallel, n, (f, t) -> tail(op, p, q, out, outOff, in, inOff, clamp(out, outOff, in, inOff, p, q, f, t), t)); break;
            default: // LOG, TANH, LOG_SIGMOID, POW_SCALAR: see the class comment
                Lanes.forChunks(parallel, n, (f, t) -> tail(op, p, q, out, outOff, in, inOff, f, t));
        }
    }

    /** out[i] = f(in[i]) for i in [from, to) by the reference's scalar code: the tail after the vectors. */
    private static void tail(Unary op, float p, float q, float[] out, int oo, float[] in, int io, int from, int to) {
        for (int i = from; i < to; i++) {
            out[oo + i] = ScalarMath.unary(op, p, q, in[io + i]);
        }
    }

    private static int neg(float[] out, int oo, float[] in, int io, int from, int to) {
        int bound = from + F.loopBound(to - from);
        for (int i = from; i < bound; i += L) load(in, io + i).neg().intoArray(out, oo + i);
        return bound;
    }

    private static int exp(float[] out, int oo, float[] in, int io, int from, int to) {
        int bound = from + F.loopBound(to - from);
        for (int i = from; i < bound; i += L) VectorMath.exp(load(in, io + i)).intoArray(out, oo + i);
        return bound;
    }

    private static int sigmoid(float[] out, int oo, float[] in, int io, int from, int to) {
        int bound = from + F.loopBound(to - from);
        for (int i = from; i < bound; i += L) VectorMath.sigmoid(load(in, io + i)).intoArray(out, oo + i);
        return bound;
    }

    /** x <= 0 ? 0 : x, so NaN stays NaN. */
    private static int relu(float[] out, int oo, float[] in, int io, int from, int to) {
        int bound = from + F.loopBound(to - from);
        FloatVector zero = FloatVector.zero(F);
        for (int i = from; i < bound; i += L) {
            FloatVector x = load(in, io + i);
            x.blend(zero, x.compare(VectorOperators.LE, zero)).intoArray(out, oo + i);
        }
        return bound;
    }

    private static int gelu(float[] out, int oo, float[] in, int io, int from, int to) {
        int bound = from + F.loopBound(to - from);
        for (int i = from; i < bound; i += L) VectorMath.gelu(load(in, io + i)).intoArray(out, oo + i);
        return bound;
    }

    private static int sqrt(float[] out, int oo, float[] in, int io, int from, int to) {
        int bound = from + F.loopBound(to - from);
        for (int i = from; i < bound; i += L) load(in, io + i).lanewise(VectorOperators.SQRT).intoArray(out, oo + i);
        return bound;
    }

    private static int abs(float[] out, int oo, float[] in, int io, int from, int to) {
        int bound = from + F.loopBound(to - from);
        for (int i = from; i < bound; i += L) load(in, io + i).abs().intoArray(out, oo + i);
        return bound;
    }

    private static int scale(float[] out, int oo, float[] in, int io, float p, int from, int to) {
        int bound = from + F.loopBound(to - from);
        FloatVector pv = FloatVector.broadcast(F, p);
        for (int i = from; i < bound; i += L) load(in, io + i).mul(pv).intoArray(out, oo + i);
        return bound;
    }

    private static int addScalar(float[] out, int oo, float[] in, int io, float p, int from, int to) {
        int bound = from + F.loopBound(to - from);
        FloatVector pv = FloatVector.broadcast(F, p);
        for (int i = from; i < bound; i += L) load(in, io + i).add(pv).intoArray(out, oo + i);
        return bound;
    }

    /** min(max(x, p), q), with Math.max/min's NaN and signed-zero rules. */
    private static int clamp(float[] out, int oo, float[] in, int io, float p, float q, int from, int to) {
        int bound = from + F.loopBound(to - from);
        FloatVector pv = FloatVector.broadcast(F, p), qv = FloatVector.broadcast(F, q);
        for (int i = from; i < bound; i += L) load(in, io + i).max(pv).min(qv).intoArray(out, oo + i);
        return bound;
    }

    /**
     * dinp += dout * f'(inp), as dinp + (dout * d) like the reference (no fused multiply-add); d is
     * computed with the reference's float operations, except for GELU and LOG_SIGMOID.
     */
    static void unaryBackward(Parallel parallel, Unary op, float p, float q, float[] dinp, int dinpOff,
                              float[] dout, int doutOff, float[] inp, int inpOff, float[] out, int outOff, int n) {
        Grad g = new Grad(op, p, q, dinp, dinpOff, dout, doutOff, inp, inpOff, out, outOff);
        switch (op) { // one lambda and one small loop method per op, as in unary
            case NEG: Lanes.forChunks(parallel, n, (f, t) -> g.tail(g.neg(f, t), t)); break;
            case EXP: Lanes.forChunks(parallel, n, (f, t) -> g.tail(g.exp(f, t), t)); break;
            case LOG: Lanes.forChunks(parallel, n, (f, t) -> g.tail(g.log(f, t), t)); break;
            case TANH: Lanes.forChunks(parallel, n, (f, t) -> g.tail(g.tanh(f, t), t)); break;
            case SIGMOID: Lanes.forChunks(parallel, n, (f, t) -> g.tail(g.sigmoid(f, t), t)); break;
            case RELU: Lanes.forChunks(parallel, n, (f, t) -> g.tail(g.relu(f, t), t)); break;
            case GELU: Lanes.forChunks(parallel, n, (f, t) -> g.tail(g.gelu(f, t), t)); break;
            case SQRT: Lanes.forChunks(parallel, n, (f, t) -> g.tail(g.sqrt(f, t), t)); break;
            case LOG_SIGMOID: Lanes.forChunks(parallel, n, (f, t) -> g.tail(g.logSigmoid(f, t), t)); break;
            case ABS: Lanes.forChunks(parallel, n, (f, t) -> g.tail(g.abs(f, t), t)); break;
            case SCALE: Lanes.forChunks(parallel, n, (f, t) -> g.tail(g.scale(p, f, t), t)); break;
            case ADD_SCALAR: Lanes.forChunks(parallel, n, (f, t) -> g.tail(g.scale(1f, f, t), t)); break;
            case CLAMP: Lanes.forChunks(parallel, n, (f, t) -> g.tail(g.clamp(f, t), t)); break;
            default: throw new AssertionError(op + " has no vector derivative");
        }
    }

    /** The arrays of one unaryBackward call, and one loop per op over [from, bound). */
    private static final class Grad {
        private final Unary op;
        private final float p, q;
        private final float[] dinp, dout, inp, out;
        private final int di, gi, xi, yi;

        Grad(Unary op, float p, float q, float[] dinp, int di, float[] dout, int gi, float[] inp, int xi, float[] out, int yi) {
            this.op = op;
            this.p = p;
            this.q = q;
            this.dinp = dinp;
            this.dout = dout;
            this.inp = inp;
            this.out = out;
            this.di = di;
            this.gi = gi;
            this.xi = xi;
            this.yi = yi;
        }

        /** The reference's scalar loop over [from, to): the tail after the vectors. */
        void tail(int from, int to) {
            for (int i = from; i < to; i++) {
                float d = ScalarMath.unaryDerivative(op, p, q, inp[xi + i], out[yi + i]);
                dinp[di + i] += dout[gi + i] * d;
            }
        }

        /** dinp[i..] += dout[i..] * d. */
        private void add(int i, FloatVector d) {
            load(dinp, di + i).add(load(dout, gi + i).mul(d)).intoArray(dinp, di + i);
        }

        int neg(int from, int to) {
            int bound = from + F.loopBound(to - from);
            for (int i = from; i < bound; i += L) load(dinp, di + i).add(load(dout, gi + i).neg()).intoArray(dinp, di + i);
            return bound;
        }

        int exp(int from, int to) {
            int bound = from + F.loopBound(to - from);
            for (int i = from; i < bound; i += L) add(i, load(out, yi + i));
            return bound;
        }

        int log(int from, int to) { // 1 / x
            int bound = from + F.loopBound(to - from);
            FloatVector one = FloatVector.broadcast(F, 1f);
            for (int i = from; i < bound; i += L) add(i, one.div(load(inp, xi + i)));
            return bound;
        }

        int tanh(int from, int to) { // 1 - y^2
            int bound = from + F.loopBound(to - from);
            FloatVector one = FloatVector.broadcast(F, 1f);
            for (int i = from; i < bound; i += L) {
                FloatVector y = load(out, yi + i);
                add(i, one.sub(y.mul(y)));
            }
            return bound;
        }

        int sigmoid(int from, int to) { // y (1 - y)
            int bound = from + F.loopBound(to - from);
            FloatVector one = FloatVector.broadcast(F, 1f);
            for (int i = from; i < bound; i += L) {
                FloatVector y = load(out, yi + i);
                add(i, y.mul(one.sub(y)));
            }
            return bound;
        }

        int relu(int from, int to) { // x > 0 ? 1 : 0
            int bound = from + F.loopBound(to - from);
            FloatVector zero = FloatVector.zero(F), one = FloatVector.broadcast(F, 1f);
            for (int i = from; i < bound; i += L) add(i, zero.blend(one, load(inp, xi + i).compare(VectorOperators.GT, zero)));
            return bound;
        }

        int gelu(int from, int to) {
            int bound = from + F.loopBound(to - from);
            for (int i = from; i < bound; i += L) add(i, VectorMath.geluDerivative(load(inp, xi + i)));
            return bound;
        }

        int sqrt(int from, int to) { // 0.5 / y
            int bound = from + F.loopBound(to - from);
            FloatVector half = FloatVector.broadcast(F, 0.5f);
            for (int i = from; i < bound; i += L) add(i, half.div(load(out, yi + i)));
            return bound;
        }

        int logSigmoid(int from, int to) { // 1 - sigmoid(x) = sigmoid(-x)
            int bound = from + F.loopBound(to - from);
            for (int i = from; i < bound; i += L) add(i, VectorMath.sigmoid(load(inp, xi + i).neg()));
            return bound;
        }

        int abs(int from, int to) { // sign(x), 0 at 0
            int bound = from + F.loopBound(to - from);
            FloatVector zero = FloatVector.zero(F), one = FloatVector.broadcast(F, 1f), minusOne = one.neg();
            for (int i = from; i < bound; i += L) {
                FloatVector x = load(inp, xi + i);
                add(i, zero.blend(one, x.compare(VectorOperators.GT, zero)).blend(minusOne, x.compare(VectorOperators.LT, zero)));
            }
            return bound;
        }

        int scale(float c, int from, int to) { // p for SCALE, 1 for ADD_SCALAR
            int bound = from + F.loopBound(to - from);
            FloatVector pv = FloatVector.broadcast(F, c);
            for (int i = from; i < bound; i += L) add(i, pv);
            return bound;
        }

        int clamp(int from, int to) { // p <= x <= q ? 1 : 0
            int bound = from + F.loopBound(to - from);
            FloatVector zero = FloatVector.zero(F), one = FloatVector.broadcast(F, 1f);
            FloatVector pv = FloatVector.broadcast(F, p), qv = FloatVector.broadcast(F, q);
            for (int i = from; i < bound; i += L) {
                FloatVector x = load(inp, xi + i);
                add(i, zero.blend(one, x.compare(VectorOperators.GE, pv).and(x.compare(VectorOperators.LE, qv))));
            }
            return bound;
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
