package org.rlhf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.tokenizer.CharTokenizer;
import org.rlhf4j.io.Checkpoint;
import org.rlhf4j.io.CheckpointData;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.rlhf.ppo.PpoIteration;
import org.rlhf4j.rlhf.ppo.PpoMetricsLog;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.train.ConfigJson;
import org.rlhf4j.train.ModelCheckpoint;

/** {@code rlhf4j ppo}: metrics.jsonl with TRL's keys, a resumable checkpoint, one-line usage errors. */
class PpoCommandTest {

    static final CharTokenizer CHARS = CharTokenizer.fromCorpus("abcdefgh .\n");

    static Path policy(Path dir) throws IOException {
        Gpt model = new Gpt(new GptConfig(CHARS.vocabSize(), 24, 1, 2, 16, 0f, true, 1e-5f, 0.02f), new Generator(3));
        Path to = dir.resolve("policy-in");
        Checkpoint.save(to, new CheckpointData(ModelCheckpoint.weights(model), ConfigJson.toJson(model.config),
                CHARS.toJson(), List.of(), com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()));
        return to;
    }

    static Path prompts(Path dir) throws IOException {
        Path file = dir.resolve("prompts.jsonl");
        Files.writeString(file, "{\"prompt\": \"ab\"}\n{\"prompt\": \"c d\"}\n\n{\"prompt\": \"hh\"}\n");
        return file;
    }

    private static String[] args(Path dir, String... more) throws IOException {
        List<String> a = new java.util.ArrayList<>(List.of("ppo", "--policy", policy(dir).toString(), "--reward-function",
                "contains:a", "--prompts", prompts(dir).toString(), "--out", dir.resolve("run").toString()));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    @Test
    void writesMetricsCheckpointAndPolicyAndResumes(@TempDir Path dir) throws IOException {
        Rlhf4jTest.Result r = Rlhf4jTest.run(args(dir, "--iterations", "2", "--set", "rollout_batch=4",
                "--set", "max_new_tokens=4", "--set", "mini_batches=1", "--set", "stop_token=."));
        assertEquals(0, r.code(), r.toString());
        assertEquals(2, r.out().lines().filter(l -> l.startsWith("ppo ")).count(), r.out());
        List<JsonNode> rows = new PpoMetricsLog(dir.resolve("run/metrics.jsonl")).read();
        assertEquals(2, rows.size());
        for (String k : PpoIteration.KEYS) {
            assertTrue(rows.get(1).has(k), k);
        }
        assertEquals(2, rows.get(1).get("iteration").asInt());
        assertTrue(Files.exists(dir.resolve("run/checkpoint/manifest.json")));
        ModelCheckpoint.load(dir.resolve("run/policy"));
        // resume to 3 iterations: one more line, the settings kept
        Rlhf4jTest.Result again = Rlhf4jTest.run("ppo", "--policy", dir.resolve("policy-in").toString(),
                "--reward-function", "contains:a", "--prompts", dir.resolve("prompts.jsonl").toString(),
                "--out", dir.resolve("run").toString(), "--iterations", "3", "--resume");
        assertEquals(0, again.code(), again.toString());
        assertTrue(again.out().contains("resuming"), again.out());
        assertEquals(3, new PpoMetricsLog(dir.resolve("run/metrics.jsonl")).read().size());
    }

    @Test
    void usageErrorsAreOneLineWithExitCode2(@TempDir Path dir) throws IOException {
        Rlhf4jTest.Result unknownFunction = Rlhf4jTest.run("ppo", "--policy", policy(dir).toString(), "--reward-function",
                "nope", "--out", dir.resolve("x").toString());
        expectUsage(unknownFunction, "built-in functions");
        expectUsage(Rlhf4jTest.run(args(dir, "--set", "bogus=1")), "unknown PPO setting");
        expectUsage(Rlhf4jTest.run(args(dir, "--set", "lr=fast")), "lr takes");
        expectUsage(Rlhf4jTest.run(args(dir, "--set", "mini_batches=3")), "miniBatches");
        expectUsage(Rlhf4jTest.run("ppo", "--policy", dir.resolve("missing").toString(), "--reward-function", "length",
                "--out", dir.resolve("y").toString()), "does not exist");
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "xyz\n");
        expectUsage(Rlhf4jTest.run("ppo", "--policy", policy(dir).toString(), "--reward-function", "length",
                "--prompts", bad.toString(), "--out", dir.resolve("z").toString(), "--set", "max_new_tokens=4"), "prompt 1");
        expectUsage(Rlhf4jTest.run("ppo", "--policy", policy(dir).toString(), "--reward-function", "length",
                "--out", dir.resolve("w").toString(), "--resume"), "no checkpoint");
    }

    private static void expectUsage(Rlhf4jTest.Result r, String says) {
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.errLines().get(0).contains(says), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
    }
}
