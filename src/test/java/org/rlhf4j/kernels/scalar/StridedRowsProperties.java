package org.rlhf4j.kernels.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Strided.Rows}, the odometer that copyStrided and accumulateStrided walk rows with, gives at
 * every row the offset that {@link Strided#rowOffset} computes from scratch: from any starting row,
 * over every row after it, for shapes of rank 0 to 5 (sizes 0 to 4 per axis, so size-1 and empty axes
 * occur) and arbitrary strides (0 for a broadcast axis, negative ones too).
 */
class StridedRowsProperties {

    record Case(int[] shape, int[] strides, int from) {
    }

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.integers().between(0, 5).flatMap(rank -> Combinators.combine(
                Arbitraries.integers().between(0, 4).array(int[].class).ofSize(rank),
                Arbitraries.integers().between(-50, 50).array(int[].class).ofSize(rank),
                Arbitraries.integers().between(0, 1000)).as((shape, strides, from) -> {
                    int rows = rank == 0 ? 1 : Strided.size(shape) / Math.max(1, shape[rank - 1]);
                    return new Case(shape, strides, rows == 0 ? 0 : from % rows);
                }));
    }

    @Property(tries = 300)
    void walkingMatchesRowOffset(@ForAll("cases") Case c) {
        int last = Strided.lastDim(c.shape());
        int rows = last == 0 ? 0 : Strided.size(c.shape()) / last;
        Strided.Rows walk = new Strided.Rows(c.from(), c.shape(), c.strides());
        for (int r = c.from(); r < rows; r++, walk.next()) {
            assertEquals(Strided.rowOffset(r, c.shape(), c.strides()), walk.offset(), "row " + r);
        }
    }
}
