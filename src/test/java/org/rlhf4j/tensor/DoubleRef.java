package org.rlhf4j.tensor;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.rlhf4j.kernels.CounterRng;

/**
 * The independent double-precision reference of every tensor op: plain loops over row-major flat
 * arrays, written from the definitions (not from the kernels), used as the oracle of the gradient
 * checks. Shapes are int[]; broadcasting follows numpy, implemented here separately from Shape.
 */
final class DoubleRef {

    private DoubleRef() {
    }

    static int size(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** numpy broadcast of two shapes (assumed compatible). */
    static int[] broadcast(int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.length ? 1 : a[i - (r - a.length)];
            int db = i < r - b.length ? 1 : b[i - (r - b.length)];
            out[i] = Math.max(da, db) == 1 ? Math.min(da, db) : Math.max(da, db);
        }
        return out;
    }

    /** Flat index into x (dims xd) of flat output index k of shape od, broadcasting x. */
    static int source(int k, int[] od, int[] xd) {
        int idx = 0, stride = 1;
        for (int d = od.length - 1; d >= 0; d--) {
            int i = k % od[d];
            k /= od[d];
            int xdim = d - (od.length - xd.length);
            if (xdim >= 0) {
                idx += (xd[xdim] == 1 ? 0 : i) * stride;
                stride *= xd[xdim];
            }
        }
        return idx;
    }

    static double[] binary(double[] a, int[] ad, double[] b, int[] bd, DoubleBinaryOperator f) {
        int[] od = broadcast(ad, bd);
        double[] out = new double[size(od)];
        for (int k = 0; k < out.length; k++) {
            out[k] = f.applyAsDouble(a[source(k, od, ad)], b[source(k, od, bd)]);
        }
        return out;
    }

    static double[] unary(double[] x, DoubleUnaryOperator f) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = f.applyAsDouble(x[i]);
        }
        return out;
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** GPT-2's tanh GELU. */
    static double gelu(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    static double[] where(double[] c, int[] cd, double[] a, int[] ad, double[] b, int[] bd) {
        int[] od = broadcast(broadcast(cd, ad), bd);
        double[] out = new double[size(od)];
        for (int k = 0; k < out.length; k++) {
            out[k] = c[source(k, od, cd)] != 0 ? a[source(k, od, ad)] : b[source(k, od, bd)];
        }
        return out;
    }

    /** Inverted dropout with the mask defined by CounterRng: keep when uniform(seed, i) >= p. */
    static double[] dropout(double[] x, double p, long seed) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = CounterRng.uniform(seed, i) >= p ? x[i] / (1 - p) : 0;
        }
        return out;
    }

    /** Reduce axis of dims with f over (outer, n, inner); kind: 0 sum, 1 mean, 2 max. */
    static double[] reduce(double[] x, int[] dims, int axis, int kind) {
        int outer = 1, inner = 1, n = dims[axis];
        for (int d = 0; d < axis; d++) {
            outer *= dims[d];
        }
        for (int d = axis + 1; d < dims.length; d++) {
            inner *= dims[d];
        }
        double[] out = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double acc = kind == 2 ? Double.NEGATIVE_INFINITY : 0;
                for (int j = 0; j < n; j++) {
                    double v = x[(o * n + j) * inner + i];
                    acc = kind == 2 ? Math.max(acc, v) : acc + v;
                }
                out[o * inner + i] = kind == 1 ? acc / n : acc;
            }
        }
        return out;
    }

    /** Row i of each (rows, cols) matrix: softmax of its first min(cols, offset + i + 1) entries, then zeros. */
    static double[] causalSoftmax(double[] x, int rows, int cols, int offset) {
        double[] out = new double[x.length];
        for (int r = 0; cols > 0 && r < x.length / cols; r++) {
            int n = Math.min(cols, offset + r % rows + 1);
            double[] kept = softmax(Arrays.copyOfRange(x, r * cols, r * cols + n), n, false);
            System.arraycopy(kept, 0, out, r * cols, n);
        }
        return out;
    }

    /**
     * Causal multi-head attention on qkv (B, T, 3, NH, HS), written out in double from the definition:
     * out[b, t, h, :] = sum_{u <= t} softmax_u(q_t . k_u / sqrt(HS)) v_u.
     */
    static double[] causalAttention(double[] qkv, int B, int T, int NH, int HS) {
        int C = NH * HS;
        double[] out = new double[B * T * C];
        double scale = 1.0 / Math.sqrt(HS);
        for (int b = 0; b < B; b++) {
            for (int h = 0; h < NH; h++) {
                for (int t = 0; t < T; t++) {
                    double[] w = new double[t + 1];
                    double m = Double.NEGATIVE_INFINITY, s = 0;
                    for (int u = 0; u <= t; u++) {
                        double dot = 0;
                        for (int d = 0; d < HS; d++) {
                            dot += qkv[(b * T + t) * 3 * C + h * HS + d] * qkv[(b * T + u) * 3 * C + C + h * HS + d];
                        }
                        w[u] = dot * scale;
                        m = Math.max(m, w[u]);
                    }
                    for (int u = 0; u <= t; u++) {
                        w[u] = Math.exp(w[u] - m);
                        s += w[u];
                    }
                    for (int d = 0; d < HS; d++) {
                        double y = 0;
                        for (int u = 0; u <= t; u++) {
                            y += w[u] / s * qkv[(b * T + u) * 3 * C + 2 * C + h * HS + d];
                        }
                        out[(b * T + t) * C + h * HS + d] = y;
                    }
                }
            }
        }
        return out;
    }

    /** Softmax (log = false) or log-softmax of each row of length cols. */
    static double[] softmax(double[] x, int cols, boolean log) {
        double[] out = new double[x.length];
        for (int r = 0; cols > 0 && r < x.length / cols; r++) {
            double m = Double.NEGATIVE_INFINITY, s = 0;
            for (int j = 0; j < cols; j++) {
                m = Math.max(m, x[r * cols + j]);
            }
            for (int j = 0; j < cols; j++) {
                s += Math.exp(x[r * cols + j] - m);
            }
            for (int j = 0; j < cols; j++) {
                double z = x[r * cols + j] - m;
                out[r * cols + j] = log ? z - Math.log(s) : Math.exp(z) / s;
            }
        }
        return out;
    }

    /** Mean over non-ignored rows of -log softmax(x_r)[t_r]; 0 when all are ignored. */
    static double crossEntropy(double[] x, int V, int[] t, int ignore) {
        double[] logp = softmax(x, V, true);
        double sum = 0;
        int count = 0;
        for (int r = 0; r < t.length; r++) {
            if (t[r] != ignore) {
                sum -= logp[r * V + t[r]];
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    static double[] layerNorm(double[] x, double[] w, double[] b, int C, double eps) {
        double[] out = new double[x.length];
        for (int r = 0; r < x.length / C; r++) {
            double mean = 0, var = 0;
            for (int c = 0; c < C; c++) {
                mean += x[r * C + c] / C;
            }
            for (int c = 0; c < C; c++) {
                var += (x[r * C + c] - mean) * (x[r * C + c] - mean) / C;
            }
            for (int c = 0; c < C; c++) {
                out[r * C + c] = (x[r * C + c] - mean) / Math.sqrt(var + eps) * w[c] + b[c];
            }
        }
        return out;
    }

    static double[] embedding(double[] table, int C, int[] ids) {
        double[] out = new double[ids.length * C];
        for (int n = 0; n < ids.length; n++) {
            System.arraycopy(table, ids[n] * C, out, n * C, C);
        }
        return out;
    }

    /** C[b] = op(A[b]) op(B[b]) (B shared when bBatch is false), A stored (M,K) or (K,M), B (K,N) or (N,K). */
    static double[] matmul(double[] a, double[] b, int batch, int M, int K, int N, boolean ta, boolean tb,
                           boolean bBatch) {
        double[] out = new double[batch * M * N];
        for (int t = 0; t < batch; t++) {
            int ao = t * M * K, bo = bBatch ? t * K * N : 0;
            for (int i = 0; i < M; i++) {
                for (int j = 0; j < N; j++) {
                    double s = 0;
                    for (int k = 0; k < K; k++) {
                        s += a[ao + (ta ? k * M + i : i * K + k)] * b[bo + (tb ? j * K + k : k * N + j)];
                    }
                    out[t * M * N + i * N + j] = s;
                }
            }
        }
        return out;
    }

    /** Multi-index of flat k in dims. */
    static int[] index(int k, int[] dims) {
        int[] idx = new int[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            idx[d] = k % dims[d];
            k /= dims[d];
        }
        return idx;
    }

    static int flat(int[] idx, int[] dims) {
        int f = 0;
        for (int d = 0; d < dims.length; d++) {
            f = f * dims[d] + idx[d];
        }
        return f;
    }

    /** out axis d is x axis perm[d]. */
    static double[] permute(double[] x, int[] dims, int[] perm) {
        int[] od = new int[dims.length];
        for (int d = 0; d < dims.length; d++) {
            od[d] = dims[perm[d]];
        }
        double[] out = new double[x.length];
        for (int k = 0; k < out.length; k++) {
            int[] oi = index(k, od), xi = new int[dims.length];
            for (int d = 0; d < dims.length; d++) {
                xi[perm[d]] = oi[d];
            }
            out[k] = x[flat(xi, dims)];
        }
        return out;
    }

    static double[] narrow(double[] x, int[] dims, int axis, int start, int length) {
        int[] od = dims.clone();
        od[axis] = length;
        double[] out = new double[size(od)];
        for (int k = 0; k < out.length; k++) {
            int[] i = index(k, od);
            i[axis] += start;
            out[k] = x[flat(i, dims)];
        }
        return out;
    }

    /** Concatenation of parts (dims partDims[i]) along axis. */
    static double[] concat(double[][] parts, int[][] partDims, int axis) {
        int[] od = partDims[0].clone();
        od[axis] = 0;
        for (int[] pd : partDims) {
            od[axis] += pd[axis];
        }
        double[] out = new double[size(od)];
        for (int k = 0; k < out.length; k++) {
            int[] i = index(k, od);
            int p = 0;
            while (i[axis] >= partDims[p][axis]) {
                i[axis] -= partDims[p][axis];
                p++;
            }
            out[k] = parts[p][flat(i, partDims[p])];
        }
        return out;
    }

    static double[] expand(double[] x, int[] xd, int[] target) {
        double[] out = new double[size(target)];
        for (int k = 0; k < out.length; k++) {
            out[k] = x[source(k, target, xd)];
        }
        return out;
    }
}
