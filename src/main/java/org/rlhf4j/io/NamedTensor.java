package org.rlhf4j.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rlhf4j.tensor.Shape;
import org.rlhf4j.tensor.Tensor;

/**
 * One tensor of a safetensors file, as plain data: its name, the dtype it has (or had) in the file,
 * its shape, and its elements as row-major floats. The reader widens F16/BF16/integers and narrows
 * F64 into {@code data} (see {@link FloatDecoding}); the writer always writes F32. Shape and data are
 * not copied: the record hands over the arrays it is given, and {@link #tensor()} wraps them.
 * Equality compares names, dtypes, shapes and elements ({@link Arrays#equals(float[], float[])}:
 * every NaN equals every NaN; compare {@code Float.floatToRawIntBits} for bit-exactness).
 *
 * @param name the key in the header; only ever used as a string, never as a path or class name
 * @param dtype the element type in the file
 * @param shape dimensions, each {@code >= 0}; empty for a scalar
 * @param data {@code prod(shape)} floats, row-major
 */
public record NamedTensor(String name, Dtype dtype, int[] shape, float[] data) {

    public NamedTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor \"" + name + "\": negative dimension in "
                        + Arrays.toString(shape));
            }
            n *= d; // n < 2^31 and d < 2^31 before this line, so the product fits a long
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("tensor \"" + name + "\": shape " + Arrays.toString(shape)
                        + " has more than 2^31 - 1 elements");
            }
        }
        if (n != data.length) {
            throw new IllegalArgumentException("tensor \"" + name + "\": shape " + Arrays.toString(shape) + " holds "
                    + n + " elements but data has " + data.length);
        }
    }

    /** An F32 tensor, ready for the writer. */
    public static NamedTensor f32(String name, int[] shape, float[] data) {
        return new NamedTensor(name, Dtype.F32, shape, data);
    }

    /** An F32 tensor holding a copy of {@code t}'s elements. */
    public static NamedTensor of(String name, Tensor t) {
        return f32(name, t.dims(), t.toArray());
    }

    /** F32 copies of {@code tensors} (a model's named parameters, say), in the map's order. */
    public static List<NamedTensor> of(Map<String, Tensor> tensors) {
        List<NamedTensor> list = new ArrayList<>(tensors.size());
        tensors.forEach((name, t) -> list.add(of(name, t)));
        return list;
    }

    /** Name -> {@link Tensor} (sharing each tensor's data), in list order. */
    public static Map<String, Tensor> toTensors(List<NamedTensor> tensors) {
        Map<String, Tensor> map = new LinkedHashMap<>();
        for (NamedTensor t : tensors) {
            map.put(t.name(), t.tensor());
        }
        return map;
    }

    /** The elements as a {@link Tensor} sharing {@code data} (no copy). */
    public Tensor tensor() {
        return Tensor.wrap(data, 0, Shape.of(shape));
    }

    /** Number of elements. */
    public int size() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamedTensor t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
