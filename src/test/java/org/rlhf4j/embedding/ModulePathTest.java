package org.rlhf4j.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rlhf4j as the named module {@code org.rlhf4j}: its descriptor exports the API packages only and needs neither
 * the Vector API nor Aparapi (neither is on the module path here), and the compiled module ({@code target/classes}, as the jar would hold it) runs
 * on the module path with {@code -m org.rlhf4j/org.rlhf4j.cli.Rlhf4j}: pretraining on the bundled Moby-Dick
 * without the Vector API (scalar), sampling and one PPO iteration with it (SIMD; the bundled prompts and VADER
 * lexicon). Unlike the suite's module mode ({@link SuiteModeTest}), nothing of the tests is patched in: the child
 * sees the module as a user's application would, with only its run-time dependencies beside it.
 */
class ModulePathTest {

    private static final Path CLASSES = Path.of("target", "classes");
    private static final String MAIN = "org.rlhf4j/org.rlhf4j.cli.Rlhf4j";

    @Test
    void theDescriptorExportsTheApiAndRequiresTheOptionalModulesStatically() {
        ModuleDescriptor d = ModuleFinder.of(CLASSES).find("org.rlhf4j").orElseThrow().descriptor();
        Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
        Set<String> internal = new TreeSet<>(d.packages());
        internal.removeAll(exported);
        assertTrue(exported.containsAll(Set.of("org.rlhf4j", "org.rlhf4j.kernels", "org.rlhf4j.tensor", "org.rlhf4j.nn",
                "org.rlhf4j.rlhf.ppo", "org.rlhf4j.rlhf.reward", "org.rlhf4j.feedback")), exported.toString());
        for (String p : List.of("org.rlhf4j.kernels.simd", "org.rlhf4j.kernels.opencl", "org.rlhf4j.cli", "org.rlhf4j.bench")) {
            assertTrue(internal.contains(p), p + " stays internal: " + internal);
        }
        // every package of classes is either exported or one of the four internal ones (resource folders aside)
        Set<String> codePackages = internal.stream().filter(p -> hasClasses(p)).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("org.rlhf4j.kernels.simd", "org.rlhf4j.kernels.opencl", "org.rlhf4j.cli", "org.rlhf4j.bench"),
                codePackages);
        for (String optional : List.of("jdk.incubator.vector", "aparapi")) {
            ModuleDescriptor.Requires r = d.requires().stream().filter(q -> q.name().equals(optional)).findFirst().orElseThrow();
            assertTrue(r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC), r.toString());
        }
        assertTrue(d.opens().stream().anyMatch(o -> o.source().equals("org.rlhf4j.cli") && o.targets().equals(Set.of("info.picocli"))),
                "picocli may reflect on the commands: " + d.opens());
    }

    @Test
    void theModuleTrainsAndSamplesOnTheModulePathWithAndWithoutTheVectorApi(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run"), ppo = dir.resolve("ppo");
        String scalar = java(List.of(), "info");
        assertTrue(scalar.contains("backend:    scalar"), scalar);
        // Aparapi is not on this module path: info reports OpenCL as unavailable (a BackendUnavailableException's
        // message), and nothing escapes as an uncaught error
        assertTrue(scalar.contains("opencl:     none"), scalar);
        assertFalse(scalar.contains("Exception in thread") || scalar.contains("IllegalAccessError"), scalar);
        assertTrue(java(List.of("--add-modules", "jdk.incubator.vector"), "info").contains("backend:    simd"));

        String trained = java(List.of(), "pretrain", "--out", run.toString(), "--max_iters=2", "--eval_iters=1");
        assertTrue(trained.contains("pretrain moby-dick-char") && trained.contains("scalar backend"), trained);
        assertTrue(Files.isDirectory(run.resolve("checkpoint")), trained);

        String sampled = java(List.of("--add-modules", "jdk.incubator.vector"), "sample", "--checkpoint", run.toString(),
                "--prompt", "Call me", "--max-tokens", "8", "--seed", "3");
        assertFalse(sampled.isBlank());

        String tuned = java(List.of("--add-modules", "jdk.incubator.vector"), "ppo", "--policy", run.toString(),
                "--reward-function", "sentiment", "--out", ppo.toString(), "--iterations", "1",
                "--set", "rollout_batch=4", "--set", "max_new_tokens=6");
        assertTrue(tuned.contains("done: 1 iterations"), tuned);
    }

    /** Runs the CLI on the module path; returns stdout and stderr together; fails on a non-zero exit. */
    private static String java(List<String> jvmArgs, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-Drlhf4j.threads=1");
        cmd.add("--module-path");
        cmd.add(modulePath());
        cmd.add("-m");
        cmd.add(MAIN);
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish in 180 s: " + cmd);
        }
        String text = out.join();
        assertEquals(0, p.exitValue(), cmd + "\n" + text);
        return text;
    }

    /** The module and what it requires at run time: Jackson (databind, core, annotations) and picocli. */
    private static String modulePath() {
        List<String> path = new ArrayList<>();
        path.add(CLASSES.toAbsolutePath().toString());
        // the jars are on the class path, or on the module path when the suite runs in module mode
        String jars = System.getProperty("java.class.path") + File.pathSeparator + System.getProperty("jdk.module.path", "");
        for (String e : jars.split(File.pathSeparator)) {
            if (e.isEmpty()) {
                continue;
            }
            String name = Path.of(e).getFileName().toString();
            if (name.matches("(jackson-(databind|core|annotations)|picocli)-[0-9].*\\.jar")) {
                path.add(e);
            }
        }
        assertEquals(5, path.size(), "the module and its four run-time modules: " + path);
        return String.join(File.pathSeparator, path);
    }

    private static boolean hasClasses(String pkg) {
        try (var files = Files.list(CLASSES.resolve(pkg.replace('.', File.separatorChar)))) {
            return files.anyMatch(f -> f.toString().endsWith(".class"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
