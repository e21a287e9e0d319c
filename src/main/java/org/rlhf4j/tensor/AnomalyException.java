package org.rlhf4j.tensor;

import org.rlhf4j.Rlhf4jException;

/**
 * The first NaN or infinity an op produced while {@link AnomalyMode} was on: which op, in which phase,
 * and the shape of the tensor that holds it (the op's output in the forward pass; in the backward pass,
 * the gradient of the op's input {@link #inputIndex()}).
 */
public class AnomalyException extends Rlhf4jException {

    private static final long serialVersionUID = 1L;

    /** Where the value appeared. */
    public enum Phase { FORWARD, BACKWARD }

    private final Op op;
    private final Phase phase;
    private final int inputIndex;
    private final transient Shape shape;
    private final int index;
    private final float value;

    AnomalyException(Op op, Phase phase, int inputIndex, Shape shape, int index, float value, String detail) {
        super("anomaly: " + (op == null ? "backward" : (phase == Phase.FORWARD ? "forward of " : "backward of ") + op.label())
                + " produced " + value + " at element " + index + " of "
                + (phase == Phase.FORWARD || inputIndex < 0 ? "its output" : "the gradient of its input " + inputIndex)
                + ", shape " + shape + detail);
        this.op = op;
        this.phase = phase;
        this.inputIndex = inputIndex;
        this.shape = shape;
        this.index = index;
        this.value = value;
    }

    /** The op whose forward or backward wrote the value; null when it came in the gradient given to backward(). */
    public Op op() {
        return op;
    }

    public Phase phase() {
        return phase;
    }

    /** In the backward phase, which input's gradient holds the value; -1 in the forward phase. */
    public int inputIndex() {
        return inputIndex;
    }

    /** The shape of the tensor (output or gradient) that holds the value. */
    public Shape shape() {
        return shape;
    }

    /** The row-major index of the first non-finite element. */
    public int index() {
        return index;
    }

    /** The value: NaN, +Infinity or -Infinity. */
    public float value() {
        return value;
    }
}
