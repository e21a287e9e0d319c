package org.rlhf4j.feedback.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.feedback.PairwisePreference;
import org.rlhf4j.feedback.Preference;
import org.rlhf4j.feedback.PreferenceReader;
import org.rlhf4j.feedback.PreferenceWriter;
import org.rlhf4j.feedback.RankedPreference;

/** The terminal flow, driven through its input stream. */
class TerminalLabellerTest {

    private static final List<String> PROMPTS = List.of("one", "two", "three", "four");

    record Run(TerminalLabeller.Ending ending, String screen, Progress progress) { }

    static Run run(LabelSession session, String input) throws IOException {
        StringWriter screen = new StringWriter();
        TerminalLabeller.Ending ending = new TerminalLabeller(session, new StringReader(input), new PrintWriter(screen)).run();
        return new Run(ending, screen.toString(), session.progress());
    }

    static RankedPreference ranked(String prompt, Integer... ranking) {
        return new RankedPreference(prompt, List.of(prompt + " / answer 0", prompt + " / answer 1", prompt + " / answer 2"),
                List.of(ranking));
    }

    @Test
    void rankingsInEveryFormAreWrittenInOrder() throws IOException {
        Fixtures.Kept sink = new Fixtures.Kept();
        LabelSession s = new LabelSession(PROMPTS, Set.of(), Fixtures.LETTERS, LabelMode.RANK, 3, sink);
        Run r = run(s, "2 0 1\n201\n1,2\ns\n");
        assertEquals(TerminalLabeller.Ending.FINISHED, r.ending());
        assertEquals(List.of(ranked("one", 2, 0, 1), ranked("two", 2, 0, 1), ranked("three", 1, 2, 0)), sink.records);
        assertEquals(new Progress(4, 0, 3, 1, 0, 0), r.progress());
        assertTrue(r.screen().contains("=== 1 of 4 ===\nPrompt:\n  one\n--- [0]\n  one / answer 0\n--- [1]"), r.screen());
        assertTrue(r.screen().contains("All prompts dealt with. Labelled 3, skipped 1, 0 still to do; 3 of 4 labelled in all."),
                r.screen());
    }

    @Test
    void badAnswersAreRefusedWithTheReasonAndAskedAgain() throws IOException {
        Fixtures.Kept sink = new Fixtures.Kept();
        LabelSession s = new LabelSession(List.of("one"), Set.of(), Fixtures.LETTERS, LabelMode.RANK, 3, sink);
        Run r = run(s, "\n3 0 1\n1 1 0\nbest\n?\n0 2 1\n");
        assertEquals(List.of(ranked("one", 0, 2, 1)), sink.records);
        assertTrue(r.screen().contains("! nothing typed; try again"), r.screen());
        assertTrue(r.screen().contains("! 3 is not a completion number; they are 0..2; try again"), r.screen());
        assertTrue(r.screen().contains("! 1 appears twice"), r.screen());
        assertTrue(r.screen().contains("! 'best' is not a completion number"), r.screen());
        assertEquals(2, r.screen().split("Keys \\(then Enter\\)", -1).length - 1, "help at the start and after ?");
        assertEquals(6, r.screen().split("Ranking, best first", -1).length - 1, "asked once per line read");
    }

    @Test
    void pairwiseTakesDigitsOrLetters() throws IOException {
        Fixtures.Kept sink = new Fixtures.Kept();
        LabelSession s = new LabelSession(PROMPTS, Set.of(), Fixtures.LETTERS, LabelMode.PAIRWISE, 2, sink);
        Run r = run(s, "1\nB\n3\n0\na\n2\n");
        assertEquals(List.of(new PairwisePreference("one", "one / answer 0", "one / answer 1"),
                new PairwisePreference("two", "two / answer 1", "two / answer 0"),
                new PairwisePreference("three", "three / answer 0", "three / answer 1"),
                new PairwisePreference("four", "four / answer 1", "four / answer 0")), sink.records);
        assertTrue(r.screen().contains("--- [1] (a)\n  one / answer 0\n--- [2] (b)"), r.screen());
        assertTrue(r.screen().contains("! '3' is not a choice: type 1 or a if the first is better"), r.screen());
        assertEquals(TerminalLabeller.Ending.FINISHED, r.ending());
    }

    @Test
    void anInterruptedSessionResumesWhereItStopped() throws IOException {
        Fixtures.Kept sink = new Fixtures.Kept();
        // The input ends while the fourth prompt's answer is typed, before its Enter: two answers stand.
        Run first = run(new LabelSession(PROMPTS, Set.of(), Fixtures.LETTERS, LabelMode.RANK, 3, sink),
                "0 1 2\ns\n2 0 1\n0 1");
        assertEquals(TerminalLabeller.Ending.END_OF_INPUT, first.ending());
        assertEquals(List.of("one", "three"), sink.prompts());
        assertEquals(new Progress(4, 0, 2, 1, 0, 1), first.progress());
        assertTrue(first.screen().endsWith("End of input. Labelled 2, skipped 1, 1 still to do; 2 of 4 labelled in all.\n"),
                first.screen());

        // The next session is given the prompts found in the output: it asks "two" (skipped) and "four" only.
        assertEquals(ranked("three", 2, 0, 1), sink.records.get(1));
        LabelSession again = new LabelSession(PROMPTS, Set.copyOf(sink.prompts()), Fixtures.LETTERS, LabelMode.RANK, 3, sink);
        assertEquals(new Progress(4, 2, 0, 0, 0, 2), again.progress());
        Run second = run(again, "1 0 2\nq\n");
        assertEquals(TerminalLabeller.Ending.QUIT, second.ending());
        assertTrue(second.screen().contains("=== 3 of 4 ===\nPrompt:\n  two\n"), second.screen());
        assertFalse(second.screen().contains("Prompt:\n  one\n"), second.screen());
        assertEquals(List.of("one", "three", "two"), sink.prompts());

        Run third = run(new LabelSession(PROMPTS, Set.copyOf(sink.prompts()), Fixtures.LETTERS, LabelMode.RANK, 3, sink),
                "2 1 0\n");
        assertEquals(TerminalLabeller.Ending.FINISHED, third.ending());
        assertEquals(List.of("one", "three", "two", "four"), sink.prompts());
        assertEquals(ranked("four", 2, 1, 0), sink.records.get(3));
    }

    @Test
    void resumingFromTheOutputFileAsTheCommandLineDoes(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("labels.jsonl");
        try (PreferenceWriter w = PreferenceWriter.open(out)) {
            run(new LabelSession(PROMPTS, PreferenceReader.promptsIn(out), Fixtures.LETTERS, LabelMode.RANK, 3, w::write),
                    "2 0 1\n1 0 2\n");
        }
        // A crash while the third answer was being written leaves a torn line: it was never acknowledged.
        Files.writeString(out, "{\"prompt\": \"three\", \"compl", StandardOpenOption.APPEND);
        assertEquals(Set.of("one", "two"), PreferenceReader.promptsIn(out));
        Run second;
        try (PreferenceWriter w = PreferenceWriter.open(out)) {
            second = run(new LabelSession(PROMPTS, PreferenceReader.promptsIn(out), Fixtures.LETTERS, LabelMode.RANK, 3,
                    w::write), "0 1 2\n2 1 0\n");
        }
        assertTrue(second.screen().contains("=== 3 of 4 ===\nPrompt:\n  three\n"), second.screen());
        assertEquals(TerminalLabeller.Ending.FINISHED, second.ending());
        assertEquals(List.of(ranked("one", 2, 0, 1), ranked("two", 1, 0, 2), ranked("three", 0, 1, 2), ranked("four", 2, 1, 0)),
                PreferenceReader.read(out).records());
    }

    @Test
    void quitStopsAtOnceAndNothingElseIsWritten() throws IOException {
        Fixtures.Kept sink = new Fixtures.Kept();
        Run r = run(new LabelSession(PROMPTS, Set.of(), Fixtures.LETTERS, LabelMode.RANK, 3, sink), "QUIT\n0 1 2\n");
        assertEquals(TerminalLabeller.Ending.QUIT, r.ending());
        assertEquals(List.<Preference>of(), sink.records);
    }

    @Test
    void controlCharactersInModelOutputNeverReachTheTerminal() throws IOException {
        CandidateSource hostile = (p, k) -> List.of("red \u001b[31mtext\u001b[0m\r\nline two\tand tab", "plain\u0007bell");
        Run r = run(new LabelSession(List.of("p"), Set.of(), hostile, LabelMode.RANK, 2, new Fixtures.Kept()), "q\n");
        assertFalse(r.screen().contains("\u001b"), r.screen());
        assertFalse(r.screen().contains("\u0007"), r.screen());
        assertTrue(r.screen().contains("  red \\u001b[31mtext\\u001b[0m\n  line two\tand tab"), r.screen());
        assertTrue(r.screen().contains("  plain\\u0007bell"), r.screen());
    }

    @Test
    void promptsWithTooFewCompletionsAreReportedNotAsked() throws IOException {
        CandidateSource source = (p, k) -> p.equals("two") ? List.of("only one") : Fixtures.LETTERS.candidates(p, k);
        Fixtures.Kept sink = new Fixtures.Kept();
        Run r = run(new LabelSession(List.of("one", "two", "three"), Set.of(), source, LabelMode.RANK, 2, sink), "0 1\n1 0\n");
        assertEquals(List.of("one", "three"), sink.prompts());
        assertTrue(r.screen().contains("passed over 1 (fewer than 2 distinct completions)"), r.screen());
        assertTrue(r.screen().contains("(passed over, fewer than 2 distinct completions: two)\n\n=== 3 of 3 ==="), r.screen());
    }
}
