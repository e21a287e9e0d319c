package org.rlhf4j.rlhf.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as an inline SVG element, drawn from the data alone: axes with "nice" ticks (1, 2 or 5
 * times a power of ten), one polyline per series, a legend. Non-finite y values break a line (a point
 * that was not measured is not drawn as 0). A chart with no finite point says so instead of drawing axes.
 *
 * @param title  the heading above the plot
 * @param xLabel what x is (e.g. "PPO iteration")
 * @param yLabel what y is
 * @param series the lines, drawn in order, coloured from a fixed palette
 */
public record SvgChart(String title, String xLabel, String yLabel, List<Series> series) {

    /** One line: points (x[i], y[i]). */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but "
                        + y.length + " y values");
            }
        }

        /** y against 1, 2, 3, ... */
        public static Series of(String name, double[] y) {
            double[] x = new double[y.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = i + 1;
            }
            return new Series(name, x, y);
        }
    }

    private static final int W = 460, H = 250, LEFT = 58, RIGHT = 12, TOP = 28, BOTTOM = 42;
    private static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

    public SvgChart {
        series = List.copyOf(series);
    }

    /** The chart as an {@code <svg>} element (no XML prologue), to be placed inside HTML. */
    public String toSvg() {
        double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY, yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    xMin = Math.min(xMin, s.x()[i]);
                    xMax = Math.max(xMax, s.x()[i]);
                    yMin = Math.min(yMin, s.y()[i]);
                    yMax = Math.max(yMax, s.y()[i]);
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
                + "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">", W, H, W, H,
                Html.escape(title)));
        sb.append("<title>").append(Html.escape(title)).append("</title>");
        text(sb, W / 2.0, 17, "middle", "chart-title", title);
        if (xMin > xMax) {
            text(sb, W / 2.0, H / 2.0, "middle", "empty", "no data");
            return sb.append("</svg>").toString();
        }
        double[] xt = ticks(xMin, xMax), yt = ticks(yMin, yMax);
        double x0 = xt[0], x1 = xt[xt.length - 1], y0 = yt[0], y1 = yt[yt.length - 1];
        double pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM;
        // axes, grid and tick labels
        for (double t : yt) {
            double py = TOP + ph - (t - y0) / (y1 - y0) * ph;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/>",
                    LEFT, py, W - RIGHT, py));
            text(sb, LEFT - 5, py + 4, "end", "tick", label(t));
        }
        for (double t : xt) {
            double px = LEFT + (t - x0) / (x1 - x0) * pw;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"axis\"/>",
                    px, TOP + (int) ph, px, TOP + (int) ph + 4));
            text(sb, px, TOP + ph + 16, "middle", "tick", label(t));
        }
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" class=\"frame\"/>",
                LEFT, TOP, pw, ph));
        text(sb, LEFT + pw / 2, H - 6, "middle", "axis-label", xLabel);
        sb.append(String.format(Locale.ROOT, "<text x=\"13\" y=\"%.1f\" text-anchor=\"middle\" class=\"axis-label\" "
                + "transform=\"rotate(-90 13 %.1f)\">%s</text>", TOP + ph / 2, TOP + ph / 2, Html.escape(yLabel)));
        // the lines: a path with a new "M" after every gap
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            String color = PALETTE[k % PALETTE.length];
            StringBuilder d = new StringBuilder();
            boolean pen = false;
            int points = 0;
            double lastX = 0, lastY = 0;
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isFinite(s.x()[i]) || !Double.isFinite(s.y()[i])) {
                    pen = false;
                    continue;
                }
                double px = LEFT + (s.x()[i] - x0) / (x1 - x0) * pw, py = TOP + ph - (s.y()[i] - y0) / (y1 - y0) * ph;
                d.append(String.format(Locale.ROOT, "%s%.1f %.1f ", pen ? "L" : "M", px, py));
                lastX = px;
                lastY = py;
                pen = true;
                points++;
            }
            if (points == 1) { // a single point: a dot, since a one-point path draws nothing
                sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>",
                        lastX, lastY, color));
            } else if (points > 1) {
                sb.append("<path d=\"").append(d.toString().trim()).append("\" fill=\"none\" stroke=\"")
                        .append(color).append("\" stroke-width=\"1.6\"/>");
            }
            if (series.size() > 1) {
                double ly = TOP + 12 + 14 * k;
                sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" "
                        + "stroke-width=\"2\"/>", W - RIGHT - 120, ly - 4, W - RIGHT - 104, ly - 4, color));
                text(sb, W - RIGHT - 100, ly, "start", "legend", s.name());
            }
        }
        return sb.append("</svg>").toString();
    }

    private static void text(StringBuilder sb, double x, double y, String anchor, String cls, String s) {
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">%s</text>",
                x, y, anchor, cls, Html.escape(s)));
    }

    /**
     * Tick positions covering [lo, hi]: multiples of a step of 1, 2 or 5 times a power of ten, about five
     * of them (Heckbert's "nice numbers", Graphics Gems 1990). A flat range is widened around its value.
     */
    static double[] ticks(double lo, double hi) {
        if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
            double pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
            lo -= pad;
            hi += pad;
        }
        double raw = (hi - lo) / 5, mag = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / mag;
        double step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
        double first = Math.floor(lo / step) * step, last = Math.ceil(hi / step) * step;
        List<Double> out = new ArrayList<>();
        for (double t = first; t <= last + step * 0.5; t += step) {
            out.add(Math.abs(t) < step * 1e-9 ? 0.0 : t);
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String label(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e5 || a < 1e-3)) {
            return String.format(Locale.ROOT, "%.1e", v);
        }
        String s = String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
