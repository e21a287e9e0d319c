/**
 * tensor: {@link org.rlhf4j.tensor.Tensor} (contiguous row-major floats: an array, an offset and a
 * {@link org.rlhf4j.tensor.Shape}) and the define-by-run autograd tape ({@link org.rlhf4j.tensor.Autograd}):
 * every op computes its forward through the current {@link org.rlhf4j.kernels.Kernels} and records a
 * node naming its {@link org.rlhf4j.tensor.Op}, with the backward closure written right under the
 * forward code (ElementwiseOps, ReduceOps, FusedOps, MatmulOps, ViewOps); no-grad scopes, detach,
 * views, user-defined {@link org.rlhf4j.tensor.CustomFunction}s and the seeded
 * {@link org.rlhf4j.tensor.Generator}. All arithmetic on elements goes through the kernels; the only
 * loops here are bookkeeping (shapes, strides, counting) and drawing random numbers. The sub-package
 * {@code check} holds the double-precision gradient checker. docs/engine-tensor.md explains the tape
 * and derives each op's backward pass. {@link org.rlhf4j.tensor.TensorLimits} caps every allocation of
 * tensor data before it is made ({@link org.rlhf4j.tensor.TensorAllocationException}).
 *
 * <p>May import: {@code org.rlhf4j.kernels}, the base package {@code org.rlhf4j} (its root exception) and the JDK only.
 */
package org.rlhf4j.tensor;
