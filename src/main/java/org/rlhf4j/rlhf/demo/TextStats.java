package org.rlhf4j.rlhf.demo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Diversity of a set of samples, to show that tuning did not collapse them into one phrase.
 * distinct-n (Li et al. 2016, "A Diversity-Promoting Objective Function for Neural Conversation
 * Models"): the number of distinct word n-grams divided by the number of word n-grams, over all samples
 * together. Words are the whitespace-separated pieces. 1 means no n-gram repeats; a model that says the
 * same thing every time drives it towards 0.
 */
public final class TextStats {

    private TextStats() {
    }

    /** distinct-n of {@code texts}; NaN when they hold no n-gram at all. */
    public static double distinctN(List<String> texts, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        Set<List<String>> seen = new HashSet<>();
        long total = 0;
        for (String text : texts) {
            String[] w = text.strip().split("\\s+");
            if (w.length == 1 && w[0].isEmpty()) {
                continue;
            }
            for (int i = 0; i + n <= w.length; i++) {
                seen.add(new ArrayList<>(List.of(w).subList(i, i + n)));
                total++;
            }
        }
        return total == 0 ? Double.NaN : (double) seen.size() / total;
    }

    /** Mean of {@code v}; NaN when empty. */
    public static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    /** Sample standard deviation of {@code v} (n - 1 in the denominator); NaN with fewer than 2 values. */
    public static double std(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = mean(v), s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }
}
