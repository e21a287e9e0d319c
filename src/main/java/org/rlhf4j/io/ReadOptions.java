package org.rlhf4j.io;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * Limits and choices for {@link SafeTensors#read(java.nio.file.Path, ReadOptions)}.
 *
 * @param maxHeaderBytes the largest header length accepted, in bytes. Default 100,000,000, the cap
 *     of Hugging Face's safetensors library; at most {@link #MAX_ARRAY}. A longer header is rejected
 *     before a byte of it is read.
 * @param maxElements the most elements one loaded tensor may have. Default and upper limit
 *     {@code Integer.MAX_VALUE - 8}, the largest {@code float[]} a JVM reliably allocates; lower it to
 *     bound the allocation a file can ask for.
 * @param include which tensors to load, by name. Every entry of the header is validated either way;
 *     an excluded tensor is not allocated, not read and not returned (the GPT-2 loader uses this to
 *     skip the attention-mask buffers). Default: all.
 */
public record ReadOptions(long maxHeaderBytes, int maxElements, Predicate<String> include) {

    /** The largest array length the reader will ever allocate. */
    public static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    public ReadOptions {
        if (maxHeaderBytes < 2 || maxHeaderBytes > MAX_ARRAY) {
            throw new IllegalArgumentException("maxHeaderBytes must be in [2, " + MAX_ARRAY + "], got " + maxHeaderBytes);
        }
        if (maxElements < 0 || maxElements > MAX_ARRAY) {
            throw new IllegalArgumentException("maxElements must be in [0, " + MAX_ARRAY + "], got " + maxElements);
        }
        Objects.requireNonNull(include, "include");
    }

    /** 100 MB header cap, arrays up to {@link #MAX_ARRAY}, every tensor loaded. */
    public static ReadOptions defaults() {
        return new ReadOptions(100_000_000L, MAX_ARRAY, name -> true);
    }

    public ReadOptions withMaxHeaderBytes(long bytes) {
        return new ReadOptions(bytes, maxElements, include);
    }

    public ReadOptions withMaxElements(int elements) {
        return new ReadOptions(maxHeaderBytes, elements, include);
    }

    public ReadOptions withInclude(Predicate<String> which) {
        return new ReadOptions(maxHeaderBytes, maxElements, which);
    }
}
