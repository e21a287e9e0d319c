package org.rlhf4j.rlhf.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;

/** Checks on generated HTML that tests share: well-formed nesting, well-formed SVG, nothing fetched from outside. */
public final class HtmlChecks {

    private static final Pattern TAG = Pattern.compile("<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*?)(/?)>");
    private static final Set<String> VOID = Set.of("meta", "br", "hr", "img", "input", "link", "area", "base",
            "col", "embed", "source", "track", "wbr");
    private static final Set<String> FETCHING = Set.of("script", "link", "img", "iframe", "object", "embed", "image",
            "use", "audio", "video", "source");
    private static final Pattern STYLE = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL);
    private static final Pattern SVG = Pattern.compile("<svg\\b.*?</svg>", Pattern.DOTALL);

    private HtmlChecks() {
    }

    /**
     * The document starts with a doctype, every non-void element is closed in order (a stack check), each
     * inline SVG parses as XML, and nothing refers to anything outside the file.
     */
    public static void assertSelfContainedHtml(String html) {
        assertTrue(html.startsWith("<!DOCTYPE html>"), "doctype first");
        Deque<String> open = new ArrayDeque<>();
        Matcher m = TAG.matcher(html.replaceAll("(?s)<!--.*?-->", ""));
        while (m.find()) {
            String name = m.group(2).toLowerCase(Locale.ROOT);
            boolean closing = !m.group(1).isEmpty(), selfClosing = !m.group(4).isEmpty();
            String attributes = m.group(3).toLowerCase(Locale.ROOT).replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
            assertFalse(FETCHING.contains(name), "the page must not load anything: <" + name + ">");
            for (String a : new String[] {"src=", "href=", "http:", "https:", "url("}) {
                assertFalse(attributes.contains(a), "the page must not load anything: <" + name + m.group(3) + ">");
            }
            if (closing) {
                assertFalse(open.isEmpty(), "</" + name + "> with nothing open");
                assertEquals(open.pop(), name, "closing tag out of order at " + m.start());
            } else if (!selfClosing && !VOID.contains(name)) {
                open.push(name);
            }
        }
        assertTrue(open.isEmpty(), "unclosed elements: " + open);
        Matcher svg = SVG.matcher(html);
        int count = 0;
        while (svg.find()) {
            count++;
            try {
                DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
                f.setNamespaceAware(true);
                f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.group().getBytes(StandardCharsets.UTF_8)));
            } catch (Exception e) {
                throw new AssertionError("inline SVG #" + count + " is not well-formed XML: " + e.getMessage(), e);
            }
        }
        Matcher style = STYLE.matcher(html);
        while (style.find()) {
            String css = style.group(1).toLowerCase(Locale.ROOT);
            assertFalse(css.contains("url(") || css.contains("@import"), "the style sheet must not load anything");
        }
    }

    /** The number of inline {@code <svg>} elements. */
    public static int svgCount(String html) {
        Matcher m = SVG.matcher(html);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
