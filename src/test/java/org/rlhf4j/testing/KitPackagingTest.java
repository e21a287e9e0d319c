package org.rlhf4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The kit stays out of the library: no main source imports it, jqwik or JUnit, and the pom keeps jqwik and
 * JUnit at test scope while packaging the kit, and only the kit, as the test-jar.
 */
class KitPackagingTest {

    @Test
    void theLibraryNeverImportsTheKitOrATestFramework() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            List<String> bad = files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
                try {
                    return Files.readAllLines(p).stream()
                            .filter(l -> l.matches("\\s*import\\s+(static\\s+)?(org\\.rlhf4j\\.testing|net\\.jqwik|org\\.junit)\\..*"))
                            .map(l -> p + ": " + l.trim());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
            assertEquals(List.of(), bad);
        }
    }

    @Test
    void testFrameworksStayAtTestScopeAndTheTestJarHoldsOnlyTheKit() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        for (String artifact : List.of("junit-jupiter", "jqwik")) {
            Matcher m = Pattern.compile("<artifactId>" + artifact + "</artifactId>(.*?)</dependency>", Pattern.DOTALL)
                    .matcher(pom);
            assertTrue(m.find(), artifact + " not in the pom");
            assertTrue(m.group(1).contains("<scope>test</scope>"), artifact + " must stay test-scoped");
        }
        assertTrue(pom.contains("<goal>test-jar</goal>") && pom.contains("<include>org/rlhf4j/testing/**</include>"),
                "the test-jar execution packages org.rlhf4j.testing");
    }
}
