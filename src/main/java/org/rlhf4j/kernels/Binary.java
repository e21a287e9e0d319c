package org.rlhf4j.kernels;

/** Elementwise binary operations of {@link Kernels#binary}. */
public enum Binary {
    /** a + b */
    ADD,
    /** a - b */
    SUB,
    /** a * b */
    MUL,
    /** a / b */
    DIV,
    /** min(a, b); the gradient goes to a on ties. */
    MIN,
    /** max(a, b); the gradient goes to a on ties. */
    MAX,
    /** a ^ b (Math.pow); d/da = b a^(b-1), d/db = a^b ln a (defined as 0 where a &lt;= 0). */
    POW
}
