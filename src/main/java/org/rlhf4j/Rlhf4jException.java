package org.rlhf4j;

/**
 * The root of rlhf4j's own unchecked exceptions: catch it to catch every failure rlhf4j reports by a type of
 * its own. Failures of reading or writing files are checked and stay {@link java.io.IOException}s
 * ({@code io.SafeTensorsException}, {@code io.CheckpointException}, {@code io.UnsafePathException}); a bad
 * argument to a constructor or config record is the JDK's {@link IllegalArgumentException} (or
 * {@link NullPointerException}), as the JDK's own APIs report it. One documented exception:
 * {@code data.tokenizer.UnknownCharacterException} stays an {@code IllegalArgumentException}, because
 * {@code Tokenizer.encode} reports every text it cannot encode that way. docs/embedding.md draws the whole
 * tree, and {@code architecture.ExceptionHierarchyTest} holds every public exception of the library to it:
 *
 * <pre>
 * Rlhf4jException
 *   kernels.BackendUnavailableException      a kernel family was asked for and cannot run here
 *   tensor.ShapeMismatchException            an op's shapes do not fit
 *   tensor.TensorAllocationException         an allocation over the cap (TensorLimits), refused first
 *   tensor.AnomalyException                  anomaly mode: the first NaN or infinity an op wrote
 *   data.DatasetFormatException              a data line that cannot be used (file:line: field)
 *   data.tokenizer.TokenizerFormatException  a tokenizer file or JSON form that cannot be used
 *   feedback.label.StaleItemException        an answer to an item that is no longer current
 * </pre>
 */
public class Rlhf4jException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public Rlhf4jException(String message) {
        super(message);
    }

    public Rlhf4jException(String message, Throwable cause) {
        super(message, cause);
    }
}
