package org.rlhf4j.io;

/**
 * The element types of the safetensors format that rlhf4j recognises, with their size in bytes.
 * A header naming any other dtype (the sub-byte F4/F6 families, complex types, anything new) is
 * rejected with {@link SafeTensorsException.UnknownDtype}.
 *
 * <p>Every recognised dtype can be validated (its byte size is known, so shapes and offsets can be
 * checked). {@link #loadable()} tells which ones the reader converts to {@code float}: the float
 * types F16, BF16, F32, F64 and the integer types, see {@link FloatDecoding} for the exact rules.
 * The 8-bit float types are recognised but not loadable ({@link SafeTensorsException.UnsupportedDtype}
 * unless the caller skips those tensors).
 */
public enum Dtype {
    BOOL(1, true),
    U8(1, true),
    I8(1, true),
    I16(2, true),
    U16(2, true),
    F16(2, true),
    BF16(2, true),
    I32(4, true),
    U32(4, true),
    F32(4, true),
    F64(8, true),
    I64(8, true),
    U64(8, true),
    F8_E4M3(1, false),
    F8_E5M2(1, false);

    private final int bytes;
    private final boolean loadable;

    Dtype(int bytes, boolean loadable) {
        this.bytes = bytes;
        this.loadable = loadable;
    }

    /** Size of one element in bytes. */
    public int bytes() {
        return bytes;
    }

    /** Whether the reader can convert this dtype to {@code float}. */
    public boolean loadable() {
        return loadable;
    }

    /**
     * The dtype whose safetensors name is exactly {@code name} (case-sensitive, as the format is), or
     * null. A plain loop over the constants: the name is data from a file and is only ever compared.
     */
    public static Dtype parse(String name) {
        for (Dtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }
}
