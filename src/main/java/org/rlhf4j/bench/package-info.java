/**
 * Benchmarks: {@link org.rlhf4j.bench.Bench}, a command-line entry point that prints one line per
 * measurement ({@code matmul MxKxN impl=<scalar|simd|ejml> threads=<t> gflops=<value>}), and the
 * benchmarks it dispatches to: {@code OpsBench} (elementwise GB/s), {@code TrainBench} (GPT training
 * step tokens/s) and {@code GenBench} (KV-cache generation tokens/s). Like the
 * CLI it is a top of the import layering: it may print, exit and import everything in rlhf4j, and
 * it is the only code that uses EJML at run time (an optional dependency, for comparison).
 */
package org.rlhf4j.bench;
