/**
 * ScalarKernels: the reference implementation of the kernel contract, the executable specification
 * of every op. Plain loops, one commented loop nest per op; never calls SIMD or GPU code. Always
 * available.
 *
 * <p>May import: {@code org.rlhf4j.kernels} and the JDK.
 */
package org.rlhf4j.kernels.scalar;
