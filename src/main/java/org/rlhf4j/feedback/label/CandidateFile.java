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
 * line and field of a malformed line. A prompt that appears again is asked once, with the completions of
 * its first line ({@link #repeats()} counts the others): answers are kept, and resumed, by prompt.
 */
public final class CandidateFile implements CandidateSource {

    private final Map<String, List<String>> byPrompt;
    private final int repeats;

    private CandidateFile(Map<String, List<String>> byPrompt, int repeats) {
        this.byPrompt = byPrompt;
        this.repeats = repeats;
    }

    /** Reads {@code file} whole. */
    public static CandidateFile read(Path file) throws IOException {
        Map<String, List<String>> byPrompt = new LinkedHashMap<>();
        int repeats = 0;
        for (Candidates c : PreferenceReader.readCandidates(file, PreferenceReader.Options.strict()).items()) {
            repeats += byPrompt.putIfAbsent(c.prompt(), c.completions()) == null ? 0 : 1;
        }
        return new CandidateFile(byPrompt, repeats);
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
