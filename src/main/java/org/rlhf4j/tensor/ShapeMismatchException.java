package org.rlhf4j.tensor;

import org.rlhf4j.Rlhf4jException;

/**
 * Thrown when the shapes given to an op do not fit. The message names the op and both shapes, then
 * says why, e.g. {@code matmul: shapes [2, 3] and [4, 5] do not match (inner dims 3 != 4)}.
 */
public class ShapeMismatchException extends Rlhf4jException {

    private static final long serialVersionUID = 1L;

    private final String op;

    /** {@code op: shapes A and B do not match (why)}. */
    public ShapeMismatchException(String op, Shape a, Shape b, String why) {
        super(op + ": shapes " + a + " and " + b + " do not match (" + why + ")");
        this.op = op;
    }

    /** For an op with one shape argument: {@code op: shape A why}. */
    public ShapeMismatchException(String op, Shape a, String why) {
        super(op + ": shape " + a + " " + why);
        this.op = op;
    }

    /** The name of the op that refused its shapes. */
    public String op() {
        return op;
    }
}
