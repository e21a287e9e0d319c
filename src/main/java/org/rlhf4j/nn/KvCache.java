package org.rlhf4j.nn;

import org.rlhf4j.tensor.TensorLimits;

/**
 * The keys and values of the positions a model has already seen, per layer, so that generating a
 * token costs one single-token forward step instead of a pass over the whole context. Layer l holds
 * keys and values as (B*NH, capacity, HS) arrays; positions {@code 0 .. length()-1} are filled.
 * {@link Gpt#forward(int[], int, int, KvCache)} appends to every layer and then advances the length.
 */
public final class KvCache {

    private final float[][] keys;   // [layer] (B*NH, capacity, HS)
    private final float[][] values; // [layer] (B*NH, capacity, HS)
    private final int batch;
    private final int capacity;
    private int length;

    /** An empty cache for {@code batch} sequences of up to {@code config.blockSize()} positions. */
    public KvCache(GptConfig config, int batch) {
        if (batch <= 0) {
            throw new IllegalArgumentException("batch must be positive, got " + batch);
        }
        this.batch = batch;
        this.capacity = config.blockSize();
        keys = new float[config.nLayer()][];
        values = new float[config.nLayer()][];
        for (int l = 0; l < keys.length; l++) { // (B, NH, maxT, HS) each, size checked before allocating
            keys[l] = TensorLimits.floats("KvCache keys", batch, config.nHead(), capacity, config.headSize());
            values[l] = TensorLimits.floats("KvCache values", batch, config.nHead(), capacity, config.headSize());
        }
    }

    /** The number of positions filled (the position of the next token). */
    public int length() {
        return length;
    }

    /** The most positions this cache holds: the model's block size. */
    public int capacity() {
        return capacity;
    }

    public int batch() {
        return batch;
    }

    /** Forgets every position (the arrays are kept). */
    public void clear() {
        length = 0;
    }

    float[] keys(int layer) {
        return keys[layer];
    }

    float[] values(int layer) {
        return values[layer];
    }

    void advance(int n) {
        length += n;
    }
}
