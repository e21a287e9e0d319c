package org.rlhf4j.rlhf.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    private static final String HOSTILE = "<script>alert('x')</script> & \"quoted\" <img src=x onerror=alert(1)>\u0007";

    static ReportPage page(String sample) {
        SvgChart reward = new SvgChart("PPO: reward", "PPO iteration", "reward",
                List.of(SvgChart.Series.of("score", new double[] {-0.5, 0.1, 0.7, 1.25})));
        return new ReportPage("demo <report>", "seed 1", List.of(new ReportPage.Stat("panel prefers tuned", "73.4%",
                "fresh panel")), List.of(new ReportPage.Figure(reward, "reward per iteration")),
                List.of(new ReportPage.Table("Seconds per stage", List.of(new ReportPage.Stat("pretrain", "12.5 s", "")))),
                List.of(new ReportPage.SamplePair("Call me ", sample, -0.25, "a good and happy day", 1.5, "tuned")),
                List.of("notes & caveats"));
    }

    @Test
    void theReportIsWellFormedSelfContainedHtmlWithItsChartsAndNumbers() {
        String html = HtmlReport.render(page("plain sample"));
        HtmlChecks.assertSelfContainedHtml(html);
        assertEquals(1, HtmlChecks.svgCount(html));
        assertTrue(html.contains("<path d=\"M"), "the reward line is drawn");
        assertTrue(html.contains("73.4%"));
        assertTrue(html.contains("12.5 s"));
        assertTrue(html.contains("-0.250") && html.contains("1.500"), "sample rewards");
        assertTrue(html.contains("a good and happy day"));
        assertTrue(html.contains("demo &lt;report&gt;"), "the title is escaped too");
        assertTrue(html.contains("notes &amp; caveats"));
    }

    @Test
    void modelTextIsEscapedNeverMarkup() {
        String html = HtmlReport.render(page(HOSTILE));
        HtmlChecks.assertSelfContainedHtml(html);
        assertFalse(html.contains("<script>"));
        assertFalse(html.contains("<img"));
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot; "
                + "&lt;img src=x onerror=alert(1)&gt;\uFFFD"), html);
    }

    @Test
    void escapeReplacesCharactersXmlForbidsAndKeepsSurrogatePairs() {
        assertEquals("a\uFFFDb\tc\n\uD83D\uDE00\uFFFD", Html.escape("a\u0000b\tc\n\uD83D\uDE00\uD800"));
        assertEquals("", Html.escape(null));
    }

    @Test
    void writeCreatesTheFileAtomically(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub").resolve(HtmlReport.FILE);
        HtmlReport.write(page("x"), file);
        assertEquals(HtmlReport.render(page("x")), Files.readString(file, StandardCharsets.UTF_8));
        try (var s = Files.list(file.getParent())) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }
}
