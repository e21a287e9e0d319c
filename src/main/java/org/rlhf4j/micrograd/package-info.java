/**
 * micrograd: reverse-mode automatic differentiation on single double-precision numbers
 * ({@link org.rlhf4j.micrograd.Value}). The first chapter to read: the whole idea of the tensor tape,
 * small enough to hold in one's head, and an independent double-precision oracle for gradient checks.
 *
 * <p>May import: the JDK only.
 */
package org.rlhf4j.micrograd;
