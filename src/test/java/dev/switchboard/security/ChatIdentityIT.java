package dev.switchboard.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import dev.switchboard.testing.ChatClient;
import dev.switchboard.testing.InServerTest;
import dev.switchboard.testing.RawWebSocket;
import dev.switchboard.testing.TestClient;
import dev.switchboard.testing.Tokens;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Who may open a chat connection: tokens, origins and the per-user cap, checked at the handshake. */
class ChatIdentityIT extends InServerTest {

    private static final String SECRET = Tokens.SECRET;

    private static String mint(String user, Instant expires, String secret) throws Exception {
        return Tokens.mint(user, expires, secret);
    }

    private int handshake(String query, Map<String, String> headers) throws Exception {
        URI uri = server.ws("ws/chat" + (query == null ? "" : "?" + query));
        return RawWebSocket.handshakeStatus(uri, headers);
    }

    @Test
    void theTokenApiIssuesASignedExpiringTokenForAValidName() throws Exception {
        HttpResponse<String> response = server.post("api/token", "{\"username\":\"alice.b-1_\"}");
        assertEquals(200, response.statusCode(), response.body());
        JsonObject body = ChatClient.parse(response.body());
        assertEquals(3, body.getString("token").split("\\.").length, "a JWT");
        assertTrue(Instant.parse(body.getString("expiresAt")).isAfter(Instant.now()));
    }

    @Test
    void badNamesAndBadBodiesAreRefusedWith400AndAJsonError() throws Exception {
        for (String body : List.of("{\"username\":\"\"}", "{\"username\":\"has space\"}", "{\"username\":\"<script>\"}",
                "{\"username\":\"" + "x".repeat(33) + "\"}", "{\"username\":42}", "{}", "not json", "[]")) {
            HttpResponse<String> response = server.post("api/token", body);
            assertEquals(400, response.statusCode(), body);
            assertTrue(ChatClient.parse(response.body()).containsKey("error"), response.body());
        }
    }

    @Test
    void aValidTokenOpensAChatConnectionAsItsUser() throws Exception {
        try (ChatClient alice = ChatClient.connect(server, "alice")) {
            JsonObject welcome = alice.next("welcome");
            assertEquals("alice", welcome.getString("user"));
            assertTrue(welcome.getString("node").matches("[A-Za-z0-9_-]{1,32}"), "the node it reached: " + welcome);
        }
    }

    @Test
    void aTokenInTheSubprotocolHeaderWorksAndKeepsTheUrlClean() throws Exception {
        try (ChatClient bob = ChatClient.connectWithProtocolToken(server, "bob")) {
            assertEquals("bob", bob.next("welcome").getString("user"));
            assertEquals("switchboard", bob.ws.subprotocol());
        }
    }

    @Test
    void missingForgedAndExpiredTokensAreRefusedBeforeTheUpgrade() throws Exception {
        String valid = server.token("mallory");
        String[] parts = valid.split("\\.");
        String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        assertEquals(101, handshake("token=" + valid, Map.of()), "a valid token is accepted");
        assertEquals(401, handshake(null, Map.of()), "no token");
        assertEquals(401, handshake("token=not-a-jwt", Map.of()), "garbage");
        assertEquals(401, handshake("token=" + tampered, Map.of()), "tampered payload");
        assertEquals(401, handshake("token=" + mint("mallory", Instant.now().plusSeconds(600),
                "another-secret-of-at-least-32-bytes-xxxxxxxx"), Map.of()), "signed with another key");
        assertEquals(401, handshake("token=" + mint("mallory", Instant.now().minusSeconds(120), SECRET), Map.of()), "expired");
        assertEquals(101, handshake("token=" + mint("mallory", Instant.now().plusSeconds(120), SECRET), Map.of()),
                "the same key, not expired");
    }

    @Test
    void aForeignOriginIsRefusedWith403AndTheServersOwnIsAccepted() throws Exception {
        String token = server.token("olivia");
        URI own = server.http("");
        String ownOrigin = own.getScheme() + "://" + own.getHost() + ":" + own.getPort();
        assertEquals(403, handshake("token=" + token, Map.of("Origin", "https://evil.example")));
        assertEquals(403, handshake("token=" + token, Map.of("Origin", "http://127.0.0.1:1")));
        assertEquals(101, handshake("token=" + token, Map.of("Origin", ownOrigin)));
    }

    @Test
    void connectionsPerUserAreCapped() throws Exception {
        List<ChatClient> tabs = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                ChatClient tab = ChatClient.connect(server, "tabby");
                tab.next("welcome");
                tabs.add(tab);
            }
            assertEquals(429, handshake("token=" + server.token("tabby"), Map.of()), "the eleventh connection");
            assertEquals(101, handshake("token=" + server.token("someone-else"), Map.of()), "other users are not affected");
        } finally {
            for (ChatClient tab : tabs) {
                tab.close();
            }
        }
    }

    @Test
    void handshakesArrivingTogetherCannotPassTheCap() throws Exception {
        String token = server.token("crowd");
        URI uri = server.ws("ws/chat?token=" + token);
        int attempts = 30;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<RawWebSocket>> tries = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            tries.add(pool.submit(() -> {
                start.await();
                return RawWebSocket.connect(uri, 0);
            }));
        }
        start.countDown();
        List<RawWebSocket> opened = new ArrayList<>();
        int refused = 0;
        try {
            for (Future<RawWebSocket> attempt : tries) {
                try {
                    opened.add(attempt.get(30, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    assertTrue(e.getCause().getMessage().contains("429"), "refused before the upgrade: " + e.getCause());
                    refused++;
                }
            }
            assertEquals(10, opened.size(), "exactly the cap got a 101");
            assertEquals(attempts - 10, refused);
            for (RawWebSocket connection : opened) {
                RawWebSocket.Received first = connection.read();
                assertTrue(first.opcode() == RawWebSocket.OP_TEXT && first.text().contains("welcome"),
                        "every accepted one stays open and is welcomed, none is closed after the 101");
            }
        } finally {
            for (RawWebSocket connection : opened) {
                connection.close();
            }
            pool.shutdownNow();
        }
        await("the places are given back as the connections close").atMost(Duration.ofSeconds(15))
                .until(() -> handshake("token=" + token, Map.of()) == 101);
    }

    @Test
    void theMembersApiNeedsAValidToken() throws Exception {
        try (ChatClient alice = ChatClient.connect(server, "alice", "room=api-room");
             ChatClient bob = ChatClient.connect(server, "bob", "room=api-room")) {
            alice.next("joined");
            bob.next("joined");
            HttpResponse<String> response = server.get("api/rooms/api-room/members", server.token("carol"));
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(List.of("alice", "bob"), ChatClient.parse(response.body()).getJsonArray("members")
                    .getValuesAs(jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList());
            assertEquals(401, server.get("api/rooms/api-room/members").statusCode());
            assertEquals(401, server.get("api/rooms/api-room/members", "forged").statusCode());
        }
    }
}
