package org.rlhf4j.feedback.label;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.rlhf4j.data.DatasetFormatException;
import org.rlhf4j.fuzz.Fuzzer;

/**
 * PromptFile's fuzz target for the campaign (FuzzCampaign): garbage, and mutations of valid prompt files
 * (JSONL objects with a "prompt", or plain text lines), each written to a file in {@code dir} named
 * {@code .jsonl} or {@code .txt} (the name is one of the ways the reader picks the format) and read. Only
 * DatasetFormatException may come out, and what is read is a list of distinct, non-empty prompts.
 */
public final class PromptFileFuzz {

    static final String[] TOKENS = {"{", "}", "[", "]", ",", ":", "\"", "\n", "\r\n", "\r", " ", "\t", "\\u",
        "\"prompt\"", "\"completion\"", "\"\"", "null", "3", "1e999", "true", "\\ud800", "\u00e9", "\ufeff",
        "\uD83D\uDE00", "{\"prompt\": \"x\"}"};

    private PromptFileFuzz() {
    }

    /** Runs {@code inputs} inputs through two files in {@code dir}. */
    public static Fuzzer.Result run(long seed, int inputs, Path dir) {
        return Fuzzer.run("feedback.label.PromptFile", seed, inputs, PromptFileFuzz::input, (bytes, r) -> {
            Path file = dir.resolve(r.nextBoolean() ? "prompts.jsonl" : "prompts.txt");
            try {
                Files.write(file, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("the harness could not write its input", e);
            }
            List<String> prompts = PromptFile.read(file);
            if (prompts.stream().anyMatch(String::isEmpty) || new HashSet<>(prompts).size() != prompts.size()) {
                throw new AssertionError("an empty or repeated prompt was read: " + prompts);
            }
        }, Fuzzer.declared(DatasetFormatException.class));
    }

    /** The files {@link #run} leaves in {@code dir}, for the campaign to delete. */
    public static List<Path> files(Path dir) {
        return List.of(dir.resolve("prompts.jsonl"), dir.resolve("prompts.txt"));
    }

    static byte[] input(Random r) {
        return Fuzzer.garbageOrMutated(r, TOKENS, PromptFileFuzz::validFile);
    }

    static byte[] validFile(Random r) {
        boolean jsonl = r.nextBoolean();
        StringBuilder sb = new StringBuilder();
        for (int n = 1 + r.nextInt(5); n > 0; n--) {
            String p = "p" + Fuzzer.text(r, 10);
            sb.append(jsonl ? "{\"prompt\": " + quote(p) + (r.nextInt(4) == 0 ? ", \"id\": 1}" : "}")
                    : p.replace('\n', ' ').replace('\r', ' '));
            sb.append(r.nextInt(3) == 0 ? "\r\n" : "\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        return new com.fasterxml.jackson.databind.node.TextNode(s).toString();
    }
}
