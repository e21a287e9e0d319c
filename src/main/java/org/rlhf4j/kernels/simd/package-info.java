/**
 * SimdKernels: the kernel contract on the JDK Vector API. The only package that imports
 * {@code jdk.incubator.vector}; it is loaded by reflection from {@link org.rlhf4j.kernels.Backends}
 * only after the module has been found, so a JVM without it never links these classes.
 *
 * <p>May import: {@code org.rlhf4j.kernels} and its {@code scalar} sub-package, the JDK and
 * {@code jdk.incubator.vector}.
 */
package org.rlhf4j.kernels.simd;
