/**
 * Kernels: the numerical contract of rlhf4j ({@link org.rlhf4j.kernels.Kernels}) over flat
 * {@code float[]} arrays, offsets and int dimensions, never a Tensor; the bounded thread pool
 * ({@link org.rlhf4j.kernels.Parallel}); the counter-based generator behind dropout; and
 * {@link org.rlhf4j.kernels.Backends}, which picks a family. The families live in sub-packages:
 * {@code scalar} (the reference), {@code simd} (the only package that imports jdk.incubator.vector),
 * {@code opencl} (the only package that imports com.aparapi).
 *
 * <p>Dimension letters used in kernels and nn: B batch, T time (sequence), C channels, V vocabulary,
 * NH number of heads, HS head size; M, K, N the sizes of a matrix product (M,K)·(K,N).
 *
 * <p>May import: the JDK only (java.base), and its own sub-packages (Backends names ScalarKernels;
 * SimdKernels and OpenClKernels are only ever loaded by reflection), and the base package {@code org.rlhf4j}
 * (its root exception). Nothing else in rlhf4j.
 */
package org.rlhf4j.kernels;
