package org.rlhf4j.feedback.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rlhf4j.feedback.PairwisePreference;
import org.rlhf4j.feedback.RankedPreference;

class LabelSessionTest {

    @Test
    void rankedAnswersBecomeRankedRecordsInPromptOrder() throws IOException {
        Fixtures.Kept sink = new Fixtures.Kept();
        LabelSession s = new LabelSession(List.of("p", "q"), Set.of(), Fixtures.LETTERS, LabelMode.RANK, 3, sink);
        LabelItem first = s.current().orElseThrow();
        assertEquals("p", first.prompt());
        s.submit(first.id(), List.of(2, 0, 1));
        LabelItem second = s.current().orElseThrow();
        s.submit(second.id(), List.of(0, 1, 2));
        assertTrue(s.current().isEmpty());
        assertEquals(List.of(new RankedPreference("p", List.of("p / answer 0", "p / answer 1", "p / answer 2"), List.of(2, 0, 1)),
                new RankedPreference("q", List.of("q / answer 0", "q / answer 1", "q / answer 2"), List.of(0, 1, 2))),
                sink.records);
        assertEquals(new Progress(2, 0, 2, 0, 0, 0), s.progress());
    }

    @Test
    void pairwiseAnswersNameChosenAndRejected() throws IOException {
        Fixtures.Kept sink = new Fixtures.Kept();
        LabelSession s = new LabelSession(List.of("p"), Set.of(), Fixtures.LETTERS, LabelMode.PAIRWISE, 2, sink);
        s.submit(s.current().orElseThrow().id(), List.of(1, 0));
        assertEquals(List.of(new PairwisePreference("p", "p / answer 1", "p / answer 0")), sink.records);
    }

    @Test
    void labelledPromptsAndRepeatsAreNotAskedAgain() throws IOException {
        Fixtures.Kept sink = new Fixtures.Kept();
        LabelSession s = new LabelSession(List.of("a", "b", "a", "c"), Set.of("b", "not in the list"), Fixtures.LETTERS,
                LabelMode.RANK, 2, sink);
        assertEquals(new Progress(3, 1, 0, 0, 0, 2), s.progress());
        assertEquals("a", s.current().orElseThrow().prompt());
        s.skip(s.current().orElseThrow().id());
        assertEquals("c", s.current().orElseThrow().prompt());
        assertEquals(new Progress(3, 1, 0, 1, 0, 1), s.progress());
    }

    @Test
    void preparedItemsAreKeyedOnPromptAndCompletionsNotOnThePromptAlone() throws IOException {
        Fixtures.Kept sink = new Fixtures.Kept();
        List<org.rlhf4j.feedback.Candidates> items = List.of(
                new org.rlhf4j.feedback.Candidates("", List.of("a", "b")),
                new org.rlhf4j.feedback.Candidates("", List.of("c", "d")),
                new org.rlhf4j.feedback.Candidates("", List.of("b", "a", " ")), // the first line again, reordered
                new org.rlhf4j.feedback.Candidates("q", List.of("a", "b")));
        String done = org.rlhf4j.feedback.Candidates.key("", List.of("d", "c"));
        LabelSession s = LabelSession.ofItems(items, Set.of(done), LabelMode.RANK, 2, sink);
        assertEquals(new Progress(3, 1, 0, 0, 0, 2), s.progress());
        LabelItem first = s.current().orElseThrow();
        assertEquals(List.of("a", "b"), first.completions());
        s.submit(first.id(), List.of(1, 0));
        LabelItem second = s.current().orElseThrow();
        assertEquals("q", second.prompt(), "same completions, another prompt: another item");
        s.submit(second.id(), List.of(0, 1));
        assertTrue(s.current().isEmpty());
        assertEquals(2, sink.records.size());
    }

    @Test
    void blankAndRepeatedCompletionsAreDroppedAndTooFewPassTheItemOver() throws IOException {
        CandidateSource source = (prompt, k) -> prompt.equals("poor")
                ? List.of("same", "same", " ", "") : List.of("x", "", "x", "y", "z", "w");
        LabelSession s = new LabelSession(List.of("poor", "rich"), Set.of(), source, LabelMode.RANK, 3, new Fixtures.Kept());
        LabelItem item = s.current().orElseThrow();
        assertEquals("rich", item.prompt());
        assertEquals(List.of("x", "y", "z"), item.completions());
        assertEquals(List.of("poor"), s.unavailable());
        assertEquals(1, s.progress().unavailable());
    }

    @Test
    void answersToAnItemThatIsNotCurrentAreRefused() throws IOException {
        Fixtures.Kept sink = new Fixtures.Kept();
        LabelSession s = new LabelSession(List.of("p", "q"), Set.of(), Fixtures.LETTERS, LabelMode.RANK, 2, sink);
        long id = s.current().orElseThrow().id();
        s.submit(id, List.of(0, 1));
        assertThrows(StaleItemException.class, () -> s.submit(id, List.of(1, 0)));
        assertThrows(StaleItemException.class, () -> s.skip(id));
        assertEquals(1, sink.records.size());
    }

    @Test
    void aBadRankingLeavesTheItemCurrentAndWritesNothing() throws IOException {
        Fixtures.Kept sink = new Fixtures.Kept();
        LabelSession s = new LabelSession(List.of("p"), Set.of(), Fixtures.LETTERS, LabelMode.RANK, 3, sink);
        long id = s.current().orElseThrow().id();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.submit(id, List.of(0, 0, 1)));
        assertEquals("0 appears twice; each completion takes one place", e.getMessage());
        assertEquals(id, s.current().orElseThrow().id());
        assertTrue(sink.records.isEmpty());
    }

    @Test
    void aFailedWriteLeavesTheItemCurrent() throws IOException {
        LabelSession s = new LabelSession(List.of("p"), Set.of(), Fixtures.LETTERS, LabelMode.RANK, 2, p -> {
            throw new IOException("disk full");
        });
        long id = s.current().orElseThrow().id();
        assertThrows(IOException.class, () -> s.submit(id, List.of(0, 1)));
        assertEquals(id, s.current().orElseThrow().id());
        assertEquals(0, s.progress().labelled());
    }

    @Test
    void pairwiseTakesExactlyTwo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LabelSession(List.of("p"), Set.of(), Fixtures.LETTERS, LabelMode.PAIRWISE, 3, new Fixtures.Kept()));
        assertTrue(e.getMessage().contains("exactly 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new LabelSession(List.of("p"), Set.of(), Fixtures.LETTERS, LabelMode.RANK, 1, new Fixtures.Kept()));
    }
}
