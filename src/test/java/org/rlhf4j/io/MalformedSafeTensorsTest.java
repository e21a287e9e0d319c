package org.rlhf4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per rule of the format: each bad file gets its own exception type, naming the file. */
class MalformedSafeTensorsTest {

    @TempDir
    Path dir;

    private int count;

    /** A one-tensor header: {"t": {entry}}. */
    private static String one(String entry) {
        return "{\"t\":" + entry + "}";
    }

    private <T extends SafeTensorsException> T rejects(Class<T> type, byte[] bytes, ReadOptions options) {
        Path file = StFiles.put(dir, "bad" + (count++) + ".safetensors", bytes);
        T e = assertThrows(type, () -> SafeTensors.read(file, options));
        assertTrue(e.getMessage().startsWith(file + ": "), "message names the file: " + e.getMessage());
        assertEquals(file.toString(), e.file());
        return e;
    }

    private <T extends SafeTensorsException> T rejects(Class<T> type, String header, int dataBytes) {
        return rejects(type, StFiles.file(header, dataBytes), ReadOptions.defaults());
    }

    @Test
    void fileShorterThanEightBytes() {
        rejects(SafeTensorsException.FileTooShort.class, new byte[0], ReadOptions.defaults());
        rejects(SafeTensorsException.FileTooShort.class, new byte[7], ReadOptions.defaults());
    }

    @Test
    void headerLengthOverTheCap() {
        rejects(SafeTensorsException.HeaderTooLarge.class, StFiles.le64(100_000_001L), ReadOptions.defaults());
        rejects(SafeTensorsException.HeaderTooLarge.class, StFiles.le64(-1L), ReadOptions.defaults()); // 2^64 - 1
        var e = rejects(SafeTensorsException.HeaderTooLarge.class, StFiles.file("{}      ", 0),
                ReadOptions.defaults().withMaxHeaderBytes(4));
        assertTrue(e.getMessage().contains("cap of 4"), e.getMessage());
    }

    @Test
    void headerLengthPastEndOfFile() {
        byte[] bytes = StFiles.file("{}", 0);
        bytes[0] = 3; // claims 3 header bytes, 2 follow
        rejects(SafeTensorsException.HeaderPastEnd.class, bytes, ReadOptions.defaults());
    }

    @Test
    void headerNotUtf8() {
        byte[] invalidByte = {'{', '"', (byte) 0xFF, '"', ':', '1', '}'};
        rejects(SafeTensorsException.InvalidUtf8.class, StFiles.file(invalidByte, new byte[0]), ReadOptions.defaults());
        byte[] loneSurrogate = {'{', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ':', '1', '}'};
        rejects(SafeTensorsException.InvalidUtf8.class, StFiles.file(loneSurrogate, new byte[0]), ReadOptions.defaults());
        byte[] overlong = {'{', '"', (byte) 0xC0, (byte) 0xAF, '"', ':', '1', '}'};
        rejects(SafeTensorsException.InvalidUtf8.class, StFiles.file(overlong, new byte[0]), ReadOptions.defaults());
    }

    @Test
    void headerNotJson() {
        rejects(SafeTensorsException.InvalidJson.class, "", 0);
        rejects(SafeTensorsException.InvalidJson.class, "{\"t\":", 0);
        rejects(SafeTensorsException.InvalidJson.class, "{} {}", 0);
        rejects(SafeTensorsException.InvalidJson.class, "{'t': 1}", 0);
        rejects(SafeTensorsException.InvalidJson.class, "[".repeat(200) + "]".repeat(200), 0);
        rejects(SafeTensorsException.InvalidJson.class, "{\"t\":[" + "0,".repeat(2000) + "0]}", 0);
    }

    @Test
    void headerNotAnObject() {
        rejects(SafeTensorsException.NotAnObject.class, "[]", 0);
        rejects(SafeTensorsException.NotAnObject.class, "\"t\"", 0);
        rejects(SafeTensorsException.NotAnObject.class, "  42  ", 0);
    }

    @Test
    void duplicateKeysAtEveryLevel() {
        String t = "{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}";
        rejects(SafeTensorsException.DuplicateKey.class, "{\"t\":" + t + ",\"t\":" + t + "}", 4);
        rejects(SafeTensorsException.DuplicateKey.class,
                one("{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}"), 4);
        rejects(SafeTensorsException.DuplicateKey.class, "{\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}}", 0);
    }

    @Test
    void entryNotAnObjectOrFieldsMissingOrMistyped() {
        rejects(SafeTensorsException.BadEntry.class, one("3"), 0);
        rejects(SafeTensorsException.BadEntry.class, one("{\"shape\":[],\"data_offsets\":[0,4]}"), 4);
        rejects(SafeTensorsException.BadEntry.class, one("{\"dtype\":\"F32\",\"data_offsets\":[0,4]}"), 4);
        rejects(SafeTensorsException.BadEntry.class, one("{\"dtype\":\"F32\",\"shape\":[]}"), 4);
        rejects(SafeTensorsException.BadEntry.class, one("{\"dtype\":32,\"shape\":[],\"data_offsets\":[0,4]}"), 4);
        rejects(SafeTensorsException.BadEntry.class, one("{\"dtype\":\"F32\",\"shape\":\"[]\",\"data_offsets\":[0,4]}"), 4);
        rejects(SafeTensorsException.BadEntry.class, one("{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":{}}"), 4);
        rejects(SafeTensorsException.BadEntry.class,
                one("{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4],\"class\":\"x.Y\"}"), 4);
    }

    @Test
    void unknownDtype() {
        rejects(SafeTensorsException.UnknownDtype.class, one("{\"dtype\":\"F33\",\"shape\":[],\"data_offsets\":[0,4]}"), 4);
        rejects(SafeTensorsException.UnknownDtype.class, one("{\"dtype\":\"f32\",\"shape\":[],\"data_offsets\":[0,4]}"), 4);
        rejects(SafeTensorsException.UnknownDtype.class, one("{\"dtype\":\"F4\",\"shape\":[],\"data_offsets\":[0,1]}"), 1);
    }

    @Test
    void recognisedDtypeThatCannotBeLoaded() {
        String f8 = one("{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}");
        rejects(SafeTensorsException.UnsupportedDtype.class, f8, 2);
    }

    @Test
    void negativeOrNonIntegerDims() {
        rejects(SafeTensorsException.BadShape.class, one("{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}"), 0);
        rejects(SafeTensorsException.BadShape.class, one("{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}"), 8);
        rejects(SafeTensorsException.BadShape.class, one("{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}"), 8);
        rejects(SafeTensorsException.BadShape.class, one("{\"dtype\":\"F32\",\"shape\":[null],\"data_offsets\":[0,8]}"), 8);
        rejects(SafeTensorsException.BadShape.class, one("{\"dtype\":\"F32\",\"shape\":[1e2],\"data_offsets\":[0,400]}"), 400);
    }

    @Test
    void elementCountTimesDtypeSizeOverflows() {
        rejects(SafeTensorsException.SizeOverflow.class,
                one("{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}"), 0);
        rejects(SafeTensorsException.SizeOverflow.class,
                one("{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,0]}"), 0); // 2^62 * 4
        rejects(SafeTensorsException.SizeOverflow.class,
                one("{\"dtype\":\"U8\",\"shape\":[1180591620717411303424],\"data_offsets\":[0,0]}"), 0); // 2^70
    }

    @Test
    void tensorTooLargeForAnArrayOrTheCap() {
        rejects(SafeTensorsException.TensorTooLarge.class,
                one("{\"dtype\":\"F32\",\"shape\":[0,3000000000],\"data_offsets\":[0,0]}"), 0);
        rejects(SafeTensorsException.TensorTooLarge.class, StFiles.file(
                one("{\"dtype\":\"F32\",\"shape\":[10],\"data_offsets\":[0,40]}"), 40), ReadOptions.defaults().withMaxElements(5));
    }

    @Test
    void dataOffsetsNotBeginEnd() {
        String[] bad = {"[0]", "[0,4,8]", "[]", "[-1,3]", "[4,0]", "[\"0\",\"4\"]", "[0.5,4]", "[0,18446744073709551616]",
            "[null,4]"};
        for (String offsets : bad) {
            rejects(SafeTensorsException.BadOffsets.class,
                    one("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":" + offsets + "}"), 4);
        }
    }

    @Test
    void sizeNotMatchingShapeTimesDtype() {
        rejects(SafeTensorsException.SizeMismatch.class, one("{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}"), 4);
        rejects(SafeTensorsException.SizeMismatch.class, one("{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,8]}"), 8);
        rejects(SafeTensorsException.SizeMismatch.class, one("{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,4]}"), 4);
    }

    @Test
    void offsetsWithGapsOrOverlaps() {
        String a = "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":";
        String b = "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":";
        var first = rejects(SafeTensorsException.NonContiguous.class, "{" + a + "[4,8]}}", 8);
        assertTrue(first.getMessage().contains("gap"), first.getMessage());
        rejects(SafeTensorsException.NonContiguous.class, "{" + a + "[0,4]}," + b + "[8,12]}}", 12);
        var overlap = rejects(SafeTensorsException.NonContiguous.class, "{" + a + "[0,4]}," + b + "[0,4]}}", 4);
        assertTrue(overlap.getMessage().contains("overlap"), overlap.getMessage());
        String wide = "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        String empty = "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]}";
        rejects(SafeTensorsException.NonContiguous.class, "{" + wide + "," + empty + "}", 8);
    }

    @Test
    void lastTensorNotEndingAtEndOfFile() {
        String t = one("{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}");
        var trailing = rejects(SafeTensorsException.DataEndMismatch.class, t, 9);
        assertTrue(trailing.getMessage().contains("trailing"), trailing.getMessage());
        var truncated = rejects(SafeTensorsException.DataEndMismatch.class, t, 7);
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
        rejects(SafeTensorsException.DataEndMismatch.class, "{}", 1);
    }

    @Test
    void hugeTensorInATruncatedFileFailsBeforeAllocating() {
        // 10^10 floats (40 GB) whose data is absent: rejected from the header alone
        rejects(SafeTensorsException.DataEndMismatch.class,
                one("{\"dtype\":\"F32\",\"shape\":[100000,100000],\"data_offsets\":[0,40000000000]}"), 16);
    }

    @Test
    void metadataNotStringToString() {
        rejects(SafeTensorsException.BadMetadata.class, "{\"__metadata__\":[\"a\"]}", 0);
        rejects(SafeTensorsException.BadMetadata.class, "{\"__metadata__\":{\"k\":1}}", 0);
        rejects(SafeTensorsException.BadMetadata.class, "{\"__metadata__\":{\"k\":{\"n\":\"v\"}}}", 0);
        rejects(SafeTensorsException.BadMetadata.class, "{\"__metadata__\":null}", 0);
    }

    @Test
    void f64BeyondFloatRange() {
        byte[] data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(1e39).array();
        byte[] header = one("{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}").getBytes(StandardCharsets.UTF_8);
        var e = rejects(SafeTensorsException.Narrowing.class, StFiles.file(header, data), ReadOptions.defaults());
        assertTrue(e.getMessage().contains("element 0"), e.getMessage());
    }

    @Test
    void messagesStayShortWhateverTheFileQuotes() {
        String huge = "x".repeat(100_000);
        String t = "{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}";
        var dup = rejects(SafeTensorsException.DuplicateKey.class, "{\"" + huge + "\":" + t + ",\"" + huge + "\":" + t + "}", 4);
        var dtype = rejects(SafeTensorsException.UnknownDtype.class,
                one("{\"dtype\":\"" + huge + "\",\"shape\":[],\"data_offsets\":[0,4]}"), 4);
        var json = rejects(SafeTensorsException.InvalidJson.class, "{\"t\":" + huge + "}", 0);
        for (Exception e : new Exception[] {dup, dtype, json}) {
            assertTrue(e.getMessage().length() < 600, e.getClass().getSimpleName() + ": " + e.getMessage().length());
        }
    }

    @Test
    void writerRefusesWhatItCannotWrite() {
        Path file = dir.resolve("w.safetensors");
        NamedTensor x = NamedTensor.f32("x", new int[] {1}, new float[] {1});
        assertThrows(SafeTensorsException.BadInput.class, () -> SafeTensors.write(file, List.of(x, x)));
        assertThrows(SafeTensorsException.BadInput.class, () -> SafeTensors.write(file,
                List.of(NamedTensor.f32("__metadata__", new int[0], new float[1]))));
        assertThrows(SafeTensorsException.UnsupportedDtype.class, () -> SafeTensors.write(file,
                List.of(new NamedTensor("h", Dtype.F16, new int[0], new float[1])), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> NamedTensor.f32("s", new int[] {2}, new float[3]));
    }
}
