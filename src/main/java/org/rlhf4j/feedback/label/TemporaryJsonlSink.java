package org.rlhf4j.feedback.label;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.Set;
import org.rlhf4j.feedback.PairwisePreference;
import org.rlhf4j.feedback.Preference;
import org.rlhf4j.feedback.RankedPreference;

/** TEMPORARY stand-in for feedback.PreferenceWriter/PreferenceReader until they land on main; deleted then. */
public final class TemporaryJsonlSink implements LabelSink, Closeable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final FileChannel ch;

    public TemporaryJsonlSink(Path file) throws IOException {
        ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    @Override
    public synchronized void append(Preference p) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("prompt", p.prompt());
        if (p instanceof PairwisePreference pw) {
            o.put("chosen", pw.chosen());
            o.put("rejected", pw.rejected());
        } else if (p instanceof RankedPreference r) {
            r.completions().forEach(o.putArray("completions")::add);
            r.ranking().forEach(o.putArray("ranking")::add);
        }
        ch.write(ByteBuffer.wrap((JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8)));
        ch.force(false);
    }

    public static Set<String> promptsIn(Path file) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    JsonNode n = JSON.readTree(line);
                    out.add(n.path("prompt").asText());
                }
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
