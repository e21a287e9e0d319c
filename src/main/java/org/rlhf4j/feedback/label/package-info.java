/**
 * feedback.label: labelling by people. A {@link org.rlhf4j.feedback.label.LabelSession} walks a list of
 * prompts, skipping those already labelled, asks a {@link org.rlhf4j.feedback.label.CandidateSource} for K
 * completions of each (sampled from a checkpoint, or read from a file of prepared candidates), and appends
 * each answer to a {@link org.rlhf4j.feedback.label.LabelSink} as soon as it is given. Two front ends drive
 * a session: {@link org.rlhf4j.feedback.label.TerminalLabeller} (a Reader and a PrintWriter, so the command
 * line supplies stdin and stdout and tests supply strings) and
 * {@link org.rlhf4j.feedback.label.LabelServer} (a local web page on the JDK's HTTP server). Nothing here
 * prints to the console or exits. docs/feedback.md, "Labelling your own data", is the user's guide.
 *
 * <p>May import: {@code org.rlhf4j.feedback}, {@code org.rlhf4j.train}, {@code org.rlhf4j.optim},
 * {@code org.rlhf4j.io}, {@code org.rlhf4j.data} (and its tokenizer package), {@code org.rlhf4j.nn},
 * {@code org.rlhf4j.tensor}, {@code org.rlhf4j.kernels}, the JDK (including {@code com.sun.net.httpserver})
 * and Jackson. Never {@code org.rlhf4j.rlhf} or {@code org.rlhf4j.cli}.
 */
package org.rlhf4j.feedback.label;
