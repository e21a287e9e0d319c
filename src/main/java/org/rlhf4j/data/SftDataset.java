package org.rlhf4j.data;

import java.util.List;

/**
 * What {@link SftReader} read from one file: the good examples in file order, and, in lenient mode,
 * the problems of the lines it skipped (each names its line and field).
 */
public record SftDataset(String source, List<SftExample> examples, List<DatasetFormatException> skipped) {

    public SftDataset {
        examples = List.copyOf(examples);
        skipped = List.copyOf(skipped);
    }

    public int size() {
        return examples.size();
    }
}
