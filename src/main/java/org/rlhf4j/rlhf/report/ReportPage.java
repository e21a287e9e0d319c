package org.rlhf4j.rlhf.report;

import java.util.List;

/**
 * What a report shows, in order: a title, key numbers, charts, other tables of numbers, side-by-side
 * samples, and closing notes. All text is plain text (the writer escapes it).
 *
 * @param title    the page's heading and {@code <title>}
 * @param subtitle one line under the heading (e.g. the command and the date)
 * @param summary  the headline numbers
 * @param charts   the charts, with a caption each
 * @param tables   further groups of numbers (e.g. seconds per stage), each under its own heading
 * @param samples  reference and tuned outputs for the same prompts
 * @param notes    paragraphs at the end (what was measured and how)
 */
public record ReportPage(String title, String subtitle, List<Stat> summary, List<Figure> charts,
                         List<Table> tables, List<SamplePair> samples, List<String> notes) {

    public ReportPage {
        summary = List.copyOf(summary);
        charts = List.copyOf(charts);
        tables = List.copyOf(tables);
        samples = List.copyOf(samples);
        notes = List.copyOf(notes);
    }

    /** One number: its label, its value as shown, and an optional explanation (may be empty). */
    public record Stat(String label, String value, String note) {
    }

    /** A chart and the sentence under it. */
    public record Figure(SvgChart chart, String caption) {
    }

    /** A heading and its rows of numbers. */
    public record Table(String heading, List<Stat> rows) {
        public Table {
            rows = List.copyOf(rows);
        }
    }

    /**
     * One prompt, answered by the reference and by the tuned policy (untrusted model text).
     *
     * @param verdict what a judge said of the pair, e.g. "tuned" / "reference" / "tie" (may be empty)
     */
    public record SamplePair(String prompt, String reference, double referenceReward, String tuned,
                             double tunedReward, String verdict) {
    }
}
