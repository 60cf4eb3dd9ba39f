package dev.switchboard.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A support desk connection in tests (customer, agent or supervisor): sends frames, waits for the ones it expects. */
public final class DeskClient implements AutoCloseable {

    public final String user;
    public final String token;
    public final TestClient ws;
    /** Frames passed over while waiting for another, kept for later waits. */
    private final List<JsonObject> skipped = new ArrayList<>();

    private DeskClient(String user, String token, TestClient ws) {
        this.user = user;
        this.token = token;
        this.ws = ws;
    }

    /** A new customer, with a token from {@code POST /api/support/token}; {@code query} is added to the URL. */
    public static DeskClient customer(Server server, String name, String query) throws Exception {
        var response = server.post("api/support/token", "{\"name\":\"" + name + "\"}");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("No customer token: " + response.statusCode() + " " + response.body());
        }
        JsonObject body = parse(response.body());
        return withToken(server, body.getString("customer"), body.getString("token"), query);
    }

    /** An agent or supervisor, with a token the test made (as a site's own login would). */
    public static DeskClient staff(Server server, String name, String role) throws Exception {
        return withToken(server, name, Tokens.mintWithRole(name, role, Instant.now().plusSeconds(3600)), null);
    }

    public static DeskClient withToken(Server server, String user, String token, String query) throws Exception {
        String q = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + (query == null ? "" : "&" + query);
        return new DeskClient(user, token, TestClient.connect(server.ws("ws/support?" + q)));
    }

    /** The same person connecting again (a reload, a new tab), with {@code query} on the URL. */
    public DeskClient again(Server server, String query) throws Exception {
        return withToken(server, user, token, query);
    }

    public void send(Map<String, Object> frame) throws Exception {
        ws.send(Json.createObjectBuilder(frame).build().toString());
    }

    /** The next frame of this type; others are kept for later. */
    public JsonObject next(String type) throws InterruptedException {
        return next(type, f -> true);
    }

    /** The next frame of this type that also matches; frames passed over are kept for later, those of its type that do not match dropped. */
    public JsonObject next(String type, Predicate<JsonObject> matching) throws InterruptedException {
        for (int i = 0; i < skipped.size(); i++) {
            JsonObject frame = skipped.get(i);
            if (type.equals(frame.getString("type", "")) && matching.test(frame)) {
                skipped.remove(i);
                return frame;
            }
        }
        skipped.removeIf(f -> type.equals(f.getString("type", "")));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestClient.WAIT_SECONDS);
        List<JsonObject> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String text = ws.texts.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (text == null) {
                break;
            }
            JsonObject frame = parse(text);
            if (type.equals(frame.getString("type", ""))) {
                if (matching.test(frame)) {
                    return frame;
                }
                seen.add(frame);
            } else {
                skipped.add(frame);
            }
        }
        assertNotNull(null, user + " waited " + TestClient.WAIT_SECONDS + " s for a matching '" + type + "'; saw of that type "
                + seen + "; kept others " + skipped + (ws.closed.isDone() ? "; closed: " + ws.closed.getNow(null) : "; still open"));
        return null;
    }

    /** The answer to the frame with this client id: its {@code ack} or its {@code error}. */
    public JsonObject answerTo(String cid) throws InterruptedException {
        for (int i = 0; i < skipped.size(); i++) {
            JsonObject frame = skipped.get(i);
            if (isAnswer(frame, cid)) {
                skipped.remove(i);
                return frame;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestClient.WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            String text = ws.texts.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (text == null) {
                break;
            }
            JsonObject frame = parse(text);
            if (isAnswer(frame, cid)) {
                return frame;
            }
            skipped.add(frame);
        }
        assertNotNull(null, user + " had no ack or error for " + cid + " in " + TestClient.WAIT_SECONDS + " s; kept " + skipped);
        return null;
    }

    private static boolean isAnswer(JsonObject frame, String cid) {
        String type = frame.getString("type", "");
        return (type.equals("ack") || type.equals("error")) && cid.equals(frame.getString("cid", null));
    }

    /** Sends the frame and returns its ack, failing on an error. */
    public JsonObject acked(Map<String, Object> frame) throws Exception {
        send(frame);
        JsonObject answer = answerTo((String) frame.get("cid"));
        org.junit.jupiter.api.Assertions.assertEquals("ack", answer.getString("type"), answer.toString());
        return answer;
    }

    /** Each client sends the frame at the same moment (one thread each); their answers, in the clients' order. */
    public static List<JsonObject> atOnce(List<DeskClient> clients, Map<String, Object> frame) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients.size());
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<JsonObject>> answers = new ArrayList<>();
            for (DeskClient client : clients) {
                answers.add(pool.submit(() -> {
                    start.await();
                    client.send(frame);
                    return client.answerTo((String) frame.get("cid"));
                }));
            }
            start.countDown();
            List<JsonObject> got = new ArrayList<>();
            for (java.util.concurrent.Future<JsonObject> answer : answers) {
                got.add(answer.get(TestClient.WAIT_SECONDS + 5, TimeUnit.SECONDS));
            }
            return got;
        } finally {
            pool.shutdownNow();
        }
    }

    public static JsonObject parse(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    @Override
    public void close() throws Exception {
        ws.close();
    }
}
