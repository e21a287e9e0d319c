package org.rlhf4j.rlhf.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SvgChartTest {

    @Test
    void ticksAreOneTwoOrFiveTimesAPowerOfTenAndCoverTheRange() {
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0}, SvgChart.ticks(0.03, 0.97), 1e-12);
        assertArrayEquals(new double[] {0, 10, 20, 30, 40, 50, 60}, SvgChart.ticks(1, 60), 1e-12);
        assertArrayEquals(new double[] {-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5}, SvgChart.ticks(-1.7, 1.2), 1e-12);
        double[] flat = SvgChart.ticks(3, 3);
        assertTrue(flat[0] < 3 && flat[flat.length - 1] > 3, "a flat series gets a range around it");
    }

    @Test
    void missingValuesBreakTheLineInsteadOfDrawingZero() {
        String svg = new SvgChart("t", "x", "y", List.of(SvgChart.Series.of("s",
                new double[] {1, 2, Double.NaN, 4, 5}))).toSvg();
        String d = svg.substring(svg.indexOf(" d=\"") + 4, svg.indexOf('"', svg.indexOf(" d=\"") + 4));
        assertEquals(2, d.chars().filter(c -> c == 'M').count(), "two runs: " + d);
        assertEquals(2, d.chars().filter(c -> c == 'L').count(), d);
    }

    @Test
    void aChartWithoutDataSaysSo() {
        String svg = new SvgChart("empty", "x", "y", List.of(SvgChart.Series.of("s", new double[0]))).toSvg();
        assertTrue(svg.contains("no data"));
        assertFalse(svg.contains("<path"));
    }

    @Test
    void onePointIsADotAndSeveralSeriesGetALegend() {
        String one = new SvgChart("t", "x", "y", List.of(SvgChart.Series.of("s", new double[] {2}))).toSvg();
        assertTrue(one.contains("<circle"));
        String two = new SvgChart("t", "x", "y", List.of(SvgChart.Series.of("train", new double[] {1, 2}),
                SvgChart.Series.of("validation", new double[] {2, 1}))).toSvg();
        assertTrue(two.contains(">train</text>") && two.contains(">validation</text>"));
        HtmlChecks.assertSelfContainedHtml("<!DOCTYPE html><html><body>" + two + "</body></html>");
    }

    @Test
    void seriesLengthsMustMatch() {
        assertThrows(IllegalArgumentException.class, () -> new SvgChart.Series("s", new double[2], new double[3]));
    }
}
