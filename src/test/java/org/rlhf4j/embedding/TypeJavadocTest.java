package org.rlhf4j.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public or protected type of src/main (top-level or nested, and the member types of interfaces, which are
 * public without saying so) has a Javadoc comment, so {@code mvn javadoc:javadoc} documents every type a user
 * can name. Members' comments are not checked. The check reads the source: comments and string literals are
 * blanked out, braces give the nesting, and a type's declaration is documented when a {@code /**} comment lies
 * between the previous {@code ;}, <code>{</code> or <code>}</code> and its keyword (annotations and modifiers
 * may come between the comment and the keyword). Local and anonymous classes are not API and are skipped.
 */
class TypeJavadocTest {

    private static final Path MAIN = Path.of("src", "main", "java");
    private static final Pattern TYPE = Pattern.compile("(?<![\\w.@$])(class|interface|enum|record|@interface)\\s+([A-Za-z_$][\\w$]*)");
    private static final Pattern VISIBILITY = Pattern.compile("\\b(public|protected|private)\\b");

    @Test
    void everyPublicTypeHasAJavadocComment() throws IOException {
        List<String> missing = new ArrayList<>();
        int types = 0;
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.equals("package-info.java") || name.equals("module-info.java")) {
                    continue;
                }
                List<Declaration> declarations = declarations(read(f));
                types += declarations.size();
                declarations.stream().filter(d -> d.visible() && !d.documented())
                        .forEach(d -> missing.add(f + ":" + d.line() + ": " + d.kind() + " " + d.name()));
            }
        }
        assertTrue(types > 200, "the scan found the types of src/main: " + types);
        assertEquals(List.of(), missing, "public or protected types without a Javadoc comment");
    }

    @Test
    void theScanSeesNestedAnnotatedAndImplicitlyPublicTypes() {
        String source = """
                package x;
                /** documented */
                @Deprecated(since = "1") public final class A {
                    public record R(int a) { }
                    /** documented */ @SuppressWarnings({"unused"}) protected static class B { }
                    private static class Hidden { public interface NotExposedButPublic { } }
                    static String s = "public class InAString { }";
                    void m() { class Local { } Object o = A.class; }
                    // public class InAComment { }
                    public interface I {
                        class Implicit { }
                        private interface Private { }
                    }
                }
                enum E { X }
                """;
        List<String> undocumented = declarations(source).stream().filter(d -> d.visible() && !d.documented())
                .map(Declaration::name).toList();
        assertEquals(List.of("R", "NotExposedButPublic", "I", "Implicit"), undocumented);
    }

    /** A type declaration: its kind and name, the line of its keyword, whether it is public, whether documented. */
    record Declaration(String kind, String name, int line, boolean visible, boolean documented) { }

    /** The member and top-level types of one source file, in order. */
    static List<Declaration> declarations(String text) {
        List<int[]> docs = new ArrayList<>();
        String code = blank(text, docs);
        List<Declaration> out = new ArrayList<>();
        Deque<String> frames = new ArrayDeque<>(); // per open brace: the type kind, or "" for any other block
        String pending = null; // a type whose body's brace has not come yet
        Matcher m = TYPE.matcher(code);
        int next = m.find() ? m.start() : -1;
        for (int i = 0; i < code.length(); i++) {
            if (i == next) {
                boolean member = frames.stream().allMatch(k -> !k.isEmpty());
                if (member) {
                    int start = headerStart(code, i);
                    String header = code.substring(start, i);
                    Matcher v = VISIBILITY.matcher(header);
                    String visibility = v.find() ? v.group(1) : "";
                    String outer = frames.peek();
                    boolean inInterface = "interface".equals(outer) || "@interface".equals(outer);
                    boolean visible = visibility.equals("public") || visibility.equals("protected")
                            || (inInterface && !visibility.equals("private"));
                    final int at = i;
                    boolean documented = docs.stream().anyMatch(d -> d[0] >= start && d[1] <= at);
                    out.add(new Declaration(m.group(1), m.group(2), lineOf(text, i), visible, documented));
                }
                pending = member ? m.group(1) : "";
                next = m.find() ? m.start() : -1;
            }
            char c = code.charAt(i);
            if (c == '{') {
                frames.push(pending != null ? pending : "");
                pending = null;
            } else if (c == '}') {
                frames.pop();
            }
        }
        return out;
    }

    /** Where a declaration's annotations, modifiers and comment begin: after the previous ; { or } outside parentheses. */
    private static int headerStart(String code, int keyword) {
        int depth = 0;
        for (int k = keyword - 1; k >= 0; k--) {
            char ch = code.charAt(k);
            if (ch == ')') {
                depth++;
            } else if (ch == '(') {
                depth--;
            } else if (depth == 0 && (ch == ';' || ch == '{' || ch == '}')) {
                return k + 1;
            }
        }
        return 0;
    }

    /** The text with comments, strings, text blocks and characters blanked (lines kept); Javadoc spans go to docs. */
    private static String blank(String text, List<int[]> docs) {
        char[] code = text.toCharArray();
        int n = text.length();
        int i = 0;
        while (i < n) {
            int end;
            if (text.startsWith("//", i)) {
                end = text.indexOf('\n', i);
                end = end < 0 ? n : end;
            } else if (text.startsWith("/*", i)) {
                end = text.indexOf("*/", i + 2) + 2;
                if (text.startsWith("/**", i) && !text.startsWith("/**/", i)) {
                    docs.add(new int[] {i, end});
                }
            } else if (text.startsWith("\"\"\"", i)) {
                end = i + 3;
                while (!text.startsWith("\"\"\"", end) || text.charAt(end - 1) == '\\') {
                    end++;
                }
                end += 3;
            } else if (text.charAt(i) == '"' || text.charAt(i) == '\'') {
                char quote = text.charAt(i);
                end = i + 1;
                while (text.charAt(end) != quote) {
                    end += text.charAt(end) == '\\' ? 2 : 1;
                }
                end++;
            } else {
                i++;
                continue;
            }
            for (int k = i; k < end; k++) {
                if (code[k] != '\n') {
                    code[k] = ' ';
                }
            }
            i = end;
        }
        return new String(code);
    }

    private static int lineOf(String text, int index) {
        int line = 1;
        for (int k = 0; k < index; k++) {
            if (text.charAt(k) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
