package org.rlhf4j.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.rlhf4j.train.StepMetrics;
import org.rlhf4j.train.TrainListener;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The training progress the CLI shows: a bar with the step, the loss, tokens/s and the ETA on stderr,
 * and one line per evaluation on stdout. In {@link Mode#BAR} the bar is redrawn in place with
 * {@code \r}; without a terminal (CI, a pipe, a log file) {@link Mode#LINES} prints it as a plain line
 * at most every {@link #LINE_EVERY_NANOS}, so logs stay short and readable. No terminal library is
 * involved, so nothing misbehaves without a TTY.
 */
final class ProgressBar implements TrainListener {

    enum Mode {
        BAR, LINES, NONE;

        static Mode parse(String s, CommandSpec spec) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "auto":
                    return interactive() ? BAR : LINES;
                case "bar":
                    return BAR;
                case "lines":
                    return LINES;
                case "none":
                    return NONE;
                default:
                    throw Rlhf4j.usage(spec, "--progress " + s + ": use auto, bar, lines or none");
            }
        }
    }

    private static final long LINE_EVERY_NANOS = 10_000_000_000L;
    private static final long BAR_EVERY_NANOS = 100_000_000L;
    private static final int WIDTH = 24;

    private final PrintWriter out;
    private final PrintWriter err;
    private final Mode mode;
    private long sessionStart;
    private long lastLine;
    private int startStep;
    private boolean drawn;
    private Double lastValLoss;

    ProgressBar(PrintWriter out, PrintWriter err, Mode mode) {
        this.out = out;
        this.err = err;
        this.mode = mode;
    }

    @Override
    public void started(int startStep, int maxIters, long parameters) {
        this.startStep = startStep;
        this.sessionStart = System.nanoTime();
        this.lastLine = sessionStart;
    }

    @Override
    public void step(StepMetrics m) {
        long now = System.nanoTime();
        if (m.evaluated()) {
            lastValLoss = m.valLoss();
            clearBar();
            out.printf(Locale.ROOT, "step %d: train loss %.4f, val loss %.4f%n", m.step(), m.evalTrainLoss(), m.valLoss());
            out.flush();
        }
        if (mode == Mode.BAR && (now - lastLine >= BAR_EVERY_NANOS || m.step() == m.maxIters() || m.evaluated())) {
            err.print("\r" + line(m, now));
            err.flush();
            drawn = true;
            lastLine = now;
        } else if (mode == Mode.LINES && (now - lastLine >= LINE_EVERY_NANOS || m.step() == m.maxIters())) {
            err.println(line(m, now));
            err.flush();
            lastLine = now;
        }
    }

    @Override
    public void checkpointed(int step, Path dir) {
        // quiet: the final line names the checkpoint
    }

    /** {@code [=====>      ]  250/2000  12.5% | loss 2.3104 | 5,123 tok/s | ETA 3m12s}. */
    String line(StepMetrics m, long now) {
        double frac = (double) m.step() / m.maxIters();
        int filled = (int) Math.round(frac * WIDTH);
        StringBuilder bar = new StringBuilder("[");
        for (int i = 0; i < WIDTH; i++) {
            bar.append(i < filled - 1 ? '=' : i == filled - 1 ? (filled == WIDTH ? '=' : '>') : ' ');
        }
        bar.append(']');
        double perStep = (now - sessionStart) / 1e9 / Math.max(1, m.step() - startStep);
        String eta = formatDuration(perStep * (m.maxIters() - m.step()));
        int digits = String.valueOf(m.maxIters()).length();
        return String.format(Locale.ROOT, "%s %" + digits + "d/%d %5.1f%% | loss %.4f | %,.0f tok/s | ETA %s",
                bar, m.step(), m.maxIters(), 100 * frac, m.trainLoss(), m.tokensPerSec(), eta);
    }

    static String formatDuration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60);
        }
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }

    /** Ends the bar's line. */
    void finish() {
        clearBar();
    }

    private void clearBar() {
        if (drawn) {
            err.println();
            err.flush();
            drawn = false;
        }
    }

    /** The validation loss of the last evaluation, or null. */
    Double lastValLoss() {
        return lastValLoss;
    }

    /**
     * Whether stderr is a terminal: a console exists and (on JDK 22+, where a console may exist without
     * one) {@code Console.isTerminal()} says so.
     */
    static boolean interactive() {
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 17-21: a console means a terminal
        }
    }
}
