package dev.switchboard.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.DeskClient;
import dev.switchboard.testing.InServerTest;
import dev.switchboard.testing.RawWebSocket;
import dev.switchboard.testing.Tokens;
import jakarta.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Who may do what at the desk: customers get guest tokens, agents log in with a password (wrong ones
 * refused and limited), each role's frames are refused to the other, the desk's own frames are refused to
 * both, a customer cannot reach another's conversation, and transcripts over HTTP are for agents only.
 */
class SupportAccessIT extends InServerTest {

    /** The test accounts' password (see the pom). */
    private static final String PASSWORD = "desk-password-1";

    private HttpResponse<String> login(String name, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.http("api/support/login")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"password\":\"" + password + "\"}"));
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anAgentLogsInWithTheirPasswordAndAWrongOneIsRefusedThenLimited() throws Exception {
        HttpResponse<String> ok = login("cat", PASSWORD);
        assertEquals(200, ok.statusCode(), ok.body());
        JsonObject body = DeskClient.parse(ok.body());
        assertEquals("agent", body.getString("role"));
        try (DeskClient cat = DeskClient.withToken(server, "cat", body.getString("token"), null)) {
            assertEquals("agent", cat.next("welcome").getString("role"));
        }
        assertEquals(401, login("cat", "wrong-password").statusCode());
        assertEquals(401, login("nobody-at-all", PASSWORD).statusCode(), "an unknown name: the same answer");
        // Ten tries at once per name, then one every 30 s: the right password no longer helps.
        int refused = 0;
        for (int i = 0; i < 12; i++) {
            refused += login("bob", "guess-" + i).statusCode() == 429 ? 1 : 0;
        }
        assertTrue(refused >= 2, "tries past the limit get 429: " + refused);
        HttpResponse<String> limited = login("bob", PASSWORD);
        assertEquals(429, limited.statusCode(), limited.body());
        assertEquals("rate_limited", DeskClient.parse(limited.body()).getString("error"));
    }

    @Test
    void eachRoleIsRefusedTheOthersFramesAndACustomerCannotReachAnothersConversation() throws Exception {
        try (DeskClient ann = DeskClient.staff(server, "ann", "agent");
             DeskClient cat = DeskClient.staff(server, "cat", "agent");
             DeskClient ada = DeskClient.customer(server, "Ada", null);
             DeskClient bea = DeskClient.customer(server, "Bea", null)) {
            ann.next("welcome");
            ada.next("welcome");
            bea.next("welcome");
            ann.acked(Map.of("type", "status", "status", "away", "cid", "away")); // online, nothing offered
            cat.next("welcome");
            cat.acked(Map.of("type", "status", "status", "away", "cid", "away"));
            ada.send(Map.of("type", "start", "cid", "s"));
            String id = ada.answerTo("s").getString("conversation");

            for (String staffOnly : new String[] {"accept", "take", "transfer", "status"}) {
                ada.send(Map.of("type", staffOnly, "conversation", id, "status", "available", "cid", staffOnly));
                assertEquals("forbidden", ada.answerTo(staffOnly).getString("code"), staffOnly);
            }
            ann.send(Map.of("type", "start", "cid", "as-customer"));
            assertEquals("forbidden", ann.answerTo("as-customer").getString("code"));

            bea.send(Map.of("type", "say", "conversation", id, "text", "hello, stranger", "cid", "intrude"));
            assertEquals("forbidden", bea.answerTo("intrude").getString("code"));
            bea.send(Map.of("type", "close", "conversation", id, "cid", "close-other"));
            assertEquals("forbidden", bea.answerTo("close-other").getString("code"));
            bea.send(Map.of("type", "say", "conversation", "not-an-id", "text", "x", "cid", "bad"));
            assertEquals("bad_field", bea.answerTo("bad").getString("code"));
            bea.send(Map.of("type", "launch", "cid", "odd"));
            assertEquals("unknown_type", bea.answerTo("odd").getString("code"));
            for (String serverOnly : new String[] {"released", "welcome", "message", "desk", "transcript", "event", "ack"}) {
                bea.send(Map.of("type", serverOnly, "conversation", id, "cid", serverOnly));
                assertEquals("unsupported_type", bea.answerTo(serverOnly).getString("code"), "a customer sending " + serverOnly);
            }
            ann.send(Map.of("type", "released", "conversation", id, "cid", "agent-released"));
            assertEquals("unsupported_type", ann.answerTo("agent-released").getString("code"), "an agent sending released");

            ann.send(Map.of("type", "say", "conversation", id, "text", "not mine yet", "cid", "early"));
            assertEquals("forbidden", ann.answerTo("early").getString("code"), "an agent speaks only where it is theirs");
            ann.acked(Map.of("type", "take", "conversation", id, "cid", "take"));
            ann.acked(Map.of("type", "say", "conversation", id, "text", "mine now", "cid", "now"));
            cat.send(Map.of("type", "transfer", "conversation", id, "cid", "not-cats"));
            assertEquals("forbidden", cat.answerTo("not-cats").getString("code"), "another agent's conversation");
            bea.send(Map.of("type", "rate", "conversation", id, "score", 1, "cid", "rate-open"));
            assertEquals("forbidden", bea.answerTo("rate-open").getString("code"), "another's open conversation");
            ada.send(Map.of("type", "rate", "conversation", id, "score", 5, "cid", "too-soon"));
            assertEquals("conflict", ada.answerTo("too-soon").getString("code"), "her own, still open");
            ada.acked(Map.of("type", "close", "conversation", id, "cid", "bye"));
            bea.send(Map.of("type", "rate", "conversation", id, "score", 1, "cid", "rate-closed"));
            assertEquals("forbidden", bea.answerTo("rate-closed").getString("code"), "another's closed conversation");
            for (String action : new String[] {"accept", "take", "transfer"}) {
                ann.send(Map.of("type", action, "conversation", id, "cid", "closed-" + action));
                assertEquals("not_found", ann.answerTo("closed-" + action).getString("code"), action + " of a closed one");
            }
            ada.acked(Map.of("type", "rate", "conversation", id, "score", 5, "cid", "rate"));
            ada.send(Map.of("type", "rate", "conversation", id, "score", 4, "cid", "again"));
            assertEquals("conflict", ada.answerTo("again").getString("code"), "once");
            bea.send(Map.of("type", "ping", "cid", "still-there"));
            assertEquals("still-there", bea.next("pong").getString("cid"), "refusals left the connection open");
        }
    }

    @Test
    void tokensDecideWhichEndpointAConnectionMayOpen() throws Exception {
        String customerToken = DeskClient.parse(server.post("api/support/token", "{\"name\":\"Ada\"}").body()).getString("token");
        String enc = URLEncoder.encode(customerToken, StandardCharsets.UTF_8);
        assertEquals(403, RawWebSocket.handshakeStatus(server.ws("ws/chat?token=" + enc), Map.of()), "a customer on chat");
        String chatToken = URLEncoder.encode(server.token("plain-user"), StandardCharsets.UTF_8);
        assertEquals(403, RawWebSocket.handshakeStatus(server.ws("ws/support?token=" + chatToken), Map.of()), "a chat user at the desk");
        assertEquals(401, RawWebSocket.handshakeStatus(server.ws("ws/support?token=forged"), Map.of()));
        String agentToken = URLEncoder.encode(Tokens.mintWithRole("dan", "agent", Instant.now().plusSeconds(60)), StandardCharsets.UTF_8);
        assertEquals(101, RawWebSocket.handshakeStatus(server.ws("ws/chat?token=" + agentToken), Map.of()), "agents may chat");

        assertEquals(400, server.post("api/support/token", "{\"name\":\"\"}").statusCode());
        assertEquals(400, server.post("api/support/token", "{\"name\":\"Ada\",\"email\":\"not an email\"}").statusCode());
        assertEquals(400, server.post("api/support/token", "not json").statusCode());
    }

    @Test
    void transcriptsOverHttpAreForAgentsAsJsonOrText() throws Exception {
        String id;
        try (DeskClient ann = DeskClient.staff(server, "ann", "agent");
             DeskClient ada = DeskClient.customer(server, "Ada", null)) {
            ann.next("welcome");
            ada.next("welcome");
            ann.acked(Map.of("type", "status", "status", "away", "cid", "away"));
            id = ada.acked(Map.of("type", "start", "cid", "s")).getString("conversation");
            ada.acked(Map.of("type", "say", "conversation", id, "text", "where is my parcel?", "cid", "m1"));
            ann.acked(Map.of("type", "take", "conversation", id, "cid", "t"));
            ann.acked(Map.of("type", "say", "conversation", id, "text", "on its way", "cid", "r1"));
            ada.acked(Map.of("type", "close", "conversation", id, "cid", "bye"));
            ada.acked(Map.of("type", "rate", "conversation", id, "score", 5, "comment", "quick", "cid", "rate"));
        }
        String agent = Tokens.mintWithRole("ann", "agent", Instant.now().plusSeconds(60));
        JsonObject list = DeskClient.parse(server.get("api/support/conversations", agent).body());
        assertTrue(list.getJsonArray("closed").stream().anyMatch(c -> id.equals(c.asJsonObject().getString("conversation"))),
                list.toString());
        JsonObject transcript = DeskClient.parse(server.get("api/support/conversations/" + id, agent).body());
        assertEquals("where is my parcel?", transcript.getJsonArray("lines").getJsonObject(0).getString("text"));
        assertEquals(List.of("message", "message", "event", "event"), transcript.getJsonArray("lines").stream()
                .map(l -> l.asJsonObject().getString("type")).toList());
        HttpResponse<String> text = server.get("api/support/conversations/" + id + "?format=text", agent);
        assertTrue(text.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertTrue(text.body().contains("Ada: where is my parcel?") && text.body().contains("ann: on its way")
                && text.body().contains("rated by") && text.body().contains("5/5: quick"), text.body());

        String customer = DeskClient.parse(server.post("api/support/token", "{\"name\":\"Nosy\"}").body()).getString("token");
        assertEquals(403, server.get("api/support/conversations/" + id, customer).statusCode());
        assertEquals(401, server.get("api/support/conversations").statusCode());
        assertEquals(404, server.get("api/support/conversations/0123456789abcdef0123", agent).statusCode());
    }

    @Test
    void aCustomerRenewsTheirTokenForTheSameConversationAndHandsItToTheOpenConnection() throws Exception {
        try (DeskClient ada = DeskClient.customer(server, "Ada", null)) {
            ada.next("welcome");
            HttpResponse<String> renewed = server.post("api/support/token", "{\"renew\":\"" + ada.token + "\"}");
            assertEquals(200, renewed.statusCode(), renewed.body());
            JsonObject body = DeskClient.parse(renewed.body());
            assertEquals(ada.user, body.getString("customer"), "the same customer");
            ada.send(Map.of("type", "refresh", "token", body.getString("token"), "cid", "r1"));
            JsonObject refreshed = ada.next("refreshed");
            assertEquals("r1", refreshed.getString("cid"));
            assertEquals(body.getString("expiresAt"), refreshed.getString("expiresAt"));

            String someoneElse = DeskClient.parse(server.post("api/support/token", "{\"name\":\"Eve\"}").body()).getString("token");
            ada.send(Map.of("type", "refresh", "token", someoneElse, "cid", "r2"));
            assertEquals("invalid_token", ada.answerTo("r2").getString("code"));
            String agent = Tokens.mintWithRole("ann", "agent", Instant.now().plusSeconds(60));
            assertEquals(401, server.post("api/support/token", "{\"renew\":\"" + agent + "\"}").statusCode(),
                    "only a customer's token is renewed this way");
        }
    }
}
