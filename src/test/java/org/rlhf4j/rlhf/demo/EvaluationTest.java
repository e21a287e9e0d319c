package org.rlhf4j.rlhf.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.rlhf.demo.Evaluation.Pair;
import org.rlhf4j.rlhf.demo.Evaluation.Verdict;

/** The panel's win-rate readings: ties half, wins alone, and the bootstrap interval over prompts. */
class EvaluationTest {

    private static Evaluation.Result result(Verdict[][] perPrompt) {
        List<Pair> pairs = new ArrayList<>();
        int w = 0, t = 0, l = 0;
        for (int p = 0; p < perPrompt.length; p++) {
            for (Verdict v : perPrompt[p]) {
                pairs.add(new Pair("prompt " + p, "r", "t", 0, 0, 0, v));
                w += v == Verdict.TUNED ? 1 : 0;
                t += v == Verdict.TIE ? 1 : 0;
                l += v == Verdict.REFERENCE ? 1 : 0;
            }
        }
        return new Evaluation.Result(pairs, 0, 0, 0, 0, 0, w, t, l, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void tiesCountHalfInTheRateAndNothingInTheStrictOne() {
        Evaluation.Result r = result(new Verdict[][] {{Verdict.TUNED, Verdict.TIE}, {Verdict.REFERENCE, Verdict.TIE}});
        assertEquals(0.5, r.winRate(), 1e-12);
        assertEquals(0.25, r.winRateStrict(), 1e-12);
    }

    @Test
    void oneVerdictEverywhereGivesADegenerateInterval() {
        Verdict[][] all = new Verdict[10][];
        for (int p = 0; p < all.length; p++) {
            all[p] = new Verdict[] {Verdict.TUNED, Verdict.TUNED};
        }
        assertArrayEquals(new double[] {1, 1}, result(all).winRateInterval(7), 0);
    }

    @Test
    void theIntervalHoldsTheRateAndWidensWithFewerPrompts() {
        Verdict[] cycle = {Verdict.TUNED, Verdict.TUNED, Verdict.TIE, Verdict.REFERENCE};
        Verdict[][] many = new Verdict[64][], few = new Verdict[8][];
        for (int p = 0; p < many.length; p++) {
            many[p] = new Verdict[] {cycle[p % 4], cycle[(p / 4) % 4]};
        }
        System.arraycopy(many, 0, few, 0, few.length);
        Evaluation.Result rMany = result(many), rFew = result(few);
        double[] ciMany = rMany.winRateInterval(1), ciFew = rFew.winRateInterval(1);
        assertTrue(ciMany[0] < rMany.winRate() && rMany.winRate() < ciMany[1], java.util.Arrays.toString(ciMany));
        assertTrue(ciFew[1] - ciFew[0] > ciMany[1] - ciMany[0], "8 prompts: a wider interval than 64");
        assertArrayEquals(ciMany, rMany.winRateInterval(1), 0, "seeded: the same interval again");
    }
}
