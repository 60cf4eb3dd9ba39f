package dev.switchboard.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.ChatClient;
import dev.switchboard.testing.DeskClient;
import dev.switchboard.testing.InServerTest;
import dev.switchboard.testing.TestClient;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a node offers over HTTP to those who run it and to a site's back end: liveness and readiness with
 * each check, /metrics, protected, counting what happens, and the server API (its key, publishing,
 * sending, rooms, history, disconnecting) with its OpenAPI document. The two groups below were classes
 * of their own, each booting a server of its own (a JVM per class on Payara Micro). (Draining is tested
 * on a server process: cluster.DrainIT.) The metrics tests count connects, closes and refusals exactly
 * from a scrape taken before, so every test waits for the server to see its connections gone (and counted
 * as closed) before the next one runs.
 */
class ServerApiHealthAndMetricsIT extends InServerTest {

    @AfterEach
    void everyConnectionIsGoneBeforeTheNextTest() {
        awaitNoConnections();
    }

    // ---- Health and metrics (was HealthAndMetricsIT) ----
    // What a load balancer and Prometheus ask of a node: liveness and readiness with each check, and
    // /metrics, protected, counting what happens.

    private static final String TOKEN = System.getProperty("switchboard.test.metricsToken");

    private String scrape() throws Exception {
        HttpResponse<String> response = server.get("metrics", TOKEN);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        return response.body();
    }

    /** The value of the series with this name whose labels include all of these (0 when there is none). */
    private static double value(String scrape, String name, String... labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(scrape);
        while (m.find()) {
            String found = m.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= found.contains(label);
            }
            if (all) {
                return Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }

    @Test
    void metricsAreForTheConfiguredNetworksOrTheToken() throws Exception {
        // The test servers open metrics to no network, so only the token lets anyone in.
        HttpResponse<String> none = server.get("metrics");
        assertEquals(403, none.statusCode(), none.body());
        assertEquals(403, server.get("metrics", "wrong-token").statusCode());
        String scrape = scrape();
        assertTrue(scrape.contains("# TYPE switchboard_connects_total counter"), "Prometheus text format");
        assertTrue(scrape.contains("jvm_memory_used_bytes"), "the JVM's own meters too");
        assertTrue(Pattern.compile("node=\"[^\"]+\"").matcher(scrape).find(), "every series names its node");
    }

    @Test
    void aConnectAMessageARefusalAndACloseMoveTheirSeries() throws Exception {
        String before = scrape();
        try (ChatClient client = ChatClient.connect(server, "metered", "room=metrics-room")) {
            client.next("joined");
            client.send(Map.of("type", "say", "room", "metrics-room", "text", "counted", "cid", "m1"));
            client.next("ack");
            client.send(Map.of("type", "say", "room", "metrics-elsewhere", "text", "refused", "cid", "m2"));
            assertEquals("not_joined", client.next("error").getString("code"));
            String during = scrape();
            assertEquals(value(before, "switchboard_connects_total", "endpoint=\"chat\"") + 1,
                    value(during, "switchboard_connects_total", "endpoint=\"chat\""));
            assertTrue(value(during, "switchboard_connections", "endpoint=\"chat\"") >= 1);
            assertEquals(value(before, "switchboard_refusals_total", "code=\"not_joined\"") + 1,
                    value(during, "switchboard_refusals_total", "code=\"not_joined\""));
            assertTrue(value(during, "switchboard_deliveries_total") >= value(before, "switchboard_deliveries_total") + 1,
                    "the message reached its one member");
            assertTrue(value(during, "switchboard_frames_in_total", "endpoint=\"chat\"")
                    >= value(before, "switchboard_frames_in_total", "endpoint=\"chat\"") + 2);
            assertTrue(value(during, "switchboard_publish_latency_seconds_count")
                    >= value(before, "switchboard_publish_latency_seconds_count") + 1);
        }
        double closedBefore = value(before, "switchboard_disconnects_total", "endpoint=\"chat\"", "code=\"1000\"");
        Awaitility.await().atMost(Duration.ofSeconds(TestClient.WAIT_SECONDS)).until(() ->
                value(scrape(), "switchboard_disconnects_total", "endpoint=\"chat\"", "code=\"1000\"") == closedBefore + 1);
    }

    @Test
    void aRefusedHandshakeIsCountedByStatus() throws Exception {
        String before = scrape();
        try {
            TestClient.connect(server.ws("ws/chat?token=not-a-token")).close();
        } catch (jakarta.websocket.DeploymentException refused) {
            // what we wait for: the handshake got 401
        }
        assertEquals(value(before, "switchboard_handshake_refusals_total", "status=\"401\"", "error=\"invalid_token\"") + 1,
                value(scrape(), "switchboard_handshake_refusals_total", "status=\"401\"", "error=\"invalid_token\""));
    }

    @Test
    void aRunningServerIsAliveAndReadyWithEachCheckSaid() throws Exception {
        HttpResponse<String> live = server.get("health/live");
        assertEquals(200, live.statusCode(), live.body());
        assertTrue(live.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), live.headers().toString());
        assertEquals("UP", DeskClient.parse(live.body()).getString("status"));

        HttpResponse<String> ready = server.get("health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        JsonObject body = DeskClient.parse(ready.body());
        assertEquals("UP", body.getString("status"));
        List<String> checks = body.getJsonArray("checks").stream()
                .map(c -> c.asJsonObject().getString("name") + "=" + c.asJsonObject().getString("status")).toList();
        assertEquals(List.of("started=UP", "engine=UP", "not-going-away=UP"), checks);
        assertEquals("in memory (one node)", body.getJsonArray("checks").getJsonObject(1).getJsonObject("data").getString("engine"));
    }

    // ---- The server API (was api.ServerApiIT) ----
    // The server API as a site's back end uses it: its key, publishing, sending, rooms, history, disconnecting.

    private static JsonObject json(HttpResponse<String> response) {
        return ChatClient.parse(response.body());
    }

    private static void assertError(int status, String code, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(code, json(response).getString("error"), response.body());
    }

    @Test
    void withoutTheKeyOrWithAWrongOneNothingIsDone() throws Exception {
        try (ChatClient member = ChatClient.connect(server, "guard", "room=api-locked")) {
            member.next("joined");
            String publish = "{\"room\":\"api-locked\",\"text\":\"should not arrive\"}";
            HttpResponse<String> none = server.send("api/publish", publish);
            assertError(401, "invalid_key", none);
            assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""));
            assertError(401, "invalid_key", server.send("api/publish", publish, "Authorization", "Bearer wrong-key-0123456789abc"));
            assertError(401, "invalid_key", server.send("api/rooms", null, "Authorization", "Bearer x"));
            assertError(401, "invalid_key", server.send("api/users/guard/disconnect", "{}"));
            // A chat user's token is not the key.
            assertError(401, "invalid_key", server.send("api/rooms/api-locked/history", null, "Authorization", "Bearer " + server.token("guard")));

            HttpResponse<String> marker = server.api("api/publish", "{\"room\":\"api-locked\",\"text\":\"marker\"}");
            assertEquals(200, marker.statusCode(), marker.body());
            assertEquals("marker", member.next("message").getString("text"), "only the keyed message arrived");
            assertTrue(member.ws.isOpen());
        }
    }

    @Test
    void aPublishedMessageReachesTheRoomWithItsOffsetAndARetriedKeyPublishesOnce() throws Exception {
        try (ChatClient member = ChatClient.connect(server, "reader", "room=api-news")) {
            member.next("joined");
            String key = UUID.randomUUID().toString();
            HttpResponse<String> first = server.api("api/publish",
                    "{\"room\":\"api-news\",\"text\":\"Deploy at noon\",\"from\":\"ops-bot\"}", "Idempotency-Key", key);
            assertEquals(200, first.statusCode(), first.body());
            JsonObject published = json(first);
            JsonObject message = member.next("message");
            assertEquals("Deploy at noon", message.getString("text"));
            assertEquals("ops-bot", message.getString("from"));
            assertTrue(message.getBoolean("server"), "marked as from the server");
            assertEquals(published.getString("id"), message.getString("id"));
            assertEquals(published.getJsonNumber("offset").longValue(), message.getJsonNumber("offset").longValue());
            assertEquals("api-news", published.getString("room"));
            assertFalse(published.getString("epoch").isEmpty());

            HttpResponse<String> retry = server.api("api/publish",
                    "{\"room\":\"api-news\",\"text\":\"Deploy at noon\",\"from\":\"ops-bot\"}", "Idempotency-Key", key);
            assertEquals(200, retry.statusCode(), retry.body());
            assertEquals(first.body(), retry.body(), "a retried key gets the first answer");
            assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElse(""));

            HttpResponse<String> data = server.api("api/publish", "{\"room\":\"api-news\",\"data\":{\"build\":42,\"ok\":true}}");
            assertEquals(200, data.statusCode(), data.body());
            JsonObject next = member.next("message");
            assertEquals(42, next.getJsonObject("data").getInt("build"), "the retry was not delivered: the next is the data message");
            assertEquals("server", next.getString("from"));
            assertEquals(published.getJsonNumber("offset").longValue() + 1, next.getJsonNumber("offset").longValue());
        }
    }

    @Test
    void badRequestsGetAClearAnswer() throws Exception {
        assertError(400, "missing_field", server.api("api/publish", "{\"text\":\"no room\"}"));
        assertError(400, "bad_name", server.api("api/publish", "{\"room\":\"no spaces\",\"text\":\"x\"}"));
        assertError(400, "missing_field", server.api("api/publish", "{\"room\":\"api-bad\"}"));
        assertError(400, "bad_field", server.api("api/publish", "{\"room\":\"api-bad\",\"text\":5}"));
        assertError(400, "bad_name", server.api("api/publish", "{\"room\":\"api-bad\",\"text\":\"x\",\"from\":\"not a name\"}"));
        assertError(400, "bad_json", server.api("api/publish", "{\"room\":"));
        assertError(400, "bad_key", server.api("api/publish", "{\"room\":\"api-bad\",\"text\":\"x\"}", "Idempotency-Key", "x".repeat(201)));
        assertError(413, "too_large", server.api("api/publish", "{\"room\":\"api-bad\",\"text\":\"" + "x".repeat(70_000) + "\"}"));
        assertError(400, "bad_name", server.api("api/users/not%20a%20name/send", "{\"text\":\"x\"}"));
        assertError(404, "not_found", server.api("api/users/someone/shout", "{\"text\":\"x\"}"));
        assertError(400, "bad_field", server.api("api/rooms/api-bad/history?since=yesterday", null));
    }

    @Test
    void aMessageSentToAUserReachesEveryTabAndWaitsForOneThatIsOffline() throws Exception {
        try (ChatClient tab1 = ChatClient.connect(server, "api-kim");
             ChatClient tab2 = ChatClient.connect(server, "api-kim")) {
            tab1.next("whispers");
            tab2.next("whispers");
            HttpResponse<String> sent = server.api("api/users/api-kim/send", "{\"text\":\"Your order shipped\"}");
            assertEquals(200, sent.statusCode(), sent.body());
            assertTrue(json(sent).getBoolean("delivered"));
            for (ChatClient tab : List.of(tab1, tab2)) {
                JsonObject whisper = tab.next("whisper");
                assertEquals("Your order shipped", whisper.getString("text"));
                assertEquals("server", whisper.getString("from"));
                assertTrue(whisper.getBoolean("server"));
            }
        }
        HttpResponse<String> later = server.api("api/users/api-lou/send", "{\"text\":\"Welcome back\"}");
        assertFalse(json(later).getBoolean("delivered"), "nobody of that name is online");
        try (ChatClient lou = ChatClient.connect(server, "api-lou")) {
            assertEquals("Welcome back", lou.next("whisper").getString("text"), "kept for the offline user");
        }
    }

    @Test
    void roomsAreListedWithMemberCountsAndTheirHistoryIsReadable() throws Exception {
        try (ChatClient a = ChatClient.connect(server, "api-amy", "room=api-listed");
             ChatClient b = ChatClient.connect(server, "api-ben", "room=api-listed")) {
            a.next("joined");
            b.next("joined");
            a.send(Map.of("type", "say", "room", "api-listed", "text", "first", "cid", "h1"));
            a.next("ack");
            long second = json(server.api("api/publish", "{\"room\":\"api-listed\",\"text\":\"second\"}"))
                    .getJsonNumber("offset").longValue();

            JsonObject rooms = json(server.api("api/rooms", null));
            JsonObject listed = rooms.getJsonArray("rooms").stream().map(v -> v.asJsonObject())
                    .filter(r -> r.getString("room").equals("api-listed")).findFirst().orElseThrow();
            assertEquals(2, listed.getInt("members"));
            assertFalse(rooms.getBoolean("truncated"));
            assertTrue(rooms.getJsonArray("rooms").stream().noneMatch(r -> r.asJsonObject().getString("room").startsWith("@")),
                    "only rooms, not the presence of users");

            JsonObject history = json(server.api("api/rooms/api-listed/history", null));
            List<JsonObject> seen = List.of(b.next("message"), b.next("message"));
            assertEquals(List.of("first", "second"), seen.stream().map(m -> m.getString("text")).toList());
            assertEquals(seen, history.getJsonArray("messages").getValuesAs(JsonObject.class),
                    "each item exactly as a member got it, type and room included");
            assertEquals(second, history.getJsonNumber("lastOffset").longValue());
            JsonObject since = json(server.api("api/rooms/api-listed/history?since=" + (second - 1), null));
            assertEquals(1, since.getJsonArray("messages").size());
            assertEquals(second, since.getJsonArray("messages").getJsonObject(0).getJsonNumber("offset").longValue());
            // Members, with the key instead of a chat token.
            assertEquals(2, json(server.api("api/rooms/api-listed/members", null)).getInt("count"));
        }
    }

    @Test
    void disconnectingAUserClosesEachOfTheirConnectionsWith4003AndNoOneElses() throws Exception {
        try (ChatClient tab1 = ChatClient.connect(server, "api-troll", "room=api-kick");
             ChatClient tab2 = ChatClient.connect(server, "api-troll", "room=api-kick");
             ChatClient bystander = ChatClient.connect(server, "api-nice", "room=api-kick")) {
            tab1.next("joined");
            tab2.next("joined");
            bystander.next("joined");
            HttpResponse<String> response = server.api("api/users/api-troll/disconnect", "");
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(4003, tab1.ws.awaitClose().getCloseCode().getCode());
            assertEquals(4003, tab2.ws.awaitClose().getCloseCode().getCode());
            bystander.send(Map.of("type", "say", "room", "api-kick", "text", "still here", "cid", "k1"));
            assertEquals("k1", bystander.next("ack").getString("cid"));
        }
    }

    @Test
    void theApiIsDescribedByAnOpenApiDocument() throws Exception {
        HttpResponse<String> response = server.get("api/openapi.json");
        assertEquals(200, response.statusCode());
        JsonObject document = json(response);
        assertTrue(document.getString("openapi").startsWith("3."));
        for (String path : List.of("/api/publish", "/api/users/{user}/send", "/api/users/{user}/disconnect", "/api/rooms",
                "/api/rooms/{room}/history")) {
            assertTrue(document.getJsonObject("paths").containsKey(path), path);
        }
    }
}
