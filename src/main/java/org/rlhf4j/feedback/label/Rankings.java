package org.rlhf4j.feedback.label;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks and reads rankings: lists of completion numbers, best first. The terminal and the web page share
 * these rules, so both refuse the same answers with the same words.
 */
public final class Rankings {

    private Rankings() {
    }

    /**
     * Why {@code ranking} is not a permutation of {@code 0..k-1}, or null when it is. The message speaks
     * to the person labelling: it names the offending number.
     */
    public static String problem(List<Integer> ranking, int k) {
        if (ranking == null) {
            return "no ranking given";
        }
        boolean[] seen = new boolean[k];
        for (Integer r : ranking) {
            if (r == null || r < 0 || r >= k) {
                return r + " is not a completion number; they are 0.." + (k - 1);
            }
            if (seen[r]) {
                return r + " appears twice; each completion takes one place";
            }
            seen[r] = true;
        }
        if (ranking.size() != k) {
            return "a ranking orders all " + k + " completions, best first; got " + ranking.size();
        }
        return null;
    }

    /**
     * A ranking typed by a person: numbers separated by spaces or commas ({@code "2 0 1"}), or, when K is
     * at most 10, digits run together ({@code "201"}). The last completion may be left out: it is last.
     * Throws {@link IllegalArgumentException} with a message for the person when the text is no ranking.
     */
    public static List<Integer> parse(String text, int k) {
        String s = text.strip();
        List<Integer> ranking = new ArrayList<>();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("nothing typed");
        }
        String[] parts = s.split("[\\s,]+");
        if (parts.length == 1 && k <= 10 && s.chars().allMatch(Character::isDigit)) {
            parts = s.split("");
        }
        for (String p : parts) {
            if (!p.chars().allMatch(Character::isDigit) || p.length() > 9) {
                throw new IllegalArgumentException("'" + p + "' is not a completion number; they are 0.." + (k - 1));
            }
            ranking.add(Integer.parseInt(p));
        }
        if (ranking.size() == k - 1 && problem(complete(ranking, k), k) == null) {
            return complete(ranking, k);
        }
        String problem = problem(ranking, k);
        if (problem != null) {
            throw new IllegalArgumentException(problem.startsWith("a ranking")
                    ? problem + " (the last may be left out)" : problem);
        }
        return List.copyOf(ranking);
    }

    /** {@code partial} with the numbers it lacks appended (a permutation when it held K-1 distinct ones). */
    private static List<Integer> complete(List<Integer> partial, int k) {
        List<Integer> full = new ArrayList<>(partial);
        for (int i = 0; i < k; i++) {
            if (!full.contains(i)) {
                full.add(i);
            }
        }
        return List.copyOf(full);
    }
}
