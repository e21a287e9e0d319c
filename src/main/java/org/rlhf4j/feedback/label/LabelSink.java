package org.rlhf4j.feedback.label;

import java.io.IOException;
import org.rlhf4j.feedback.Preference;

/**
 * Where answers go, one record at a time. The command line passes a
 * {@link org.rlhf4j.feedback.PreferenceWriter}, which appends one fsynced JSONL line per record, so an
 * answer is on disk before the next item is shown; tests pass a list.
 */
@FunctionalInterface
public interface LabelSink {

    /** Stores {@code p} durably before returning. */
    void append(Preference p) throws IOException;
}
