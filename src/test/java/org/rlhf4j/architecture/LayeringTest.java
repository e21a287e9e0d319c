package org.rlhf4j.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Reads the import lines of src/main and enforces the layering of STYLE.md:
 * {@code kernels <- tensor <- nn <- optim/io/train <- feedback/rlhf <- cli}, all above the base package
 * {@code org.rlhf4j} itself (the root exception), which imports nothing of rlhf4j. A package may import
 * its own layer and the layers below, never one above; the reference kernels never import a fast
 * family; {@code jdk.incubator.vector} and {@code com.aparapi} stay in their packages.
 */
class LayeringTest {

    private static final Path MAIN = Path.of("src", "main", "java");

    /** Top-level package under org.rlhf4j -> layer; higher layers may import lower ones. */
    private static final Map<String, Integer> LAYERS = Map.ofEntries(
            Map.entry("", -1), // org.rlhf4j itself: Rlhf4jException
            Map.entry("micrograd", 0),
            Map.entry("kernels", 1),
            Map.entry("tensor", 2),
            Map.entry("nn", 3),
            Map.entry("optim", 4), Map.entry("io", 4), Map.entry("data", 4), Map.entry("train", 4),
            Map.entry("feedback", 5), Map.entry("rlhf", 5),
            Map.entry("cli", 6), Map.entry("bench", 6));

    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    record Source(Path path, String pkg, List<String> imports) { }

    @Test
    void noPackageImportsALayerAboveIt() {
        List<String> violations = new ArrayList<>();
        for (Source s : sources()) {
            int own = layerOf(s.pkg(), s.path());
            for (String imp : s.imports()) {
                if (imp.startsWith("org.rlhf4j.")) {
                    int target = layerOf(imp, s.path());
                    if (target > own) {
                        violations.add(s.path() + ": " + s.pkg() + " (layer " + own + ") imports " + imp + " (layer " + target + ")");
                    }
                }
            }
        }
        assertEquals(List.of(), violations, "imports that go up the layering");
    }

    @Test
    void referenceKernelsNeverImportAFastFamily() {
        List<String> violations = new ArrayList<>();
        for (Source s : sources()) {
            if (s.pkg().equals("org.rlhf4j.kernels.scalar")) {
                s.imports().stream()
                        .filter(i -> i.startsWith("org.rlhf4j.kernels.simd") || i.startsWith("org.rlhf4j.kernels.opencl"))
                        .forEach(i -> violations.add(s.path() + " imports " + i));
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void vectorApiAndAparapiStayInTheirPackages() {
        List<String> violations = new ArrayList<>();
        for (Source s : sources()) {
            String code = stripStringsAndComments(read(s.path()));
            checkConfined(s, code, "jdk.incubator.vector", "org.rlhf4j.kernels.simd", violations);
            checkConfined(s, code, "com.aparapi", "org.rlhf4j.kernels.opencl", violations);
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void theScannerSeesViolations() {
        // The checks above must be able to fail: feed them a made-up file that breaks each rule.
        String bad = "package org.rlhf4j.tensor;\nimport org.rlhf4j.nn.Linear;\nimport jdk.incubator.vector.FloatVector;\n"
                + "class X { String s = \"com.aparapi.Kernel\"; }\n";
        Source s = parse(Path.of("X.java"), bad);
        assertEquals("org.rlhf4j.tensor", s.pkg());
        assertTrue(layerOf("org.rlhf4j.nn.Linear", s.path()) > layerOf(s.pkg(), s.path()));
        assertTrue(layerOf("org.rlhf4j.Rlhf4jException", s.path()) < layerOf("org.rlhf4j.kernels.Kernels", s.path()),
                "the base package sits under every layer");
        assertTrue(layerOf("org.rlhf4j", s.path()) < 0);
        List<String> violations = new ArrayList<>();
        String code = stripStringsAndComments(bad);
        checkConfined(s, code, "jdk.incubator.vector", "org.rlhf4j.kernels.simd", violations);
        checkConfined(s, code, "com.aparapi", "org.rlhf4j.kernels.opencl", violations);
        assertEquals(1, violations.size(), "the vector import is caught, the string literal is not: " + violations);
        assertFalse(sources().isEmpty(), "src/main/java was found and read");
    }

    private static void checkConfined(Source s, String code, String name, String home, List<String> violations) {
        if (!s.pkg().startsWith(home) && code.contains(name + ".")) {
            violations.add(s.path() + " (" + s.pkg() + ") uses " + name + ", which belongs in " + home);
        }
    }

    private static int layerOf(String qualified, Path where) {
        String rest = qualified.equals("org.rlhf4j") ? "" : qualified.substring("org.rlhf4j.".length());
        String top = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
        if (!top.isEmpty() && Character.isUpperCase(top.charAt(0))) {
            top = ""; // a type of the base package, org.rlhf4j.Rlhf4jException
        }
        Integer layer = LAYERS.get(top);
        if (layer == null) {
            throw new AssertionError(where + ": package org.rlhf4j." + top
                    + " has no place in the layering; add it to LayeringTest.LAYERS and STYLE's order");
        }
        return layer;
    }

    private static List<Source> sources() {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.getFileName().toString().equals("module-info.java"))
                    .map(p -> parse(p, read(p))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Source parse(Path path, String text) {
        Matcher pm = PACKAGE.matcher(text);
        if (!pm.find()) {
            throw new AssertionError(path + " has no package declaration");
        }
        List<String> imports = new ArrayList<>();
        Matcher im = IMPORT.matcher(text);
        while (im.find()) {
            imports.add(im.group(1));
        }
        return new Source(path, pm.group(1), imports);
    }

    /** Code with string/char literals and comments blanked, so only real references remain. */
    private static String stripStringsAndComments(String text) {
        return text.replaceAll("(?s)/\\*.*?\\*/", " ")
                .replaceAll("//[^\\n]*", " ")
                .replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("'(?:\\\\.|[^'\\\\])'", "''");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
