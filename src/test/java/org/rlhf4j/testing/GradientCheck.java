package org.rlhf4j.testing;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;
import org.rlhf4j.nn.Module;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;
import org.rlhf4j.tensor.check.GradCheck;

/**
 * A gradient checker a user points at their own op, loss or module:
 * <pre>
 *   GradientCheck.of(in -&gt; myLoss(in[0], in[1]))
 *           .inputs(Tensor.of(x, 3, 4).requiresGrad(true), Tensor.of(y, 3, 4))
 *           .check();                     // throws AssertionError naming the worst element
 * </pre>
 * It backpropagates random output weights w (so the gradient of the scalar {@code L = sum_k w_k f_k(x)}
 * reaches every input, a random projection of the Jacobian, as {@link GradCheck} does) and compares the
 * tape's gradient with central finite differences of L. Every input that requires grad is checked; the
 * others are constants. Inputs must be contiguous leaves (as {@code Tensor.of} and module parameters are).
 *
 * <p>Two modes, chosen by whether a double-precision reference is given:
 * <ul>
 *   <li>{@link #reference(GradCheck.ReferenceFunction)}: differences in double on the reference, step
 *   {@link GradCheck#EPS}, with PyTorch gradcheck's tolerances (atol 1e-5, rtol 1e-3,
 *   {@link GradCheck.Tolerance#FLOAT}); the forward is compared too. Catches an error of 1%.</li>
 *   <li>no reference: differences of the float function itself, at the step {@code cbrt(u) max(1, |x|)}
 *   (u = 2^-24) that balances truncation against rounding. Its tolerance adds, per element, an estimate of
 *   the difference's own error: the truncation error by Richardson (the gap between the differences at h
 *   and 2h) plus the rounding error {@code 32 u sum_k |w_k f_k| / (2h)}. Default atol 1e-3, rtol 1e-2:
 *   it catches a wrong sign, factor or dropped term, not a 1% slip; give a reference for that.</li>
 * </ul>
 * {@link #directions(int)} switches from one difference per element to JAX's {@code check_grads} style:
 * the directional derivative along n random directions, for modules too large for per-element checks; atol
 * is then scaled by the number of elements summed into each directional derivative.
 */
public final class GradientCheck {

    /** Unit roundoff of float, 2^-24. */
    static final double U = 0x1p-24;

    /** Default tolerance when no double reference is given (see the class comment). */
    public static final GradCheck.Tolerance FLOAT_ONLY = new GradCheck.Tolerance(1e-3, 1e-2);

    /**
     * What a passing check measured.
     *
     * @param name       the name given to the check
     * @param checked    elements (or directions) compared
     * @param worstRatio the largest {@code |tape - differences| / bound} seen (at most 1 when passing)
     * @param worst      where that was, in words
     */
    public record Report(String name, int checked, double worstRatio, String worst) { }

    private final GradCheck.TapeFunction function;
    private Tensor[] inputs = new Tensor[0];
    private GradCheck.ReferenceFunction reference;
    private GradCheck.Tolerance tolerance;
    private long seed = 1;
    private int directions;
    private String name = "function";

    private GradientCheck(GradCheck.TapeFunction function) {
        this.function = Objects.requireNonNull(function, "function");
    }

    /** A check of {@code function}, which may build any graph from its inputs. */
    public static GradientCheck of(GradCheck.TapeFunction function) {
        return new GradientCheck(function);
    }

    /**
     * A check of {@code loss}, which reads {@code module}'s parameters: every parameter is an input, and
     * the check runs JAX-style along 8 random directions unless told otherwise.
     */
    public static GradientCheck ofModule(Module module, Supplier<Tensor> loss) {
        Objects.requireNonNull(loss, "loss");
        return new GradientCheck(in -> loss.get()).name(module.getClass().getSimpleName())
                .inputs(module.parameters().toArray(new Tensor[0])).directions(8);
    }

    /** The leaves passed to the function; those with requiresGrad are checked. */
    public GradientCheck inputs(Tensor... leaves) {
        for (Tensor t : leaves) {
            if (!t.isLeaf()) {
                throw new IllegalArgumentException("inputs must be leaves (Tensor.of(...)), got a computed " + t.shape());
            }
        }
        this.inputs = leaves.clone();
        return this;
    }

    /** A double-precision implementation of the same function over flat row-major arrays (PyTorch tolerances). */
    public GradientCheck reference(GradCheck.ReferenceFunction reference) {
        this.reference = Objects.requireNonNull(reference, "reference");
        return this;
    }

    /** Overrides the mode's default tolerance. */
    public GradientCheck tolerance(double atol, double rtol) {
        this.tolerance = new GradCheck.Tolerance(atol, rtol);
        return this;
    }

    /** The seed of the output weights and directions (default 1). */
    public GradientCheck seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Checks n random directional derivatives instead of every element (0: every element, the default). */
    public GradientCheck directions(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("directions must be >= 0, got " + n);
        }
        this.directions = n;
        return this;
    }

    /** The name used in messages. */
    public GradientCheck name(String name) {
        this.name = Objects.requireNonNull(name, "name");
        return this;
    }

    /**
     * Runs the check.
     *
     * @return what was measured, when every element (or direction) is within tolerance
     * @throws AssertionError naming the worst element, the tape's and the differences' values and the bound,
     *                        and how many failed
     */
    public Report check() {
        GradCheck.Tolerance tol = tolerance != null ? tolerance
                : reference != null ? GradCheck.Tolerance.FLOAT : FLOAT_ONLY;
        for (Tensor t : inputs) {
            t.zeroGrad();
        }
        // 1. forward, against the reference when there is one
        Tensor out = function.apply(inputs);
        if (reference != null) {
            checkForward(out, tol);
        }
        // 2. backpropagate random output weights w
        Generator gen = new Generator(seed);
        double[] w = new double[out.size()];
        float[] wf = new float[w.length];
        for (int k = 0; k < w.length; k++) {
            wf[k] = 2f * gen.nextUniform() - 1f;
            w[k] = wf[k];
        }
        if (out.requiresGrad()) {
            out.backward(Tensor.of(wf, out.dims()));
        }
        float[][] grads = new float[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            Tensor g = inputs[i].grad();
            grads[i] = g == null ? new float[inputs[i].size()] : g.toArray();
        }
        // 3. differences, element by element or along random directions; 4. compare, keeping the worst
        Worst worst = new Worst();
        if (directions == 0) {
            perElement(w, grads, tol, worst);
        } else {
            perDirection(w, grads, tol, gen, worst);
        }
        if (worst.failures > 0) {
            throw new AssertionError(name + ": " + worst.failures + " of " + worst.checked + " gradient "
                    + (directions == 0 ? "elements" : "directions") + " outside tolerance; worst " + worst.where
                    + (reference != null ? " (double reference)" : " (float differences)"));
        }
        return new Report(name, worst.checked, worst.ratio, worst.where);
    }

    private void checkForward(Tensor out, GradCheck.Tolerance tol) {
        double[] expected = reference.apply(doubles());
        float[] y = out.toArray();
        if (expected.length != y.length) {
            throw new AssertionError(name + ": output " + out.shape() + " has " + y.length + " elements, the reference "
                    + expected.length);
        }
        for (int k = 0; k < y.length; k++) {
            double bound = tol.atol() + tol.rtol() * Math.abs(expected[k]);
            if (!(Math.abs(y[k] - expected[k]) <= bound)) {
                throw new AssertionError(name + ": forward element " + k + " of " + out.shape() + " is " + y[k]
                        + ", the double reference " + expected[k] + " (bound " + bound + ")");
            }
        }
    }

    private void perElement(double[] w, float[][] grads, GradCheck.Tolerance tol, Worst worst) {
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].requiresGrad()) {
                continue;
            }
            float[] data = inputs[i].data();
            int off = inputs[i].offset();
            for (int j = 0; j < inputs[i].size(); j++) {
                double fd, slack;
                if (reference != null) {
                    double[][] x = doubles();
                    double saved = x[i][j];
                    x[i][j] = saved + GradCheck.EPS;
                    double plus = dot(w, reference.apply(x));
                    x[i][j] = saved - GradCheck.EPS;
                    double minus = dot(w, reference.apply(x));
                    fd = (plus - minus) / (2 * GradCheck.EPS);           // dL/dx_j, central, in double
                    slack = 0;
                } else {
                    float saved = data[off + j];
                    double h = Math.cbrt(U) * Math.max(1, Math.abs(saved));
                    double[] d1 = floatDifference(data, off + j, saved, h, w);
                    double[] d2 = floatDifference(data, off + j, saved, 2 * h, w);
                    fd = d1[0];
                    slack = Math.abs(d1[0] - d2[0]) + d1[1];               // truncation (Richardson) + rounding
                }
                double bound = tol.atol() + tol.rtol() * Math.abs(fd) + slack;
                worst.see(grads[i][j], fd, bound, "input " + i + " " + inputs[i].shape() + " at "
                        + Arrays.toString(index(inputs[i].dims(), j)));
            }
        }
    }

    /** {(L(x + h e_j) - L(x - h e_j)) / actual step, its rounding-error estimate}, on the float function. */
    private double[] floatDifference(float[] data, int at, float saved, double h, double[] w) {
        float up = (float) (saved + h), down = (float) (saved - h);
        data[at] = up;
        double[] plus = weighted(w);
        data[at] = down;
        double[] minus = weighted(w);
        data[at] = saved;
        double step = (double) up - down;
        return new double[] {(plus[0] - minus[0]) / step, 32 * U * (plus[1] + minus[1]) / step};
    }

    /** {sum_k w_k f_k, sum_k |w_k f_k|} of the float function at the inputs' current values. */
    private double[] weighted(double[] w) {
        float[] y = function.apply(inputs).toArray();
        double s = 0, abs = 0;
        for (int k = 0; k < y.length; k++) {
            s += w[k] * y[k];
            abs += Math.abs(w[k] * y[k]);
        }
        return new double[] {s, abs};
    }

    private void perDirection(double[] w, float[][] grads, GradCheck.Tolerance tol, Generator gen, Worst worst) {
        int elements = 0;
        for (Tensor t : inputs) {
            elements += t.requiresGrad() ? t.size() : 0;
        }
        double atol = tol.atol() * Math.max(1, elements);
        for (int d = 0; d < directions; d++) {
            double[][] v = new double[inputs.length][];
            for (int i = 0; i < inputs.length; i++) {
                v[i] = new double[inputs[i].size()];
                for (int j = 0; inputs[i].requiresGrad() && j < v[i].length; j++) {
                    v[i][j] = 2.0 * gen.nextUniform() - 1.0;
                }
            }
            double tapeDot = 0, fd, slack = 0;
            if (reference != null) {
                for (int i = 0; i < inputs.length; i++) {
                    for (int j = 0; j < v[i].length; j++) {
                        tapeDot += grads[i][j] * v[i][j];
                    }
                }
                double plus = dot(w, reference.apply(shifted(v, GradCheck.EPS)));
                double minus = dot(w, reference.apply(shifted(v, -GradCheck.EPS)));
                fd = (plus - minus) / (2 * GradCheck.EPS);
            } else {
                double h = Math.cbrt(U);
                double[] d1 = floatDirection(v, h, grads, w), d2 = floatDirection(v, 2 * h, grads, w);
                tapeDot = d1[1];
                fd = d1[0];
                slack = Math.abs(d1[0] - d2[0]) + d1[2];
            }
            double bound = atol + tol.rtol() * Math.abs(fd) + slack;
            worst.see(tapeDot, fd, bound, "direction " + d);
        }
    }

    /**
     * Along v at step h on the float function: {differences / 2h, the tape's derivative along the displacement
     * actually made (after rounding x +- h v to float) / 2h, rounding-error estimate}.
     */
    private double[] floatDirection(double[][] v, double h, float[][] grads, double[] w) {
        float[][] saved = new float[inputs.length][], up = new float[inputs.length][], down = new float[inputs.length][];
        double tapeDot = 0;
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            saved[i] = Arrays.copyOfRange(t.data(), t.offset(), t.offset() + t.size());
            up[i] = new float[t.size()];
            down[i] = new float[t.size()];
            for (int j = 0; j < t.size(); j++) {
                up[i][j] = (float) (saved[i][j] + h * v[i][j]);
                down[i][j] = (float) (saved[i][j] - h * v[i][j]);
                tapeDot += grads[i][j] * ((double) up[i][j] - down[i][j]);
            }
        }
        write(up);
        double[] plus = weighted(w);
        write(down);
        double[] minus = weighted(w);
        write(saved);
        return new double[] {(plus[0] - minus[0]) / (2 * h), tapeDot / (2 * h), 32 * U * (plus[1] + minus[1]) / (2 * h)};
    }

    private void write(float[][] values) {
        for (int i = 0; i < inputs.length; i++) {
            System.arraycopy(values[i], 0, inputs[i].data(), inputs[i].offset(), values[i].length);
        }
    }

    /** The inputs' current values in double, fresh arrays (a reference may write into them). */
    private double[][] doubles() {
        double[][] x = new double[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            float[] f = inputs[i].toArray();
            x[i] = new double[f.length];
            for (int j = 0; j < f.length; j++) {
                x[i][j] = f[j];
            }
        }
        return x;
    }

    /** x + step v in double, for the reference. */
    private double[][] shifted(double[][] v, double step) {
        double[][] x = doubles();
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] += step * v[i][j];
            }
        }
        return x;
    }

    private static double dot(double[] w, double[] f) {
        if (f.length != w.length) {
            throw new AssertionError("the reference returned " + f.length + " values, the tape " + w.length);
        }
        double s = 0;
        for (int k = 0; k < w.length; k++) {
            s += w[k] * f[k];
        }
        return s;
    }

    private static int[] index(int[] dims, int flat) {
        int[] idx = new int[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            idx[d] = flat % dims[d];
            flat /= dims[d];
        }
        return idx;
    }

    /** The worst comparison so far and the count of failures. */
    private static final class Worst {
        double ratio;
        String where = "nothing checked";
        int failures, checked;

        void see(double tape, double fd, double bound, String at) {
            checked++;
            double diff = Math.abs(tape - fd);
            double r = diff == 0 ? 0 : diff / bound;
            if (Double.isNaN(r)) {
                r = Double.POSITIVE_INFINITY;
            }
            if (r > 1) {
                failures++;
            }
            if (r > ratio || checked == 1) {
                ratio = r;
                where = at + ": tape " + tape + ", differences " + fd + ", bound " + bound;
            }
        }
    }
}
