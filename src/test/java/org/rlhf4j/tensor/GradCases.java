package org.rlhf4j.tensor;

import java.util.Arrays;
import java.util.Random;
import org.rlhf4j.tensor.check.GradCheck.ReferenceFunction;
import org.rlhf4j.tensor.check.GradCheck.TapeFunction;

/**
 * One gradient-check case per {@link Op}: inputs drawn for a generated shape, the op on the tape, and
 * the op in {@link DoubleRef}. Values keep clear of kinks and domain edges (a gap of at least 0.05,
 * far above the finite-difference step 1e-6): relu/abs away from 0, clamp away from its bounds,
 * min/max operands never tied, max over distinct values, log/sqrt/pow bases in [0.3, 3].
 * Kinks themselves are tested against the documented subgradients in KinkTest.
 */
final class GradCases {

    record Case(String name, Tensor[] inputs, TapeFunction tape, ReferenceFunction reference) { }

    private GradCases() {
    }

    /** Ops whose case tolerates a 0 in the generated dims; the others see 0 replaced by 1. */
    private static boolean allowsEmpty(Op op) {
        switch (op) {
            case MEAN: case MAX: case LAYER_NORM: case CUSTOM:
                return false;
            default:
                return true;
        }
    }

    static Case build(Op op, int[] generated, Random rnd) {
        int[] dims = generated.clone();
        for (int i = 0; i < dims.length && !allowsEmpty(op); i++) {
            dims[i] = Math.max(dims[i], 1);
        }
        int n = DoubleRef.size(dims);
        String name = op.label() + " " + Arrays.toString(dims);
        switch (op) {
            case ADD: case SUB: case MUL: case DIV: case MINIMUM: case MAXIMUM: case POW:
                return binary(op, dims, rnd);
            case NEG: case EXP: case LOG: case TANH: case SIGMOID: case RELU: case GELU: case SQRT: case LOG_SIGMOID:
            case ABS: case SCALE: case ADD_SCALAR: case POW_SCALAR: case CLAMP:
                return UnaryCases.build(op, dims, rnd);
            case WHERE: {
                int[] cd = squashed(dims, rnd), ad = squashed(dims, rnd), bd = dims;
                Tensor c = Tensor.of(mask(DoubleRef.size(cd), rnd), cd);
                return new Case(name, leavesOf(values(DoubleRef.size(ad), rnd, -2, 2), ad, values(n, rnd, -2, 2), bd),
                        in -> Tensor.where(c, in[0], in[1]),
                        x -> DoubleRef.where(toDouble(c), cd, x[0], ad, x[1], bd));
            }
            case MASKED_FILL: {
                int[] md = squashed(dims, rnd);
                Tensor m = Tensor.of(mask(DoubleRef.size(md), rnd), md);
                return new Case(name, leaves(values(n, rnd, -2, 2), dims), in -> in[0].maskedFill(m, 3.5f),
                        x -> DoubleRef.where(toDouble(m), md, new double[] {3.5}, new int[0], x[0], dims));
            }
            case DROPOUT: {
                long seed = rnd.nextLong();
                return new Case(name, leaves(values(n, rnd, -2, 2), dims), in -> in[0].dropout(0.3f, seed, true),
                        x -> DoubleRef.dropout(x[0], 0.3f, seed));
            }
            case SUM: case MEAN: case MAX:
                return reduction(op, dims, rnd);
            case MATMUL:
                return MatmulCases.build(dims, rnd);
            case SOFTMAX: case LOG_SOFTMAX: {
                int[] d = dims.length == 0 ? new int[] {3} : dims;
                int cols = d[d.length - 1];
                boolean log = op == Op.LOG_SOFTMAX;
                return new Case(name, leaves(values(DoubleRef.size(d), rnd, -3, 3), d),
                        in -> log ? in[0].logSoftmax() : in[0].softmax(), x -> DoubleRef.softmax(x[0], cols, log));
            }
            case CAUSAL_SOFTMAX: {
                int[] d = dims.length < 2 ? new int[] {2, dims.length == 1 ? Math.max(1, dims[0]) : 3} : dims;
                int offset = rnd.nextInt(3), rows = d[d.length - 2], cols = d[d.length - 1];
                return new Case(name + " offset " + offset, leaves(values(DoubleRef.size(d), rnd, -3, 3), d),
                        in -> in[0].causalSoftmax(offset), x -> DoubleRef.causalSoftmax(x[0], rows, cols, offset));
            }
            case CAUSAL_ATTENTION: {
                // (B, T, 3C) from the drawn dims: B, T from the first two (at least 1), 1 or 2 heads of size 1..4
                int B = dims.length > 0 ? Math.max(1, dims[0]) : 1, T = dims.length > 1 ? Math.max(1, dims[1]) : 3;
                int NH = 1 + rnd.nextInt(2), HS = dims.length > 2 ? Math.max(1, dims[2]) : 2, C = NH * HS;
                return new Case(name + " B=" + B + " T=" + T + " heads=" + NH + " HS=" + HS,
                        leaves(values(B * T * 3 * C, rnd, -2, 2), B, T, 3 * C),
                        in -> in[0].causalAttention(NH), x -> DoubleRef.causalAttention(x[0], B, T, NH, HS));
            }
            case CROSS_ENTROPY: {
                int N = dims.length > 0 ? dims[0] : 3, V = Math.max(1, n / Math.max(1, N));
                int[] t = new int[N];
                boolean allIgnored = rnd.nextInt(8) == 0;
                for (int r = 0; r < N; r++) {
                    t[r] = allIgnored || rnd.nextInt(4) == 0 ? -100 : rnd.nextInt(V);
                }
                return new Case(name + " V=" + V + " targets " + Arrays.toString(t), leaves(values(N * V, rnd, -3, 3), N, V),
                        in -> in[0].crossEntropy(t, -100), x -> new double[] {DoubleRef.crossEntropy(x[0], V, t, -100)});
            }
            case LINEAR_CROSS_ENTROPY: {
                // x (N, C) and w (V, C) from the drawn dims (C at least 1); the logits x w^T as the unfused pair sees them
                int N = dims.length > 0 ? dims[0] : 3, C = dims.length > 1 ? Math.max(1, dims[1]) : 2;
                int V = dims.length > 2 ? Math.max(1, dims[2]) : 1 + rnd.nextInt(5);
                int[] t = new int[N];
                boolean allIgnored = rnd.nextInt(8) == 0;
                for (int r = 0; r < N; r++) {
                    t[r] = allIgnored || rnd.nextInt(4) == 0 ? -100 : rnd.nextInt(V);
                }
                int chunk = new int[] {1, 2, -1}[rnd.nextInt(3)];
                boolean offer = rnd.nextBoolean();
                return new Case(name + " C=" + C + " V=" + V + " chunk " + chunk + (offer ? " kept" : " recomputed")
                        + " targets " + Arrays.toString(t),
                        leavesOf(values(N * C, rnd, -1.5, 1.5), new int[] {N, C}, values(V * C, rnd, -1.5, 1.5),
                                new int[] {V, C}),
                        // chunks of 1 or 2 rows, or the kernels' one chunk (with the logits kept or recomputed)
                        in -> FusedOps.linearCrossEntropy(in[0], in[1], t, -100, chunk, offer),
                        x -> new double[] {DoubleRef.crossEntropy(DoubleRef.matmul(x[0], x[1], 1, N, C, V, false, true,
                                false), V, t, -100)});
            }
            case LAYER_NORM: {
                int[] d = dims.length == 0 ? new int[] {4} : dims;
                int C = d[d.length - 1];
                float[] xv = values(DoubleRef.size(d), rnd, -0.5, 0.5);
                for (int i = 0; i < xv.length; i++) {
                    xv[i] += i % 2 == 0 ? 1f : -1f; // neighbours differ by >= 1: the variance is not tiny
                }
                return new Case(name, leavesOf(xv, d, values(C, rnd, 0.5, 1.5), new int[] {C}, values(C, rnd, -1, 1), new int[] {C}),
                        in -> in[0].layerNorm(in[1], in[2], 1e-5f),
                        x -> DoubleRef.layerNorm(x[0], x[1], x[2], C, 1e-5));
            }
            case EMBEDDING: {
                int V = 1 + rnd.nextInt(4), C = dims.length > 0 ? dims[dims.length - 1] : 2;
                int[] idsDims = dims.length > 1 ? Arrays.copyOf(dims, dims.length - 1) : new int[] {3};
                int[] ids = new int[DoubleRef.size(idsDims)];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = rnd.nextInt(V); // repeats are likely: the scatter-add must sum them
                }
                return new Case(name + " ids " + Arrays.toString(ids), leaves(values(V * C, rnd, -2, 2), V, C),
                        in -> in[0].embedding(ids, idsDims), x -> DoubleRef.embedding(x[0], C, ids));
            }
            case RESHAPE: case PERMUTE: case NARROW: case CONCAT: case EXPAND:
                return ViewCases.build(op, dims, rnd);
            case CUSTOM: {
                CustomFunction cube = new CustomFunction("cube") {
                    @Override
                    protected Tensor forward(Tensor... in) {
                        return in[0].mul(in[0]).mul(in[0]);
                    }

                    @Override
                    protected Tensor[] backward(Tensor dy, Tensor... in) {
                        return new Tensor[] {dy.mul(in[0].mul(in[0]).scale(3f))}; // d x^3 = 3 x^2
                    }
                };
                return new Case(name, leaves(values(n, rnd, -2, 2), dims), in -> cube.apply(in[0]),
                        x -> DoubleRef.unary(x[0], v -> v * v * v));
            }
            default:
                throw new AssertionError("no gradient-check case for " + op);
        }
    }

    private static Case binary(Op op, int[] dims, Random rnd) {
        int[] ad = dims, bd = squashed(dims, rnd);
        if (rnd.nextBoolean()) {
            int[] t = ad;
            ad = bd;
            bd = t;
        }
        int na = DoubleRef.size(ad), nb = DoubleRef.size(bd);
        float[] a, b;
        if (op == Op.MINIMUM || op == Op.MAXIMUM) { // a on a grid at .1, b at .35 (mod .5): never within .25
            a = grid(na, rnd, 0.1f);
            b = grid(nb, rnd, 0.35f);
        } else if (op == Op.POW) {
            a = values(na, rnd, 0.3, 3);
            b = values(nb, rnd, -2, 2);
        } else if (op == Op.DIV) {
            a = values(na, rnd, -2, 2);
            b = awayFrom(values(nb, rnd, -2, 2), 0f, 0.5f);
        } else {
            a = values(na, rnd, -2, 2);
            b = values(nb, rnd, -2, 2);
        }
        int[] fa = ad, fb = bd;
        java.util.function.DoubleBinaryOperator f;
        switch (op) {
            case ADD: f = Double::sum; break;
            case SUB: f = (u, v) -> u - v; break;
            case MUL: f = (u, v) -> u * v; break;
            case DIV: f = (u, v) -> u / v; break;
            case MINIMUM: f = Math::min; break;
            case MAXIMUM: f = Math::max; break;
            default: f = Math::pow;
        }
        java.util.function.DoubleBinaryOperator g = f;
        return new Case(op.label() + " " + Arrays.toString(ad) + " " + Arrays.toString(bd), leavesOf(a, ad, b, bd),
                in -> ElementwiseOps.binary(op, in[0], in[1]), x -> DoubleRef.binary(x[0], fa, x[1], fb, g));
    }

    private static Case reduction(Op op, int[] dims, Random rnd) {
        int n = DoubleRef.size(dims);
        float[] v = op == Op.MAX ? distinct(n, rnd) : values(n, rnd, -2, 2);
        int kind = op == Op.SUM ? 0 : op == Op.MEAN ? 1 : 2;
        if (dims.length == 0 || rnd.nextInt(3) == 0) { // over everything
            return new Case(op.label() + " all " + Arrays.toString(dims), leaves(v, dims),
                    in -> op == Op.SUM ? in[0].sum() : op == Op.MEAN ? in[0].mean() : in[0].max(),
                    x -> DoubleRef.reduce(x[0], new int[] {x[0].length}, 0, kind));
        }
        int axis = rnd.nextInt(dims.length);
        boolean keep = rnd.nextBoolean();
        int arg = rnd.nextBoolean() ? axis : axis - dims.length; // negative axes too
        return new Case(op.label() + " axis " + arg + " keepdim " + keep + " " + Arrays.toString(dims), leaves(v, dims),
                in -> op == Op.SUM ? in[0].sum(arg, keep) : op == Op.MEAN ? in[0].mean(arg, keep) : in[0].max(arg, keep),
                x -> DoubleRef.reduce(x[0], dims, axis, kind));
    }

    // ------------------------------------------------------------------------------------------
    // input helpers
    // ------------------------------------------------------------------------------------------

    /** dims with some dimensions set to 1 and possibly some leading ones dropped: broadcasts to dims. */
    static int[] squashed(int[] dims, Random rnd) {
        int drop = dims.length == 0 ? 0 : rnd.nextInt(dims.length + 1);
        int[] d = Arrays.copyOfRange(dims, drop, dims.length);
        for (int i = 0; i < d.length; i++) {
            if (rnd.nextInt(3) == 0) {
                d[i] = 1;
            }
        }
        return d;
    }

    /** Leaves that require grad, from (values, dims) pairs. */
    static Tensor[] leavesOf(Object... valuesAndDims) {
        Tensor[] t = new Tensor[valuesAndDims.length / 2];
        for (int i = 0; i < t.length; i++) {
            Object d = valuesAndDims[2 * i + 1];
            t[i] = Tensor.of((float[]) valuesAndDims[2 * i], (int[]) d).requiresGrad(true);
        }
        return t;
    }

    static Tensor[] leaves(float[] v, int... dims) {
        return new Tensor[] {Tensor.of(v, dims).requiresGrad(true)};
    }

    static float[] values(int n, Random rnd, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
        }
        return v;
    }

    /** Moves every value within gap of kink to kink +- gap-plus-a-bit. */
    static float[] awayFrom(float[] v, float kink, float gap) {
        for (int i = 0; i < v.length; i++) {
            if (Math.abs(v[i] - kink) < gap) {
                v[i] = kink + (v[i] >= kink ? 1 : -1) * (gap + Math.abs(v[i] - kink));
            }
        }
        return v;
    }

    /** k/2 + shift for random k in [-4, 4]: two grids with different shifts never meet. */
    static float[] grid(int n, Random rnd, float shift) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (rnd.nextInt(9) - 4) * 0.5f + shift;
        }
        return v;
    }

    /** n values at least 0.1 apart: a shuffled ladder of step 0.3 with jitter below 0.1. */
    static float[] distinct(int n, Random rnd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i - n / 2f) * 0.3f + (float) (0.1 * rnd.nextDouble());
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return v;
    }

    static float[] mask(int n, Random rnd) {
        float[] m = new float[n];
        for (int i = 0; i < n; i++) {
            m[i] = rnd.nextBoolean() ? 1f : 0f;
        }
        return m;
    }

    static double[] toDouble(Tensor t) {
        float[] f = t.toArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
