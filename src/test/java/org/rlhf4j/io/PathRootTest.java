package org.rlhf4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paths confined to a root: {@code ..}, absolute paths elsewhere and symbolic links that lead out (or
 * nowhere) are refused; paths inside, links inside included, resolve to where the I/O will go.
 * <pre>
 *   base/root/                     the root
 *   base/root/data/train.jsonl
 *   base/root/inside -> data       a link that stays in
 *   base/root/out -> ../outside    a link that leads out
 *   base/root/dangling -> ../nope  a link to nothing (a write through it would land outside)
 *   base/outside/secret.jsonl
 * </pre>
 */
class PathRootTest {

    @TempDir
    Path base;
    Path rootDir;
    PathRoot root;

    @BeforeEach
    void layout() throws IOException {
        rootDir = Files.createDirectories(base.resolve("root"));
        Files.createDirectories(rootDir.resolve("data"));
        Files.writeString(rootDir.resolve("data/train.jsonl"), "{}\n");
        Files.createDirectories(base.resolve("outside"));
        Files.writeString(base.resolve("outside/secret.jsonl"), "{}\n");
        Files.createSymbolicLink(rootDir.resolve("inside"), Path.of("data"));
        Files.createSymbolicLink(rootDir.resolve("out"), Path.of("../outside"));
        Files.createSymbolicLink(rootDir.resolve("dangling"), Path.of("../nope"));
        root = PathRoot.of(rootDir);
    }

    @Test
    void pathsInsideResolveToWhereTheIoGoes() throws IOException {
        Path real = rootDir.toRealPath();
        assertEquals(real.resolve("data/train.jsonl"), root.resolve("data/train.jsonl"));
        assertEquals(real.resolve("data/train.jsonl"), root.resolve("inside/train.jsonl"), "a link inside is followed");
        assertEquals(real.resolve("data/train.jsonl"), root.resolve("data/../data/./train.jsonl"));
        assertEquals(real.resolve("runs/new/checkpoint"), root.resolve("runs/new/checkpoint"), "not there yet: fine");
        assertEquals(real.resolve("data/train.jsonl"), root.resolve(real.resolve("data/train.jsonl").toString()),
                "an absolute path inside");
        assertEquals(real, root.resolve("."));
    }

    @Test
    void escapesAreRefusedWithTheReason() {
        for (String bad : List.of("..", "../outside/secret.jsonl", "data/../../outside/secret.jsonl",
                "data/../../root/../outside")) {
            UnsafePathException e = assertThrows(UnsafePathException.class, () -> root.resolve(bad), bad);
            assertTrue(e.getMessage().contains("climbs out with .."), e.getMessage());
            assertEquals(bad, e.path());
        }
        UnsafePathException abs = assertThrows(UnsafePathException.class,
                () -> root.resolve(base.resolve("outside/secret.jsonl").toString()));
        assertTrue(abs.getMessage().contains("absolute path outside"), abs.getMessage());
        UnsafePathException link = assertThrows(UnsafePathException.class, () -> root.resolve("out/secret.jsonl"));
        assertTrue(link.getMessage().contains("leads outside"), link.getMessage());
        assertThrows(UnsafePathException.class, () -> root.resolve("out"));
        UnsafePathException dangling = assertThrows(UnsafePathException.class, () -> root.resolve("dangling/ckpt"));
        assertTrue(dangling.getMessage().contains("points nowhere"), dangling.getMessage());
        assertThrows(UnsafePathException.class, () -> root.resolve(""));
        assertThrows(UnsafePathException.class, () -> root.resolve("a\0b"));
    }

    @Test
    void aLinkedRootIsJudgedByItsRealPath() throws IOException {
        Path alias = Files.createSymbolicLink(base.resolve("alias"), Path.of("root"));
        PathRoot viaAlias = PathRoot.of(alias);
        assertEquals(rootDir.toRealPath(), viaAlias.path());
        assertEquals(rootDir.toRealPath().resolve("data/train.jsonl"), viaAlias.resolve("data/train.jsonl"));
        assertThrows(UnsafePathException.class, () -> viaAlias.resolve("out/secret.jsonl"));
        assertThrows(java.nio.file.NotDirectoryException.class, () -> PathRoot.of(rootDir.resolve("data/train.jsonl")));
    }

    @Test
    void checkpointsSaveAndLoadOnlyStrictlyBelowTheRoot() throws IOException {
        CheckpointData data = CheckpointTest.sample(3);
        Checkpoint.save(root, "runs/a/checkpoint", data);
        assertEquals(data.state().toString(), Checkpoint.load(root, "runs/a/checkpoint").state().toString());
        assertThrows(UnsafePathException.class, () -> Checkpoint.save(root, "../outside/ckpt", data));
        assertThrows(UnsafePathException.class, () -> Checkpoint.save(root, "out/ckpt", data));
        assertThrows(UnsafePathException.class, () -> Checkpoint.save(root, "dangling", data));
        assertThrows(UnsafePathException.class, () -> Checkpoint.save(root, ".", data), "siblings would be outside");
        assertThrows(UnsafePathException.class, () -> Checkpoint.load(root, "../outside"));
        assertFalse(Files.exists(base.resolve("outside/ckpt")), "nothing written outside");
        assertFalse(Files.exists(base.resolve("nope")), "nothing written through the dangling link");
        try (var s = Files.list(base)) {
            assertEquals(List.of("outside", "root"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary sibling of the root");
        }
    }
}
