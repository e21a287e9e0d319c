package org.rlhf4j.feedback;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The child process of {@link PreferenceWriterKillTest}: appends records {@link #record(long)} from the
 * first index not yet in the file, forever, printing {@code acked <i>} once each write has returned.
 */
public final class AppendingLabeller {

    private AppendingLabeller() {
    }

    /** Record number {@code i}: large enough (about 30 KB) that a kill may land inside a write. */
    static Preference record(long i) {
        String filler = ("answer " + i + " ").repeat(3000);
        return new RankedPreference("prompt " + i, List.of("a" + filler, "b" + filler),
                List.of((int) (i % 2), (int) (1 - i % 2)));
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        long next = PreferenceReader.promptsIn(file).size();
        try (PreferenceWriter w = PreferenceWriter.open(file)) {
            for (long i = next; ; i++) {
                w.write(record(i));
                System.out.println("acked " + i);
                System.out.flush();
            }
        }
    }
}
