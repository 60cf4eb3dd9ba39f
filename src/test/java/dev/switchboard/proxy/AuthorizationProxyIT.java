package dev.switchboard.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.ChatClient;
import dev.switchboard.testing.InServerTest;
import dev.switchboard.testing.SiteBackEnd;
import dev.switchboard.testing.SiteBackEnd.Answer;
import dev.switchboard.testing.SiteBackEnd.Received;
import jakarta.json.JsonObject;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The test server asks the site's back end (a receiver in this JVM, at {@code switchboard.test.proxyUrl})
 * before joins and says in the namespace {@code asked} of src/test/resources/namespaces.json, signed, and
 * obeys its answers over the wire: allowed, denied with a reason, a text edited, no answer in time.
 */
class AuthorizationProxyIT extends InServerTest {

    private static final String ROOM = "asked:it-club";
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
            ann.send(Map.of("type", "join", "room", ROOM, "cid", "j1"));
            assertEquals(ROOM, ann.next("joined").getString("room"));
            Received join = asked("join", "px-ann");
            assertEquals(ROOM, join.body().getString("room"));
            assertEquals("px-ann", join.body().getJsonObject("claims").getString("sub"), "the token's claims go along");
            assertFalse(join.body().getString("node").isEmpty(), join.toString());

            bob.send(Map.of("type", "join", "room", ROOM, "cid", "j2"));
            JsonObject denied = bob.next("error");
            assertEquals("denied", denied.getString("code"), denied.toString());
            assertEquals("Members only", denied.getString("message"));
            assertEquals("j2", denied.getString("cid"));
            asked("join", "px-bob");

            ann.send(Map.of("type", "say", "room", ROOM, "text", "darn it", "cid", "s1"));
            assertEquals("**** it", ann.next("message").getString("text"), "the room shows the text as the back end edited it");
            assertEquals("s1", ann.next("ack").getString("cid"));
            assertEquals("darn it", asked("say", "px-ann").body().getString("text"));
        }
    }

    @Test
    void aSiteBackEndThatDoesNotAnswerInTimeGetsTheJoinRefusedAndTheConnectionGoesOn() throws Exception {
        backEnd.answer(body -> new Answer(200, "{\"result\":\"allow\"}", true));
        try (ChatClient ann = ChatClient.connect(server, "px-slow")) {
            ann.send(Map.of("type", "join", "room", ROOM, "cid", "j1"));
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
