package dev.switchboard.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.ClientEndpointConfig;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A chat user's connection in tests: sends envelopes, and waits for the frames it expects. */
public final class ChatClient implements AutoCloseable {

    public final String user;
    public final TestClient ws;
    /** Frames passed over while waiting for another type, kept for later waits. */
    private final List<JsonObject> skipped = new ArrayList<>();

    private ChatClient(String user, TestClient ws) {
        this.user = user;
        this.ws = ws;
    }

    /** Connects as {@code user} (token from the server's own token API) with extra query, e.g. {@code room=lobby}. */
    public static ChatClient connect(Server server, String user, String query) throws Exception {
        String token = server.token(user);
        String q = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + (query == null ? "" : "&" + query);
        return new ChatClient(user, TestClient.connect(server.ws("ws/chat?" + q)));
    }

    /** Connects with a token the test made itself (say, one about to expire). */
    public static ChatClient connectWithToken(Server server, String user, String token) throws Exception {
        return new ChatClient(user, TestClient.connect(server.ws("ws/chat?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8))));
    }

    public static ChatClient connect(Server server, String user) throws Exception {
        return connect(server, user, null);
    }

    /** Connects with the token in Sec-WebSocket-Protocol instead of the URL. */
    public static ChatClient connectWithProtocolToken(Server server, String user) throws Exception {
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .preferredSubprotocols(List.of("switchboard", "token." + server.token(user))).build();
        return new ChatClient(user, TestClient.connect(server.ws("ws/chat"), config));
    }

    public void send(String json) throws Exception {
        ws.send(json);
    }

    public void send(Map<String, Object> envelope) throws Exception {
        ws.send(Json.createObjectBuilder(envelope).build().toString());
    }

    /** The next frame of any type. */
    public JsonObject next() throws InterruptedException {
        if (!skipped.isEmpty()) {
            return skipped.remove(0);
        }
        return parse(ws.nextText());
    }

    /** The next frame of this type; frames of other types are kept for later. */
    public JsonObject next(String type) throws InterruptedException {
        for (int i = 0; i < skipped.size(); i++) {
            if (type.equals(skipped.get(i).getString("type"))) {
                return skipped.remove(i);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestClient.WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            String text = ws.texts.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (text == null) {
                break;
            }
            JsonObject frame = parse(text);
            if (type.equals(frame.getString("type"))) {
                return frame;
            }
            skipped.add(frame);
        }
        assertNotNull(null, user + " got no '" + type + "' frame within " + TestClient.WAIT_SECONDS + " s; had " + skipped);
        return null;
    }

    /** Frames received and not yet taken, without waiting. */
    public List<JsonObject> pending() {
        List<JsonObject> all = new ArrayList<>(skipped);
        skipped.clear();
        String text;
        while ((text = ws.texts.poll()) != null) {
            all.add(parse(text));
        }
        return all;
    }

    public static JsonObject parse(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    @Override
    public void close() throws Exception {
        ws.close();
    }
}
