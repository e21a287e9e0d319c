package org.rlhf4j.rlhf.ppo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.data.tokenizer.Tokenizer;
import org.rlhf4j.io.Checkpoint;
import org.rlhf4j.io.CheckpointData;
import org.rlhf4j.io.CheckpointException;
import org.rlhf4j.io.NamedTensor;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.optim.AdamW;
import org.rlhf4j.rlhf.RewardSource;
import org.rlhf4j.rlhf.reward.RewardModel;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;
import org.rlhf4j.train.ConfigJson;
import org.rlhf4j.train.ModelCheckpoint;

/**
 * The whole PPO state in one atomic checkpoint directory (io's {@link Checkpoint}):
 * <pre>
 *   model.safetensors      policy.*, reference.*, value.* (GPT-2 names after the prefix; value.score.*)
 *   optimizer.safetensors  policy.&lt;param&gt;.exp_avg / .exp_avg_sq, value.&lt;param&gt;...
 *   config.json            {"policy": GPT-2 config, "value": GPT-2 config, "value_max_length", "ppo": PpoConfig}
 *   tokenizer.json         the policy's tokenizer
 *   state.json             iteration, optimizer steps, rng (seed, counter), kl_coef, score_moments
 * </pre>
 * The reward source is not saved (a function cannot be); resuming takes it again.
 */
final class PpoCheckpoint {

    static final String FORMAT = "rlhf4j-ppo-1";

    private PpoCheckpoint() {
    }

    static void save(Path dir, PpoTrainer t) throws IOException {
        List<NamedTensor> weights = new ArrayList<>();
        add(weights, "policy.", t.policy().namedParameters());
        add(weights, "reference.", t.reference().namedParameters());
        add(weights, "value.", t.valueModel().namedParameters());
        List<NamedTensor> opt = new ArrayList<>();
        addOptimizer(opt, "policy.", t.policy().namedParameters(), t.policyOptimizer());
        addOptimizer(opt, "value.", t.valueModel().namedParameters(), t.valueOptimizer());
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode config = f.objectNode();
        config.set("policy", ConfigJson.toJson(t.policy().config));
        config.set("value", ConfigJson.toJson(t.valueModel().trunk().config));
        config.put("value_max_length", t.valueModel().maxLength());
        config.set("ppo", t.config().toJson());
        ObjectNode state = f.objectNode();
        state.put("format", FORMAT);
        state.put("iteration", t.iteration());
        state.put("policy_optimizer_step", t.policyOptimizer().stepCount());
        state.put("value_optimizer_step", t.valueOptimizer().stepCount());
        ObjectNode rng = state.putObject("rng");
        rng.put("seed", t.generator().seed());
        rng.put("counter", t.generator().counter());
        state.put("kl_coef", t.beta());
        ObjectNode m = state.putObject("score_moments");
        m.put("mean", t.scoreMoments().mean());
        m.put("var", t.scoreMoments().var());
        m.put("count", t.scoreMoments().count());
        Checkpoint.save(dir, new CheckpointData(weights, config, t.tokenizer().toJson(), opt, state));
    }

    static void savePolicy(Path dir, PpoTrainer t) throws IOException {
        ObjectNode state = JsonNodeFactory.instance.objectNode();
        state.put("ppo_iteration", t.iteration());
        Checkpoint.save(dir, new CheckpointData(ModelCheckpoint.weights(t.policy()), ConfigJson.toJson(t.policy().config),
                t.tokenizer().toJson(), List.of(), state));
    }

    static PpoTrainer load(Path dir, RewardSource reward, PpoListener listener) throws IOException {
        CheckpointData data = Checkpoint.load(dir);
        String where = dir.resolve(Checkpoint.STATE).toString(), cfgWhere = dir.resolve(Checkpoint.CONFIG).toString();
        ObjectNode state = data.state();
        if (!FORMAT.equals(state.path("format").asText())) {
            throw new CheckpointException.BadJson(where, "not a PPO checkpoint (\"format\" is not \"" + FORMAT + "\")");
        }
        if (data.tokenizer() == null) {
            throw new CheckpointException(dir.toString(), "has no tokenizer.json");
        }
        GptConfig policyConfig = ConfigJson.gptConfig(object(data.config(), "policy", cfgWhere), cfgWhere);
        GptConfig valueConfig = ConfigJson.gptConfig(object(data.config(), "value", cfgWhere), cfgWhere);
        PpoConfig ppo;
        try {
            ppo = PpoConfig.fromJson(data.config().path("ppo"));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException.BadConfig(cfgWhere, e.getMessage());
        }
        Tokenizer tokenizer = Tokenizer.fromJson(data.tokenizer());
        Gpt policy = new Gpt(policyConfig, new Generator(0));
        Gpt reference = new Gpt(policyConfig, new Generator(0));
        RewardModel value = new RewardModel(new Gpt(valueConfig, new Generator(0)), tokenizer,
                data.config().path("value_max_length").asInt(valueConfig.blockSize()), new Generator(0));
        load(data, "policy.", policy.namedParameters(), dir);
        load(data, "reference.", reference.namedParameters(), dir);
        load(data, "value.", value.namedParameters(), dir);
        JsonNode rng = state.path("rng"), m = state.path("score_moments");
        if (!rng.path("seed").isIntegralNumber() || !rng.path("counter").isIntegralNumber()) {
            throw new CheckpointException.BadJson(where, "rng needs integer \"seed\" and \"counter\"");
        }
        PpoTrainer t = PpoTrainer.restore(policy, reference, value, tokenizer, reward, ppo, listener,
                new Generator(rng.get("seed").longValue(), rng.get("counter").longValue()),
                state.path("iteration").asInt(), state.path("kl_coef").asDouble(),
                new double[] {m.path("mean").asDouble(), m.path("var").asDouble(), m.path("count").asDouble()});
        t.policyOptimizer().loadState(state.path("policy_optimizer_step").asLong(), optimizer(data, "policy."));
        t.valueOptimizer().loadState(state.path("value_optimizer_step").asLong(), optimizer(data, "value."));
        return t;
    }

    private static ObjectNode object(ObjectNode o, String key, String where) throws CheckpointException {
        JsonNode n = o.get(key);
        if (n == null || !n.isObject()) {
            throw new CheckpointException.BadJson(where, "\"" + key + "\" must be an object");
        }
        return (ObjectNode) n;
    }

    private static void add(List<NamedTensor> out, String prefix, Map<String, Tensor> params) {
        params.forEach((name, p) -> out.add(NamedTensor.of(prefix + name, p)));
    }

    private static void addOptimizer(List<NamedTensor> out, String prefix, Map<String, Tensor> params, AdamW opt) {
        opt.state().forEach((key, values) -> {
            String param = key.substring(0, key.lastIndexOf(key.endsWith(".exp_avg_sq") ? ".exp_avg_sq" : ".exp_avg"));
            out.add(NamedTensor.f32(prefix + key, params.get(param).dims(), values));
        });
    }

    private static void load(CheckpointData data, String prefix, Map<String, Tensor> params, Path dir)
            throws CheckpointException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            NamedTensor t = data.weight(prefix + e.getKey());
            if (t == null) {
                problems.add(prefix + e.getKey() + " is missing");
            } else if (t.size() != e.getValue().size()) {
                problems.add(prefix + e.getKey() + " has " + t.size() + " values, the model needs " + e.getValue().size());
            }
        }
        if (!problems.isEmpty()) {
            throw new CheckpointException(dir.toString(), "weights do not fit: " + String.join("; ", problems));
        }
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor p = e.getValue();
            System.arraycopy(data.weight(prefix + e.getKey()).data(), 0, p.data(), p.offset(), p.size());
        }
    }

    private static Map<String, float[]> optimizer(CheckpointData data, String prefix) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (NamedTensor t : data.optimizer()) {
            if (t.name().startsWith(prefix)) {
                out.put(t.name().substring(prefix.length()), t.data());
            }
        }
        return out;
    }
}
