/**
 * SimdKernels: the kernel contract on the JDK Vector API. The only package that imports
 * {@code jdk.incubator.vector}; it is loaded by reflection from {@link org.rlhf4j.kernels.Backends}
 * only after the module has been found, so a JVM without it never links these classes.
 *
 * <p>One idea per class: {@code Lanes} (vector shape, thread split, fixed-order row sums),
 * {@code VectorMath} (exp and the functions built on it), {@code SimdBinary} (broadcasting binary
 * ops), {@code SimdElementwise} (unary ops, their gradients, addScaled, fill), {@code SimdSoftmax}
 * (softmax, log-softmax, cross-entropy), {@code SimdLayerNorm}, {@code SimdMatmul}. Results are
 * bit-identical for any thread count, and equal to the scalar reference within the bounds that
 * KernelsProperties derives (bit-identical for the ops made of single IEEE operations).
 *
 * <p>Two rules keep the vector code fast and reproducible: every loop lives in a small method that
 * calls the vector helpers directly (C2 then inlines everything; a vector that crosses a call it
 * did not inline is boxed on the heap), and no transcendental comes from the Vector API's lanewise
 * operators, whose compiled and interpreted results differ in the last bit.
 *
 * <p>May import: {@code org.rlhf4j.kernels} and its {@code scalar} sub-package, the JDK and
 * {@code jdk.incubator.vector}.
 */
package org.rlhf4j.kernels.simd;
