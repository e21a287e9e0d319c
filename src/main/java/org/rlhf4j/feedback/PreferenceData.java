package org.rlhf4j.feedback;

import java.util.List;
import org.rlhf4j.data.DatasetFormatException;

/**
 * What {@link PreferenceReader} read from one source: the good records in file order, and, in lenient
 * mode, the problems of the lines it skipped (each names its file, line and field).
 *
 * @param source  the file name used in messages
 * @param records the preferences, in file order
 * @param skipped the bad lines skipped in lenient mode (empty in strict mode)
 */
public record PreferenceData(String source, List<Preference> records, List<DatasetFormatException> skipped) {

    public PreferenceData {
        records = List.copyOf(records);
        skipped = List.copyOf(skipped);
    }

    /** The number of records read. */
    public int size() {
        return records.size();
    }

    /** The number of bad lines skipped. */
    public int badLines() {
        return skipped.size();
    }
}
