package org.rlhf4j.feedback.label;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.rlhf4j.feedback.Candidates;
import org.rlhf4j.feedback.PairwisePreference;
import org.rlhf4j.feedback.Preference;
import org.rlhf4j.feedback.RankedPreference;

/**
 * The labelling loop without its front end: 1. take the next prompt not labelled yet; 2. ask the source for
 * K completions (blank and repeated ones dropped; a prompt left with fewer than two is passed over);
 * 3. wait for an answer to that item; 4. append the record, or move on after a skip.
 *
 * <p>Resuming: with sampled completions, by prompt: the prompts given as {@code alreadyLabelled} (those
 * found in the output file, {@code PreferenceReader.promptsIn}) are never asked again; the completions are
 * drawn afresh anyway. With prepared candidates ({@link #ofItems}), by item: the prompt and the set of
 * completions shown ({@link Candidates#key}, {@code PreferenceReader.keysIn}), so lines without a prompt, or
 * with one prompt and other completions, are items of their own. Skipped items are not written, so a later
 * session asks them again.
 *
 * <p>Thread-safe: the web server answers requests on several threads; every method locks the session, so
 * one item is current at a time and an answer to any other item is refused with {@link StaleItemException}.
 */
public final class LabelSession {

    /** One item to ask: a prompt whose completions the source gives, or prepared ones ({@code fixed}). */
    private record Todo(String prompt, List<String> fixed) {
    }

    private final List<Todo> items;
    private final CandidateSource source;
    private final LabelMode mode;
    private final int k;
    private final LabelSink sink;
    private final int labelledBefore;
    private final List<String> unavailable = new ArrayList<>();
    private int next;
    private long lastId;
    private LabelItem current;
    private int labelled;
    private int skipped;

    /**
     * @param prompts         the prompts to label, in order (repeats are asked once)
     * @param alreadyLabelled prompts answered in an earlier session, passed over
     * @param source          the completions of each prompt
     * @param mode            ranking or pairwise choice
     * @param k               completions per prompt: at least 2; exactly 2 in pairwise mode
     * @param sink            where each answer is appended
     */
    public LabelSession(List<String> prompts, Collection<String> alreadyLabelled, CandidateSource source,
                        LabelMode mode, int k, LabelSink sink) {
        checkK(mode, k);
        Set<String> todo = new LinkedHashSet<>(prompts);
        int before = todo.size();
        todo.removeAll(Set.copyOf(alreadyLabelled));
        this.labelledBefore = before - todo.size();
        this.items = todo.stream().map(p -> new Todo(p, null)).toList();
        this.source = source;
        this.mode = mode;
        this.k = k;
        this.sink = sink;
    }

    private LabelSession(List<Todo> todo, int labelledBefore, LabelMode mode, int k, LabelSink sink) {
        this.items = todo;
        this.labelledBefore = labelledBefore;
        this.source = (prompt, kk) -> List.of();
        this.mode = mode;
        this.k = k;
        this.sink = sink;
    }

    /**
     * A session over prepared candidates, resumed by item: {@code alreadyLabelledKeys} are the
     * {@link Candidates#key}s found in the output file ({@code PreferenceReader.keysIn}). Each item shows its
     * first {@code k} distinct non-blank completions, and its key is taken over those; an item whose key
     * an earlier item (or the output file) has is asked once.
     */
    public static LabelSession ofItems(List<Candidates> items, Collection<String> alreadyLabelledKeys,
                                       LabelMode mode, int k, LabelSink sink) {
        checkK(mode, k);
        Set<String> done = Set.copyOf(alreadyLabelledKeys), seen = new java.util.HashSet<>();
        List<Todo> todo = new ArrayList<>();
        int before = 0;
        for (Candidates c : items) {
            List<String> shown = usable(c.completions(), k);
            String key = Candidates.key(c.prompt(), shown);
            if (!seen.add(key)) {
                continue; // a repeat of an earlier line
            }
            if (done.contains(key)) {
                before++;
            } else {
                todo.add(new Todo(c.prompt(), shown));
            }
        }
        return new LabelSession(List.copyOf(todo), before, mode, k, sink);
    }

    private static void checkK(LabelMode mode, int k) {
        if (mode == LabelMode.PAIRWISE ? k != 2 : k < 2) {
            throw new IllegalArgumentException(mode == LabelMode.PAIRWISE
                    ? "pairwise labelling compares exactly 2 completions, got k=" + k
                    : "ranking needs at least 2 completions per prompt, got k=" + k);
        }
    }

    public LabelMode mode() {
        return mode;
    }

    /** Completions asked for per prompt. */
    public int k() {
        return k;
    }

    /**
     * The item awaiting an answer, drawing the next prompt's completions when there is none; empty when
     * every prompt has been answered, skipped or passed over.
     */
    public synchronized Optional<LabelItem> current() throws IOException {
        while (current == null && next < items.size()) {
            Todo t = items.get(next);
            String prompt = t.prompt();
            List<String> usable = t.fixed() != null ? t.fixed()
                    : usable(source.candidates(prompt, k), k); // a failure leaves the prompt next
            next++;
            if (usable.size() < 2) {
                unavailable.add(prompt);
            } else {
                current = new LabelItem(++lastId, prompt, usable);
            }
        }
        return Optional.ofNullable(current);
    }

    /**
     * Records the answer to item {@code id}: {@code ranking} lists its completion numbers best first (in
     * pairwise mode, {@code [chosen, rejected]}). Returns the record written.
     *
     * @throws StaleItemException       if {@code id} is not the current item
     * @throws IllegalArgumentException if the ranking is not a permutation of the item's numbers
     */
    public synchronized Preference submit(long id, List<Integer> ranking) throws IOException {
        LabelItem item = requireCurrent(id);
        String problem = Rankings.problem(ranking, item.size());
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        Preference p = mode == LabelMode.PAIRWISE
                ? new PairwisePreference(item.prompt(), item.completions().get(ranking.get(0)),
                        item.completions().get(ranking.get(1)))
                : new RankedPreference(item.prompt(), item.completions(), ranking);
        sink.append(p); // on disk before the item is let go: a failed write leaves it current
        current = null;
        labelled++;
        return p;
    }

    /** Passes over item {@code id} without writing anything; a later session asks it again. */
    public synchronized void skip(long id) {
        requireCurrent(id);
        current = null;
        skipped++;
    }

    /** The counts so far. */
    public synchronized Progress progress() {
        int remaining = items.size() - next + (current == null ? 0 : 1);
        return new Progress(items.size() + labelledBefore, labelledBefore, labelled, skipped, unavailable.size(),
                remaining);
    }

    /** The prompts passed over for want of two distinct non-blank completions. */
    public synchronized List<String> unavailable() {
        return List.copyOf(unavailable);
    }

    private LabelItem requireCurrent(long id) {
        if (current == null || current.id() != id) {
            throw new StaleItemException(id, current == null ? -1 : current.id());
        }
        return current;
    }

    /** At most k distinct non-blank completions, in the order given. */
    private static List<String> usable(List<String> candidates, int k) {
        Set<String> kept = new LinkedHashSet<>();
        for (String c : candidates) {
            if (c != null && !c.isBlank() && kept.size() < k) {
                kept.add(c);
            }
        }
        return List.copyOf(kept);
    }
}
