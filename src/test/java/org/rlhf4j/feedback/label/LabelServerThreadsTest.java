package org.rlhf4j.feedback.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.rlhf4j.architecture.ThreadLeaks;

/**
 * The label server's threads (its bounded pool of 4 daemon handlers and the JDK HttpServer's
 * dispatcher) are all gone after close(); with a caller's executor the server makes no handler thread,
 * serves on that executor, and close() leaves it running.
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

    @Test
    void aCallersExecutorServesAndOutlivesClose() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Set<Thread> before = ThreadLeaks.snapshot();
        AtomicInteger n = new AtomicInteger();
        ExecutorService mine = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "callers-pool-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            LabelServer server = LabelServer.start(new LabelSession(List.of("a", "b"), Set.of(), Fixtures.LETTERS,
                    LabelMode.PAIRWISE, 2, new Fixtures.Kept()), "127.0.0.1", 0, mine);
            try {
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri()).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode());
                }
                List<String> made = ThreadLeaks.startedSince(before).stream().map(Thread::getName).toList();
                assertTrue(made.stream().anyMatch(t -> t.startsWith("callers-pool-")), "the caller's pool served: " + made);
                assertEquals(List.of(), made.stream().filter(t -> t.startsWith("label-http-")).toList(),
                        "the server made no handler pool of its own");
            } finally {
                server.close();
            }
            assertFalse(mine.isShutdown(), "close() left the caller's executor running");
            assertEquals("still mine", mine.submit(() -> "still mine").get(10, TimeUnit.SECONDS));
            List<Thread> alive = ThreadLeaks.survivors(before, Duration.ofSeconds(10)).stream()
                    .filter(t -> !t.getName().startsWith("HttpClient") && !t.getName().startsWith("callers-pool-")).toList();
            assertEquals(List.of(), ThreadLeaks.describe(alive), "server threads alive after close() (the dispatcher)");
        } finally {
            mine.shutdownNow();
        }
    }
}
