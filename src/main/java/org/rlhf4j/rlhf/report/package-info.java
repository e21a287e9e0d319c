/**
 * rlhf.report: a self-contained HTML page for a run. {@link org.rlhf4j.rlhf.report.SvgChart} draws line
 * charts as inline SVG from the numbers themselves; {@link org.rlhf4j.rlhf.report.HtmlReport} lays out a
 * {@link org.rlhf4j.rlhf.report.ReportPage} (summary numbers, charts, side-by-side samples, notes) as one
 * file with no external asset (no script, font, stylesheet or image is fetched), so it opens offline.
 * Every piece of text, model samples above all, is escaped ({@link org.rlhf4j.rlhf.report.Html}): the
 * samples are untrusted.
 *
 * <p>May import the JDK only (it knows nothing of the pipeline that fills it); never {@code org.rlhf4j.cli}.
 * Nothing here prints.
 */
package org.rlhf4j.rlhf.report;
