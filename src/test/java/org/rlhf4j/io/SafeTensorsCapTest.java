package org.rlhf4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.tensor.TensorLimits;

/** The tensor cap of TensorLimits applies to a loaded tensor too, as the reader's own typed exception. */
class SafeTensorsCapTest {

    @TempDir
    Path dir;

    @Test
    void aTensorOverTheCapIsRefusedBeforeItsDataIsRead() throws Exception {
        // a valid file: one F32 tensor of 64 elements
        Path f = StFiles.put(dir, "x.safetensors",
                StFiles.file("{\"x\":{\"dtype\":\"F32\",\"shape\":[8,8],\"data_offsets\":[0,256]}}", 256));
        assertEquals(64, SafeTensors.read(f).tensors().get(0).data().length);
        TensorLimits.setMaxElements(63);
        try {
            SafeTensorsException.TensorTooLarge e = assertThrows(SafeTensorsException.TensorTooLarge.class,
                    () -> SafeTensors.read(f));
            assertTrue(e.getMessage().contains(TensorLimits.MAX_ELEMENTS_PROPERTY), e.getMessage());
        } finally {
            TensorLimits.restoreDefault();
        }
    }
}
