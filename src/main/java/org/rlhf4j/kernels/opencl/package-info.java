/**
 * OpenClKernels: the kernel contract on an OpenCL device (a GPU, or a CPU through PoCL) through
 * Aparapi, which translates the bytecode of a {@code com.aparapi.Kernel}'s {@code run()} method into
 * OpenCL C at its first launch. The only package that imports {@code com.aparapi}; it is loaded by
 * reflection from {@link org.rlhf4j.kernels.Backends} only when the {@code opencl} backend (or the
 * device list of {@code rlhf4j info}) is asked for, so no other path loads Aparapi or native code.
 *
 * <p>One idea per class: {@code OpenClDevices} (platforms, devices, the choice among them),
 * {@code OpenClKernels} (the contract: which op runs on the device, with which arrays),
 * {@code DelegatingKernels} (every op handed to the CPU kernels, the base of the families here),
 * {@code Launcher} (one device: explicit copies, counted in {@code TransferStats}, launches checked to
 * have run there), {@code Crossover} and {@code AutoKernels} ({@code auto}'s measured choice), and one
 * class per device kernel ({@code MatmulKernel}, {@code SoftmaxKernel}, {@code HeadKernel},
 * {@code LayerNormKernel}, {@code GeluKernel}).
 * Kernel classes are top-level, package-private and final (MatmulKernel excepted: HeadKernel extends it
 * to run the same tiled product on its own arrays; Aparapi resolves the overrides): Aparapi cannot translate a nest member's
 * attributes, captured variables, objects, booleans in fields or calls outside {@code Kernel}.
 *
 * <p>May import: {@code org.rlhf4j.kernels}, the JDK and {@code com.aparapi}.
 */
package org.rlhf4j.kernels.opencl;
