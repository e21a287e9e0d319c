package org.rlhf4j.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.nn.Module;
import org.rlhf4j.tensor.Tensor;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter 2019, Algorithm 2), written as PyTorch's
 * {@code torch.optim.AdamW} computes it, so that the two agree to float rounding. For each parameter
 * p with gradient g, at step t = 1, 2, ... with learning rate lr and its group's decay lambda:
 * <pre>
 *   p   &lt;- p (1 - lr lambda)                      decoupled decay (Alg. 2 line 12, eta_t = lr)
 *   m   &lt;- beta1 m + (1 - beta1) g                 (line 7)
 *   v   &lt;- beta2 v + (1 - beta2) g^2               (line 8)
 *   p   &lt;- p - lr / (1 - beta1^t) m / (sqrt(v) / sqrt(1 - beta2^t) + eps)   (lines 9-12)
 * </pre>
 * One step counter t serves every parameter. A parameter with no gradient yet is left alone.
 * The state (t, and m and v per parameter as {@code <name>.exp_avg} and {@code <name>.exp_avg_sq},
 * PyTorch's names) can be read and restored for checkpoints.
 */
public final class AdamW {

    /** Elements per thread's share of one parameter's update, at least. */
    private static final int GRAIN = 1 << 14;

    private final AdamWConfig config;
    private final List<ParamGroup> groups;
    private final Map<String, float[]> expAvg = new LinkedHashMap<>();   // m per parameter, its shape
    private final Map<String, float[]> expAvgSq = new LinkedHashMap<>(); // v per parameter, its shape
    private double lr;
    private long step;
    private long skipped;

    public AdamW(AdamWConfig config, List<ParamGroup> groups) {
        this.config = config;
        this.groups = List.copyOf(groups);
        this.lr = config.lr();
        for (ParamGroup g : this.groups) {
            g.params().forEach((name, p) -> {
                if (expAvg.put(name, new float[p.size()]) != null) {
                    throw new IllegalArgumentException("parameter " + name + " is in more than one group");
                }
                expAvgSq.put(name, new float[p.size()]);
            });
        }
    }

    /** Linear weights decay with {@code config.weightDecay()}, nothing else does ({@link ParamGroups}). */
    public static AdamW forModel(Module model, AdamWConfig config) {
        return new AdamW(config, ParamGroups.linearWeightsDecay(model, config.weightDecay()));
    }

    public AdamWConfig config() {
        return config;
    }

    public List<ParamGroup> groups() {
        return groups;
    }

    /** The learning rate of the next step (a schedule sets it before each step). */
    public double learningRate() {
        return lr;
    }

    public void setLearningRate(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("lr must be >= 0 and finite, got " + lr);
        }
        this.lr = lr;
    }

    /** The number of steps taken (t of the last step). */
    public long stepCount() {
        return step;
    }

    /** Zeroes the gradient of every parameter in every group. */
    public void zeroGrad() {
        for (ParamGroup g : groups) {
            g.params().values().forEach(Tensor::zeroGrad);
        }
    }

    /**
     * One update of every parameter from its accumulated gradient, or none at all: when any gradient
     * element is NaN or infinite (the global gradient norm is not finite) the parameters, both moments and
     * the step count stay bit for bit as they were, the skip is counted ({@link #skippedSteps()}) and false
     * is returned. An update made from such a gradient would write NaN into every moment it touches, for
     * good. Skipping it is what mixed-precision training does: PyTorch's {@code GradScaler.step} does not
     * call {@code optimizer.step()} when the gradients hold inf or NaN, and Hugging Face Trainer then also
     * holds its scheduler back ({@code accelerator.optimizer_step_was_skipped}).
     *
     * @return true when the parameters were updated
     */
    public boolean step() {
        if (!gradientsFinite()) {
            skipped++;
            return false;
        }
        step++;
        float beta1 = (float) config.beta1(), beta2 = (float) config.beta2();
        float oneMinusBeta1 = (float) (1 - config.beta1()), oneMinusBeta2 = (float) (1 - config.beta2());
        double biasCorrection1 = 1 - Math.pow(config.beta1(), step);
        double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(config.beta2(), step));
        float negStepSize = (float) -(lr / biasCorrection1);
        float bc2Sqrt = (float) biasCorrection2Sqrt, eps = (float) config.eps();
        for (ParamGroup group : groups) {
            float decay = (float) (1 - lr * group.weightDecay());
            for (Map.Entry<String, Tensor> e : group.params().entrySet()) {
                Tensor grad = e.getValue().grad();
                if (grad == null) {
                    continue;
                }
                float[] p = e.getValue().data(), g = grad.data();
                float[] m = expAvg.get(e.getKey()), v = expAvgSq.get(e.getKey());
                int po = e.getValue().offset(), go = grad.offset();
                // elementwise, so splitting over threads cannot change a bit of the result
                Backends.current().parallel().forRange(m.length, GRAIN, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        float gi = g[go + i];
                        float pi = p[po + i] * decay;                     // p (1 - lr lambda)
                        m[i] = m[i] * beta1 + oneMinusBeta1 * gi;         // first moment
                        v[i] = v[i] * beta2 + oneMinusBeta2 * gi * gi;    // second moment
                        float denom = (float) Math.sqrt(v[i]) / bc2Sqrt + eps;
                        p[po + i] = pi + negStepSize * (m[i] / denom);    // bias-corrected step
                    }
                });
            }
        }
        return true;
    }

    /** Steps that {@link #step()} skipped for a non-finite gradient since this optimizer was made. */
    public long skippedSteps() {
        return skipped;
    }

    /** True when every gradient element of every parameter is finite (parameters without one are ignored). */
    private boolean gradientsFinite() {
        for (ParamGroup group : groups) {
            for (Tensor param : group.params().values()) {
                Tensor grad = param.grad();
                if (grad != null) {
                    float[] g = grad.data();
                    for (int i = grad.offset(), end = grad.offset() + grad.size(); i < end; i++) {
                        if (!Float.isFinite(g[i])) {
                            return false;
                        }
                    }
                }
            }
        }
        return true;
    }

    /** Copies of m and v by {@code <name>.exp_avg} and {@code <name>.exp_avg_sq}, in parameter order. */
    public LinkedHashMap<String, float[]> state() {
        LinkedHashMap<String, float[]> out = new LinkedHashMap<>();
        for (String name : expAvg.keySet()) {
            out.put(name + ".exp_avg", expAvg.get(name).clone());
            out.put(name + ".exp_avg_sq", expAvgSq.get(name).clone());
        }
        return out;
    }

    /**
     * Restores the step count and every moment from a {@link #state()} (all entries required, sizes
     * checked before anything is changed).
     */
    public void loadState(long stepCount, Map<String, float[]> state) {
        if (stepCount < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + stepCount);
        }
        List<String> problems = new ArrayList<>();
        for (String name : expAvg.keySet()) {
            for (String key : List.of(name + ".exp_avg", name + ".exp_avg_sq")) {
                float[] a = state.get(key);
                if (a == null || a.length != expAvg.get(name).length) {
                    problems.add(key + (a == null ? " missing" : " has " + a.length + " values, expected "
                            + expAvg.get(name).length));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("optimizer state does not match the parameters: " + problems);
        }
        for (String name : expAvg.keySet()) {
            System.arraycopy(state.get(name + ".exp_avg"), 0, expAvg.get(name), 0, expAvg.get(name).length);
            System.arraycopy(state.get(name + ".exp_avg_sq"), 0, expAvgSq.get(name), 0, expAvgSq.get(name).length);
        }
        step = stepCount;
    }
}
