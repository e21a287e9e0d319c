package org.rlhf4j.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.rlhf4j.Rlhf4jException;

/**
 * docs/embedding.md's exception tree, checked against the compiled library: every public exception type of
 * rlhf4j is either under {@link Rlhf4jException} (unchecked) or an {@link IOException} (checked I/O
 * failures), apart from the one documented exception, {@code UnknownCharacterException}, which stays an
 * {@link IllegalArgumentException} because {@code Tokenizer.encode}'s callers catch that for any text that
 * cannot be encoded.
 */
class ExceptionHierarchyTest {

    private static final Path CLASSES = Path.of("target", "classes");

    /** Public exceptions that are documented to stand outside both roots, with the reason. */
    private static final Map<String, Class<?>> DOCUMENTED_OUTSIDE = Map.of(
            "org.rlhf4j.data.tokenizer.UnknownCharacterException", IllegalArgumentException.class);

    @Test
    void everyPublicExceptionIsUnderTheRootOrAnIoException() {
        List<String> strays = new ArrayList<>();
        Map<String, String> seen = new TreeMap<>();
        for (Class<?> c : publicThrowables()) {
            String root = Rlhf4jException.class.isAssignableFrom(c) ? "Rlhf4jException"
                    : IOException.class.isAssignableFrom(c) ? "IOException" : null;
            Class<?> allowed = DOCUMENTED_OUTSIDE.get(c.getName());
            if (root == null && (allowed == null || !allowed.isAssignableFrom(c))) {
                strays.add(c.getName() + " extends " + c.getSuperclass().getName());
            }
            seen.put(c.getName(), root);
        }
        assertEquals(List.of(), strays, "public exceptions outside Rlhf4jException and IOException: "
                + "extend Rlhf4jException, or document the exception in docs/embedding.md and here");
        assertEquals("Rlhf4jException", seen.get("org.rlhf4j.tensor.ShapeMismatchException"));
        assertEquals("Rlhf4jException", seen.get("org.rlhf4j.kernels.BackendUnavailableException"));
        assertEquals("IOException", seen.get("org.rlhf4j.io.SafeTensorsException$BadOffsets"));
        assertEquals("IOException", seen.get("org.rlhf4j.io.UnsafePathException"));
        assertTrue(seen.size() >= 30, "the scan found the exception classes: " + seen.keySet());
    }

    /** The Throwable subclasses compiled from src/main (the CLI's too) that a caller can see. */
    private static List<Class<?>> publicThrowables() {
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(CLASSES)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = CLASSES.relativize(p).toString().replace('/', '.').replace('\\', '.');
                name = name.substring(0, name.length() - ".class".length());
                if (name.endsWith("module-info") || name.endsWith("package-info")) {
                    continue;
                }
                Class<?> c = Class.forName(name, false, ExceptionHierarchyTest.class.getClassLoader());
                if (Throwable.class.isAssignableFrom(c) && visible(c)) {
                    out.add(c);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    /** Public, and so is every class it is nested in (an exception inside a package-private class is internal). */
    private static boolean visible(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!java.lang.reflect.Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass()) {
                return false;
            }
        }
        return true;
    }
}
