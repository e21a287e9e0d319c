package org.rlhf4j.feedback.label;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.feedback.Candidates;
import org.rlhf4j.feedback.PreferenceReader;

/**
 * Prepared candidates, so people can rank the outputs of any model: a JSONL file of
 * {@code {"prompt": "...", "completions": ["...", "..."]}} (or pairwise and ranked lines, whose verdicts are
 * ignored, to label again), read strictly by {@link PreferenceReader#readCandidates}, which names the file,
 * line and field of a malformed line. Labelled as a whole ({@link #items()}, {@link LabelSession#ofItems}),
 * every line is an item of its own, identified by its prompt and completions ({@link Candidates#key}), so
 * lines without a prompt are all asked. Labelled through a list of prompts ({@link #candidates}), a prompt
 * that appears again is asked with the completions of its first line ({@link #repeats()} counts the others).
 */
public final class CandidateFile implements CandidateSource {

    private final Map<String, List<String>> byPrompt;
    private final int repeats;
    private final List<Candidates> items;

    private CandidateFile(Map<String, List<String>> byPrompt, int repeats, List<Candidates> items) {
        this.byPrompt = byPrompt;
        this.repeats = repeats;
        this.items = List.copyOf(items);
    }

    /** Reads {@code file} whole. */
    public static CandidateFile read(Path file) throws IOException {
        Map<String, List<String>> byPrompt = new LinkedHashMap<>();
        int repeats = 0;
        List<Candidates> items = PreferenceReader.readCandidates(file, PreferenceReader.Options.strict()).items();
        for (Candidates c : items) {
            repeats += byPrompt.putIfAbsent(c.prompt(), c.completions()) == null ? 0 : 1;
        }
        return new CandidateFile(byPrompt, repeats, items);
    }

    /** Every line, in file order: the items of a session that labels the whole file. */
    public List<Candidates> items() {
        return items;
    }

    /** Lines whose prompt and completions ({@link Candidates#key}) an earlier line has. */
    public int duplicates() {
        return items.size() - (int) items.stream().map(Candidates::key).distinct().count();
    }

    /** The file's prompts, in file order, each once: what is labelled when no prompt file is given. */
    public List<String> prompts() {
        return List.copyOf(byPrompt.keySet());
    }

    /** Lines whose prompt an earlier line had; their completions are not shown. */
    public int repeats() {
        return repeats;
    }

    /** The completions of {@code prompt} in file order (the session keeps the first k usable), none if absent. */
    @Override
    public List<String> candidates(String prompt, int k) {
        return byPrompt.getOrDefault(prompt, List.of());
    }
}
