package org.rlhf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When SignalChaining finds the JDK's libjsig.so missing from LD_PRELOAD (no device needed). */
class SignalChainingTest {

    @TempDir
    Path jdk;

    @Test
    void missingOnlyOnLinuxWithAJdkThatHasTheLibraryAndItIsNotPreloaded() throws Exception {
        Path jsig = Files.createDirectories(jdk.resolve("lib")).resolve("libjsig.so");
        assertNull(SignalChaining.missing("Linux", jdk.toString(), null), "no libjsig.so in this JDK");
        Files.createFile(jsig);
        assertEquals(jsig, SignalChaining.missing("Linux", jdk.toString(), null));
        assertEquals(jsig, SignalChaining.missing("Linux", jdk.toString(), "/usr/lib/libfoo.so"));
        assertNull(SignalChaining.missing("Linux", jdk.toString(), jsig.toString()));
        assertNull(SignalChaining.missing("Linux", jdk.toString(), "/other/jdk/lib/libjsig.so:/usr/lib/libfoo.so"));
        assertNull(SignalChaining.missing("Mac OS X", jdk.toString(), null));
        assertNull(SignalChaining.missing("Windows 11", jdk.toString(), null));
    }
}
