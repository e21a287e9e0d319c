package org.rlhf4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The data packages import what their package-info says, and no more: data.tokenizer nothing from
 * rlhf4j (it stands alone) but the root exception, data only its sub-package, the tensor Generator and the root
 * exception.
 */
class DataImportsTest {

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?(org\\.rlhf4j\\.[\\w.]+);", Pattern.MULTILINE);

    @Test
    void importsStayWithinTheDocumentedSet() throws IOException {
        List<String> violations = new ArrayList<>();
        int files = 0;
        try (Stream<Path> walk = Files.walk(Path.of("src", "main", "java", "org", "rlhf4j", "data"))) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".java")).toList()) {
                files++;
                boolean inTokenizer = p.getParent().endsWith("tokenizer");
                Matcher m = IMPORT.matcher(Files.readString(p));
                while (m.find()) {
                    String imp = m.group(1);
                    boolean allowed = imp.equals("org.rlhf4j.Rlhf4jException") || (inTokenizer
                            ? imp.startsWith("org.rlhf4j.data.tokenizer.")
                            : imp.startsWith("org.rlhf4j.data.") || imp.equals("org.rlhf4j.tensor.Generator"));
                    if (!allowed) {
                        violations.add(p + " imports " + imp);
                    }
                }
            }
        }
        assertTrue(files > 15, "found the sources: " + files);
        assertEquals(List.of(), violations);
    }
}
