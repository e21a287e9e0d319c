package org.rlhf4j.rlhf.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.data.tokenizer.Tokenizer;
import org.rlhf4j.feedback.AgreementReport;
import org.rlhf4j.feedback.AnnotatorPanel;
import org.rlhf4j.feedback.Candidates;
import org.rlhf4j.feedback.PreferenceWriter;
import org.rlhf4j.feedback.RankedPreference;
import org.rlhf4j.feedback.VaderLexicon;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.tensor.Generator;

/**
 * Stages 2 and 3: K samples per training prompt from the pretrained model ({@link #sample}), then the
 * simulated panel ranks them ({@link #label}) and the rankings are written, one
 * {@code {"prompt", "completions", "ranking"}} line each, to {@code <dir>/preferences.jsonl}: the same file
 * a person labelling with {@code rlhf4j annotate} would write. The panel is VADER-grounded
 * ({@link AnnotatorPanel#vader}): each annotator draws real people's ratings of the words it finds, so
 * the preference it induces is for positive sentiment, with the raters' disagreement as label noise.
 */
public final class Feedback {

    public static final String FILE = "preferences.jsonl";

    /**
     * What the panel did.
     *
     * @param labels             one ranking per informative item, in prompt order
     * @param skipped            items the panel had nothing to judge by (no response holds a rated word, or
     *                           every response scored the same)
     * @param agreementWithTruth how often the labels order a pair as the mean ratings do (pairs they decide)
     * @param agreement          how much the annotators agree with each other and with the truth
     * @param file               where the rankings were written
     * @param windowLabels       the panel's rankings of windows of the book ({@link BookWindows}), also in
     *                           {@code file}, after the samples' rankings
     */
    public record Result(List<RankedPreference> labels, int skipped, double agreementWithTruth,
                         AgreementReport agreement, Path file, List<RankedPreference> windowLabels) {
    }

    private Feedback() {
    }

    /** K samples of each prompt, each sample from its own seeded stream (the prompt's index). */
    public static List<Candidates> sample(Gpt model, Tokenizer tokenizer, List<String> prompts, int k, int length,
                                          float temperature, long seed) {
        List<Candidates> out = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            int[][] rows = BatchSampler.sample(model, tokenizer.encode(prompts.get(i)), k, length, temperature,
                    new Generator(Seeds.derive(seed, "feedback-samples", i)));
            List<String> texts = new ArrayList<>(k);
            for (int[] r : rows) {
                texts.add(tokenizer.decode(r));
            }
            out.add(new Candidates(prompts.get(i), texts));
        }
        return out;
    }

    /**
     * The panel ranks every item in which some response holds a word people rated; the others are skipped,
     * as a person with no preference would skip them (every annotator would score every response 0, and the
     * ranking would be the order the responses came in). The rankings go to {@code dir/preferences.jsonl}.
     */
    public static Result label(List<Candidates> all, List<Candidates> windows, DemoConfig cfg, VaderLexicon lexicon,
                               Path dir) throws IOException {
        List<Candidates> items = all.stream()
                .filter(c -> c.completions().stream().anyMatch(r -> !lexicon.ratedTokens(r).isEmpty())).toList();
        AnnotatorPanel panel = AnnotatorPanel.vader(lexicon, cfg.panelSize(), Seeds.derive(cfg.seed(), "panel"));
        List<RankedPreference> labels = panel.label(items, cfg.aggregation());
        List<RankedPreference> windowLabels = panel.label(windows, cfg.aggregation());
        Path file = dir.resolve(FILE);
        Files.deleteIfExists(file); // this run's labels only, never appended to an old run's
        try (PreferenceWriter w = PreferenceWriter.open(file, Integer.MAX_VALUE)) {
            for (RankedPreference p : labels) {
                w.write(p);
            }
            for (RankedPreference p : windowLabels) {
                w.write(p);
            }
        }
        double truth = panel.agreementWithTruth(labels).orElse(Double.NaN);
        // skipped: the items with no rated word, and those the panel scored all equal (label leaves them out)
        return new Result(labels, all.size() - labels.size(), truth, panel.agreement(items), file, windowLabels);
    }
}
