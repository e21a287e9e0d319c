package org.rlhf4j.feedback.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rlhf4j.architecture.ThreadLeaks;

/**
 * The label server's threads (its bounded pool of 4 daemon handlers and the JDK HttpServer's
 * dispatcher) are all gone after close().
 */
class LabelServerThreadsTest {

    @Test
    void noServerThreadSurvivesClose() throws Exception {
        HttpClient client = HttpClient.newHttpClient(); // before the snapshot: its threads are not the server's
        Set<Thread> before = ThreadLeaks.snapshot();
        LabelServer server = LabelServer.start(new LabelSession(List.of("a", "b"), Set.of(), Fixtures.LETTERS,
                LabelMode.PAIRWISE, 2, new Fixtures.Kept()), "127.0.0.1", 0);
        try {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
            }
            List<Thread> made = ThreadLeaks.startedSince(before);
            assertFalse(made.stream().noneMatch(t -> t.getName().startsWith("label-http-")), "a handler thread ran");
            assertEquals(List.of(), made.stream().filter(t -> t.getName().startsWith("label-http-") && !t.isDaemon()).toList(),
                    "handler threads are daemon");
        } finally {
            server.close();
        }
        List<Thread> alive = ThreadLeaks.survivors(before, Duration.ofSeconds(10)).stream()
                .filter(t -> !t.getName().startsWith("HttpClient")).toList();
        assertEquals(List.of(), ThreadLeaks.describe(alive), "threads alive after close()");
    }
}
