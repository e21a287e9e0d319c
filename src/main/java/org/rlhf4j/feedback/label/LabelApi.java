package org.rlhf4j.feedback.label;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The JSON side of {@link LabelServer}: request bodies in, replies out, every input checked here. */
final class LabelApi {

    /** The largest request body accepted, in bytes. */
    static final int MAX_BODY = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A reply: an HTTP status and its JSON body. */
    record Reply(int status, ObjectNode json) { }

    /** The answer to GET /api/next. */
    record Next(boolean done, Progress progress, ObjectNode json) { }

    /** A request body over {@link #MAX_BODY}. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("request body over " + MAX_BODY + " bytes");
        }
    }

    private final LabelSession session;

    LabelApi(LabelSession session) {
        this.session = session;
    }

    Next next() throws IOException {
        Optional<LabelItem> item = session.current();
        Progress p = session.progress();
        ObjectNode json = JSON.createObjectNode();
        json.put("done", item.isEmpty());
        json.put("mode", session.mode().id());
        json.put("k", session.k());
        item.ifPresent(it -> {
            ObjectNode o = json.putObject("item");
            o.put("id", it.id());
            o.put("prompt", it.prompt());
            ArrayNode cs = o.putArray("completions");
            it.completions().forEach(cs::add);
        });
        json.set("progress", JSON.valueToTree(p));
        return new Next(item.isEmpty(), p, json);
    }

    Reply submit(byte[] body) throws IOException {
        JsonNode req;
        try {
            req = object(body);
        } catch (IllegalArgumentException e) {
            return bad(e.getMessage());
        }
        JsonNode r = req.get("ranking");
        if (r == null || !r.isArray()) {
            return bad("field \"ranking\": expected an array of completion numbers, best first");
        }
        List<Integer> ranking = new ArrayList<>();
        for (JsonNode e : r) {
            if (!e.canConvertToInt() || !e.isIntegralNumber()) {
                return bad("field \"ranking\": " + e + " is not a completion number");
            }
            ranking.add(e.intValue());
        }
        try {
            session.submit(id(req), ranking);
        } catch (StaleItemException e) {
            return new Reply(409, error(e.getMessage()));
        } catch (IllegalArgumentException e) {
            return bad(e.getMessage());
        }
        return ok();
    }

    Reply skip(byte[] body) {
        try {
            session.skip(id(object(body)));
        } catch (StaleItemException e) {
            return new Reply(409, error(e.getMessage()));
        } catch (IllegalArgumentException e) {
            return bad(e.getMessage());
        }
        return ok();
    }

    /** The body as a JSON object; IllegalArgumentException says what is wrong with it. */
    private static JsonNode object(byte[] body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not valid JSON: "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object");
        }
        return node;
    }

    private static long id(JsonNode req) {
        JsonNode id = req.get("id");
        if (id == null || !id.isIntegralNumber() || !id.canConvertToLong()) {
            throw new IllegalArgumentException("field \"id\": expected the item's id, got " + id);
        }
        return id.longValue();
    }

    private static Reply ok() {
        ObjectNode o = JSON.createObjectNode();
        o.put("ok", true);
        return new Reply(200, o);
    }

    private static Reply bad(String message) {
        return new Reply(400, error(message));
    }

    static ObjectNode error(String message) {
        ObjectNode o = JSON.createObjectNode();
        o.put("error", message);
        return o;
    }

    static void send(HttpExchange ex, int status, ObjectNode json) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(json);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }
}
