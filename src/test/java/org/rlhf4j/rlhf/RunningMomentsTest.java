package org.rlhf4j.rlhf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RunningMomentsTest {

    @Test
    void mergingBatchesEqualsTheMomentsOfEverything() {
        Random rnd = new Random(5);
        RunningMoments m = new RunningMoments();
        double sum = 0, sumSq = 0;
        int n = 0;
        for (int b = 0; b < 7; b++) {
            float[] xs = new float[3 + b];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = (float) (4 + 2 * rnd.nextGaussian());
                sum += xs[i];
                sumSq += (double) xs[i] * xs[i];
                n++;
            }
            m.update(xs);
        }
        double mean = sum / n;
        assertEquals(mean, m.mean(), 1e-9);
        assertEquals(sumSq / n - mean * mean, m.var(), 1e-9);
        assertEquals(n, m.count(), 0);
    }
}
