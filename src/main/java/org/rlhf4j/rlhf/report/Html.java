package org.rlhf4j.rlhf.report;

/**
 * Escaping for text placed in HTML or SVG (element content and double- or single-quoted attributes).
 * Model samples are untrusted: {@code <script>} in a sample must stay text. Control characters other than
 * tab and newline become U+FFFD, since XML (and so inline SVG) forbids most of them; unpaired surrogates
 * do too.
 */
public final class Html {

    private Html() {
    }

    /** {@code text} with {@code & < > " '} as character references and forbidden characters replaced. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        sb.append(c).append(text.charAt(++i));
                    } else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F || Character.isSurrogate(c)
                            || c == 0xFFFE || c == 0xFFFF) {
                        sb.append('\uFFFD');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
