package org.rlhf4j.data;

import java.util.Optional;
import org.rlhf4j.Rlhf4jException;

/**
 * A line of a data file that cannot be used. The message starts with {@code file:line:} (1-based, as
 * compilers print it), then names the field when one is at fault, then says what was wrong and what
 * was expected, e.g. {@code sft.jsonl:12: field "completion": must be a non-empty string, got 42}.
 */
public class DatasetFormatException extends Rlhf4jException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;
    private final String field;
    private final String problem;

    /** {@code field} is null when the whole line is at fault (bad JSON, bad UTF-8, too long). */
    public DatasetFormatException(String file, long line, String field, String problem) {
        this(file, line, field, problem, null);
    }

    public DatasetFormatException(String file, long line, String field, String problem, Throwable cause) {
        super(file + ":" + line + ": " + (field == null ? "" : "field \"" + field + "\": ") + problem, cause);
        this.file = file;
        this.line = line;
        this.field = field;
        this.problem = problem;
    }

    /** The file (as the caller named it). */
    public String file() {
        return file;
    }

    /** The 1-based line number. */
    public long line() {
        return line;
    }

    /** What was wrong, without the file, line and field. */
    public String problem() {
        return problem;
    }

    /** The field at fault; empty when the line as a whole is. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
