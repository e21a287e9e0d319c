package org.rlhf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.TokenStream;
import org.rlhf4j.data.tokenizer.CharTokenizer;
import org.rlhf4j.kernels.Backends;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.train.MetricsLog;
import org.rlhf4j.train.Overrides;
import org.rlhf4j.train.Recipe;
import org.rlhf4j.train.TrainListener;
import org.rlhf4j.train.Trainer;
import org.rlhf4j.train.TrainingData;

/** The command line, run in-process through picocli with stdout and stderr captured. */
class Rlhf4jTest {

    record Result(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Rlhf4j.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    static Path corpus(Path dir) throws IOException {
        Path file = dir.resolve("corpus.txt");
        Files.writeString(file, ("ROMEO:\nBut soft, what light through yonder window breaks?\n"
                + "It is the east, and Juliet is the sun.\n\n").repeat(20));
        return file;
    }

    /** Exit 2, exactly one line on stderr containing every fragment, no stack trace. */
    static void assertUsageError(Result r, String... fragments) {
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), "one line on stderr: " + r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' in " + r.err());
        }
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void wrongFlagIsOneLineAndExitCode2() {
        assertUsageError(run("sample", "--checkpoit", "x", "--prompt", "a"), "--checkpoit", "--help");
        assertUsageError(run("pretrain", "--out", "x", "--max_itres=3"), "--max_itres", "max_iters");
        assertUsageError(run("pretrian"), "pretrian");
        assertUsageError(run(), "no command");
    }

    @Test
    void missingCorpusNamesThePath(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-corpus.txt");
        Result r = run("pretrain", "--preset", "tiny", "--corpus", missing.toString(), "--out", dir.resolve("run").toString());
        assertUsageError(r, missing.toString(), "does not exist");
        assertUsageError(run("pretrain", "--preset", "shakespeare-char", "--out", dir.toString()), "--corpus");
    }

    @Test
    void badSettingsAndPresetsAreUsageErrors(@TempDir Path dir) throws IOException {
        String c = corpus(dir).toString(), out = dir.resolve("run").toString();
        assertUsageError(run("pretrain", "--preset", "huge", "--corpus", c, "--out", out), "huge", "tiny");
        assertUsageError(run("pretrain", "--preset", "tiny", "--corpus", c, "--out", out, "--set", "max_iters=ten"),
                "max_iters", "integer");
        assertUsageError(run("pretrain", "--preset", "tiny", "--corpus", c, "--out", out, "--set", "n_head=3"),
                "multiple of nHead");
        assertUsageError(run("pretrain", "--preset", "tiny", "--corpus", c, "--out", out, "--resume"), "--resume");
    }

    @Test
    void stacktraceOnRequest() {
        Result r = run("sample", "--checkpoint", "/nonexistent-rlhf4j", "--prompt", "a", "--stacktrace");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void benchWithoutTheBenchPackageSaysSo() {
        boolean present;
        try {
            Class.forName(BenchCommand.BENCH);
            present = true;
        } catch (ClassNotFoundException e) {
            present = false;
        }
        org.junit.jupiter.api.Assumptions.assumeFalse(present, "org.rlhf4j.bench is in this build; running it is not a unit test");
        assertUsageError(run("bench", "matmul", "--quick"), "no benchmarks");
    }

    @Test
    void infoListsTheBackend() {
        Result r = run("info");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("backend:    " + Backends.currentName()), r.out());
        assertTrue(r.out().contains("java:") && r.out().contains("threads:") && r.out().contains("vector api:")
                && r.out().contains("max heap:"), r.out());
        // one line per OpenCL device, or one line saying there is none and why (an interface: keep stable)
        List<String> opencl = r.out().lines().filter(l -> l.startsWith("opencl:     ")).toList();
        assertFalse(opencl.isEmpty(), r.out());
        String device = "opencl:     #\\d+ platform=\".+\" device=\".+\" compute-units=\\d+ type=[a-z_]+";
        if (org.rlhf4j.kernels.OpenClSupport.available()) {
            assertTrue(opencl.stream().allMatch(l -> l.matches(device)), r.out());
        } else {
            assertEquals(1, opencl.size(), r.out());
            assertTrue(opencl.get(0).startsWith("opencl:     none: ") && opencl.get(0).contains("apt-get install"), r.out());
        }
    }

    @Test
    void pretrainWritesMetricsAndACheckpointThatSampleLoads(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        Result r = run("pretrain", "--preset", "tiny", "--corpus", corpus(dir).toString(), "--out", out.toString(),
                "--max_iters=6", "--set", "eval_interval=3", "--set", "log_interval=2", "--eval_iters=2");
        assertEquals(0, r.code(), r.toString());
        // no terminal here (as on CI): the progress bar is plain lines, never redrawn with \r
        assertFalse(r.err().contains("\r"), r.err());
        assertTrue(r.err().contains("6/6 100.0% | loss ") && r.err().contains("tok/s | ETA 0s"), r.err());
        assertTrue(r.out().contains("step 6: train loss"), r.out());
        assertTrue(r.out().contains("final validation loss"), r.out());
        List<JsonNode> rows = new MetricsLog(out.resolve("metrics.jsonl")).read();
        assertEquals(List.of(2, 3, 4, 6), rows.stream().map(n -> n.get("step").asInt()).toList());
        assertTrue(rows.get(1).has("val_loss") && rows.get(0).has("tokens_per_sec"), rows.toString());

        Result s = run("sample", "--checkpoint", out.toString(), "--prompt", "ROMEO:", "--max-tokens", "20", "--seed", "3");
        assertEquals(0, s.code(), s.toString());
        String completion = s.out().substring(0, s.out().length() - System.lineSeparator().length());
        assertEquals(20, completion.codePointCount(0, completion.length()), s.out());
        assertEquals(s.out(), run("sample", "--checkpoint", out.resolve("checkpoint").toString(), "--prompt", "ROMEO:",
                "--max-tokens", "20", "--seed", "3").out(), "same seed, same text");

        assertUsageError(run("sample", "--checkpoint", out.toString(), "--prompt", "\u00e9"), "\u00e9");
        // a second pretrain into the same --out would clobber the run: refused unless --resume
        Result again = run("pretrain", "--preset", "tiny", "--corpus", corpus(dir).toString(), "--out", out.toString());
        assertUsageError(again, "--resume");
    }

    @Test
    void resumeContinuesAnInterruptedRun(@TempDir Path dir) throws IOException {
        // an interrupted run: the CLI's own set-up (tiny preset, char tokenizer of the corpus), stopped at step 2 of 4
        Path out = dir.resolve("run"), c = corpus(dir);
        String text = Files.readString(c);
        CharTokenizer tok = CharTokenizer.fromCorpus(text);
        Recipe r = Overrides.apply(Recipe.tiny(), Map.of("max_iters", "4"));
        Trainer.start(new Gpt(r.model().withVocabSize(tok.vocabSize()), new Generator(r.train().seed())), tok, r.train(),
                TrainingData.blocks(TokenStream.encode(tok, text).split()), out, TrainListener.NONE).runUntil(2);

        Result res = run("pretrain", "--corpus", c.toString(), "--out", out.toString(), "--resume", "--progress=none");
        assertEquals(0, res.code(), res.toString());
        assertTrue(res.out().contains("resuming") && res.out().contains("at step 2 of 4"), res.out());
        List<JsonNode> rows = new MetricsLog(out.resolve("metrics.jsonl")).read();
        assertEquals(4, rows.get(rows.size() - 1).get("step").asInt(), rows.toString());
        assertUsageError(run("pretrain", "--corpus", c.toString(), "--out", out.toString(), "--resume", "--max_iters=9"),
                "--resume", "max_iters");
    }
}
