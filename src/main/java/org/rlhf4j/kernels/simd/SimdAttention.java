package org.rlhf4j.kernels.simd;

import static org.rlhf4j.kernels.simd.Lanes.F;
import static org.rlhf4j.kernels.simd.Lanes.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import org.rlhf4j.kernels.Parallel;

/**
 * Kernels.attentionForward and attentionBackward, one head at a time, fused: a head's q, k and v are
 * read straight from the (B, T, 3C) projection and its output written straight into (B, T, C), so no
 * permuted copy of the heads is made, and the products skip the causal mask's zeros: a score row t
 * is computed for keys 0..t only, and each product with P or dS runs over the triangle that is not 0.
 *
 * <p>Same bits as the default composition on SimdKernels (the batched SimdMatmul, SimdSoftmax):
 * every product element is one chain of fused multiply-adds from 0 in increasing order of the summed
 * index, as SimdMatmul computes it; the terms left out are the ones whose factor is an exact 0 from
 * the mask, and adding 0 x (finite) to a chain that starts at +0 changes no bit. The softmax rows
 * are SimdSoftmax's own. (With an infinite or NaN q, k or v the composition would turn 0 x inf into
 * NaN where this gives a number; the scores are finite for any finite model.)
 *
 * <p>Threads: heads are independent and split over the pool; each head runs on one thread.
 */
final class SimdAttention {

    private static final Parallel SEQUENTIAL = Parallel.sequential();

    private SimdAttention() {
    }

    /** Whether the fused kernels handle this head size: whole vectors per row. */
    static boolean supports(int HS) {
        return HS > 0 && HS % L == 0;
    }

    static void forward(Parallel parallel, float[] out, int outOff, float[] probs, int probsOff,
                        float[] qkv, int qkvOff, int B, int T, int NH, int HS, float scale) {
        int C = NH * HS;
        parallel.forRange(B * NH, 1, (h0, h1) -> {
            Head w = new Head(T, HS);
            for (int bh = h0; bh < h1; bh++) {
                int b = bh / NH, base = qkvOff + b * T * 3 * C + (bh % NH) * HS, po = probsOff + bh * T * T;
                w.gather(qkv, base, 3 * C, C, scale, T, HS);
                scores(w.q, w.kT, w.s, T, HS, w.tp);                        // (q * scale) k^T, rows 0..t
                for (int t = 0; t < T; t++) {                                 // row t sees keys 0..t
                    SimdSoftmax.causalSoftmaxForward(SEQUENTIAL, probs, po + t * T, w.s, t * w.tp, 1, 1, T, t);
                }
                combine(probs, po, T, 1, w.v, w.y, true, T, HS);            // P v
                int oo = outOff + b * T * C + (bh % NH) * HS;
                for (int t = 0; t < T; t++) {
                    System.arraycopy(w.y, t * HS, out, oo + t * C, HS);
                }
            }
        });
    }

    static void backward(Parallel parallel, float[] dqkv, int dqkvOff, float[] dout, int doutOff, float[] probs,
                         int probsOff, float[] qkv, int qkvOff, int B, int T, int NH, int HS, float scale) {
        int C = NH * HS;
        parallel.forRange(B * NH, 1, (h0, h1) -> {
            Head w = new Head(T, HS);
            for (int bh = h0; bh < h1; bh++) {
                int b = bh / NH, h = bh % NH, base = qkvOff + b * T * 3 * C + h * HS, po = probsOff + bh * T * T;
                w.gather(qkv, base, 3 * C, C, scale, T, HS);
                int go = doutOff + b * T * C + h * HS;
                for (int t = 0; t < T; t++) {
                    System.arraycopy(dout, go + t * C, w.dy, t * HS, HS);
                }
                // dP = dY v^T: scores() computes a b^T from a and b transposed
                transpose(w.v, w.vT, T, HS, w.tp);
                scores(w.dy, w.vT, w.s, T, HS, w.tp);
                java.util.Arrays.fill(w.ds, 0f);
                for (int t = 0; t < T; t++) {
                    // entries past the visible ones meet P = 0 in the softmax's backward: make them 0, not stale
                    java.util.Arrays.fill(w.s, t * w.tp + Math.min(T, roundUp(t + 1)), (t + 1) * w.tp, 0f);
                    SimdSoftmax.softmaxBackward(SEQUENTIAL, w.ds, t * T, w.s, t * w.tp, probs, po + t * T, 1, T);
                }
                combine(probs, po, 1, T, w.dy, w.y, false, T, HS);           // dv = P^T dY
                int dvo = dqkvOff + b * T * 3 * C + 2 * C + h * HS;
                addRows(dqkv, dvo, 3 * C, w.y, 1f, false, T, HS);
                combine(w.ds, 0, T, 1, w.k, w.y, true, T, HS);                // dq' = dS k, then dq = dq' scale
                addRows(dqkv, dqkvOff + b * T * 3 * C + h * HS, 3 * C, w.y, scale, true, T, HS);
                combine(w.ds, 0, 1, T, w.q, w.y, false, T, HS);               // dk = dS^T (q scale)
                addRows(dqkv, dqkvOff + b * T * 3 * C + C + h * HS, 3 * C, w.y, 1f, false, T, HS);
            }
        });
    }

    /** One thread's scratch for one head at a time. */
    private static final class Head {
        final int tp;                       // T rounded up to whole vectors: the row stride of the score rows
        final float[] q, k, v, y, dy;       // (T, HS) each: q already scaled
        final float[] kT, vT;               // (HS, tp): transposed, zero padded
        final float[] s, ds;                // (T, tp) scores or dP; (T, T) dS

        Head(int T, int HS) {
            tp = roundUp(T);
            q = new float[T * HS];
            k = new float[T * HS];
            v = new float[T * HS];
            y = new float[T * HS];
            dy = new float[T * HS];
            kT = new float[HS * tp];
            vT = new float[HS * tp];
            s = new float[T * tp];
            ds = new float[T * T];
        }

        /** q = q_head * scale (the reference's SCALE: one rounded product), k, v and k transposed. */
        void gather(float[] qkv, int base, int ld, int C, float scale, int T, int HS) {
            FloatVector sv = FloatVector.broadcast(F, scale);
            for (int t = 0; t < T; t++) {
                int row = base + t * ld;
                for (int d = 0; d < HS; d += L) {
                    FloatVector.fromArray(F, qkv, row + d).mul(sv).intoArray(q, t * HS + d);
                }
                System.arraycopy(qkv, row + C, k, t * HS, HS);
                System.arraycopy(qkv, row + 2 * C, v, t * HS, HS);
            }
            transpose(k, kT, T, HS, tp);
        }
    }

    private static int roundUp(int n) {
        return (n + L - 1) / L * L;
    }

    /** mT[d * tp + t] = m[t * HS + d]; the padding columns t >= T stay 0. */
    private static void transpose(float[] m, float[] mT, int T, int HS, int tp) {
        for (int d = 0; d < HS; d++) {
            for (int t = 0; t < T; t++) {
                mT[d * tp + t] = m[t * HS + d];
            }
        }
    }

    /**
     * out[t, j] = sum_d a[t, d] bT[d, j] (one fma chain over d from 0) for the vectors of j that
     * cover 0..t (a group of rows takes the vectors of its last row); out has row stride tp. Four rows
     * and two vectors at a time: eight independent chains, enough to hide the fma latency.
     */
    private static void scores(float[] a, float[] bT, float[] out, int T, int HS, int tp) {
        int t = 0;
        for (; t + 3 < T; t += 4) {
            int jEnd = Math.min(tp, roundUp(t + 4)), j = 0;
            for (; j + 2 * L <= jEnd; j += 2 * L) {
                FloatVector c00 = FloatVector.zero(F), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
                for (int d = 0; d < HS; d++) {
                    FloatVector b0 = FloatVector.fromArray(F, bT, d * tp + j), b1 = FloatVector.fromArray(F, bT, d * tp + j + L);
                    FloatVector x0 = FloatVector.broadcast(F, a[t * HS + d]), x1 = FloatVector.broadcast(F, a[(t + 1) * HS + d]);
                    FloatVector x2 = FloatVector.broadcast(F, a[(t + 2) * HS + d]), x3 = FloatVector.broadcast(F, a[(t + 3) * HS + d]);
                    c00 = x0.fma(b0, c00);
                    c01 = x0.fma(b1, c01);
                    c10 = x1.fma(b0, c10);
                    c11 = x1.fma(b1, c11);
                    c20 = x2.fma(b0, c20);
                    c21 = x2.fma(b1, c21);
                    c30 = x3.fma(b0, c30);
                    c31 = x3.fma(b1, c31);
                }
                c00.intoArray(out, t * tp + j);
                c01.intoArray(out, t * tp + j + L);
                c10.intoArray(out, (t + 1) * tp + j);
                c11.intoArray(out, (t + 1) * tp + j + L);
                c20.intoArray(out, (t + 2) * tp + j);
                c21.intoArray(out, (t + 2) * tp + j + L);
                c30.intoArray(out, (t + 3) * tp + j);
                c31.intoArray(out, (t + 3) * tp + j + L);
            }
            for (; j < jEnd; j += L) {
                FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
                for (int d = 0; d < HS; d++) {
                    FloatVector b0 = FloatVector.fromArray(F, bT, d * tp + j);
                    c0 = FloatVector.broadcast(F, a[t * HS + d]).fma(b0, c0);
                    c1 = FloatVector.broadcast(F, a[(t + 1) * HS + d]).fma(b0, c1);
                    c2 = FloatVector.broadcast(F, a[(t + 2) * HS + d]).fma(b0, c2);
                    c3 = FloatVector.broadcast(F, a[(t + 3) * HS + d]).fma(b0, c3);
                }
                c0.intoArray(out, t * tp + j);
                c1.intoArray(out, (t + 1) * tp + j);
                c2.intoArray(out, (t + 2) * tp + j);
                c3.intoArray(out, (t + 3) * tp + j);
            }
        }
        for (; t < T; t++) {
            for (int j = 0; j < roundUp(t + 1); j += L) {
                FloatVector c0 = FloatVector.zero(F);
                for (int d = 0; d < HS; d++) {
                    c0 = FloatVector.broadcast(F, a[t * HS + d]).fma(FloatVector.fromArray(F, bT, d * tp + j), c0);
                }
                c0.intoArray(out, t * tp + j);
            }
        }
    }

    /**
     * out[r, :] = sum_u coef[co + r*rs + u*us] m[u, :] over u in 0..r ({@code lower}) or r..T-1, one fma
     * chain per element in increasing u from 0; m and out are (T, HS). Two output rows at a time, which
     * share the loads of m. (Four rows and two vectors, as in scores, ran twice as slow here on JDK 17:
     * the eight accumulators live across three loops.)
     */
    private static void combine(float[] coef, int co, int rs, int us, float[] m, float[] out, boolean lower,
                                int T, int HS) {
        int r = 0;
        for (; r + 1 < T; r += 2) {
            for (int d = 0; d < HS; d += L) {
                FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
                int c0 = co + r * rs, c1 = c0 + rs;
                if (lower) {                 // rows r, r+1: u in 0..r for both, then u = r+1 for row r+1
                    for (int u = 0; u <= r; u++) {
                        FloatVector mv = FloatVector.fromArray(F, m, u * HS + d);
                        a0 = FloatVector.broadcast(F, coef[c0 + u * us]).fma(mv, a0);
                        a1 = FloatVector.broadcast(F, coef[c1 + u * us]).fma(mv, a1);
                    }
                    a1 = FloatVector.broadcast(F, coef[c1 + (r + 1) * us]).fma(FloatVector.fromArray(F, m, (r + 1) * HS + d), a1);
                } else {                     // u = r for row r first, then r+1..T-1 for both
                    a0 = FloatVector.broadcast(F, coef[c0 + r * us]).fma(FloatVector.fromArray(F, m, r * HS + d), a0);
                    for (int u = r + 1; u < T; u++) {
                        FloatVector mv = FloatVector.fromArray(F, m, u * HS + d);
                        a0 = FloatVector.broadcast(F, coef[c0 + u * us]).fma(mv, a0);
                        a1 = FloatVector.broadcast(F, coef[c1 + u * us]).fma(mv, a1);
                    }
                }
                a0.intoArray(out, r * HS + d);
                a1.intoArray(out, (r + 1) * HS + d);
            }
        }
        for (; r < T; r++) {
            int from = lower ? 0 : r, to = lower ? r + 1 : T;
            for (int d = 0; d < HS; d += L) {
                FloatVector a0 = FloatVector.zero(F);
                for (int u = from; u < to; u++) {
                    a0 = FloatVector.broadcast(F, coef[co + r * rs + u * us]).fma(FloatVector.fromArray(F, m, u * HS + d), a0);
                }
                a0.intoArray(out, r * HS + d);
            }
        }
    }

    /** dst[o + t*ld + d] += src[t, d] (times c first when scaled: one rounded product, as SCALE). */
    private static void addRows(float[] dst, int o, int ld, float[] src, float c, boolean scaled, int T, int HS) {
        FloatVector cv = FloatVector.broadcast(F, c);
        for (int t = 0; t < T; t++) {
            for (int d = 0; d < HS; d += L) {
                FloatVector g = FloatVector.fromArray(F, src, t * HS + d);
                if (scaled) {
                    g = g.mul(cv);
                }
                FloatVector.fromArray(F, dst, o + t * ld + d).add(g).intoArray(dst, o + t * ld + d);
            }
        }
    }
}
