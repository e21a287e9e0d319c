package org.rlhf4j.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Saves and loads a checkpoint directory:
 * <pre>
 *   dir/model.safetensors      weights (F32, Hugging Face names, metadata {"format": "pt"})
 *   dir/config.json            model config
 *   dir/tokenizer.json         tokenizer (optional)
 *   dir/optimizer.safetensors  optimizer tensors, "&lt;param&gt;.exp_avg" / ".exp_avg_sq" (optional)
 *   dir/state.json             step, RNG states, data position, ... (one JSON object)
 *   dir/manifest.json          every file above with its size and SHA-256; written last
 * </pre>
 * A save is atomic as a whole. The files are written (each atomically) into a fresh sibling
 * {@code <dir>.tmp-<random>}, the manifest last, and the directory is forced. Then an existing
 * {@code dir} is renamed to {@code <dir>.old-<random>}, the new one is renamed to {@code dir}, and the
 * old one is deleted. Every rename is atomic, so a crash leaves one of: the old {@code dir} untouched
 * (plus a stale {@code .tmp-}; an ordinary exception deletes it at once); no {@code dir} but a complete
 * {@code .old-} (between the two renames), which {@link #load} then reads and the next {@link #save}
 * moves back before going on; or the new {@code dir}. Each save first removes stale {@code .tmp-} and
 * {@code .old-} siblings of {@code dir} (only those holding nothing but checkpoint files), so one
 * writer per directory at a time is assumed; {@link #cleanUp} does the same on its own, for a process
 * that starts after a crash. {@link #load} verifies every file's size and SHA-256 against the manifest. A save refuses to replace a {@code dir} that is neither
 * empty nor a checkpoint (no manifest): a mistyped path never costs anyone their files. Every path is
 * {@code dir} or such a sibling; no name read from a file ever becomes a path.
 */
public final class Checkpoint {

    public static final String MODEL = "model.safetensors";
    public static final String CONFIG = "config.json";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String STATE = "state.json";

    /** The files a checkpoint may hold, in the order they are written (the manifest comes after). */
    static final List<String> FILES = List.of(MODEL, CONFIG, TOKENIZER, OPTIMIZER, STATE);

    /** Called after each step of a save; tests throw from it to simulate a crash at that point. */
    @FunctionalInterface
    interface Step {
        void done(String what) throws IOException;
    }

    private Checkpoint() {
    }

    /**
     * Saves to {@code dir} under {@code root} (strictly below it: the save's temporary siblings must be
     * inside too); a {@code dir} that leaves the root is refused with an {@link UnsafePathException}
     * before anything is written.
     */
    public static void save(PathRoot root, String dir, CheckpointData data) throws IOException {
        save(root.resolveBelow(dir), data);
    }

    /** Saves {@code data} to {@code dir} atomically, with SHA-256 checksums in the manifest. */
    public static void save(Path dir, CheckpointData data) throws IOException {
        save(dir, data, true, what -> { });
    }

    /** Saves {@code data} to {@code dir} atomically; {@code checksums}: record each file's SHA-256. */
    public static void save(Path dir, CheckpointData data, boolean checksums) throws IOException {
        save(dir, data, checksums, what -> { });
    }

    static void save(Path dir, CheckpointData data, boolean checksums, Step step) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        recover(target);
        refuseForeign(target);
        // 1. write every file into a fresh staging directory, the manifest last
        Path staging = sibling(target, ".tmp-");
        Files.createDirectory(staging);
        try {
            writeStaging(staging, data, checksums, step);
        } catch (IOException | RuntimeException | Error e) {
            try {
                deleteFlat(staging); // a failure (not a crash): leave nothing behind
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        // 2. swap it in: dir -> dir.old-*, staging -> dir, then drop the old copy
        Path old = null;
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            old = sibling(target, ".old-");
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.forceDirectory(parent);
            step.done("set aside");
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.forceDirectory(parent);
        step.done("renamed");
        if (old != null) {
            deleteFlat(old);
        }
    }

    /** Writes every file of {@code data} into {@code staging}, each atomically, and the manifest last. */
    private static void writeStaging(Path staging, CheckpointData data, boolean checksums, Step step) throws IOException {
        Map<String, Manifest.Entry> written = new LinkedHashMap<>();
        for (String name : FILES) {
            Path file = staging.resolve(name);
            switch (name) {
                case MODEL -> SafeTensors.write(file, data.weights(), Map.of("format", "pt"));
                case CONFIG -> AtomicFiles.write(file, Json.pretty(data.config()));
                case TOKENIZER -> {
                    if (data.tokenizer() == null) {
                        continue;
                    }
                    AtomicFiles.write(file, Json.pretty(data.tokenizer()));
                }
                case OPTIMIZER -> {
                    if (data.optimizer().isEmpty()) {
                        continue;
                    }
                    SafeTensors.write(file, data.optimizer());
                }
                case STATE -> AtomicFiles.write(file, Json.pretty(data.state()));
                default -> throw new IllegalStateException(name);
            }
            written.put(name, Manifest.describe(file, checksums));
            step.done(name);
        }
        AtomicFiles.write(staging.resolve(Manifest.FILE), Json.pretty(Manifest.toJson(written)));
        AtomicFiles.forceDirectory(staging);
        step.done(Manifest.FILE);
    }

    /**
     * Loads the checkpoint at {@code dir} under {@code root}; a {@code dir} that leaves the root ({@code ..},
     * an absolute path elsewhere, a symbolic link out) is refused with an {@link UnsafePathException}.
     */
    public static CheckpointData load(PathRoot root, String dir) throws IOException {
        return load(root.resolveBelow(dir));
    }

    /** Loads the checkpoint at {@code dir}, verifying sizes and recorded checksums. */
    public static CheckpointData load(Path dir) throws IOException {
        return load(dir, true);
    }

    /**
     * Loads the checkpoint at {@code dir} (or, if a crash interrupted a save between its two renames,
     * the complete previous copy beside it). {@code verifyChecksums}: recompute each file's SHA-256.
     */
    public static CheckpointData load(Path dir, boolean verifyChecksums) throws IOException {
        Path from = resolveLoadable(dir.toAbsolutePath().normalize());
        Map<String, Manifest.Entry> files = Manifest.read(from, FILES);
        for (String required : List.of(MODEL, CONFIG, STATE)) {
            if (!files.containsKey(required)) {
                throw new CheckpointException.BadManifest(from.resolve(Manifest.FILE).toString(),
                        "does not list " + required);
            }
        }
        for (Map.Entry<String, Manifest.Entry> f : files.entrySet()) {
            Manifest.verify(from.resolve(f.getKey()), f.getValue(), verifyChecksums);
        }
        List<NamedTensor> weights = SafeTensors.read(from.resolve(MODEL)).tensors();
        ObjectNode config = Json.readObject(from.resolve(CONFIG));
        ObjectNode tokenizer = files.containsKey(TOKENIZER) ? Json.readObject(from.resolve(TOKENIZER)) : null;
        List<NamedTensor> optimizer = files.containsKey(OPTIMIZER)
                ? SafeTensors.read(from.resolve(OPTIMIZER)).tensors() : List.of();
        ObjectNode state = Json.readObject(from.resolve(STATE));
        return new CheckpointData(weights, config, tokenizer, optimizer, state);
    }

    /** {@code dir} itself, or the complete {@code .old-} copy a crash between the renames left. */
    private static Path resolveLoadable(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path previous = completeOld(dir);
        if (previous == null) {
            throw new CheckpointException.NotFound(dir.toString(), "no checkpoint directory here");
        }
        return previous;
    }

    /**
     * Tidies up after saves that were killed part-way, as every {@link #save} does first; call it when a
     * process starts (before it reads or writes {@code dir}) to leave no stale files behind even when it
     * never saves. If a crash between a save's two renames left no {@code dir} but a complete
     * {@code <dir>.old-*} copy, that copy is moved back to {@code dir}; then every other
     * {@code <dir>.tmp-*} and {@code <dir>.old-*} sibling directory is deleted, but only one holding
     * nothing but checkpoint files and their temp files (anything else only looks like ours and is left
     * alone). One writer per directory at a time is assumed: do not call it while another process saves
     * to {@code dir}.
     *
     * @param dir the checkpoint directory (it need not exist)
     * @return how many stale siblings were deleted (a copy moved back is not counted)
     * @throws IOException if the parent directory cannot be listed or a stale sibling cannot be deleted
     */
    public static int cleanUp(Path dir) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
            return 0;
        }
        return recover(target);
    }

    /**
     * Before a save: if a crash left no {@code dir} but a complete {@code .old-} copy, move it back;
     * then delete every other {@code .tmp-} and {@code .old-} sibling that holds nothing but checkpoint
     * files. Returns how many were deleted.
     */
    static int recover(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            Path previous = completeOld(dir);
            if (previous != null) {
                Files.move(previous, dir, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        int removed = 0;
        for (Path stale : siblings(dir)) {
            if (onlyCheckpointFiles(stale)) {
                deleteFlat(stale);
                removed++;
            } // else: it only looks like ours; leave it alone
        }
        return removed;
    }

    /**
     * Refuses to replace anything at {@code dir} but a checkpoint (a directory with a manifest) or an
     * empty directory: a mistyped path must never cost someone their files.
     */
    private static void refuseForeign(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        boolean empty;
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                empty = !entries.iterator().hasNext();
            }
            if (empty || Files.isRegularFile(dir.resolve(Manifest.FILE))) {
                return;
            }
        }
        throw new CheckpointException(dir.toString(), "exists and is not an rlhf4j checkpoint (no "
                + Manifest.FILE + "); refusing to replace it");
    }

    private static Path completeOld(Path dir) throws IOException {
        for (Path p : siblings(dir)) {
            if (p.getFileName().toString().startsWith(dir.getFileName() + ".old-")
                    && Files.isRegularFile(p.resolve(Manifest.FILE))) {
                return p;
            }
        }
        return null;
    }

    /** The {@code .tmp-} and {@code .old-} directories beside {@code dir}, sorted by name. */
    private static List<Path> siblings(Path dir) throws IOException {
        String name = dir.getFileName().toString();
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir.getParent())) {
            for (Path p : entries) {
                String n = p.getFileName().toString();
                if ((n.startsWith(name + ".tmp-") || n.startsWith(name + ".old-")) && Files.isDirectory(p)) {
                    found.add(p);
                }
            }
        }
        found.sort(null);
        return found;
    }

    private static Path sibling(Path dir, String kind) {
        return dir.resolveSibling(dir.getFileName() + kind + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
    }

    /**
     * Deletes a directory this class wrote, after checking that it holds only plain files a checkpoint
     * holds (or their temp files); anything else is refused, untouched.
     */
    private static void deleteFlat(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || !isCheckpointFile(p.getFileName().toString())) {
                    throw new IOException(dir + ": holds " + SafeTensorsHeader.brief(p.getFileName().toString())
                            + ", which a checkpoint never does; not deleting the directory");
                }
                files.add(p);
            }
        }
        for (Path p : files) {
            Files.delete(p);
        }
        Files.delete(dir);
    }

    private static boolean onlyCheckpointFiles(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || !isCheckpointFile(p.getFileName().toString())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isCheckpointFile(String name) {
        for (String known : FILES) {
            if (name.equals(known) || name.startsWith(known + ".tmp-")) {
                return true;
            }
        }
        return name.equals(Manifest.FILE) || name.startsWith(Manifest.FILE + ".tmp-");
    }
}
