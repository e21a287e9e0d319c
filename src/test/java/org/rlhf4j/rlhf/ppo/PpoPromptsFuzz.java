package org.rlhf4j.rlhf.ppo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.rlhf4j.data.DatasetFormatException;
import org.rlhf4j.fuzz.Fuzzer;

/**
 * PpoPrompts' fuzz target for the campaign (FuzzCampaign): garbage, and mutations of valid prompt files
 * (JSONL with a "prompt" per line, or text with a prompt per line), each written to one file in {@code dir}
 * and read. Only DatasetFormatException may come out (bytes that are not UTF-8 included), and what is read is
 * at least one prompt, none of them empty.
 */
public final class PpoPromptsFuzz {

    static final String[] TOKENS = {"{", "}", "[", "]", ",", ":", "\"", "\n", "\r\n", "\r", " ", "\\u",
        "\"prompt\"", "\"text\"", "\"\"", "null", "7", "1e999", "false", "\\ud800", "\u00e9", "\ufeff",
        "\uD83D\uDE00", "{\"prompt\": \"y\"}"};

    private PpoPromptsFuzz() {
    }

    /** Runs {@code inputs} inputs through a file in {@code dir}. */
    public static Fuzzer.Result run(long seed, int inputs, Path dir) {
        Path file = file(dir);
        return Fuzzer.run("rlhf.ppo.PpoPrompts", seed, inputs, PpoPromptsFuzz::input, (bytes, r) -> {
            try {
                Files.write(file, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("the harness could not write its input", e);
            }
            List<String> prompts = PpoPrompts.read(file);
            if (prompts.isEmpty() || prompts.stream().anyMatch(String::isEmpty)) {
                throw new AssertionError("no prompt, or an empty one, was read: " + prompts);
            }
        }, Fuzzer.declared(DatasetFormatException.class));
    }

    /** The file {@link #run} writes its inputs to. */
    public static Path file(Path dir) {
        return dir.resolve("ppo-prompts.jsonl");
    }

    static byte[] input(Random r) {
        return Fuzzer.garbageOrMutated(r, TOKENS, PpoPromptsFuzz::validFile);
    }

    static byte[] validFile(Random r) {
        boolean jsonl = r.nextBoolean();
        StringBuilder sb = new StringBuilder();
        for (int n = 1 + r.nextInt(5); n > 0; n--) {
            String p = "p" + Fuzzer.text(r, 10);
            sb.append(jsonl ? "{\"prompt\": " + new com.fasterxml.jackson.databind.node.TextNode(p) + "}"
                    : p.replace('\n', ' ').replace('\r', ' '));
            sb.append(r.nextInt(3) == 0 ? "\r\n" : "\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
