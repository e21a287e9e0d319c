package org.rlhf4j.feedback.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rlhf4j.feedback.PairwisePreference;
import org.rlhf4j.feedback.RankedPreference;

/** The web page's JSON API, through java.net.http. */
@Timeout(60)
class LabelServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Fixtures.Kept sink = new Fixtures.Kept();
    private LabelServer server;

    record Reply(int status, JsonNode json, HttpResponse<String> raw) { }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private LabelServer start(LabelMode mode, int k, List<String> prompts) throws IOException {
        server = LabelServer.start(new LabelSession(prompts, Set.of(), Fixtures.LETTERS, mode, k, sink), "127.0.0.1", 0);
        return server;
    }

    private String token() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(server.uri()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("<meta name=\"label-token\" content=\"([0-9a-f]{32})\">").matcher(page.body());
        assertTrue(m.find(), "the page carries its token");
        return m.group(1);
    }

    private Reply get(String path) throws Exception {
        return send(HttpRequest.newBuilder(server.uri().resolve(path)).GET());
    }

    private Reply post(String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header(LabelServer.TOKEN_HEADER, token);
        }
        return send(b);
    }

    private Reply send(HttpRequest.Builder b) throws Exception {
        HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
                ? JSON.readTree(r.body()) : null;
        return new Reply(r.statusCode(), json, r);
    }

    @Test
    void rankingThroughTheApiWritesRecordsAndFinishes() throws Exception {
        start(LabelMode.RANK, 3, List.of("p", "q"));
        assertEquals("127.0.0.1", server.uri().getHost());
        String token = token();
        Reply next = get("/api/next");
        assertEquals(200, next.status());
        assertFalse(next.json().get("done").asBoolean());
        assertEquals("rank", next.json().get("mode").asText());
        assertEquals("p", next.json().at("/item/prompt").asText());
        assertEquals("p / answer 2", next.json().at("/item/completions/2").asText());
        assertEquals(2, next.json().at("/progress/remaining").asInt());
        long id = next.json().at("/item/id").asLong();
        assertEquals(id, get("/api/next").json().at("/item/id").asLong(), "the same item until it is answered");

        assertEquals(200, post("/api/submit", token, "{\"id\": " + id + ", \"ranking\": [1, 2, 0]}").status());
        Reply second = get("/api/next");
        assertEquals("q", second.json().at("/item/prompt").asText());
        assertEquals(200, post("/api/skip", token, "{\"id\": " + second.json().at("/item/id").asLong() + "}").status());
        assertFalse(server.finished().isDone());
        Reply done = get("/api/next");
        assertTrue(done.json().get("done").asBoolean());
        assertEquals(1, done.json().at("/progress/labelled").asInt());
        assertEquals(new Progress(2, 0, 1, 1, 0, 0), server.finished().get(5, TimeUnit.SECONDS));
        assertEquals(List.of(new RankedPreference("p", List.of("p / answer 0", "p / answer 1", "p / answer 2"), List.of(1, 2, 0))),
                sink.records);
    }

    @Test
    void pairwiseSubmissionsAreChosenThenRejected() throws Exception {
        start(LabelMode.PAIRWISE, 2, List.of("p"));
        long id = get("/api/next").json().at("/item/id").asLong();
        assertEquals(200, post("/api/submit", token(), "{\"id\": " + id + ", \"ranking\": [1, 0]}").status());
        assertEquals(List.of(new PairwisePreference("p", "p / answer 1", "p / answer 0")), sink.records);
    }

    @Test
    void postsWithoutTheTokenOrFromAnotherOriginAreForbidden() throws Exception {
        start(LabelMode.RANK, 2, List.of("p"));
        String token = token();
        String body = "{\"id\": " + get("/api/next").json().at("/item/id").asLong() + ", \"ranking\": [0, 1]}";
        assertEquals(403, post("/api/submit", null, body).status());
        Reply wrong = post("/api/submit", "0".repeat(32), body);
        assertEquals(403, wrong.status());
        assertTrue(wrong.json().get("error").asText().contains(LabelServer.TOKEN_HEADER), wrong.json().toString());
        assertEquals(403, post("/api/skip", token.substring(1), body).status());
        Reply foreign = send(HttpRequest.newBuilder(server.uri().resolve("/api/submit")).header(LabelServer.TOKEN_HEADER, token)
                .header("Origin", "http://evil.example").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(403, foreign.status());
        assertTrue(sink.records.isEmpty());
        assertEquals(200, post("/api/submit", token, body).status());
    }

    @Test
    void badBodiesAndRankingsAre400WithAMessage() throws Exception {
        start(LabelMode.RANK, 3, List.of("p"));
        String token = token();
        long id = get("/api/next").json().at("/item/id").asLong();
        assertBad(post("/api/submit", token, "{\"id\": " + id + ", \"ranking\": [0, 0, 1]}"), "0 appears twice");
        assertBad(post("/api/submit", token, "{\"id\": " + id + ", \"ranking\": [0, 1]}"), "orders all 3");
        assertBad(post("/api/submit", token, "{\"id\": " + id + ", \"ranking\": [0, 1, 3]}"), "3 is not a completion number");
        assertBad(post("/api/submit", token, "{\"id\": " + id + ", \"ranking\": [0, 1.5, 2]}"), "1.5 is not a completion number");
        assertBad(post("/api/submit", token, "{\"id\": " + id + ", \"ranking\": \"012\"}"), "field \"ranking\"");
        assertBad(post("/api/submit", token, "{\"id\": \"x\", \"ranking\": [0, 1, 2]}"), "field \"id\"");
        assertBad(post("/api/submit", token, "{\"id\": " + id + ", \"ranking\": [0, 1,"), "not valid JSON");
        assertBad(post("/api/submit", token, "[0, 1, 2]"), "must be a JSON object");
        assertEquals(413, post("/api/submit", token, " ".repeat(LabelApi.MAX_BODY + 1)).status());
        assertTrue(sink.records.isEmpty());
        assertEquals(id, get("/api/next").json().at("/item/id").asLong(), "the item is still current");
    }

    @Test
    void staleAnswersAre409AndUnknownPathsAndMethodsAreRefused() throws Exception {
        start(LabelMode.RANK, 2, List.of("p", "q"));
        String token = token();
        long id = get("/api/next").json().at("/item/id").asLong();
        assertEquals(200, post("/api/submit", token, "{\"id\": " + id + ", \"ranking\": [0, 1]}").status());
        Reply stale = post("/api/submit", token, "{\"id\": " + id + ", \"ranking\": [1, 0]}");
        assertEquals(409, stale.status());
        assertTrue(stale.json().get("error").asText().contains("answered or skipped already"), stale.json().toString());
        assertEquals(404, get("/api/nope").status());
        assertEquals(404, get("/../etc/passwd").status());
        assertEquals(405, get("/api/submit").status());
        assertEquals(405, post("/api/next", token, "{}").status());
        assertEquals(1, sink.records.size());
    }

    @Test
    void aForeignHostHeaderIsRefused() throws Exception {
        start(LabelMode.RANK, 2, List.of("p"));
        // A DNS-rebinding page reaches 127.0.0.1 under its own name; the Host header gives it away.
        // java.net.http does not let a caller set Host, so speak HTTP over a socket.
        try (Socket socket = new Socket("127.0.0.1", server.uri().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: evil.example:" + server.uri().getPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(reply.startsWith("HTTP/1.1 403"), reply);
            assertFalse(reply.contains("label-token"), reply);
        }
    }

    @Test
    void thePageIsSelfContainedAndLockedDown() throws Exception {
        start(LabelMode.RANK, 2, List.of("p"));
        Reply page = get("/");
        assertEquals(200, page.status());
        String html = page.raw().body();
        String csp = page.raw().headers().firstValue("Content-Security-Policy").orElseThrow();
        Matcher nonce = Pattern.compile("script-src 'nonce-([0-9a-f]{32})'").matcher(csp);
        assertTrue(nonce.find(), csp);
        assertTrue(html.contains("<script nonce=\"" + nonce.group(1) + "\">"), "the page's script carries the nonce");
        assertTrue(csp.startsWith("default-src 'none'"), csp);
        assertFalse(html.contains("__TOKEN__") || html.contains("__NONCE__"), "placeholders filled");
        assertFalse(Pattern.compile("(src|href)\\s*=\\s*\"(https?:)?//").matcher(html).find(), "no external assets");
        assertFalse(html.contains("innerHTML") || html.contains("insertAdjacentHTML") || html.contains("document.write"),
                "model outputs are set as text, never parsed as HTML");
        assertEquals("no-store", page.raw().headers().firstValue("Cache-Control").orElseThrow());
    }

    @Test
    void concurrentAnswersToOneItemWriteItOnce() throws Exception {
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            prompts.add("prompt " + i);
        }
        start(LabelMode.RANK, 3, prompts);
        String token = token();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < prompts.size(); round++) {
                long id = get("/api/next").json().at("/item/id").asLong();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> replies = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    String body = t % 2 == 0 ? "{\"id\": " + id + ", \"ranking\": [2, 1, 0]}" : "{\"id\": " + id + "}";
                    String path = t % 4 == 3 ? "/api/skip" : "/api/submit";
                    replies.add(pool.submit(() -> {
                        go.await();
                        return post(path, token, path.equals("/api/skip") ? "{\"id\": " + id + "}" : body).status();
                    }));
                }
                go.countDown();
                int ok = 0;
                for (Future<Integer> f : replies) {
                    int status = f.get(20, TimeUnit.SECONDS);
                    assertTrue(status == 200 || status == 409 || status == 400, "status " + status);
                    ok += status == 200 ? 1 : 0;
                }
                assertEquals(1, ok, "exactly one answer per item is taken");
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(get("/api/next").json().get("done").asBoolean());
        Progress p = server.finished().get(5, TimeUnit.SECONDS);
        assertEquals(20, p.labelled() + p.skipped());
        assertEquals(p.labelled(), sink.records.size());
        assertEquals(sink.prompts().size(), Set.copyOf(sink.prompts()).size(), "no prompt written twice");
    }

    @Test
    void closeStopsServing() throws Exception {
        start(LabelMode.RANK, 2, List.of("p"));
        URI uri = server.uri();
        server.close();
        server.close();
        HttpRequest r = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();
        try {
            http.send(r, HttpResponse.BodyHandlers.ofString());
            throw new AssertionError("the server still answers after close()");
        } catch (IOException expected) {
            // connection refused
        }
    }

    private static void assertBad(Reply r, String fragment) {
        assertEquals(400, r.status(), String.valueOf(r.json()));
        assertTrue(r.json().get("error").asText().contains(fragment), r.json().toString());
    }
}
