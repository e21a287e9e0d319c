package org.rlhf4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rlhf4j.feedback.AgreementReport;
import org.rlhf4j.feedback.Annotator;
import org.rlhf4j.feedback.AnnotatorPanel;
import org.rlhf4j.feedback.AnnotatorPanel.Aggregation;
import org.rlhf4j.feedback.Candidates;
import org.rlhf4j.feedback.PreferenceReader;
import org.rlhf4j.feedback.PreferenceWriter;
import org.rlhf4j.feedback.RankedPreference;
import org.rlhf4j.feedback.VaderLexicon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rlhf4j annotate}: a simulated annotator panel ranks the completions of each input line and
 * appends the rankings to {@code --out} as ranked JSONL, the same lines a person labelling would write;
 * then it prints how much the annotators agreed, with each other and with the ground truth. Items already
 * in {@code --out} (same prompt and completions) are not labelled again, so a re-run appends only new
 * items; items whose scores all tie are not written.
 */
@Command(name = "annotate", mixinStandardHelpOptions = true,
        description = {"Rank completions with a simulated annotator panel; append ranked JSONL; report agreement.",
                "Input lines: {\"prompt\", \"completions\": [...]}, or pairwise / ranked lines to re-label "
                        + "(their verdicts are ignored).",
                "Rules: vader (each annotator draws, per rated word, one of the 10 real human ratings of the "
                        + "VADER lexicon; ground truth = the mean ratings), length (longer is better), "
                        + "keywords (more uses of --keywords is better)."})
final class AnnotateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--input", paramLabel = "<jsonl>", required = true, description = "The items to rank.")
    Path input;

    @Option(names = "--out", paramLabel = "<jsonl>", required = true,
            description = "Ranked records are appended here (created if missing).")
    Path out;

    @Option(names = "--rule", paramLabel = "<rule>", defaultValue = "vader",
            description = "vader, length or keywords (default: ${DEFAULT-VALUE}).")
    String rule;

    @Option(names = "--keywords", paramLabel = "<word>", split = ",",
            description = "For --rule keywords: the preferred words, comma-separated.")
    List<String> keywords = new ArrayList<>();

    @Option(names = "--panel-size", paramLabel = "<n>", defaultValue = "5",
            description = "Annotators on the panel (default: ${DEFAULT-VALUE}).")
    int panelSize;

    @Option(names = "--seed", paramLabel = "<n>", defaultValue = "1",
            description = "Seeds every annotator's random draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--aggregate", paramLabel = "<how>", defaultValue = "round-robin",
            description = "round-robin (one annotator per item, in turn), mean (mean score of all) or "
                    + "majority (Copeland's rule over all annotators' rankings) (default: ${DEFAULT-VALUE}).")
    String aggregate;

    @Option(names = "--max-bad-lines", paramLabel = "<n>", defaultValue = "0",
            description = "Skip up to n malformed --input lines (counted) instead of stopping at the first "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxBadLines;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        Aggregation how = aggregation();
        AnnotatorPanel panel = panel();
        if (!Files.isRegularFile(input)) {
            throw Rlhf4j.usage(spec, "--input: " + input + (Files.exists(input) ? " is not a regular file"
                    : " does not exist") + "; give a JSONL file of {\"prompt\", \"completions\": [...]} lines");
        }
        if (maxBadLines < 0) {
            throw Rlhf4j.usage(spec, "--max-bad-lines must be >= 0, got " + maxBadLines);
        }
        PreferenceReader.CandidateData read = PreferenceReader.readCandidates(input, (maxBadLines > 0
                ? PreferenceReader.Options.lenient(maxBadLines) : PreferenceReader.Options.strict()).withRequireRecords(true));
        if (!read.skipped().isEmpty()) {
            stdout.printf("skipped %,d bad lines of %s (--max-bad-lines %d); the first: %s%n", read.skipped().size(),
                    input, maxBadLines, read.skipped().get(0).getMessage());
        }
        // an item already in --out (same prompt and completions, PreferenceReader.keysIn) is not labelled again
        Set<String> done = PreferenceReader.keysIn(out);
        List<Candidates> items = read.items().stream().filter(c -> !done.contains(c.key())).toList();
        int already = read.items().size() - items.size();
        if (already > 0) {
            stdout.printf("skipped %,d items already in %s%n", already, out);
        }
        if (items.isEmpty()) {
            stdout.printf("appended 0 ranked records to %s: every item is there already%n", out);
            return 0;
        }
        AnnotatorPanel.Labels labelled = panel.labelAll(items, how);
        List<RankedPreference> labels = labelled.rankings();
        try (PreferenceWriter writer = PreferenceWriter.open(out, 64)) {
            if (writer.droppedBytes() > 0) {
                stdout.printf("%s ended in a torn line (%,d bytes, a write cut short); it was dropped%n", out,
                        writer.droppedBytes());
            }
            for (RankedPreference r : labels) {
                writer.write(r);
            }
        }
        AgreementReport report = panel.agreement(items);
        IntSummaryStatistics k = items.stream().mapToInt(Candidates::size).summaryStatistics();
        stdout.printf(Locale.ROOT, "annotate: %,d items (K = %s), a panel of %d %s annotators (seed %d), labels by %s%n",
                items.size(), k.getMin() == k.getMax() ? k.getMin() : k.getMin() + ".." + k.getMax(),
                panelSize, rule, seed, aggregate);
        printReport(stdout, report);
        panel.agreementWithTruth(labels).ifPresent(a -> stdout.printf(Locale.ROOT, "the %s labels written agree "
                + "with the ground truth on %.3f of the pairs it decides%n", aggregate, a));
        if (!labelled.undecided().isEmpty()) {
            stdout.printf("skipped %,d items the %s scored all equal (no preference to write; e.g. no rated "
                    + "word in any candidate)%n", labelled.undecided().size(),
                    how == Aggregation.ROUND_ROBIN ? "annotator" : "panel");
        }
        stdout.printf("appended %,d ranked records to %s%n", labels.size(), out);
        return 0;
    }

    private void printReport(PrintWriter stdout, AgreementReport r) {
        int n = r.names().size();
        if (n < 2) {
            stdout.println("agreement between annotators: none to measure (a panel of one)");
        } else if (Double.isNaN(r.pairwiseAgreement())) {
            stdout.println("agreement between annotators: none to measure (no candidate pair that two annotators "
                    + "both scored differently)");
        } else {
            stdout.printf(Locale.ROOT, "agreement between annotators: %.3f of the candidate pairs both decide "
                    + "ordered alike (mean over %d pairs of annotators; both decide %.1f%% of the %,d candidate "
                    + "pairs)%n", r.pairwiseAgreement(), n * (n - 1) / 2, 100 * r.decidedByBoth(), r.candidatePairs());
            stdout.printf(Locale.ROOT, "Kendall's tau-b between annotators: %.3f (mean over items and pairs of "
                    + "annotators; 1 = same order, 0 = unrelated; ties count for neither)%n", r.kendallTau());
        }
        String truth = rule.equals("vader") ? "the mean ratings" : "the rule itself";
        if (Double.isNaN(r.meanAgreementWithTruth())) {
            stdout.printf("agreement with the ground truth (%s): none to measure, it scores every pair equal%n",
                    truth);
            return;
        }
        List<String> each = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            each.add(String.format(Locale.ROOT, "%s %.3f", r.names().get(a), r.agreementWithTruth().get(a)));
        }
        stdout.printf(Locale.ROOT, "agreement with the ground truth (%s) on the %.1f%% of pairs it decides "
                + "(an annotator's tie counts 1/2): mean %.3f; %s%n", truth,
                100 * (1 - r.truthTiedPairs()), r.meanAgreementWithTruth(), String.join(", ", each));
    }

    private Aggregation aggregation() {
        return switch (aggregate) {
            case "round-robin" -> Aggregation.ROUND_ROBIN;
            case "mean" -> Aggregation.MEAN;
            case "majority" -> Aggregation.MAJORITY;
            default -> throw Rlhf4j.usage(spec, "--aggregate: unknown '" + aggregate
                    + "'; choose round-robin, mean or majority");
        };
    }

    private AnnotatorPanel panel() {
        if (panelSize < 1 || panelSize > 1000) {
            throw Rlhf4j.usage(spec, "--panel-size must be between 1 and 1000, got " + panelSize);
        }
        if (!keywords.isEmpty() && !rule.equals("keywords")) {
            throw Rlhf4j.usage(spec, "--keywords only applies to --rule keywords (the rule is " + rule + ")");
        }
        Annotator single = switch (rule) {
            case "vader" -> null;
            case "length" -> Annotator.length(true);
            case "keywords" -> {
                if (keywords.stream().allMatch(String::isBlank)) {
                    throw Rlhf4j.usage(spec, "--rule keywords needs --keywords <word>[,<word>...]");
                }
                yield Annotator.keywords(keywords);
            }
            default -> throw Rlhf4j.usage(spec, "--rule: unknown '" + rule + "'; choose vader, length or keywords");
        };
        if (single == null) {
            return AnnotatorPanel.vader(VaderLexicon.bundled(), panelSize, seed);
        }
        // a deterministic rule: every member is the rule, and so is the truth (agreement 1 by construction)
        return new AnnotatorPanel(Collections.nCopies(panelSize, single), single);
    }
}
