package org.rlhf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Comparisons of a kernel's output with the reference's, exactly or within an error bound.
 *
 * <p>{@link #U} is the unit roundoff of float, 2^-24: one correctly rounded operation has relative
 * error at most U, one ulp is at most 2U relative. Below float's normal range the spacing is the
 * absolute 2^-149 ({@link Float#MIN_VALUE}), so bounds add {@link #SUBNORMAL} of absolute slack.
 */
final class Tolerance {

    /** Unit roundoff of float: 2^-24. */
    static final double U = 0x1p-24;
    /** Absolute slack for results in the subnormal range: a few of float's smallest spacings. */
    static final double SUBNORMAL = 4 * (double) Float.MIN_VALUE;

    private Tolerance() {
    }

    /** expected and actual have the same bits (every NaN counts as the same NaN). */
    static void assertSameBits(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(what + ": element " + i + " of " + expected.length + " is " + actual[i]
                        + " but the reference gives " + expected[i]);
            }
        }
    }

    /** |expected - actual| <= tol; non-finite values must match exactly (NaN with NaN, inf with inf). */
    static void assertClose(String what, int index, float expected, float actual, double tol) {
        if (!Float.isFinite(expected) || !Float.isFinite(actual)) {
            if (Float.compare(expected, actual) != 0 && !(Float.isNaN(expected) && Float.isNaN(actual))) {
                fail(what + ": element " + index + " is " + actual + " but the reference gives " + expected);
            }
            return;
        }
        double diff = Math.abs((double) expected - actual);
        if (diff != 0 && !(diff <= tol)) { // a bound computed at +-inf may be NaN: then only equality passes
            fail(what + ": element " + index + " is " + actual + " but the reference gives " + expected
                    + "; |difference| " + diff + " exceeds the bound " + tol);
        }
    }

    /** One ulp of the larger of the two: the spec bound for exp, log, tanh, pow rounded to float. */
    static double ulp(float expected, float actual) {
        return Math.max(Math.ulp(expected), Math.ulp(actual));
    }
}
