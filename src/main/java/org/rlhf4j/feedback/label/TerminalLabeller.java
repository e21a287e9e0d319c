package org.rlhf4j.feedback.label;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Labelling in a terminal: shows each item's prompt and numbered completions, reads one answer per line,
 * and re-asks, saying why, until the answer is usable. In rank mode an answer is the completion numbers
 * best first ({@code 2 0 1} or {@code 201}); in pairwise mode {@code 1} or {@code a} for the first,
 * {@code 2} or {@code b} for the second. {@code s} skips, {@code q} quits, {@code ?} shows help. An
 * answer counts once its line ends (Enter). The end of input (Ctrl-D, a closed pipe) ends the session as
 * {@code q} does; every answer given before it is already written.
 *
 * <p>Model outputs are untrusted: control characters (terminal escape sequences among them) are shown as
 * {@code \}{@code u001b}-style escapes, never sent to the terminal.
 */
public final class TerminalLabeller {

    /** How a session ended: every prompt dealt with, {@code q} typed, or the input ended. */
    public enum Ending { FINISHED, QUIT, END_OF_INPUT }

    private final LabelSession session;
    private final BufferedReader in;
    private final PrintWriter out;

    public TerminalLabeller(LabelSession session, Reader in, PrintWriter out) {
        this.session = session;
        this.in = in instanceof BufferedReader b ? b : new BufferedReader(in);
        this.out = out;
    }

    /** Asks every remaining item in turn; returns how it ended. {@link LabelSession#progress()} has the counts. */
    public Ending run() throws IOException {
        out.println(help());
        while (true) {
            int passedOver = session.unavailable().size();
            Optional<LabelItem> item = session.current();
            List<String> unavailable = session.unavailable();
            for (String prompt : unavailable.subList(passedOver, unavailable.size())) {
                out.println("(passed over, fewer than 2 distinct completions: " + indent(prompt).strip() + ")");
            }
            if (item.isEmpty()) {
                out.println(summary("All prompts dealt with."));
                out.flush();
                return Ending.FINISHED;
            }
            show(item.get());
            Ending ending = ask(item.get());
            if (ending != null) {
                out.println(summary(ending == Ending.QUIT ? "Stopped." : "End of input."));
                out.flush();
                return ending;
            }
        }
    }

    /** Reads lines until one answers {@code item}; returns null to go on, or the ending. */
    private Ending ask(LabelItem item) throws IOException {
        while (true) {
            out.print(session.mode() == LabelMode.PAIRWISE ? "Better: 1/a or 2/b (s skip, q quit, ? help) > "
                    : "Ranking, best first, e.g. " + example(item.size()) + " (s skip, q quit, ? help) > ");
            out.flush();
            String line = readLine();
            if (line == null) {
                out.println();
                return Ending.END_OF_INPUT;
            }
            String cmd = line.strip().toLowerCase(Locale.ROOT);
            switch (cmd) {
                case "q", "quit" -> {
                    return Ending.QUIT;
                }
                case "s", "skip" -> {
                    session.skip(item.id());
                    out.println("Skipped.");
                    return null;
                }
                case "?", "h", "help" -> {
                    out.println(help());
                    continue;
                }
                default -> { }
            }
            try {
                session.submit(item.id(), answer(cmd, item.size()));
                return null;
            } catch (IllegalArgumentException e) {
                out.println("! " + e.getMessage() + "; try again (? for help)");
            }
        }
    }

    /**
     * The next line without its line end, or null at the end of input. A last line that the input ends
     * in before its Enter (a closed terminal, Ctrl-D typed mid-line) is no answer: it was never confirmed.
     */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0; c = in.read()) {
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) c);
        }
        return null;
    }

    /** The ranking meant by {@code cmd}; throws IllegalArgumentException with the reason when none is. */
    private List<Integer> answer(String cmd, int k) {
        if (session.mode() == LabelMode.PAIRWISE) {
            return switch (cmd) {
                case "1", "a" -> List.of(0, 1);
                case "2", "b" -> List.of(1, 0);
                default -> throw new IllegalArgumentException(cmd.isEmpty() ? "nothing typed"
                        : "'" + cmd + "' is not a choice: type 1 or a if the first is better, 2 or b if the second is");
            };
        }
        return Rankings.parse(cmd, k);
    }

    private void show(LabelItem item) {
        Progress p = session.progress();
        int number = p.labelledBefore() + p.labelled() + p.skipped() + p.unavailable() + 1;
        out.println();
        out.println("=== " + number + " of " + p.total() + " ===");
        out.println("Prompt:");
        out.println(indent(item.prompt()));
        for (int i = 0; i < item.size(); i++) {
            out.println(session.mode() == LabelMode.PAIRWISE ? "--- [" + (i + 1) + "] (" + (char) ('a' + i) + ")"
                    : "--- [" + i + "]");
            out.println(indent(item.completions().get(i)));
        }
        out.println("---");
    }

    private String help() {
        String answer = session.mode() == LabelMode.PAIRWISE
                ? "  1 or a   the first completion is better\n  2 or b   the second completion is better\n"
                : "  2 0 1    rank the completions by their numbers, best first (also 201, or 2,0,1;\n"
                        + "           the last one may be left out)\n";
        return "Keys (then Enter):\n" + answer
                + "  s        skip this prompt (it comes back next session)\n"
                + "  q        quit; answers given so far are saved, and the next session resumes here\n"
                + "  ?        this help";
    }

    private String summary(String head) {
        Progress p = session.progress();
        return head + " Labelled " + p.labelled() + ", skipped " + p.skipped()
                + (p.unavailable() > 0 ? ", passed over " + p.unavailable() + " (fewer than 2 distinct completions)" : "")
                + ", " + p.remaining() + " still to do; " + (p.labelledBefore() + p.labelled()) + " of " + p.total()
                + " labelled in all.";
    }

    private static String example(int k) {
        StringBuilder s = new StringBuilder();
        for (int i = k - 1; i >= 0; i--) {
            s.append(i).append(i > 0 ? " " : "");
        }
        return "\"" + s + "\"";
    }

    /** {@code text} indented by two spaces, its control characters (but newline and tab) escaped. */
    static String indent(String text) {
        StringBuilder s = new StringBuilder("  ");
        text.replace("\r\n", "\n").codePoints().forEach(c -> {
            if (c == '\n') {
                s.append("\n  ");
            } else if (c == '\t' || !(Character.isISOControl(c) || c == 0x2028 || c == 0x2029)) {
                s.appendCodePoint(c);
            } else {
                s.append(String.format("\\u%04x", c));
            }
        });
        return s.toString();
    }
}
