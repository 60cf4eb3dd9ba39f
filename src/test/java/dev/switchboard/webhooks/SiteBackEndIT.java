package dev.switchboard.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.ChatClient;
import dev.switchboard.testing.InServerTest;
import dev.switchboard.testing.SiteBackEnd;
import dev.switchboard.testing.SiteBackEnd.Answer;
import dev.switchboard.testing.SiteBackEnd.Received;
import dev.switchboard.testing.WebhookReceiver;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The site's back end in the loop, as a site meets it. Webhooks: a real receiver (checking every
 * signature) gets the events of a real server (its settings send them here, with an offline grace of
 * 4 s), the status API answers, and a chat connection watches users come and go. The authorization proxy:
 * the server asks a back end in this JVM ({@code switchboard.test.proxyUrl}) before joins and says in the
 * namespace {@code asked} of src/test/resources/namespaces.json, signed, and obeys its answers. One class,
 * so one deployment (on Payara Micro, one boot) for both.
 */
class SiteBackEndIT extends InServerTest {

    /** Long enough for the offline grace (4 s), a settling round, a try that met no receiver yet, and a slow machine. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static WebhookReceiver receiver;

    @BeforeAll
    static void receive() throws Exception {
        receiver = WebhookReceiver.forTestServers();
    }

    @AfterAll
    static void stopReceiving() {
        receiver.close();
    }

    /** The events delivered until this one ({@code type} whose {@code data.field} is {@code value}), of that subject only. */
    private static List<WebhookReceiver.Request> eventsOf(String field, String value, String untilType) throws Exception {
        return receiver.deliveredUntil(r -> r.type().equals(untilType) && value.equals(r.data().getString(field, null)), WAIT)
                .stream().filter(r -> value.equals(r.data().getString(field, null))).toList();
    }

    private static ChatClient opened(ChatClient client) throws Exception {
        client.next("welcome");
        client.next("whispers");
        return client;
    }

    private JsonObject status(String user) throws Exception {
        HttpResponse<String> answer = server.get("api/users/" + user + "/status", System.getProperty("switchboard.test.apiKey"));
        assertEquals(200, answer.statusCode(), answer.body());
        return ChatClient.parse(answer.body());
    }

    @Test
    void aUserIsOnlineWithTheirFirstConnectionAndOfflineAfterTheGraceAndAReloadIsNoNews() throws Exception {
        try (ChatClient tab = opened(ChatClient.connect(server, "wh-ann")); ChatClient other = opened(ChatClient.connect(server, "wh-ann"))) {
            WebhookReceiver.Request online = receiver.deliveredUntil(r -> r.type().equals("user.online")
                    && "wh-ann".equals(r.data().getString("user", null)), WAIT).stream().reduce((a, b) -> b).orElseThrow();
            assertEquals("wh-ann", online.data().getString("user"));
            assertEquals(true, status("wh-ann").getBoolean("online"));
        }
        try (ChatClient reloaded = opened(ChatClient.connect(server, "wh-ann"))) {
            // The page came back within the grace: nothing to tell.
            reloaded.send(Map.of("type", "ping", "cid", "p"));
            reloaded.next("pong");
        }
        List<WebhookReceiver.Request> events = eventsOf("user", "wh-ann", "user.offline");
        assertEquals(List.of("user.offline"), events.stream().map(WebhookReceiver.Request::type).toList(),
                "one offline after the last tab went, none for the reload");
        String lastSeen = events.get(0).data().getString("lastSeen");
        JsonObject now = status("wh-ann");
        assertFalse(now.getBoolean("online"));
        assertEquals(lastSeen, now.getString("lastSeen"));

        HttpResponse<String> bulk = server.get("api/users/status?users=wh-ann,wh-nobody", System.getProperty("switchboard.test.apiKey"));
        assertEquals("{\"users\":[{\"lastSeen\":\"" + lastSeen + "\",\"online\":false,\"user\":\"wh-ann\"},"
                + "{\"online\":false,\"user\":\"wh-nobody\"}]}", bulk.body());
    }

    @Test
    void aMessageInANamespaceThatAsksIsToldWithItsOffsetFromAUserAndFromTheServer() throws Exception {
        try (ChatClient bea = opened(ChatClient.connect(server, "wh-bea"))) {
            bea.send(Map.of("type", "join", "room", "logged:desk", "cid", "j"));
            bea.next("joined");
            bea.send(Map.of("type", "say", "room", "logged:desk", "text", "store me", "cid", "s1"));
            JsonObject ack = bea.next("ack");
            bea.send(Map.of("type", "join", "room", "plain", "cid", "j2"));
            bea.next("joined");
            bea.send(Map.of("type", "say", "room", "plain", "text", "not me", "cid", "s2"));
            bea.next("ack");
            HttpResponse<String> published = server.api("api/publish", "{\"room\":\"logged:desk\",\"text\":\"from the site\"}");
            assertEquals(200, published.statusCode(), published.body());

            List<WebhookReceiver.Request> said = receiver.deliveredUntil(r -> r.type().equals("message.said")
                    && "from the site".equals(r.data().getString("text", null)), WAIT).stream()
                    .filter(r -> r.type().equals("message.said")).toList();
            assertEquals(2, said.size(), "the room of a namespace without messageEvents is not told: " + said);
            JsonObject first = said.get(0).data();
            assertEquals(List.of("logged:desk", "wh-bea", "store me"),
                    List.of(first.getString("room"), first.getString("from"), first.getString("text")));
            assertEquals(ack.getJsonNumber("offset").longValue(), first.getJsonNumber("offset").longValue());
            assertEquals(ack.getString("id"), first.getString("id"));
            assertTrue(said.get(1).data().getBoolean("server"));
        }
    }

    @Test
    void aRoomIsOccupiedByItsFirstMemberAndVacatedAfterTheGrace() throws Exception {
        try (ChatClient cy = opened(ChatClient.connect(server, "wh-cy"))) {
            cy.send(Map.of("type", "join", "room", "wh-occupied", "cid", "j"));
            cy.next("joined");
            cy.send(Map.of("type", "leave", "room", "wh-occupied", "cid", "l"));
            cy.next("ack");
        }
        List<WebhookReceiver.Request> events = eventsOf("room", "wh-occupied", "room.vacated");
        assertEquals(List.of("room.occupied", "room.vacated"), events.stream().map(WebhookReceiver.Request::type).toList());
    }

    @Test
    void aWatcherIsToldWhenAWatchedUserComesOnlineAndWhenTheyGoOffline() throws Exception {
        try (ChatClient eve = opened(ChatClient.connect(server, "wh-eve"))) {
            eve.send("{\"type\":\"watch\",\"users\":[\"wh-dan\"],\"cid\":\"w\"}");
            assertEquals("{\"type\":\"watching\",\"cid\":\"w\",\"users\":[{\"online\":false,\"user\":\"wh-dan\"}]}",
                    eve.next("watching").toString());
            try (ChatClient dan = opened(ChatClient.connect(server, "wh-dan"))) {
                assertEquals("wh-dan", eve.next("online").getString("user"));
            }
            JsonObject offline = eve.next("offline"); // after the grace
            assertEquals("wh-dan", offline.getString("user"));
            assertEquals(status("wh-dan").getString("lastSeen"), offline.getString("lastSeen"));
            eve.send("{\"type\":\"watch\",\"users\":\"wh-dan\",\"cid\":\"bad\"}");
            JsonObject refused = eve.next("error");
            assertEquals("bad_field", refused.getString("code"));
        }
    }

    @Test
    void aStalledReceiverHoldsNoChatUpAndGetsWhatWaitedWhenItAnswers() throws Exception {
        receiver.stall();
        try (ChatClient fay = opened(ChatClient.connect(server, "wh-fay"))) {
            fay.send(Map.of("type", "join", "room", "logged:stall", "cid", "j"));
            fay.next("joined");
            for (int i = 0; i < 20; i++) {
                fay.send(Map.of("type", "say", "room", "logged:stall", "text", "m" + i, "cid", "s" + i));
                assertEquals("s" + i, fay.next("ack").getString("cid"));
                assertEquals("m" + i, fay.next("message").getString("text"));
            }
        } finally {
            receiver.release();
        }
        List<String> texts = receiver.deliveredUntil(r -> r.type().equals("message.said")
                && "m19".equals(r.data().getString("text", null)), WAIT).stream()
                .filter(r -> r.type().equals("message.said") && "logged:stall".equals(r.data().getString("room", null)))
                .map(r -> r.data().getString("text")).toList();
        assertEquals(java.util.stream.IntStream.range(0, 20).mapToObj(i -> "m" + i).toList(), texts, "each once, in order");
    }

    // ---- The authorization proxy (was AuthorizationProxyIT) ----

    private static final String ASKED_ROOM = "asked:it-club";
    private static SiteBackEnd backEnd;

    @BeforeAll
    static void startTheSitesBackEnd() throws Exception {
        backEnd = SiteBackEnd.start(URI.create(System.getProperty("switchboard.test.proxyUrl")).getPort(),
                System.getProperty("switchboard.test.webhookSecret"));
    }

    @AfterAll
    static void stopTheSitesBackEnd() {
        backEnd.close();
    }

    @BeforeEach
    void allowEverything() {
        backEnd.answer(body -> Answer.json("{\"result\":\"allow\"}"));
        backEnd.forget();
    }

    private static Received asked(String type, String user) throws InterruptedException {
        Received received = backEnd.next(10);
        assertNotNull(received, "the server asked the back end within 10 s");
        assertTrue(received.signed(), "signed with switchboard.webhooks.secret: " + received);
        assertEquals("application/json", received.contentType());
        assertEquals(type, received.type(), received.toString());
        assertEquals(user, received.body().getString("user"), received.toString());
        return received;
    }

    @Test
    void joinsAndSaysInANamespaceThatAsksGoAsTheSitesBackEndAnswers() throws Exception {
        backEnd.answer(body -> switch (body.getString("type")) {
            case "join" -> body.getString("user").equals("px-bob")
                    ? Answer.json("{\"result\":\"deny\",\"reason\":\"Members only\"}") : Answer.json("{\"result\":\"allow\"}");
            default -> Answer.json("{\"result\":\"allow\",\"text\":\"" + body.getString("text").replace("darn", "****") + "\"}");
        });
        try (ChatClient ann = ChatClient.connect(server, "px-ann"); ChatClient bob = ChatClient.connect(server, "px-bob")) {
            ann.send(Map.of("type", "join", "room", ASKED_ROOM, "cid", "j1"));
            assertEquals(ASKED_ROOM, ann.next("joined").getString("room"));
            Received join = asked("join", "px-ann");
            assertEquals(ASKED_ROOM, join.body().getString("room"));
            assertEquals("px-ann", join.body().getJsonObject("claims").getString("sub"), "the token's claims go along");
            assertFalse(join.body().getString("node").isEmpty(), join.toString());

            bob.send(Map.of("type", "join", "room", ASKED_ROOM, "cid", "j2"));
            JsonObject denied = bob.next("error");
            assertEquals("denied", denied.getString("code"), denied.toString());
            assertEquals("Members only", denied.getString("message"));
            assertEquals("j2", denied.getString("cid"));
            asked("join", "px-bob");

            ann.send(Map.of("type", "say", "room", ASKED_ROOM, "text", "darn it", "cid", "s1"));
            assertEquals("**** it", ann.next("message").getString("text"), "the room shows the text as the back end edited it");
            assertEquals("s1", ann.next("ack").getString("cid"));
            assertEquals("darn it", asked("say", "px-ann").body().getString("text"));
        }
    }

    @Test
    void aSiteBackEndThatDoesNotAnswerInTimeGetsTheJoinRefusedAndTheConnectionGoesOn() throws Exception {
        backEnd.answer(body -> new Answer(200, "{\"result\":\"allow\"}", true));
        try (ChatClient ann = ChatClient.connect(server, "px-slow")) {
            ann.send(Map.of("type", "join", "room", ASKED_ROOM, "cid", "j1"));
            JsonObject refused = ann.next("error");
            assertEquals("proxy_unavailable", refused.getString("code"), refused.toString());
            assertEquals("j1", refused.getString("cid"));
            asked("join", "px-slow");
            backEnd.release();
            ann.send(Map.of("type", "ping", "cid", "p1"));
            assertEquals("p1", ann.next("pong").getString("cid"), "the connection's next frame is handled");
        }
    }

    @Test
    void roomsOfOtherNamespacesAskNobody() throws Exception {
        try (ChatClient ann = ChatClient.connect(server, "px-free")) {
            ann.send(Map.of("type", "join", "room", "it-free", "cid", "j1"));
            ann.next("joined");
            ann.send(Map.of("type", "say", "room", "it-free", "text", "darn", "cid", "s1"));
            assertEquals("darn", ann.next("message").getString("text"));
            ann.next("ack");
            assertEquals(0, backEnd.waiting(), "nobody was asked");
        }
    }
}
