package org.rlhf4j.rlhf.ppo;

import java.util.Map;
import org.rlhf4j.data.tokenizer.Tokenizer;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.Module;
import org.rlhf4j.rlhf.reward.RewardModel;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;

/** Deep copies and freezing of the models PPO holds. */
final class Models {

    private Models() {
    }

    /** A deep copy of {@code model}: same config, every parameter copied, in evaluation mode. */
    static Gpt copy(Gpt model) {
        Gpt copy = new Gpt(model.config, new Generator(0));
        copyParameters(model.namedParameters(), copy.namedParameters());
        return copy.eval();
    }

    /** A deep copy of a reward model, normalization included. */
    static RewardModel copy(RewardModel rm) {
        RewardModel copy = new RewardModel(new Gpt(rm.trunk().config, new Generator(0)), rm.tokenizer(), rm.maxLength(),
                new Generator(0));
        copyParameters(rm.namedParameters(), copy.namedParameters());
        copy.setNormalization(rm.gain(), rm.bias());
        return copy;
    }

    /**
     * A value model on a copy of the policy's trunk (dropout 0) with a scalar head of zeros: every value
     * starts at 0, and the copy trains apart from the policy.
     */
    static RewardModel valueHeadOn(Gpt policy, Tokenizer tokenizer) {
        Gpt trunk = new Gpt(policy.config.withDropout(0f), new Generator(0));
        copyParameters(policy.namedParameters(), trunk.namedParameters());
        RewardModel v = new RewardModel(trunk, tokenizer, policy.config.blockSize(), new Generator(0));
        Tensor w = v.namedParameters().get(RewardModel.SCORE_WEIGHT);
        java.util.Arrays.fill(w.data(), w.offset(), w.offset() + w.size(), 0f);
        return v;
    }

    /** Evaluation mode and no gradients, for a model that must never change. */
    static void freeze(Module model) {
        model.eval();
        for (Tensor p : model.parameters()) {
            p.requiresGrad(false);
        }
    }

    static void copyParameters(Map<String, Tensor> from, Map<String, Tensor> to) {
        if (!from.keySet().equals(to.keySet())) {
            throw new IllegalArgumentException("parameter names differ: " + from.keySet() + " vs " + to.keySet());
        }
        for (Map.Entry<String, Tensor> e : from.entrySet()) {
            Tensor src = e.getValue(), dst = to.get(e.getKey());
            if (src.size() != dst.size()) {
                throw new IllegalArgumentException(e.getKey() + ": " + src.shape() + " vs " + dst.shape());
            }
            System.arraycopy(src.data(), src.offset(), dst.data(), dst.offset(), src.size());
        }
    }
}
