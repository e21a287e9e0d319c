package org.rlhf4j.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The compiled library (target/classes) neither ends the JVM, prints, changes system properties or
 * global handlers, adds shutdown hooks, nor makes non-daemon threads (rules in {@link LibraryHygiene}).
 * The entry points, org.rlhf4j.cli and org.rlhf4j.bench, may.
 */
class LibraryHygieneTest {

    static final Set<String> ENTRY_POINTS = Set.of("org/rlhf4j/cli/", "org/rlhf4j/bench/");

    @Test
    void libraryCodeHasNoViolations() throws URISyntaxException {
        Path classes = classesRoot(org.rlhf4j.tensor.Tensor.class);
        assertTrue(Files.isDirectory(classes.resolve("org/rlhf4j/tensor")), "compiled library at " + classes);
        List<LibraryHygiene.Violation> found = LibraryHygiene.scan(classes, ENTRY_POINTS);
        assertEquals("", found.stream().map(Object::toString).collect(Collectors.joining("\n")),
                "library code that must not run inside someone else's JVM");
    }

    @Test
    void theScannerFindsEachPlantedViolationAndAcceptsDaemonThreads() throws URISyntaxException {
        Path root = classesRoot(PlantedViolations.class);
        Map<String, List<String>> byMethod = new TreeMap<>();
        for (LibraryHygiene.Violation v : LibraryHygiene.scan(root.resolve("org/rlhf4j/architecture"), Set.of())) {
            if (v.className().startsWith("org/rlhf4j/architecture/PlantedViolations")) {
                byMethod.computeIfAbsent(v.method(), m -> new java.util.ArrayList<>()).add(v.what());
            }
        }
        assertEquals(List.of("calls System.exit"), byMethod.get("exits"));
        assertEquals(List.of("calls Runtime.halt"), byMethod.get("halts"));
        assertEquals(List.of("uses System.out"), byMethod.get("prints"));
        assertEquals(List.of("calls printStackTrace() (prints to System.err)"), byMethod.get("printsError"));
        assertEquals(List.of("calls System.setProperty"), byMethod.get("setsProperty"));
        assertEquals(List.of("calls Runtime.addShutdownHook", "new java.lang.Thread without setDaemon(true) in the same method"),
                byMethod.get("hooks"));
        assertEquals(List.of("new java.lang.Thread without setDaemon(true) in the same method"), byMethod.get("userThread"));
        assertEquals(List.of("calls Executors.newFixedThreadPool without a daemon ThreadFactory"), byMethod.get("defaultPool"));
        assertEquals(Set.of("exits", "halts", "prints", "printsError", "setsProperty", "hooks", "userThread", "defaultPool"),
                byMethod.keySet(), "daemonThread, daemonPool (and its factory lambda) and printStackTrace(PrintWriter) pass");
    }

    private static Path classesRoot(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
