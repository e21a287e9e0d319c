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
        // One small loop method per op, each behind its own lambda handed straight to forRange, so
        // that C2 compiles each op's loop as a root of its own: code that inlines the loops of
        // several ops outgrows C2's inlining budget (NodeCountInliningCutoff), and a vector that
        // crosses a call C2 did not inline is boxed on the heap, ten times slower. (A shared
        // wrapper lambda between forRange and the ops did that on JDK 17: GELU ran at 6 GB/s
        // instead of 16 after EXP had run.)
        int chunks = Lanes.chunks(n), grain = Lanes.CHUNK_GRAIN;
        switch (op) {
            case NEG: parallel.forRange(chunks, grain, (c0, c1) -> neg(out, outOff, in, inOff, c0, c1, n)); break;
            case EXP: parallel.forRange(chunks, grain, (c0, c1) -> exp(out, outOff, in, inOff, c0, c1, n)); break;
            case SIGMOID: parallel.forRange(chunks, grain, (c0, c1) -> sigmoid(out, outOff, in, inOff, c0, c1, n)); break;
            case RELU: parallel.forRange(chunks, grain, (c0, c1) -> relu(out, outOff, in, inOff, c0, c1, n)); break;
            case GELU: parallel.forRange(chunks, grain, (c0, c1) -> gelu(out, outOff, in, inOff, c0, c1, n)); break;
            case SQRT: parallel.forRange(chunks, grain, (c0, c1) -> sqrt(out, outOff, in, inOff, c0, c1, n)); break;
            case ABS: parallel.forRange(chunks, grain, (c0, c1) -> abs(out, outOff, in, inOff, c0, c1, n)); break;
            case SCALE: parallel.forRange(chunks, grain, (c0, c1) -> scale(out, outOff, in, inOff, p, c0, c1, n)); break;
            case ADD_SCALAR: parallel.forRange(chunks, grain, (c0, c1) -> addScalar(out, outOff, in, inOff, p, c0, c1, n)); break;
            case CLAMP: parallel.forRange(chunks, grain, (c0, c1) -> clamp(out, outOff, in, inOff, p, q, c0, c1, n)); break;
            default: // LOG, TANH, LOG_SIGMOID, POW_SCALAR: see the class comment
                parallel.forRange(chunks, grain, (c0, c1) -> tail(op, p, q, out, outOff, in, inOff, Lanes.start(c0), Lanes.end(c1, n)));
        }
    }

    /** out[i] = f(in[i]) for i in [from, to) by the reference's scalar code: the tail after the vectors. */
    private static void tail(Unary op, float p, float q, float[] out, int oo, float[] in, int io, int from, int to) {
        for (int i = from; i < to; i++) {
            out[oo + i] = ScalarMath.unary(op, p, q, in[io + i]);
        }
    }

    private static void neg(float[] out, int oo, float[] in, int io, int c0, int c1, int n) {
        int from = Lanes.start(c0), to = Lanes.end(c1, n), bound = from + F.loopBound(to - from);
        for (int i = from; i < bound; i += L) load(in, io + i).neg().intoArray(out, oo + i);
        tail(Unary.NEG, 0f, 0f, out, oo, in, io, bound, to);
    }

    private static void exp(float[] out, int oo, float[] in, int io, int c0, int c1, int n) {
        int from = Lanes.start(c0), to = Lanes.end(c1, n), bound = from + F.loopBound(to - from);
        for (int i = from; i < bound; i += L) VectorMath.exp(load(in, io + i)).intoArray(out, oo + i);
        tail(Unary.EXP, 0f, 0f, out, oo, in, io, bound, to);
    }

    private static void sigmoid(float[] out, int oo, float[] in, int io, int c0, int c1, int n) {
        int from = Lanes.start(c0), to = Lanes.end(c1, n), bound = from + F.loopBound(to - from);
        for (int i = from; i < bound; i += L) VectorMath.sigmoid(load(in, io + i)).intoArray(out, oo + i);
        tail(Unary.SIGMOID, 0f, 0f, out, oo, in, io, bound, to);
    }

    /** x <= 0 ? 0 : x, so NaN stays NaN. */
    private static void relu(float[] out, int oo, float[] in, int io, int c0, int c1, int n) {
        int from = Lanes.start(c0), to = Lanes.end(c1, n), bound = from + F.loopBound(to - from);
        FloatVector zero = FloatVector.zero(F);
        for (int i = from; i < bound; i += L) {
            FloatVector x = load(in, io + i);
            x.blend(zero, x.compare(VectorOperators.LE, zero)).intoArray(out, oo + i);
        }
        tail(Unary.RELU, 0f, 0f, out, oo, in, io, bound, to);
    }

    /** GELU and its derivative go through VectorMath in blocks of this many elements (a multiple of L). */
    private static final int GELU_BLOCK = 256;

    private static void gelu(float[] out, int oo, float[] in, int io, int c0, int c1, int n) {
        int from = Lanes.start(c0), to = Lanes.end(c1, n), bound = from + F.loopBound(to - from);
        float[] e = new float[GELU_BLOCK];
        for (int b = from; b < bound; b += GELU_BLOCK) {
            VectorMath.gelu(in, io + b, e, out, oo + b, Math.min(GELU_BLOCK, bound - b));
        }
        tail(Unary.GELU, 0f, 0f, out, oo, in, io, bound, to);
    }

    private static void sqrt(float[] out, int oo, float[] in, int io, int c0, int c1, int n) {
        int from = Lanes.start(c0), to = Lanes.end(c1, n), bound = from + F.loopBound(to - from);
        for (int i = from; i < bound; i += L) load(in, io + i).lanewise(VectorOperators.SQRT).intoArray(out, oo + i);
        tail(Unary.SQRT, 0f, 0f, out, oo, in, io, bound, to);
    }

    private static void abs(float[] out, int oo, float[] in, int io, int c0, int c1, int n) {
        int from = Lanes.start(c0), to = Lanes.end(c1, n), bound = from + F.loopBound(to - from);
        for (int i = from; i < bound; i += L) load(in, io + i).abs().intoArray(out, oo + i);
        tail(Unary.ABS, 0f, 0f, out, oo, in, io, bound, to);
    }

    private static void scale(float[] out, int oo, float[] in, int io, float p, int c0, int c1, int n) {
        int from = Lanes.start(c0), to = Lanes.end(c1, n), bound = from + F.loopBound(to - from);
        FloatVector pv = FloatVector.broadcast(F, p);
        for (int i = from; i < bound; i += L) load(in, io + i).mul(pv).intoArray(out, oo + i);
        tail(Unary.SCALE, p, 0f, out, oo, in, io, bound, to);
    }

    private static void addScalar(float[] out, int oo, float[] in, int io, float p, int c0, int c1, int n) {
        int from = Lanes.start(c0), to = Lanes.end(c1, n), bound = from + F.loopBound(to - from);
        FloatVector pv = FloatVector.broadcast(F, p);
        for (int i = from; i < bound; i += L) load(in, io + i).add(pv).intoArray(out, oo + i);
        tail(Unary.ADD_SCALAR, p, 0f, out, oo, in, io, bound, to);
    }

    /** min(max(x, p), q), with Math.max/min's NaN and signed-zero rules. */
    private static void clamp(float[] out, int oo, float[] in, int io, float p, float q, int c0, int c1, int n) {
        int from = Lanes.start(c0), to = Lanes.end(c1, n), bound = from + F.loopBound(to - from);
        FloatVector pv = FloatVector.broadcast(F, p), qv = FloatVector.broadcast(F, q);
        for (int i = from; i < bound; i += L) load(in, io + i).max(pv).min(qv).intoArray(out, oo + i);
        tail(Unary.CLAMP, p, q, out, oo, in, io, bound, to);
    }

    /**
     * dinp += dout * f'(inp), as dinp + (dout * d) like the reference (no fused multiply-add); d is
     * computed with the reference's float operations, except for GELU and LOG_SIGMOID.
     */
    static void unaryBackward(Parallel parallel, Unary op, float p, float q, float[] dinp, int dinpOff,
                              float[] dout, int doutOff, float[] inp, int inpOff, float[] out, int outOff, int n) {
        Grad g = new Grad(op, p, q, dinp, dinpOff, dout, doutOff, inp, inpOff, out, outOff);
        int chunks = Lanes.chunks(n), grain = Lanes.CHUNK_GRAIN;
        switch (op) { // one lambda and one small loop method per op, as in unary
            case NEG: parallel.forRange(chunks, grain, (c0, c1) -> g.neg(c0, c1, n)); break;
            case EXP: parallel.forRange(chunks, grain, (c0, c1) -> g.exp(c0, c1, n)); break;
            case LOG: parallel.forRange(chunks, grain, (c0, c1) -> g.log(c0, c1, n)); break;
            case TANH: parallel.forRange(chunks, grain, (c0, c1) -> g.tanh(c0, c1, n)); break;
            case SIGMOID: parallel.forRange(chunks, grain, (c0, c1) -> g.sigmoid(c0, c1, n)); break;
            case RELU: parallel.forRange(chunks, grain, (c0, c1) -> g.relu(c0, c1, n)); break;
            case GELU: parallel.forRange(chunks, grain, (c0, c1) -> g.gelu(c0, c1, n)); break;
            case SQRT: parallel.forRange(chunks, grain, (c0, c1) -> g.sqrt(c0, c1, n)); break;
            case LOG_SIGMOID: parallel.forRange(chunks, grain, (c0, c1) -> g.logSigmoid(c0, c1, n)); break;
            case ABS: parallel.forRange(chunks, grain, (c0, c1) -> g.abs(c0, c1, n)); break;
            case SCALE: parallel.forRange(chunks, grain, (c0, c1) -> g.scale(p, c0, c1, n)); break;
            case ADD_SCALAR: parallel.forRange(chunks, grain, (c0, c1) -> g.scale(1f, c0, c1, n)); break;
            case CLAMP: parallel.forRange(chunks, grain, (c0, c1) -> g.clamp(c0, c1, n)); break;
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

        void neg(int c0, int c1, int n) {
            int from = Lanes.start(c0), to = Lanes.end(c1, n), bound = from + F.loopBound(to - from);
            for (int i = from; i < bound; i += L) load(dinp, di + i).add(load(dout, gi + i).neg()).intoArray(dinp, di + i);
            tail(bound, to);
        }

        void exp(int c0, int c1, int n) {
            int from = Lanes.start(c0), to = Lanes.end(c1, n), bound = from + F.loopBound(to - from);
            for (int i = from; i < bound; i += L) add(i, load(out, yi + i));
            tail(bound, to);
        }

        void log(int c0, int c1, int n) { // 1 / x
            int from = Lanes.start(c0), to = Lanes.end(c1, n), bound = from + F.loopBound(to - from);
            FloatVector one = FloatVector.broadcast(F, 1f);
            for (int i = from; i < bound; i += L) add(i, one.div(load(inp, xi + i)));
            tail(bound, to);
        }

        void tanh(int c0, int c1, int n) { // 1 - y^2
            int from = Lanes.start(c0), to = Lanes.end(c1, n), bound = from + F.loopBound(to - from);
            FloatVector one = FloatVector.broadcast(F, 1f);
            for (int i = from; i < bound; i += L) {
                FloatVector y = load(out, yi + i);
                add(i, one.sub(y.mul(y)));
            }
            tail(bound, to);
        }

        void sigmoid(int c0, int c1, int n) { // y (1 - y)
            int from = Lanes.start(c0), to = Lanes.end(c1, n), bound = from + F.loopBound(to - from);
            FloatVector one = FloatVector.broadcast(F, 1f);
            for (int i = from; i < bound; i += L) {
                FloatVector y = load(out, yi + i);
                add(i, y.mul(one.sub(y)));
            }
            tail(bound, to);
        }

        void relu(int c0, int c1, int n) { // x > 0 ? 1 : 0
            int from = Lanes.start(c0), to = Lanes.end(c1, n), bound = from + F.loopBound(to - from);
            FloatVector zero = FloatVector.zero(F), one = FloatVector.broadcast(F, 1f);
            for (int i = from; i < bound; i += L) add(i, zero.blend(one, load(inp, xi + i).compare(VectorOperators.GT, zero)));
            tail(bound, to);
        }

        void gelu(int c0, int c1, int n) {
            int from = Lanes.start(c0), to = Lanes.end(c1, n), bound = from + F.loopBound(to - from);
            float[] e = new float[GELU_BLOCK];
            for (int b = from; b < bound; b += GELU_BLOCK) {
                VectorMath.geluBackward(inp, xi + b, e, dout, gi + b, dinp, di + b, Math.min(GELU_BLOCK, bound - b));
            }
            tail(bound, to);
        }

        void sqrt(int c0, int c1, int n) { // 0.5 / y
            int from = Lanes.start(c0), to = Lanes.end(c1, n), bound = from + F.loopBound(to - from);
            FloatVector half = FloatVector.broadcast(F, 0.5f);
            for (int i = from; i < bound; i += L) add(i, half.div(load(out, yi + i)));
            tail(bound, to);
        }

        void logSigmoid(int c0, int c1, int n) { // 1 - sigmoid(x) = sigmoid(-x)
            int from = Lanes.start(c0), to = Lanes.end(c1, n), bound = from + F.loopBound(to - from);
            for (int i = from; i < bound; i += L) add(i, VectorMath.sigmoid(load(inp, xi + i).neg()));
            tail(bound, to);
        }

        void abs(int c0, int c1, int n) { // sign(x), 0 at 0
            int from = Lanes.start(c0), to = Lanes.end(c1, n), bound = from + F.loopBound(to - from);
            FloatVector zero = FloatVector.zero(F), one = FloatVector.broadcast(F, 1f), minusOne = one.neg();
            for (int i = from; i < bound; i += L) {
                FloatVector x = load(inp, xi + i);
                add(i, zero.blend(one, x.compare(VectorOperators.GT, zero)).blend(minusOne, x.compare(VectorOperators.LT, zero)));
            }
            tail(bound, to);
        }

        void scale(float c, int c0, int c1, int n) { // p for SCALE, 1 for ADD_SCALAR
            int from = Lanes.start(c0), to = Lanes.end(c1, n), bound = from + F.loopBound(to - from);
            FloatVector pv = FloatVector.broadcast(F, c);
            for (int i = from; i < bound; i += L) add(i, pv);
            tail(bound, to);
        }

        void clamp(int c0, int c1, int n) { // p <= x <= q ? 1 : 0
            int from = Lanes.start(c0), to = Lanes.end(c1, n), bound = from + F.loopBound(to - from);
            FloatVector zero = FloatVector.zero(F), one = FloatVector.broadcast(F, 1f);
            FloatVector pv = FloatVector.broadcast(F, p), qv = FloatVector.broadcast(F, q);
            for (int i = from; i < bound; i += L) {
                FloatVector x = load(inp, xi + i);
                add(i, zero.blend(one, x.compare(VectorOperators.GE, pv).and(x.compare(VectorOperators.LE, qv))));
            }
            tail(bound, to);
        }
    }

    /** dst += alpha * src, unfused like the reference. */
    static void addScaled(Parallel parallel, float[] dst, int dstOff, float[] src, int srcOff, float alpha, int n) {
        parallel.forRange(Lanes.chunks(n), Lanes.CHUNK_GRAIN, (c0, c1) -> {
            int from = Lanes.start(c0), to = Lanes.end(c1, n);
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
        parallel.forRange(Lanes.chunks(n), Lanes.CHUNK_GRAIN, (c0, c1) -> {
            int from = Lanes.start(c0), to = Lanes.end(c1, n);
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
