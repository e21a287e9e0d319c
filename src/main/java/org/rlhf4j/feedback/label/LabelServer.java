package org.rlhf4j.feedback.label;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Labelling in a browser: one self-contained page (inline script and style, no external assets) and a
 * small JSON API over a {@link LabelSession}, served by the JDK's {@link HttpServer} on 127.0.0.1 unless
 * another host is asked for.
 *
 * <pre>
 *   GET  /             the page
 *   GET  /api/next     {"done": false, "mode", "k", "item": {"id", "prompt", "completions"}, "progress"}
 *                      or {"done": true, "progress"} once every prompt is dealt with
 *   POST /api/submit   {"id": 3, "ranking": [2, 0, 1]}  (best first; pairwise: [chosen, rejected])
 *   POST /api/skip     {"id": 3}
 * </pre>
 *
 * Errors are JSON {@code {"error": "..."}}: 400 a malformed body or a ranking that is not a permutation,
 * 403 a POST without the page's token (or from another origin, or a Host that is not this server's when it
 * is bound to a loopback address: DNS rebinding), 404, 405, 409 an answer to an item that is no longer
 * current, 413 a body over 64 KiB. Model outputs reach the page as JSON strings and are shown with
 * {@code textContent}, never parsed as HTML; a Content-Security-Policy with a per-page nonce allows only
 * the page's own script and style, as a second wall.
 *
 * <p>Requests run on a pool of 4 daemon threads that the server makes and {@link #close()} stops, or on an
 * executor of the caller's ({@link #start(LabelSession, String, int, Executor)}), which {@code close()} leaves
 * running. Either way the JDK's {@link HttpServer} runs one dispatcher thread of its own, which is not a
 * daemon (the JDK makes it so), from {@code start} until {@code close()}: an open server keeps the JVM alive.
 */
public final class LabelServer implements AutoCloseable {

    /** The header that carries the page's token on every POST. */
    public static final String TOKEN_HEADER = "X-Label-Token";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final ExecutorService pool; // the server's own handler pool; null when the caller's executor serves
    private final LabelApi api;
    private final String token = randomHex(16);
    private final Set<String> allowedHosts;
    private final URI uri;
    private final CompletableFuture<Progress> finished = new CompletableFuture<>();

    private LabelServer(HttpServer server, ExecutorService pool, LabelSession session, String host) {
        this.server = server;
        this.pool = pool;
        this.api = new LabelApi(session);
        int port = server.getAddress().getPort();
        String h = host.contains(":") ? "[" + host + "]" : host;
        this.uri = URI.create("http://" + h + ":" + port + "/");
        InetAddress bound = server.getAddress().getAddress();
        this.allowedHosts = bound.isLoopbackAddress()
                ? Set.copyOf(List.of(h + ":" + port, "localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port))
                : null; // bound to a public address: the user chose to expose it, any Host is accepted
    }

    /**
     * Serves {@code session} on {@code host} (127.0.0.1 keeps it on this machine) and {@code port} (0 picks
     * a free one; {@link #uri()} tells which).
     */
    public static LabelServer start(LabelSession session, String host, int port) throws IOException {
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "label-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            return start(session, host, port, pool, pool);
        } catch (IOException | RuntimeException e) {
            pool.shutdownNow();
            throw e;
        }
    }

    /**
     * As {@link #start(LabelSession, String, int)}, with requests handled on {@code executor}, which the caller
     * owns: the server makes no handler thread, and {@link #close()} stops serving but leaves {@code executor}
     * running (shut it down yourself). The session's methods are synchronized, so an executor of any size will do.
     */
    public static LabelServer start(LabelSession session, String host, int port, Executor executor) throws IOException {
        return start(session, host, port, Objects.requireNonNull(executor, "executor"), null);
    }

    private static LabelServer start(LabelSession session, String host, int port, Executor executor,
                                     ExecutorService ownPool) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 16);
        LabelServer s = new LabelServer(http, ownPool, session, host);
        http.createContext("/", s::handle);
        http.setExecutor(executor);
        http.start();
        return s;
    }

    /** Where the page is, e.g. {@code http://127.0.0.1:43817/}. */
    public URI uri() {
        return uri;
    }

    /** Completes, with the final counts, once the page has been told that every prompt is dealt with. */
    public CompletableFuture<Progress> finished() {
        return finished;
    }

    /**
     * Stops serving at once; requests in flight are cut off. Stops the server's own handler pool (waiting up
     * to 5 s for it), never a caller's executor. Safe to call twice.
     */
    @Override
    public void close() {
        server.stop(0);
        if (pool == null) {
            return;
        }
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange ex) {
        Progress done = null;
        try {
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
            if (allowedHosts != null && !allowedHosts.contains(String.valueOf(ex.getRequestHeaders().getFirst("Host")))) {
                LabelApi.send(ex, 403, LabelApi.error("unexpected Host header; open " + uri));
                return;
            }
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            boolean post = path.equals("/api/submit") || path.equals("/api/skip");
            boolean get = path.equals("/") || path.equals("/index.html") || path.equals("/api/next");
            if (!post && !get) {
                LabelApi.send(ex, 404, LabelApi.error("no such page: " + path));
            } else if (!method.equals(post ? "POST" : "GET")) {
                ex.getResponseHeaders().set("Allow", post ? "POST" : "GET");
                LabelApi.send(ex, 405, LabelApi.error(path + " takes " + (post ? "POST" : "GET") + ", not " + method));
            } else if (path.equals("/api/next")) {
                LabelApi.Next next = api.next();
                LabelApi.send(ex, 200, next.json());
                done = next.done() ? next.progress() : null;
            } else if (get) {
                page(ex);
            } else if (!trusted(ex)) {
                LabelApi.send(ex, 403, LabelApi.error("missing or wrong " + TOKEN_HEADER + "; reload the page"));
            } else {
                LabelApi.Reply r = path.equals("/api/submit") ? api.submit(body(ex)) : api.skip(body(ex));
                LabelApi.send(ex, r.status(), r.json());
            }
        } catch (LabelApi.TooLarge e) {
            failed(ex, 413, e);
        } catch (IOException | RuntimeException e) {
            failed(ex, 500, e);
        } finally {
            ex.close();
        }
        if (done != null) {
            finished.complete(done); // after the page has its answer
        }
    }

    /** Reports {@code e} as JSON, unless the reply had begun (the client then sees a cut-off reply). */
    private static void failed(HttpExchange ex, int status, Exception e) {
        try {
            if (ex.getResponseCode() == -1) {
                LabelApi.send(ex, status, LabelApi.error(e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        } catch (IOException ignored) {
            // the connection is gone; nothing is left to tell
        }
    }

    /** The POST carries this page's token, and no Origin header naming another site. */
    private boolean trusted(HttpExchange ex) {
        String given = ex.getRequestHeaders().getFirst(TOKEN_HEADER);
        String origin = ex.getRequestHeaders().getFirst("Origin");
        String host = ex.getRequestHeaders().getFirst("Host");
        boolean sameOrigin = origin == null || origin.equals("http://" + host);
        return sameOrigin && given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    private void page(HttpExchange ex) throws IOException {
        String nonce = randomHex(16);
        String html = template().replace("__TOKEN__", token).replace("__NONCE__", nonce);
        ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; script-src 'nonce-" + nonce
                + "'; style-src 'nonce-" + nonce + "'; connect-src 'self'; base-uri 'none'; form-action 'none';"
                + " frame-ancestors 'none'");
        ex.getResponseHeaders().set("X-Frame-Options", "DENY");
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static byte[] body(HttpExchange ex) throws IOException {
        byte[] bytes = ex.getRequestBody().readNBytes(LabelApi.MAX_BODY + 1);
        if (bytes.length > LabelApi.MAX_BODY) {
            throw new LabelApi.TooLarge();
        }
        return bytes;
    }

    /** The page, from this package's resources. */
    static String template() {
        try (InputStream in = LabelServer.class.getResourceAsStream("label.html")) {
            if (in == null) {
                throw new IllegalStateException("label.html is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
