package org.rlhf4j.rlhf.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Writes a {@link ReportPage} as one self-contained HTML5 file: the style sheet is inline, the charts are
 * inline SVG, and there is no script and no link to anything outside the file, so it opens offline (and
 * in a browser that blocks remote content). Text is escaped with {@link Html#escape}; sample text keeps
 * its line breaks ({@code white-space: pre-wrap}) but never its markup.
 */
public final class HtmlReport {

    public static final String FILE = "report.html";

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1000px;
            color:#222;line-height:1.45;padding:0 1em}
            h1{margin-bottom:.1em}.subtitle{color:#666;margin-top:0}
            table{border-collapse:collapse;margin:.5em 0 1.5em}
            td,th{border:1px solid #ddd;padding:.3em .6em;vertical-align:top;text-align:left}
            th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums}
            .note{color:#666;font-size:.9em}
            .charts{display:flex;flex-wrap:wrap;gap:1em}
            figure{margin:0;border:1px solid #eee;padding:.3em}figcaption{font-size:.85em;color:#555;max-width:460px}
            .chart text{font-size:11px;fill:#333}.chart .chart-title{font-size:13px;font-weight:600}
            .chart .grid{stroke:#eee}.chart .axis{stroke:#999}.chart .frame{fill:none;stroke:#999}
            .sample{font-family:ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;font-size:.9em}
            """;

    private HtmlReport() {
    }

    /** The page as HTML. */
    public static String render(ReportPage page) {
        StringBuilder sb = new StringBuilder(64 * 1024);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Html.escape(page.title())).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n")
                .append("<h1>").append(Html.escape(page.title())).append("</h1>\n")
                .append("<p class=\"subtitle\">").append(Html.escape(page.subtitle())).append("</p>\n");
        if (!page.summary().isEmpty()) {
            table(sb, new ReportPage.Table("Summary", page.summary()), "summary");
        }
        if (!page.charts().isEmpty()) {
            sb.append("<h2>Charts</h2>\n<div class=\"charts\">\n");
            for (ReportPage.Figure f : page.charts()) {
                sb.append("<figure>").append(f.chart().toSvg()).append("<figcaption>")
                        .append(Html.escape(f.caption())).append("</figcaption></figure>\n");
            }
            sb.append("</div>\n");
        }
        for (ReportPage.Table t : page.tables()) {
            table(sb, t, "table");
        }
        if (!page.samples().isEmpty()) {
            sb.append("<h2>Samples: reference and tuned policy, same held-out prompt</h2>\n<table id=\"samples\">\n")
                    .append("<tr><th>prompt</th><th>reference</th><th>reward</th><th>tuned</th><th>reward</th>")
                    .append("<th>panel</th></tr>\n");
            for (ReportPage.SamplePair s : page.samples()) {
                sb.append("<tr><td class=\"sample\">").append(Html.escape(s.prompt()))
                        .append("</td><td class=\"sample\">").append(Html.escape(s.reference()))
                        .append("</td><td class=\"num\">").append(number(s.referenceReward()))
                        .append("</td><td class=\"sample\">").append(Html.escape(s.tuned()))
                        .append("</td><td class=\"num\">").append(number(s.tunedReward()))
                        .append("</td><td>").append(Html.escape(s.verdict())).append("</td></tr>\n");
            }
            sb.append("</table>\n");
        }
        if (!page.notes().isEmpty()) {
            sb.append("<h2>Notes</h2>\n");
            for (String n : page.notes()) {
                sb.append("<p>").append(Html.escape(n)).append("</p>\n");
            }
        }
        return sb.append("</body>\n</html>\n").toString();
    }

    /** Writes the page to {@code file} (through a temporary file and a rename, so a reader never sees half). */
    public static void write(ReportPage page, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.writeString(tmp, render(page), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void table(StringBuilder sb, ReportPage.Table t, String id) {
        sb.append("<h2>").append(Html.escape(t.heading())).append("</h2>\n<table id=\"")
                .append(Html.escape(id.equals("table") ? slug(t.heading()) : id)).append("\">\n");
        for (ReportPage.Stat s : t.rows()) {
            sb.append("<tr><th>").append(Html.escape(s.label())).append("</th><td class=\"num\">")
                    .append(Html.escape(s.value())).append("</td><td class=\"note\">").append(Html.escape(s.note()))
                    .append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    private static String slug(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "";
    }
}
