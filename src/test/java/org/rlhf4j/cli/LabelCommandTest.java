package org.rlhf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rlhf4j.cli.Rlhf4jTest.assertUsageError;
import static org.rlhf4j.cli.Rlhf4jTest.run;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code rlhf4j label}: flags, the terminal flow from prepared candidates, resume, and --serve. */
@Timeout(60)
class LabelCommandTest {

    @TempDir
    Path dir;

    @AfterEach
    void restoreInput() {
        LabelCommand.input = System.in;
    }

    private Path candidates() throws IOException {
        return Files.writeString(dir.resolve("cands.jsonl"),
                "{\"prompt\": \"p1\", \"completions\": [\"a\", \"b\", \"c\"]}\n"
                        + "{\"prompt\": \"p2\", \"completions\": [\"d\", \"e\", \"f\"]}\n"
                        + "{\"prompt\": \"p3\", \"completions\": [\"g\", \"h\", \"i\"]}\n");
    }

    private static Rlhf4jTest.Result withInput(String input, String... args) {
        LabelCommand.input = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
        return run(args);
    }

    @Test
    void terminalLabellingFromCandidatesResumesWhereItStopped() throws IOException {
        Path out = dir.resolve("labels.jsonl");
        String c = candidates().toString();
        Rlhf4jTest.Result first = withInput("2 1 0\n", "label", "--candidates", c, "--k", "3", "--out", out.toString());
        assertEquals(0, first.code(), first.toString());
        assertTrue(first.out().contains("End of input. Labelled 1"), first.out());
        assertEquals(List.of("{\"prompt\":\"p1\",\"completions\":[\"a\",\"b\",\"c\"],\"ranking\":[2,1,0]}"),
                Files.readAllLines(out));

        Rlhf4jTest.Result second = withInput("0 1 2\n1 2 0\n", "label", "--candidates", c, "--k", "3", "--out", out.toString());
        assertEquals(0, second.code(), second.toString());
        assertTrue(second.out().contains("=== 2 of 3 ===\nPrompt:\n  p2"), second.out());
        assertTrue(second.out().contains("All prompts dealt with. Labelled 2, skipped 0, 0 still to do; 3 of 3 labelled in all."),
                second.out());
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(2).contains("\"prompt\":\"p3\"") && lines.get(2).contains("\"ranking\":[1,2,0]"), lines.get(2));
    }

    /** Prompt-less candidates were keyed on "" and collapsed into one item; now each line is its own. */
    @Test
    void promptlessCandidatesAreEachAskedAndResumedByTheirCompletions() throws IOException {
        Path out = dir.resolve("labels.jsonl");
        String c = Files.writeString(dir.resolve("noprompt.jsonl"),
                "{\"completions\": [\"a\", \"b\"]}\n{\"completions\": [\"c\", \"d\"]}\n"
                        + "{\"completions\": [\"b\", \"a\"]}\n{\"completions\": [\"e\", \"f\"]}\n").toString();
        Rlhf4jTest.Result first = withInput("1 0\n", "label", "--candidates", c, "--k", "2", "--out", out.toString());
        assertEquals(0, first.code(), first.toString());
        assertTrue(first.out().contains("note: 1 lines of " + c + " repeat an earlier line"), first.out());
        Rlhf4jTest.Result second = withInput("0 1\n0 1\n", "label", "--candidates", c, "--k", "2", "--out", out.toString());
        assertEquals(0, second.code(), second.toString());
        assertTrue(second.out().contains("3 of 3 labelled in all"), second.out());
        List<String> lines = Files.readAllLines(out);
        assertEquals(List.of("{\"prompt\":\"\",\"completions\":[\"a\",\"b\"],\"ranking\":[1,0]}",
                "{\"prompt\":\"\",\"completions\":[\"c\",\"d\"],\"ranking\":[0,1]}",
                "{\"prompt\":\"\",\"completions\":[\"e\",\"f\"],\"ranking\":[0,1]}"), lines);
    }

    @Test
    void completionsSampledFromACheckpoint() throws IOException {
        Path run = dir.resolve("run");
        Rlhf4jTest.Result trained = run("pretrain", "--preset", "tiny", "--corpus", Rlhf4jTest.corpus(dir).toString(),
                "--out", run.toString(), "--max_iters=2", "--eval_iters=1");
        assertEquals(0, trained.code(), trained.toString());
        Path prompts = Files.writeString(dir.resolve("prompts.txt"), "ROMEO:\nBut soft\n");
        Path out = dir.resolve("labels.jsonl");
        String[] args = {"label", "--checkpoint", run.toString(), "--prompts", prompts.toString(), "--k", "3",
                "--max-tokens", "8", "--out", out.toString()};
        Rlhf4jTest.Result r = withInput("2 1 0\ns\n", args);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("=== 1 of 2 ===\nPrompt:\n  ROMEO:\n--- [0]"), r.out());
        List<String> lines = Files.readAllLines(out);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("{\"prompt\":\"ROMEO:\",\"completions\":[") && lines.get(0).endsWith(",\"ranking\":[2,1,0]}"),
                lines.get(0));
        // The skipped prompt comes back; the answered one does not, and is sampled the same way.
        Rlhf4jTest.Result again = withInput("q\n", args);
        assertTrue(again.out().contains("=== 2 of 2 ===\nPrompt:\n  But soft"), again.out());
        // Text the tokenizer has never seen is refused before anything is asked.
        Path unknown = Files.writeString(dir.resolve("unknown.txt"), "ROMEO:\nJULIET:\n");
        assertUsageError(run("label", "--checkpoint", run.toString(), "--prompts", unknown.toString(), "--out", out.toString()),
                "prompt 2 cannot be encoded");
    }

    @Test
    void pairwiseFromAPromptFileWritesChosenAndRejected() throws IOException {
        Path out = dir.resolve("pairs.jsonl");
        Path prompts = Files.writeString(dir.resolve("prompts.txt"), "p2\nnot in the candidates\n");
        Rlhf4jTest.Result r = withInput("b\n", "label", "--candidates", candidates().toString(), "--prompts", prompts.toString(),
                "--mode", "pairwise", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals(List.of("{\"prompt\":\"p2\",\"chosen\":\"e\",\"rejected\":\"d\"}"), Files.readAllLines(out));
        assertTrue(r.out().contains("passed over 1"), r.out());
    }

    @Test
    void badFlagsAreOneLineUsageErrors() throws IOException {
        String c = candidates().toString();
        String out = dir.resolve("o.jsonl").toString();
        assertUsageError(run("label", "--out", out), "--checkpoint", "--candidates");
        assertUsageError(run("label", "--candidates", c, "--checkpoint", dir.toString(), "--out", out), "mutually exclusive");
        assertUsageError(run("label", "--candidates", c, "--out", out, "--mode", "best"), "--mode: unknown label mode 'best'");
        assertUsageError(run("label", "--candidates", c, "--out", out, "--mode", "pairwise", "--k", "3"), "--k 3 with --mode pairwise");
        assertUsageError(run("label", "--candidates", c, "--out", out, "--k", "1"), "--k must be between 2 and 26");
        assertUsageError(run("label", "--candidates", dir.resolve("nope.jsonl").toString(), "--out", out), "--candidates", "does not exist");
        assertUsageError(run("label", "--candidates", c, "--prompts", dir.toString(), "--out", out), "--prompts", "is not a file");
        assertUsageError(run("label", "--candidates", c, "--out", dir.toString()), "is a directory");
        assertUsageError(run("label", "--checkpoint", dir.toString(), "--out", out), "--checkpoint needs --prompts");
        Path prompts = Files.writeString(dir.resolve("p.txt"), "hello\n");
        assertUsageError(run("label", "--checkpoint", dir.resolve("none").toString(), "--prompts", prompts.toString(), "--out", out),
                "--checkpoint", "does not exist");
        assertUsageError(run("label", "--checkpoint", dir.toString(), "--prompts", prompts.toString(), "--out", out,
                "--temperature", "0"), "--temperature 0 is greedy");
        assertUsageError(run("label", "--candidates", c, "--out", out, "--serve", "--port", "70000"), "--port");
        Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"prompt\": \"p\", \"completions\": 3}\n");
        assertUsageError(run("label", "--candidates", bad.toString(), "--out", out), "bad.jsonl:1: field \"completions\"");
    }

    @Test
    void servePrintsTheAddressAndReturnsWhenEverythingIsLabelled() throws Exception {
        Path out = dir.resolve("served.jsonl");
        StringWriter screen = new StringWriter();
        String[] args = {"label", "--candidates", candidates().toString(), "--mode", "pairwise", "--out", out.toString(), "--serve"};
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(
                () -> Rlhf4j.run(args, new PrintWriter(screen, true), new PrintWriter(new StringWriter(), true)));
        Matcher url = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/)").matcher("");
        for (int i = 0; i < 200 && !url.reset(screen.toString()).find(); i++) {
            Thread.sleep(50);
        }
        assertTrue(url.reset(screen.toString()).find(), screen.toString());
        URI base = URI.create(url.group(1));
        HttpClient http = HttpClient.newHttpClient();
        String page = http.send(HttpRequest.newBuilder(base).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher token = Pattern.compile("content=\"([0-9a-f]{32})\"").matcher(page);
        assertTrue(token.find());
        for (int i = 0; i < 3; i++) {
            String next = http.send(HttpRequest.newBuilder(base.resolve("/api/next")).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher id = Pattern.compile("\"id\":(\\d+)").matcher(next);
            assertTrue(id.find(), next);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/submit"))
                    .header("X-Label-Token", token.group(1)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\": " + id.group(1) + ", \"ranking\": [0, 1]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
        }
        http.send(HttpRequest.newBuilder(base.resolve("/api/next")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(0, code.get(20, TimeUnit.SECONDS), screen.toString());
        assertTrue(screen.toString().contains("All prompts dealt with: labelled 3, skipped 0"), screen.toString());
        assertEquals(3, Files.readAllLines(out).size());

        Rlhf4jTest.Result again = run(args);
        assertEquals(0, again.code(), again.toString());
        assertTrue(again.out().startsWith("Nothing to label: 3 of 3 prompts are in "), again.out());
    }
}
