package org.rlhf4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fuzz loop can fail: an undeclared exception, an Error, or a slow input stop it, naming seed and input. */
class FuzzerTest {

    @Test
    void countsOutcomesByExceptionName() {
        Fuzzer.Result r = Fuzzer.run("t", 1, 100, rnd -> new byte[] {(byte) rnd.nextInt(2)},
                (b, rnd) -> {
                    if (b[0] == 1) {
                        throw new IOException("bad");
                    }
                }, Fuzzer.declared(IOException.class));
        assertEquals(100, r.inputs());
        assertEquals(100, r.outcomes().values().stream().mapToLong(Long::longValue).sum());
        assertEquals(Map.of("IOException", r.outcomes().get("IOException"), "ok", r.outcomes().get("ok")), r.outcomes());
    }

    @Test
    void anUndeclaredExceptionOrAnErrorFailsTheRunWithItsSeedAndIndex() {
        Fuzzer.Failure f = assertThrows(Fuzzer.Failure.class, () -> Fuzzer.run("t", 7, 100, rnd -> new byte[] {1},
                (b, rnd) -> {
                    throw new IllegalStateException("planted");
                }, Fuzzer.declared(IOException.class)));
        assertTrue(f.getMessage().startsWith("t seed 7 input 0 (1 bytes, base64 AQ==) threw an undeclared"), f.getMessage());
        Fuzzer.Failure oom = assertThrows(Fuzzer.Failure.class, () -> Fuzzer.run("t", 7, 100, rnd -> new byte[0],
                (b, rnd) -> {
                    throw new OutOfMemoryError("planted");
                }, Fuzzer.declared(IOException.class)));
        assertTrue(oom.getMessage().contains("OutOfMemoryError"), oom.getMessage());
    }

    @Test
    void anInputSlowerThanOneSecondTwiceFailsTheRun() {
        Fuzzer.Failure f = assertThrows(Fuzzer.Failure.class, () -> Fuzzer.run("t", 3, 2, rnd -> new byte[0],
                (b, rnd) -> Thread.sleep(1_050), Fuzzer.declared(IOException.class)));
        assertTrue(f.getMessage().contains("twice"), f.getMessage());
    }
}
