package org.rlhf4j.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.rlhf4j.fuzz.Fuzzer;

/**
 * The safetensors reader's fuzz target for the campaign (FuzzCampaign): SafeTensorsFuzzProperties'
 * mutations of valid files (bytes and header text) and garbage, each written to one file in
 * {@code dir} and read, a quarter of them with a small element cap. Only SafeTensorsException subclasses
 * may come out.
 */
public final class SafeTensorsFuzz {

    private SafeTensorsFuzz() {
    }

    /** Runs {@code inputs} inputs through a file in {@code dir}. */
    public static Fuzzer.Result run(long seed, int inputs, Path dir) {
        Path file = dir.resolve("fuzz.safetensors");
        return Fuzzer.run("io.SafeTensors", seed, inputs, SafeTensorsFuzz::input, (bytes, r) -> {
            try {
                Files.write(file, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("the harness could not write its input", e);
            }
            SafeTensors.read(file, r.nextInt(4) == 0 ? ReadOptions.defaults().withMaxElements(8) : ReadOptions.defaults());
        }, Fuzzer.declared(SafeTensorsException.class));
    }

    static byte[] input(Random r) {
        if (r.nextInt(5) == 0) {
            byte[] junk = new byte[r.nextInt(120)];
            r.nextBytes(junk);
            if (junk.length >= 8 && r.nextBoolean()) {
                System.arraycopy(StFiles.le64(r.nextInt(junk.length)), 0, junk, 0, 8); // a plausible header length
                if (junk.length > 8 && r.nextBoolean()) {
                    junk[8] = '{';
                }
            }
            return junk;
        }
        return SafeTensorsFuzzProperties.mutate(SafeTensorsFuzzProperties.validFile(r), r);
    }
}
