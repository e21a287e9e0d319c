/**
 * check: {@link org.rlhf4j.tensor.check.GradCheck}, the gradient checker for property tests of this
 * library and of code built on it: a float tape against central finite differences taken in double
 * precision on an independent double reference, with tolerances derived in its comment. Unlike
 * {@code org.rlhf4j.tensor}, this package computes in plain double loops on purpose: an oracle must
 * not share the code it checks.
 *
 * <p>May import: {@code org.rlhf4j.tensor}, {@code org.rlhf4j.kernels} and the JDK only.
 */
package org.rlhf4j.tensor.check;
