package org.rlhf4j.tensor.check;

import java.util.Arrays;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Shape;
import org.rlhf4j.tensor.Tensor;

/**
 * Checks the tape's gradients against central finite differences computed in double precision on an
 * independent double-precision implementation of the same function (the reference), as PyTorch's
 * gradcheck and JAX's check_grads do.
 *
 * <p>1. Run the tape function on float inputs; compare its output with the reference's.
 * 2. Pick output weights w in [-1, 1) from a seeded generator and backpropagate w, so the gradient
 * of the scalar {@code L = sum_k w_k f_k(x)} reaches every input (a random projection of the Jacobian).
 * 3. For every element x_j of every input that requires grad:
 * {@code dL/dx_j ~ (L(x + eps e_j) - L(x - eps e_j)) / (2 eps)}, all in double, on the reference.
 * 4. Fail when {@code |tape - reference| > atol + rtol |reference|}, naming the input and element.
 *
 * <p>Tolerances: PyTorch's gradcheck uses eps 1e-6, atol 1e-5, rtol 1e-3 with everything in double.
 * Here only the reference is double; its finite-difference error is about eps^2 |f'''| / 6 (~1e-13)
 * plus 1e-16 |L| / eps (~1e-9 for |L| &lt; 10), negligible. The tape is float: each rounding costs at
 * most u = 2^-24 ~ 6e-8 relative, and a gradient element summed from k terms carries an error of
 * about k u max|term| in the worst case and sqrt(k) u max|term| typically (rounding errors of
 * independent sign). For the generated cases (k &lt;= 64, terms of size &lt;= ~4) that is &lt;= ~1.5e-5 in
 * the worst case, ~2e-6 typically; measured over ~3000 elements per op, the worst error was 1.2% of
 * {@link Tolerance#FLOAT}, which keeps PyTorch's atol 1e-5 and rtol 1e-3. A wrong derivative (a
 * dropped term, a wrong sign or factor) misses by O(|gradient|) = O(1) for these inputs. Users with
 * long reductions (k in the thousands) should widen atol in proportion to k u max|term|.
 * The forward pass is compared with the same tolerance.
 */
public final class GradCheck {

    /** Step of the central differences, as PyTorch's gradcheck. */
    public static final double EPS = 1e-6;

    /** An element passes when {@code |actual - expected| <= atol + rtol |expected|}. */
    public record Tolerance(double atol, double rtol) {
        /** For float tapes against a double reference: PyTorch's atol 1e-5, rtol 1e-3 (see the class comment). */
        public static final Tolerance FLOAT = new Tolerance(1e-5, 1e-3);

        public Tolerance {
            if (!(atol >= 0 && rtol >= 0)) {
                throw new IllegalArgumentException("tolerances must be >= 0, got atol " + atol + ", rtol " + rtol);
            }
        }

        boolean accepts(double actual, double expected) {
            return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
        }
    }

    /** The function under test, on tensors (it may build any graph). */
    @FunctionalInterface
    public interface TapeFunction {
        Tensor apply(Tensor... inputs);
    }

    /** The same function in double precision, over row-major flat arrays; returns the flat output. */
    @FunctionalInterface
    public interface ReferenceFunction {
        double[] apply(double[]... inputs);
    }

    /** What a passing check measured: the largest errors, as a fraction of the tolerance (&lt;= 1). */
    public record Report(String name, int elementsChecked, double worstGradient, double worstForward) { }

    private GradCheck() {
    }

    /**
     * Runs the check with {@link Tolerance#FLOAT}. {@code inputs} are leaves; those with requiresGrad
     * are checked (their gradients are zeroed first).
     *
     * @throws AssertionError naming the input and element that failed
     */
    public static Report check(String name, TapeFunction tape, ReferenceFunction reference, long seed, Tensor... inputs) {
        return check(name, tape, reference, Tolerance.FLOAT, seed, inputs);
    }

    /** As {@link #check(String, TapeFunction, ReferenceFunction, long, Tensor...)} with given tolerances. */
    public static Report check(String name, TapeFunction tape, ReferenceFunction reference, Tolerance tol,
                               long seed, Tensor... inputs) {
        double[][] x = new double[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            x[i] = toDouble(inputs[i].toArray());
            inputs[i].zeroGrad();
        }
        // 1. forward, float tape against double reference
        Tensor out = tape.apply(inputs);
        double[] expected = reference.apply(copy(x));
        if (expected.length != out.size()) {
            throw new AssertionError(name + ": tape output " + out.shape() + " has " + out.size()
                    + " elements, the reference " + expected.length);
        }
        double worstForward = 0;
        float[] y = out.toArray();
        for (int k = 0; k < y.length; k++) {
            worstForward = Math.max(worstForward, ratio(y[k], expected[k], tol));
            if (!tol.accepts(y[k], expected[k])) {
                throw new AssertionError(name + ": forward element " + k + " of " + out.shape() + " is " + y[k]
                        + ", the double reference " + expected[k] + " (tolerance " + tol + ")");
            }
        }
        // 2. backpropagate random output weights w
        Generator gen = new Generator(seed);
        float[] w = new float[out.size()];
        for (int k = 0; k < w.length; k++) {
            w[k] = 2f * gen.nextUniform() - 1f;
        }
        if (out.requiresGrad()) {
            out.backward(Tensor.of(w, out.shape()));
        }
        double[] wd = toDouble(w);
        // 3. central differences of L = sum_k w_k f_k(x) in double, input by input, element by element
        double worstGradient = 0;
        int checked = 0;
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].requiresGrad()) {
                continue;
            }
            Tensor g = inputs[i].grad();
            float[] tapeGrad = g == null ? new float[inputs[i].size()] : g.toArray();
            for (int j = 0; j < x[i].length; j++) {
                double saved = x[i][j];
                x[i][j] = saved + EPS;
                double plus = dot(wd, reference.apply(copy(x)));
                x[i][j] = saved - EPS;
                double minus = dot(wd, reference.apply(copy(x)));
                x[i][j] = saved;
                double fd = (plus - minus) / (2 * EPS);
                worstGradient = Math.max(worstGradient, ratio(tapeGrad[j], fd, tol));
                checked++;
                // 4. compare
                if (!tol.accepts(tapeGrad[j], fd)) {
                    throw new AssertionError(name + ": gradient of input " + i + " " + inputs[i].shape() + " at "
                            + Arrays.toString(index(inputs[i].shape(), j)) + " is " + tapeGrad[j]
                            + " on the tape, " + fd + " by double finite differences (tolerance " + tol + ")");
                }
            }
        }
        return new Report(name, checked, worstGradient, worstForward);
    }

    /**
     * The JAX-style check for functions too large for one difference per element: for
     * {@code directions} random directions v (entries in [-1, 1) from {@code seed}), the tape's
     * directional derivative {@code sum_i <grad_i, v_i>} against the double central difference
     * {@code (L(x + eps v) - L(x - eps v)) / (2 eps)} on the reference, L as in
     * {@link #check(String, TapeFunction, ReferenceFunction, Tolerance, long, Tensor...)}. The tolerance's
     * atol is scaled by the number of elements summed (each contributes its own rounding).
     *
     * @throws AssertionError naming the direction that failed
     */
    public static Report checkDirections(String name, TapeFunction tape, ReferenceFunction reference, Tolerance tol,
                                         long seed, int directions, Tensor... inputs) {
        double[][] x = new double[inputs.length][];
        int elements = 0;
        for (int i = 0; i < inputs.length; i++) {
            x[i] = toDouble(inputs[i].toArray());
            inputs[i].zeroGrad();
            elements += inputs[i].requiresGrad() ? x[i].length : 0;
        }
        Tensor out = tape.apply(inputs);
        Generator gen = new Generator(seed);
        float[] w = new float[out.size()];
        for (int k = 0; k < w.length; k++) {
            w[k] = 2f * gen.nextUniform() - 1f;
        }
        if (out.requiresGrad()) {
            out.backward(Tensor.of(w, out.shape()));
        }
        double[] wd = toDouble(w);
        Tolerance scaled = new Tolerance(tol.atol() * Math.max(1, elements), tol.rtol());
        double worst = 0;
        for (int d = 0; d < directions; d++) {
            double[][] v = new double[inputs.length][];
            double tapeDot = 0;
            for (int i = 0; i < inputs.length; i++) {
                v[i] = new double[x[i].length];
                Tensor g = inputs[i].grad();
                float[] grad = g == null ? new float[x[i].length] : g.toArray();
                for (int j = 0; inputs[i].requiresGrad() && j < v[i].length; j++) {
                    v[i][j] = 2.0 * gen.nextUniform() - 1.0;
                    tapeDot += grad[j] * v[i][j];
                }
            }
            double plus = dot(wd, reference.apply(shifted(x, v, EPS)));
            double minus = dot(wd, reference.apply(shifted(x, v, -EPS)));
            double fd = (plus - minus) / (2 * EPS);
            worst = Math.max(worst, ratio(tapeDot, fd, scaled));
            if (!scaled.accepts(tapeDot, fd)) {
                throw new AssertionError(name + ": directional derivative " + d + " is " + tapeDot + " on the tape, "
                        + fd + " by double finite differences (tolerance " + scaled + ")");
            }
        }
        return new Report(name, directions, worst, 0);
    }

    /** x + step * v, elementwise, as a new array. */
    private static double[][] shifted(double[][] x, double[][] v, double step) {
        double[][] c = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            c[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                c[i][j] = x[i][j] + step * v[i][j];
            }
        }
        return c;
    }

    /** |actual - expected| as a fraction of the tolerance at expected. */
    private static double ratio(double actual, double expected, Tolerance tol) {
        return Math.abs(actual - expected) / (tol.atol() + tol.rtol() * Math.abs(expected));
    }

    private static double dot(double[] w, double[] f) {
        double s = 0;
        for (int k = 0; k < w.length; k++) {
            s += w[k] * f[k];
        }
        return s;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** A deep copy, so that a reference that writes into its inputs cannot disturb the check. */
    private static double[][] copy(double[][] x) {
        double[][] c = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            c[i] = x[i].clone();
        }
        return c;
    }

    /** The multi-index of flat element j of shape. */
    private static int[] index(Shape shape, int j) {
        int[] idx = new int[shape.rank()];
        for (int d = shape.rank() - 1; d >= 0; d--) {
            idx[d] = j % shape.dim(d);
            j /= shape.dim(d);
        }
        return idx;
    }
}
