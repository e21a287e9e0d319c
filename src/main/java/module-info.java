/**
 * rlhf4j as a Java module. It exports the library's API packages; it keeps to itself the SIMD and OpenCL
 * kernels ({@code kernels.simd}, {@code kernels.opencl}: reached only through
 * {@link org.rlhf4j.kernels.Kernels}, loaded by reflection), the
 * command line ({@code cli}: run it with {@code -m org.rlhf4j/org.rlhf4j.cli.Rlhf4j}) and the benchmarks
 * ({@code bench}). The Vector API and Aparapi are optional ({@code requires static}): without
 * {@code --add-modules jdk.incubator.vector} the module runs its scalar kernels, and OpenCL on the module path
 * needs {@code --add-modules aparapi}. docs/embedding.md has the contract.
 */
module org.rlhf4j {
    requires static jdk.incubator.vector; // the SIMD kernels; Backends falls back to scalar without it
    requires static aparapi; // the OpenCL kernels, asked for by name only (Aparapi 3.0.2's jar names no module)
    requires transitive com.fasterxml.jackson.databind; // JSON trees (JsonNode) are in the API: tokenizers, checkpoints
    requires info.picocli; // the command line
    requires jdk.httpserver; // the labelling web page (feedback.label.LabelServer)
    requires java.management; // the demo's heap monitor (rlhf.demo.HeapMonitor): memory and GC beans
    requires jdk.management; // ... and the GC notifications (com.sun.management)
    requires static ejml.core; // the benchmark's comparison only (org.rlhf4j.bench); an optional dependency
    requires static ejml.fdense;

    exports org.rlhf4j;
    exports org.rlhf4j.micrograd;
    exports org.rlhf4j.kernels;
    exports org.rlhf4j.kernels.scalar;
    exports org.rlhf4j.tensor;
    exports org.rlhf4j.tensor.check;
    exports org.rlhf4j.nn;
    exports org.rlhf4j.optim;
    exports org.rlhf4j.io;
    exports org.rlhf4j.data;
    exports org.rlhf4j.data.tokenizer;
    exports org.rlhf4j.train;
    exports org.rlhf4j.feedback;
    exports org.rlhf4j.feedback.label;
    exports org.rlhf4j.rlhf;
    exports org.rlhf4j.rlhf.reward;
    exports org.rlhf4j.rlhf.ppo;
    exports org.rlhf4j.rlhf.demo;
    exports org.rlhf4j.rlhf.report;

    opens org.rlhf4j.cli to info.picocli; // picocli sets @Option fields and calls commands by reflection
    opens org.rlhf4j.kernels.opencl to aparapi; // Aparapi reads a kernel's fields by reflection to pass them to OpenCL
}
