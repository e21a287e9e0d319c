package org.rlhf4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.rlhf4j.feedback.Preference;
import org.rlhf4j.feedback.PreferenceJson;
import org.rlhf4j.tensor.Tensor;

/** The generators keep their promises: ranks, awkward sizes, finite values, consistent padding. */
class RlhfArbitrariesProperties {

    @Provide
    Arbitrary<int[]> shapes() {
        return RlhfArbitraries.shapes(0, 4);
    }

    @Provide
    Arbitrary<Tensor> extremeTensors() {
        return RlhfArbitraries.tensors(RlhfArbitraries.shapes(0, 3), true);
    }

    @Provide
    Arbitrary<RlhfArbitraries.TokenBatch> batches() {
        return RlhfArbitraries.tokenBatches();
    }

    @Provide
    Arbitrary<int[]> rankings() {
        return RlhfArbitraries.rankings(9);
    }

    @Provide
    Arbitrary<Preference> preferences() {
        return RlhfArbitraries.preferences();
    }

    @Property(tries = 300)
    void shapesHaveRanks0To4AndAwkwardSizes(@ForAll("shapes") int[] dims) {
        assertTrue(dims.length <= 4);
        long n = 1;
        for (int d : dims) {
            assertTrue(Arrays.asList(0, 1, 2, 3, 4, 5, 7, 8, 9, 11, 13, 15, 16, 17, 31, 32, 33, 63, 64, 65).contains(d));
            n *= d;
        }
        assertTrue(n <= RlhfArbitraries.MAX_ELEMENTS);
        Statistics.label("rank").collect(dims.length);
        Statistics.label("empty").collect(n == 0);
    }

    @Property(tries = 200)
    void tensorsAreFiniteAndShapedAsAsked(@ForAll("extremeTensors") Tensor t) {
        for (float v : t.toArray()) {
            assertTrue(Float.isFinite(v), "value " + v);
        }
        assertTrue(t.rank() <= 3);
    }

    @Property(tries = 200)
    void tokenBatchesArePaddedAsTheirLengthsSay(@ForAll("batches") RlhfArbitraries.TokenBatch b) {
        assertEquals(b.B() * b.T(), b.ids().length);
        assertEquals(b.B(), b.lengths().length);
        for (int r = 0; r < b.B(); r++) {
            for (int t = 0; t < b.T(); t++) {
                int i = r * b.T() + t;
                assertEquals(t < b.lengths()[r] ? 1f : 0f, b.mask()[i]);
                assertTrue(b.ids()[i] >= 0 && b.ids()[i] < b.vocab());
                if (t >= b.lengths()[r]) {
                    assertEquals(b.padId(), b.ids()[i]);
                }
            }
        }
    }

    @Property(tries = 200)
    void rankingsArePermutations(@ForAll("rankings") int[] ranking) {
        int[] sorted = ranking.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        assertTrue(ranking.length >= 2 && ranking.length <= 9);
    }

    /** Generated records are valid and survive rlhf4j's JSONL format. */
    @Property(tries = 200)
    void preferencesRoundTripThroughJson(@ForAll("preferences") Preference p) {
        assertEquals(p, PreferenceJson.parse(PreferenceJson.format(p), "generated", 1));
    }

    @Property(tries = 1)
    void sizesIncludeTheEdges() {
        assertTrue(RlhfArbitraries.awkwardSizes().allValues().orElseThrow().anyMatch(s -> s == 0));
        assertEquals(Tuple.of(1, 65), Tuple.of(RlhfArbitraries.nonEmptySizes().allValues().orElseThrow().min(Integer::compare).orElseThrow(),
                RlhfArbitraries.nonEmptySizes().allValues().orElseThrow().max(Integer::compare).orElseThrow()));
    }
}
