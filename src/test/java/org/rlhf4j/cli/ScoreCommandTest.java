package org.rlhf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.tokenizer.CharTokenizer;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.rlhf.reward.RewardCheckpoint;
import org.rlhf4j.rlhf.reward.RewardModel;

/** {@code rlhf4j score}: one JSON line per input with a reward, from a model or a function. */
class ScoreCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static RewardModel saved(Path dir) throws IOException {
        CharTokenizer chars = CharTokenizer.fromCorpus("abcdefghijklmnopqrstuvwxyz :");
        RewardModel m = RewardModel.fromScratch(new GptConfig(chars.vocabSize(), 32, 1, 2, 16, 0f, true, 1e-5f, 0.02f),
                chars, 32, 5);
        m.setNormalization(2f, 0.5f);
        RewardCheckpoint.save(m, dir.resolve("checkpoint"), RewardCheckpoint.noState());
        return m;
    }

    static List<JsonNode> lines(String text) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (!l.isBlank()) {
                out.add(JSON.readTree(l));
            }
        }
        return out;
    }

    @Test
    void everyInputLineGetsItsReward(@TempDir Path dir) throws IOException {
        RewardModel m = saved(dir);
        Path input = dir.resolve("in.jsonl");
        Files.writeString(input, "{\"prompt\": \"q: \", \"completion\": \"yes\"}\n\n{\"text\": \"hello world\"}\n"
                + "{\"prompt\": \"q: \", \"chosen\": \"good\", \"rejected\": \"bad\", \"id\": 7}\n");
        Rlhf4jTest.Result r = Rlhf4jTest.run("score", "--model", dir.toString(), "--input", input.toString(),
                "--progress", "none");
        assertEquals(0, r.code(), r.toString());
        List<JsonNode> out = lines(r.out());
        assertEquals(3, out.size(), r.out());
        assertEquals(m.score("q: ", "yes"), out.get(0).get("reward").floatValue());
        assertEquals("yes", out.get(0).get("completion").asText());
        assertEquals(m.score("", "hello world"), out.get(1).get("reward").floatValue());
        float c = m.score("q: ", "good"), b = m.score("q: ", "bad");
        assertEquals(c, out.get(2).get("reward_chosen").floatValue());
        assertEquals(b, out.get(2).get("reward_rejected").floatValue());
        assertEquals(c - b, out.get(2).get("reward").floatValue());
        assertEquals(7, out.get(2).get("id").asInt());
        // --raw drops the normalization (gain 2, bias 0.5)
        Rlhf4jTest.Result raw = Rlhf4jTest.run("score", "--model", dir.toString(), "--text", "yes", "--raw",
                "--progress", "none");
        float rawReward = lines(raw.out()).get(0).get("reward").floatValue();
        assertEquals(m.score("", "yes"), 2f * rawReward + 0.5f, 1e-6);
    }

    @Test
    void anEmptyCompletionIsScoredAtThePromptsLastToken(@TempDir Path dir) throws IOException {
        RewardModel m = saved(dir);
        Path input = dir.resolve("in.jsonl");
        Files.writeString(input, "{\"prompt\": \"q: \", \"completion\": \"\"}\n");
        Rlhf4jTest.Result r = Rlhf4jTest.run("score", "--model", dir.toString(), "--input", input.toString(),
                "--progress", "none");
        assertEquals(0, r.code(), r.toString());
        assertEquals(m.score("q: ", ""), lines(r.out()).get(0).get("reward").floatValue());
    }

    @Test
    void maxBadLinesSkipsAndCountsThem(@TempDir Path dir) throws IOException {
        Path input = dir.resolve("in.jsonl");
        Files.writeString(input, "{\"text\": \"four\"}\n{\"text\": 4}\n{\"text\": \"sixsix\"}\n");
        Rlhf4jTest.Result r = Rlhf4jTest.run("score", "--function", "length", "--input", input.toString(),
                "--max-bad-lines", "1", "--progress", "none");
        assertEquals(0, r.code(), r.toString());
        assertEquals(2, lines(r.out()).size());
        assertTrue(r.err().contains("--input: skipped 1 bad lines (--max-bad-lines 1); the first: "), r.err());
        assertTrue(r.err().contains("in.jsonl:2: field \"text\""), r.err());
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("score", "--function", "length", "--input", input.toString()),
                "in.jsonl:2");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("score", "--function", "length", "--input", input.toString(),
                "--max-bad-lines", "-1"), "--max-bad-lines must be >= 0");
    }

    @Test
    void aFunctionScoresToo(@TempDir Path dir) throws IOException {
        Path outFile = dir.resolve("out.jsonl");
        Rlhf4jTest.Result r = Rlhf4jTest.run("score", "--function", "length", "--text", "four", "--text", "sixsix",
                "--output", outFile.toString(), "--progress", "none");
        assertEquals(0, r.code(), r.toString());
        List<JsonNode> out = lines(Files.readString(outFile));
        assertEquals(4, out.get(0).get("reward").asInt());
        assertEquals(6, out.get(1).get("reward").asInt());
    }

    @Test
    void badInputIsAOneLineUsageError(@TempDir Path dir) throws IOException {
        saved(dir);
        Path input = dir.resolve("in.jsonl");
        Files.writeString(input, "{\"completion\": \"ok\"}\n{\"completion\": 3}\n");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("score", "--model", dir.toString(), "--input", input.toString()),
                "in.jsonl:2", "completion");
        Files.writeString(input, "{\"completion\": \"ok\"\n");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("score", "--model", dir.toString(), "--input", input.toString()),
                "in.jsonl:1", "not valid JSON");
        Files.write(input, "{\"text\": \"ok\"}\n{\"text\": \"caf\u00e9\"}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("score", "--model", dir.toString(), "--input", input.toString()),
                "in.jsonl:2", "invalid UTF-8", "0xE9");
        Files.writeString(input, "{\"text\": \"a\", \"text\": \"b\"}\n");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("score", "--model", dir.toString(), "--input", input.toString()),
                "in.jsonl:1", "Duplicate field");
        Files.writeString(input, "{\"text\": \"a\"} trailing\n");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("score", "--model", dir.toString(), "--input", input.toString()),
                "in.jsonl:1", "not valid JSON");
        Files.writeString(input, "{\"completion\": \"\"}\n");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("score", "--model", dir.toString(), "--input", input.toString()),
                "in.jsonl:1", "field \"completion\"", "no prompt");
        Files.writeString(input, "{\"prompt\": \"p\"}\n");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("score", "--model", dir.toString(), "--input", input.toString()),
                "\"text\"");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("score", "--model", dir.resolve("nope").toString(), "--text", "a"),
                "does not exist");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("score", "--text", "a"), "--model");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("score", "--model", dir.toString(), "--text", "ABC"), "'A'");
        assertTrue(Rlhf4jTest.run("score", "--function", "vibes", "--text", "a").err().contains("length"));
    }
}
