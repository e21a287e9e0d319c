package org.rlhf4j.io;

import java.io.IOException;

/**
 * A checkpoint directory that cannot be loaded as it stands. Checked, like
 * {@link SafeTensorsException} (whose subclasses report faults inside {@code model.safetensors} and
 * {@code optimizer.safetensors}); each kind of fault here is a nested subclass, and every message starts
 * with the path it is about.
 */
public class CheckpointException extends IOException {

    private static final long serialVersionUID = 1L;

    public CheckpointException(String path, String problem) {
        super(path + ": " + problem);
    }

    /** Neither the directory nor a recoverable previous copy of it exists. */
    public static final class NotFound extends CheckpointException {
        private static final long serialVersionUID = 1L;
        public NotFound(String path, String problem) { super(path, problem); }
    }

    /** The manifest, or a file it lists, is missing: not a finished checkpoint. */
    public static final class Incomplete extends CheckpointException {
        private static final long serialVersionUID = 1L;
        public Incomplete(String path, String problem) { super(path, problem); }
    }

    /** The manifest is not what {@link Checkpoint} writes (format, version, file names, fields). */
    public static final class BadManifest extends CheckpointException {
        private static final long serialVersionUID = 1L;
        public BadManifest(String path, String problem) { super(path, problem); }
    }

    /** A file's size or SHA-256 differs from what the manifest recorded. */
    public static final class ChecksumMismatch extends CheckpointException {
        private static final long serialVersionUID = 1L;
        public ChecksumMismatch(String path, String problem) { super(path, problem); }
    }

    /** A JSON file of the checkpoint (config, state, tokenizer) is not valid JSON or not an object. */
    public static final class BadJson extends CheckpointException {
        private static final long serialVersionUID = 1L;
        public BadJson(String path, String problem) { super(path, problem); }
    }

    /** A field of a config (such as Hugging Face's GPT-2 config.json) is missing, mistyped or out of range. */
    public static final class BadConfig extends CheckpointException {
        private static final long serialVersionUID = 1L;
        public BadConfig(String path, String problem) { super(path, problem); }
    }
}
