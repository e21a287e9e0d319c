package org.rlhf4j.io;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM by {@link CheckpointKillTest}; talks over stdin / stdout so the parent can start
 * the next child while this one is still warming up:
 * <pre>
 *   parent: go          child: cleans up (Checkpoint.cleanUp), loads dir if there is one,
 *                              answers "clean &lt;removed&gt; &lt;step&gt;" (step 0: no checkpoint yet)
 *   parent: save        child: saves step+1, step+2, ... to dir for ever, answering "saved &lt;n&gt;"
 *                              after each save has returned, until it is killed
 * </pre>
 * Checkpoint {@code step} is recognisable from its contents alone ({@link #weights}), so the parent
 * can tell a consistent checkpoint from a torn one.
 */
final class CrashingSaver {

    static final int SIZE = 1 << 18;

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
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Json.pretty(checkpoint(0).state()); // load the classes while the parent still waits
        if (!"go".equals(in.readLine())) {
            return;
        }
        int removed = Checkpoint.cleanUp(dir);
        long step = Files.exists(dir) ? Checkpoint.load(dir).state().get("step").longValue() : 0;
        out.println("clean " + removed + " " + step);
        if (!"save".equals(in.readLine())) {
            return;
        }
        for (step++; ; step++) {
            Checkpoint.save(dir, checkpoint(step));
            out.println("saved " + step);
        }
    }
}
