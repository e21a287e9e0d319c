package org.rlhf4j.testing;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.rlhf4j.feedback.PairwisePreference;
import org.rlhf4j.feedback.Preference;
import org.rlhf4j.feedback.RankedPreference;
import org.rlhf4j.tensor.Tensor;

/**
 * jqwik arbitraries for rlhf4j's inputs: awkward sizes and shapes, tensors, padded token batches and
 * preference records. Use them from a {@code @Provide} method:
 * <pre>
 *   &#64;Provide Arbitrary&lt;Tensor&gt; tensors() { return RlhfArbitraries.tensors(RlhfArbitraries.shapes(0, 4), false); }
 * </pre>
 * Sizes favour the values that break kernels: 0, 1, primes, and the SIMD lane widths 4, 8, 16 and one either
 * side (STYLE.md). Shapes are capped at {@link #MAX_ELEMENTS} elements so that properties stay quick.
 */
public final class RlhfArbitraries {

    /** The most elements a generated shape holds. */
    public static final int MAX_ELEMENTS = 4096;

    private static final int[] AWKWARD = {0, 1, 2, 3, 4, 5, 7, 8, 9, 11, 13, 15, 16, 17, 31, 32, 33, 63, 64, 65};

    private RlhfArbitraries() {
    }

    /** One dimension: 0, 1, a prime, or a lane width (4, 8, 16, 32, 64) +- 1. */
    public static Arbitrary<Integer> awkwardSizes() {
        List<Integer> sizes = new ArrayList<>();
        for (int s : AWKWARD) {
            sizes.add(s);
        }
        return Arbitraries.of(sizes);
    }

    /** As {@link #awkwardSizes()} without 0. */
    public static Arbitrary<Integer> nonEmptySizes() {
        return awkwardSizes().filter(s -> s > 0);
    }

    /** Shapes of rank {@code minRank..maxRank} (0..4 allowed) over awkward sizes, at most {@link #MAX_ELEMENTS} elements. */
    public static Arbitrary<int[]> shapes(int minRank, int maxRank) {
        return shapes(minRank, maxRank, awkwardSizes());
    }

    /** As {@link #shapes(int, int)} with no size-0 dimension. */
    public static Arbitrary<int[]> nonEmptyShapes(int minRank, int maxRank) {
        return shapes(minRank, maxRank, nonEmptySizes());
    }

    private static Arbitrary<int[]> shapes(int minRank, int maxRank, Arbitrary<Integer> sizes) {
        if (minRank < 0 || maxRank > 4 || minRank > maxRank) {
            throw new IllegalArgumentException("ranks must satisfy 0 <= min <= max <= 4, got " + minRank + ".." + maxRank);
        }
        return sizes.list().ofMinSize(minRank).ofMaxSize(maxRank)
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray())
                .filter(dims -> elements(dims) <= MAX_ELEMENTS);
    }

    /**
     * Finite float values: mostly in [-3, 3]; with {@code extreme}, also 0, -0, +-1e-30 (tiny), subnormals,
     * +-1e4 (softmax-scale logits) and +-1e30, never NaN or infinity.
     */
    public static Arbitrary<Float> values(boolean extreme) {
        Arbitrary<Float> plain = Arbitraries.floats().between(-3f, 3f);
        if (!extreme) {
            return plain;
        }
        Arbitrary<Float> edges = Arbitraries.of(0f, -0f, 1e-30f, -1e-30f, Float.MIN_VALUE, -Float.MIN_VALUE,
                1e4f, -1e4f, 1e30f, -1e30f);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, plain), net.jqwik.api.Tuple.of(1, edges),
                net.jqwik.api.Tuple.of(1, Arbitraries.floats().between(-1e4f, 1e4f)));
    }

    /** Tensors of the given shapes filled with {@link #values(boolean)}; leaves, not requiring grad. */
    public static Arbitrary<Tensor> tensors(Arbitrary<int[]> shapes, boolean extreme) {
        return shapes.flatMap(dims -> values(extreme).array(float[].class).ofSize((int) elements(dims))
                .map(v -> Tensor.of(v, dims)));
    }

    /**
     * A right-padded batch of token ids: {@code ids} and {@code mask} are (B, T) row-major, row b holds
     * {@code lengths[b]} real tokens then padding (id {@code padId}, mask 0).
     *
     * @param B       rows
     * @param T       positions per row
     * @param vocab   ids are in 0..vocab-1
     * @param ids     the ids, padding included
     * @param mask    1 on real tokens, 0 on padding
     * @param lengths real tokens per row, each in 0..T
     * @param padId   the id written on padding
     */
    public record TokenBatch(int B, int T, int vocab, int[] ids, float[] mask, int[] lengths, int padId) { }

    /** Token batches with B in 1..8, T in awkward sizes 1..33, vocab in 2..65, every length 0..T. */
    public static Arbitrary<TokenBatch> tokenBatches() {
        return tokenBatches(8, 33, 65, 0);
    }

    /**
     * Token batches with B in 1..maxB, T an awkward size in 1..maxT, vocab in 2..maxVocab, lengths in
     * minLength..T (a length of 0 is a fully padded row), padding id 0.
     */
    public static Arbitrary<TokenBatch> tokenBatches(int maxB, int maxT, int maxVocab, int minLength) {
        Arbitrary<Integer> bs = Arbitraries.integers().between(1, maxB);
        Arbitrary<Integer> ts = nonEmptySizes().filter(t -> t <= maxT && t >= minLength);
        Arbitrary<Integer> vs = Arbitraries.integers().between(2, maxVocab);
        return Combinators.combine(bs, ts, vs).flatAs((B, T, V) -> Combinators.combine(
                Arbitraries.integers().between(0, V - 1).array(int[].class).ofSize(B * T),
                Arbitraries.integers().between(minLength, T).array(int[].class).ofSize(B))
                .as((ids, lengths) -> {
                    float[] mask = new float[B * T];
                    for (int b = 0; b < B; b++) {
                        for (int t = 0; t < T; t++) {
                            if (t < lengths[b]) {
                                mask[b * T + t] = 1;
                            } else {
                                ids[b * T + t] = 0;
                            }
                        }
                    }
                    return new TokenBatch(B, T, V, ids, mask, lengths, 0);
                }));
    }

    /** Permutations of 0..K-1 for K in 2..maxK: rankings, best first. */
    public static Arbitrary<int[]> rankings(int maxK) {
        return Arbitraries.integers().between(2, maxK).flatMap(K -> {
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < K; i++) {
                ids.add(i);
            }
            return Arbitraries.shuffle(ids).map(l -> l.stream().mapToInt(Integer::intValue).toArray());
        });
    }

    /**
     * Texts as preference data holds them: up to 40 characters of printable ASCII plus the characters JSON and
     * terminals trip on (quote, backslash, newline, tab, a non-ASCII letter and a dash).
     */
    public static Arbitrary<String> texts(int minLength) {
        return Arbitraries.strings().withCharRange(' ', '~').withChars('"', '\\', '\n', '\t', 'é', '—')
                .ofMinLength(minLength).ofMaxLength(40);
    }

    /** Pairwise preferences (prompt possibly empty; chosen and rejected never). */
    public static Arbitrary<PairwisePreference> pairwisePreferences() {
        return Combinators.combine(texts(0), texts(1), texts(1)).as(PairwisePreference::new);
    }

    /** Ranked preferences of K in 2..maxK completions. */
    public static Arbitrary<RankedPreference> rankedPreferences(int maxK) {
        return rankings(maxK).flatMap(ranking -> Combinators.combine(texts(0), texts(1).list().ofSize(ranking.length))
                .as((prompt, completions) -> {
                    List<Integer> r = new ArrayList<>();
                    for (int i : ranking) {
                        r.add(i);
                    }
                    return new RankedPreference(prompt, completions, r);
                }));
    }

    /** Pairwise or ranked preferences (K up to 5). */
    public static Arbitrary<Preference> preferences() {
        return Arbitraries.oneOf(pairwisePreferences().map(p -> (Preference) p),
                rankedPreferences(5).map(p -> (Preference) p));
    }

    /** Rewards for K completions, standard-normal scaled by 3 as a trained reward model's spread. */
    public static Arbitrary<float[]> rewards(int K) {
        return Arbitraries.floats().between(-9f, 9f).array(float[].class).ofSize(K);
    }

    private static long elements(int[] dims) {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }
}
