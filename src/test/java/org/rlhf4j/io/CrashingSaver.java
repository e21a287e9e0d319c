package org.rlhf4j.io;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM by {@link CheckpointKillTest}: saves checkpoints 1, 2, 3, ... to one directory
 * until it is killed. Checkpoint {@code step} is recognisable from its contents alone
 * ({@link #weights}), so the parent can tell a consistent checkpoint from a torn one.
 */
final class CrashingSaver {

    static final int SIZE = 1 << 20;

    private CrashingSaver() {
    }

    static float[] weights(long step) {
        float[] w = new float[SIZE];
        for (int i = 0; i < SIZE; i++) {
            w[i] = step + i * 1e-3f;
        }
        return w;
    }

    static CheckpointData checkpoint(long step) {
        ObjectNode state = JsonNodeFactory.instance.objectNode().put("step", step);
        ObjectNode config = JsonNodeFactory.instance.objectNode().put("step_too", step);
        List<NamedTensor> moments = List.of(NamedTensor.f32("w.exp_avg", new int[] {SIZE}, weights(step + 1)));
        return new CheckpointData(List.of(NamedTensor.f32("w", new int[] {SIZE}, weights(step))), config, null,
                moments, state);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        for (long step = 1; ; step++) {
            Checkpoint.save(dir, checkpoint(step));
        }
    }
}
