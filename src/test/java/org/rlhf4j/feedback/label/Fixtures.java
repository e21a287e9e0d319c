package org.rlhf4j.feedback.label;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rlhf4j.feedback.Preference;

/** Shared test doubles: a candidate source that needs no model, and a sink that keeps what it is given. */
final class Fixtures {

    private Fixtures() {
    }

    /** K completions of {@code p}: "p / answer 0", "p / answer 1", ... */
    static final CandidateSource LETTERS = (prompt, k) -> {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            out.add(prompt + " / answer " + i);
        }
        return out;
    };

    /** A sink that keeps the records in order; safe for the server's threads. */
    static final class Kept implements LabelSink {
        final List<Preference> records = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void append(Preference p) {
            records.add(p);
        }

        List<String> prompts() {
            synchronized (records) {
                return records.stream().map(Preference::prompt).toList();
            }
        }
    }
}
