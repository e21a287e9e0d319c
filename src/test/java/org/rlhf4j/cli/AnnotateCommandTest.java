package org.rlhf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.cli.Rlhf4jTest.Result;
import org.rlhf4j.feedback.Candidates;
import org.rlhf4j.feedback.PairwisePreference;
import org.rlhf4j.feedback.Preference;
import org.rlhf4j.feedback.PreferenceJson;
import org.rlhf4j.feedback.PreferenceReader;
import org.rlhf4j.feedback.RankedPreference;
import org.rlhf4j.feedback.UciSentences;

/** {@code rlhf4j annotate}, in-process: ranked JSONL appended, an agreement report, one-line usage errors. */
class AnnotateCommandTest {

    @TempDir
    Path dir;

    /** 40 items of 3 Yelp sentences each, as {"prompt", "completions"} lines. */
    private Path input() throws IOException {
        List<UciSentences.Sentence> yelp = UciSentences.load(UciSentences.Domain.YELP);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            sb.append("{\"prompt\": \"Review ").append(i).append(":\", \"completions\": [");
            for (int j = 0; j < 3; j++) {
                sb.append(j == 0 ? "" : ", ").append(TextNode.valueOf(yelp.get(i * 25 + j * 7).text()));
            }
            sb.append("]}\n");
        }
        Path f = dir.resolve("items.jsonl");
        Files.writeString(f, sb.toString());
        return f;
    }

    @Test
    void aVaderPanelRanksEveryItemAndReportsAgreement() throws IOException {
        Path in = input(), out = dir.resolve("labels/ranked.jsonl");
        Result r = Rlhf4jTest.run("annotate", "--input", in.toString(), "--out", out.toString(), "--panel-size", "4",
                "--seed", "3");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("annotate: 40 items (K = 3), a panel of 4 vader annotators (seed 3), labels by round-robin"), r.out());
        double agreement = number(r.out(), "agreement between annotators: ([0-9.]+) of the candidate pairs both decide "
                + "ordered alike \\(mean over 6 pairs of annotators; both decide [0-9.]+% of the 120 candidate pairs\\)");
        double tau = number(r.out(), "Kendall's tau-b between annotators: ([0-9.-]+)");
        assertTrue(tau > 0 && tau < 1, r.out());
        assertTrue(agreement > 0.5 && agreement < 1, r.out());
        double truth = number(r.out(), "agreement with the ground truth \\(the mean ratings\\) on the [0-9.]+% of pairs "
                + "it decides \\(an annotator's tie counts 1/2\\): mean ([0-9.]+); vader#0 ");
        assertTrue(truth > 0.5 && truth < 1, r.out());
        double written = number(r.out(), "the round-robin labels written agree with the ground truth on ([0-9.]+) of the pairs");
        assertTrue(written > 0.5 && written <= 1, r.out());
        assertTrue(r.out().contains("appended 40 ranked records to " + out), r.out());

        List<Preference> records = PreferenceReader.read(out).records();
        List<Candidates> items = PreferenceReader.readCandidates(in, PreferenceReader.Options.strict()).items();
        assertEquals(40, records.size());
        for (int i = 0; i < 40; i++) {
            RankedPreference p = (RankedPreference) records.get(i);
            assertEquals(items.get(i).prompt(), p.prompt());
            assertEquals(items.get(i).completions(), p.completions(), "completions kept in input order; ranking says best first");
        }
        // the same command again finds every item in --out and appends nothing
        Result again = Rlhf4jTest.run("annotate", "--input", in.toString(), "--out", out.toString(), "--panel-size", "4",
                "--seed", "3");
        assertEquals(0, again.code(), again.toString());
        assertTrue(again.out().contains("skipped 40 items already in " + out), again.out());
        assertEquals(records, PreferenceReader.read(out).records());
        // into a fresh file, the same seed gives the same labels (same draws)
        Path fresh = dir.resolve("fresh.jsonl");
        assertEquals(0, Rlhf4jTest.run("annotate", "--input", in.toString(), "--out", fresh.toString(), "--panel-size",
                "4", "--seed", "3").code());
        assertEquals(records, PreferenceReader.read(fresh).records());
    }

    @Test
    void aReRunLabelsOnlyNewItemsAndBadLinesCanBeSkipped() throws IOException {
        Path in = dir.resolve("in.jsonl"), out = dir.resolve("out.jsonl");
        Files.writeString(in, "{\"completions\": [\"a\", \"bbb\"]}\n");
        assertEquals(0, Rlhf4jTest.run("annotate", "--input", in.toString(), "--out", out.toString(), "--rule",
                "length").code());
        Files.writeString(in, "{\"completions\": [\"bbb\", \"a\"]}\n{\"completions\": 7}\n"
                + "{\"completions\": [\"cc\", \"d\"]}\n");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("annotate", "--input", in.toString(), "--out", out.toString(),
                "--rule", "length"), "in.jsonl:2", "completions");
        Result r = Rlhf4jTest.run("annotate", "--input", in.toString(), "--out", out.toString(), "--rule", "length",
                "--max-bad-lines", "1");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("skipped 1 bad lines of " + in + " (--max-bad-lines 1); the first: " + in + ":2"), r.out());
        assertTrue(r.out().contains("skipped 1 items already in " + out), "a prompt-less item is keyed on its completions: " + r.out());
        assertTrue(r.out().contains("appended 1 ranked records"), r.out());
        assertEquals(List.of(new RankedPreference("", List.of("a", "bbb"), List.of(1, 0)),
                new RankedPreference("", List.of("cc", "d"), List.of(0, 1))), PreferenceReader.read(out).records());
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("annotate", "--input", in.toString(), "--out", out.toString(),
                "--max-bad-lines", "-1"), "--max-bad-lines must be >= 0");
    }

    /** The reviewer's run: no candidate holds a rated word; it reported agreement 1.000 and wrote [0, 1, 2]. */
    @Test
    void itemsWithNothingToPreferAreSkippedNotAgreedOn() throws IOException {
        Path in = dir.resolve("plain.jsonl"), out = dir.resolve("plain-out.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            sb.append("{\"prompt\": \"p").append(i).append("\", \"completions\": [\"the whale\", \"a ship\", \"the sea\"]}\n");
        }
        Files.writeString(in, sb.toString());
        Result r = Rlhf4jTest.run("annotate", "--input", in.toString(), "--out", out.toString(), "--panel-size", "3");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("agreement between annotators: none to measure"), r.out());
        assertTrue(!r.out().contains("1.000") && !r.out().contains("NaN"), r.out());
        assertTrue(r.out().contains("skipped 5 items the annotator scored all equal"), r.out());
        assertTrue(r.out().contains("appended 0 ranked records"), r.out());
        assertEquals(List.of(), PreferenceReader.read(out).records());
    }

    @Test
    void pairwiseLinesAreRelabelledByARule() throws IOException {
        Path in = dir.resolve("pairs.jsonl"), out = dir.resolve("out.jsonl");
        Files.writeString(in, PreferenceJson.format(new PairwisePreference("", "short", "a much longer answer")) + "\n"
                + PreferenceJson.format(new RankedPreference("q", List.of("aa", "a", "aaa"), List.of(1, 0, 2))) + "\n");
        Result r = Rlhf4jTest.run("annotate", "--input", in.toString(), "--out", out.toString(), "--rule", "length",
                "--panel-size", "3", "--aggregate", "majority");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("agreement between annotators: 1.000"), r.out());
        assertTrue(r.out().contains("agreement with the ground truth (the rule itself) on the 100.0% of pairs it decides (an annotator's tie counts 1/2): mean 1.000"), r.out());
        assertEquals(List.of(new RankedPreference("", List.of("short", "a much longer answer"), List.of(1, 0)),
                new RankedPreference("q", List.of("aa", "a", "aaa"), List.of(2, 0, 1))), PreferenceReader.read(out).records());

        Result kw = Rlhf4jTest.run("annotate", "--input", in.toString(), "--out", dir.resolve("kw.jsonl").toString(), "--rule", "keywords",
                "--keywords", "short,a", "--panel-size", "1");
        assertEquals(0, kw.code(), kw.toString());
        assertTrue(kw.out().contains("none to measure (a panel of one)"), kw.out());
        Result none = Rlhf4jTest.run("annotate", "--input", in.toString(), "--out", dir.resolve("none.jsonl").toString(), "--rule", "keywords",
                "--keywords", "whale", "--panel-size", "2");
        assertEquals(0, none.code(), none.toString());
        assertTrue(none.out().contains("agreement with the ground truth (the rule itself): none to measure, it scores "
                + "every pair equal"), none.out());
        assertTrue(none.out().contains("agreement between annotators: none to measure"), none.out());
        assertTrue(none.out().contains("skipped 2 items the annotator scored all equal"), none.out());
        assertTrue(!none.out().contains("NaN"), none.out());
    }

    @Test
    void usageErrorsAreOneLineAndExitTwo() throws IOException {
        Path in = input(), out = dir.resolve("out.jsonl");
        String i = in.toString(), o = out.toString();
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("annotate", "--input", dir.resolve("nope.jsonl").toString(), "--out", o),
                "--input", "nope.jsonl does not exist");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("annotate", "--input", i, "--out", o, "--rule", "mood"),
                "--rule: unknown 'mood'; choose vader, length or keywords");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("annotate", "--input", i, "--out", o, "--rule", "keywords"),
                "--rule keywords needs --keywords");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("annotate", "--input", i, "--out", o, "--keywords", "x"),
                "--keywords only applies to --rule keywords");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("annotate", "--input", i, "--out", o, "--panel-size", "0"),
                "--panel-size must be between 1 and 1000, got 0");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("annotate", "--input", i, "--out", o, "--aggregate", "vote"),
                "--aggregate: unknown 'vote'");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("annotate", "--input", i, "--out", o, "--panel-size", "many"),
                "--panel-size");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("annotate", "--out", o), "Missing required option: '--input=<jsonl>'");
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"prompt\": \"p\", \"completions\": [\"a\", \"b\"]}\n{\"prompt\": \"p\", \"completions\": [\"a\"]}\n");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("annotate", "--input", bad.toString(), "--out", o),
                bad + ":2: field \"completions\": must hold at least 2 completions to rank, got 1");
        Path empty = dir.resolve("empty.jsonl");
        Files.writeString(empty, "");
        Rlhf4jTest.assertUsageError(Rlhf4jTest.run("annotate", "--input", empty.toString(), "--out", o),
                empty + ":1: the file is empty");
        assertTrue(!Files.exists(out), "nothing written by a failed command");
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "'" + regex + "' in " + text);
        return Double.parseDouble(m.group(1));
    }
}
