package org.rlhf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.tensor.Generator;

/** {@code rlhf4j train-reward}: the interface other tools read (metrics.jsonl fields, a model score loads). */
class TrainRewardCommandTest {

    /** 8 letters of "abcd". */
    private static String text(Generator gen) {
        char[] c = new char[8];
        for (int i = 0; i < c.length; i++) {
            c[i] = "abcd".charAt(Math.min(3, (int) (gen.nextUniform() * 4)));
        }
        return new String(c);
    }

    private static long as(String s) {
        return s.chars().filter(ch -> ch == 'a').count();
    }

    /** TRL pairwise lines (with and without a prompt) and ranked lines: more 'a' is better. */
    static Path data(Path dir, String name, long seed, int n) throws IOException {
        Generator gen = new Generator(seed);
        List<String> lines = new ArrayList<>();
        while (lines.size() < n) {
            String x = text(gen), y = text(gen), z = text(gen);
            if (as(x) == as(y) || as(y) == as(z) || as(x) == as(z)) {
                continue;
            }
            String best = as(x) > as(y) ? x : y, worst = as(x) > as(y) ? y : x;
            switch (lines.size() % 3) {
                case 0 -> lines.add("{\"chosen\": \"" + best + "\", \"rejected\": \"" + worst + "\"}");
                case 1 -> lines.add("{\"prompt\": \"b:\", \"chosen\": \"" + best + "\", \"rejected\": \"" + worst + "\"}");
                default -> {
                    List<String> c = List.of(x, y, z);
                    List<Integer> order = new ArrayList<>(List.of(0, 1, 2));
                    order.sort((i, j) -> Long.compare(as(c.get(j)), as(c.get(i))));
                    lines.add("{\"prompt\": \"\", \"completions\": [\"" + x + "\", \"" + y + "\", \"" + z
                            + "\"], \"ranking\": " + order + "}");
                }
            }
        }
        Path file = dir.resolve(name);
        Files.write(file, lines);
        return file;
    }

    private static String[] args(Path dir, String... extra) throws IOException {
        List<String> a = new ArrayList<>(List.of("train-reward", "--data", data(dir, "train.jsonl", 1, 300).toString(),
                "--eval-data", data(dir, "eval.jsonl", 2, 60).toString(), "--out", dir.resolve("rm").toString(),
                "--tokenizer", "char", "--n-layer", "1", "--n-head", "2", "--n-embd", "16", "--steps", "60",
                "--batch", "16", "--lr", "1e-2", "--warmup", "5", "--eval-interval", "30", "--max-len", "16",
                "--progress", "none"));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    @Test
    void trainsFromScratchWritesMetricsAndAModelThatScoreLoads(@TempDir Path dir) throws IOException {
        Rlhf4jTest.Result r = Rlhf4jTest.run(args(dir));
        assertEquals(0, r.code(), r.toString());
        List<JsonNode> rows = ScoreCommandTest.lines(Files.readString(dir.resolve("rm").resolve("metrics.jsonl")));
        assertEquals(60, rows.get(rows.size() - 1).get("step").asInt());
        for (JsonNode row : rows) {
            assertTrue(row.has("step") && row.get("loss").isNumber(), row.toString());
            int step = row.get("step").asInt();
            assertEquals(step % 30 == 0, row.has("eval_accuracy") && row.has("eval_margin"), row.toString());
        }
        double acc = rows.get(rows.size() - 1).get("eval_accuracy").asDouble();
        assertTrue(acc > 0.85, "held-out accuracy " + acc + "\n" + r.out());
        assertTrue(r.out().contains("normalized (scale) on 700 training responses"), r.out());
        assertTrue(r.err().contains("note: no --reference: rewards are normalized on the training responses"), r.err());
        assertEquals(1, r.errLines().size(), "the note is one line: " + r.err());
        Rlhf4jTest.Result s = Rlhf4jTest.run("score", "--model", dir.resolve("rm").toString(), "--text", "aaaaaaaa",
                "--text", "dddddddd", "--progress", "none");
        assertEquals(0, s.code(), s.toString());
        List<JsonNode> scores = ScoreCommandTest.lines(s.out());
        assertTrue(scores.get(0).get("reward").asDouble() > scores.get(1).get("reward").asDouble(), s.out());
    }

    @Test
    void normalizeChoosesTheScaleAndBadLinesCanBeSkipped(@TempDir Path dir) throws IOException {
        Path ref = dir.resolve("ref.jsonl");
        Files.writeString(ref, "{\"text\": \"aaaa\"}\n{\"text\": 5}\n{\"prompt\": \"b:\", \"completion\": \"dd\"}\n"
                + "{\"text\": \"cab\"}\n");
        Rlhf4jTest.Result r = Rlhf4jTest.run(args(dir, "--reference",
                ref.toString(), "--normalize", "shift", "--max-bad-lines", "1"));
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("normalized (shift) on 3 reference samples"), r.out());
        assertTrue(r.out().contains("gain 1.0000"), "shift: mean 0 only, gain stays 1: " + r.out());
        assertTrue(r.err().contains("--reference: skipped 1 bad lines (--max-bad-lines 1)"), r.err());
        assertTrue(r.err().contains("ref.jsonl:2: field \"text\""), r.err());
        assertTrue(!r.err().contains("note: no --reference"), r.err());

        Files.createDirectories(dir.resolve("n"));
        Rlhf4jTest.Result none = Rlhf4jTest.run(args(dir.resolve("n"), "--normalize", "none"));
        assertEquals(0, none.code(), none.toString());
        assertTrue(none.out().contains("not normalized (--normalize none)"), none.out());
        assertTrue(none.err().isBlank(), "no note without normalization: " + none.err());
    }

    @Test
    void startsFromAPretrainedCheckpointWithItsTokenizer(@TempDir Path dir) throws IOException {
        org.rlhf4j.data.tokenizer.CharTokenizer chars = org.rlhf4j.data.tokenizer.CharTokenizer.fromCorpus("abcd:");
        org.rlhf4j.nn.Gpt lm = new org.rlhf4j.nn.Gpt(new org.rlhf4j.nn.GptConfig(chars.vocabSize(), 16, 1, 2, 16,
                0.1f, true, 1e-5f, 0.02f), new Generator(4));
        org.rlhf4j.io.Checkpoint.save(dir.resolve("lm"), new org.rlhf4j.io.CheckpointData(
                org.rlhf4j.train.ModelCheckpoint.weights(lm), org.rlhf4j.train.ConfigJson.toJson(lm.config),
                chars.toJson(), List.of(), com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()));
        Rlhf4jTest.Result r = Rlhf4jTest.run("train-reward", "--data", data(dir, "t.jsonl", 1, 60).toString(),
                "--out", dir.resolve("rm").toString(), "--base", dir.resolve("lm").toString(), "--steps", "3",
                "--batch", "8", "--progress", "none");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("vocabulary 5, base"), r.out());
        assertTrue(Files.exists(dir.resolve("rm").resolve("checkpoint").resolve("tokenizer.json")));
    }

    @Test
    void usageErrorsAreOneLine(@TempDir Path dir) throws IOException {
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("train-reward", "--data", dir.resolve("nope.jsonl").toString(),
                "--out", dir.resolve("o").toString()), "does not exist");
        Path rated = dir.resolve("rated.jsonl");
        Files.writeString(rated, "{\"prompt\": \"p\", \"completion\": \"c\", \"rating\": 3}\n");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("train-reward", "--data", rated.toString(), "--out",
                dir.resolve("o").toString()), "rating");
        String train = data(dir, "t.jsonl", 1, 30).toString(), out = dir.resolve("o").toString();
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("train-reward", "--data", train, "--out", out,
                "--over-length", "chop"), "--over-length chop", "truncate-prompt-left");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("train-reward", "--data", train, "--out", out, "--lr", "-1"),
                "lr must be");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("train-reward", "--data", train, "--out", out, "--n-head", "3",
                "--tokenizer", "char"), "--n-head", "multiple");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("train-reward", "--data", train, "--out", out, "--base",
                dir.resolve("none").toString()), "--base");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("train-reward", "--data", train, "--out", out, "--tokenizer",
                "words"), "--tokenizer words");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("train-reward", "--data", train, "--out", out, "--normalize",
                "squash"), "--normalize squash", "scale, shift or none");
        Path ref = dir.resolve("ref.jsonl");
        Files.writeString(ref, "{\"text\": \"ab\"}\n");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("train-reward", "--data", train, "--out", out, "--normalize",
                "none", "--reference", ref.toString()), "--reference with --normalize none");
        Path empty = dir.resolve("empty.jsonl");
        Files.writeString(empty, "\n");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("train-reward", "--data", train, "--out", out, "--eval-data",
                empty.toString()), "--eval-data", "holds no preference");
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"chosen\": \"a\", \"rejected\": \"b\"}\n{\"chosen\": 1}\n");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("train-reward", "--data", bad.toString(), "--out", out,
                "--max-bad-lines", "-2"), "--max-bad-lines must be >= 0");
    }
}
