package org.rlhf4j.feedback.label;

/**
 * Where a session stands. Every prompt is in exactly one of: labelled before this session, labelled now,
 * skipped now, passed over (fewer than two usable completions), the current item, or still to come.
 *
 * @param total          distinct prompts in the session's list
 * @param labelledBefore prompts already in the output when the session began (resumed, not asked again)
 * @param labelled       answers written in this session
 * @param skipped        prompts skipped in this session (asked again next time)
 * @param unavailable    prompts passed over for want of two distinct non-blank completions
 * @param remaining      prompts not answered yet in this session, the current one included
 */
public record Progress(int total, int labelledBefore, int labelled, int skipped, int unavailable, int remaining) {
}
