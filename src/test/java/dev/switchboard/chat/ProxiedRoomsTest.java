package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.session.TestTransports.Recorded;
import dev.switchboard.testing.SiteBackEnd;
import dev.switchboard.testing.SiteBackEnd.Answer;
import dev.switchboard.testing.SiteBackEnd.Received;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rooms whose namespace asks the site's back end before a join or a say, and obey what it answers. */
class ProxiedRoomsTest {

    private static final String SECRET = "proxied-rooms-secret-0123456789";
    private static final String NAMESPACES = """
            {"namespaces": {
              "asked": {"proxyJoin": true, "proxySay": true, "maxMessageBytes": 20},
              "free": {}
            }}""";
    private static final Map<String, Object> ANNS_CLAIMS = Map.of("sub", "ann", "plan", "gold");

    private final SiteBackEnd backEnd = SiteBackEnd.start(0, SECRET);
    private final TestChat chat = new TestChat("switchboard.namespaces", NAMESPACES, "switchboard.proxy.url", backEnd.url(),
            "switchboard.webhooks.secret", SECRET, "switchboard.proxy.timeout", "2s");
    private final Rooms rooms = chat.rooms;
    private final Recorded ann = chat.connect("ann");
    private final Recorded bob = chat.connect("bob");
    private final ConnectionRights annsRights = new ConnectionRights(ANNS_CLAIMS);
    private final ConnectionRights bobsRights = new ConnectionRights(Map.of("sub", "bob"));

    ProxiedRoomsTest() throws Exception {
    }

    @AfterEach
    void close() {
        chat.close();
        backEnd.close();
    }

    private Received asked(String type) throws InterruptedException {
        Received received = backEnd.next(5);
        assertNotNull(received, "the back end was asked within 5 s");
        assertTrue(received.signed(), received.toString());
        assertEquals(type, received.type(), received.toString());
        return received;
    }

    private static String error(String code, String message, String cid) {
        return "{\"type\":\"error\",\"cid\":\"" + cid + "\",\"code\":\"" + code + "\",\"message\":\"" + message + "\"}";
    }

    private static String textOf(String messageFrame) {
        return messageFrame.replaceAll(".*\"text\":\"([^\"]*)\".*", "$1");
    }

    @Test
    void aJoinTheBackEndDeniesGetsItsReasonAndNothingOfTheRoom() throws Exception {
        backEnd.answer(body -> body.getString("user").equals("bob")
                ? Answer.json("{\"result\":\"deny\",\"reason\":\"Bob, pay first\"}") : Answer.json("{\"result\":\"allow\"}"));
        rooms.join(ann.connection(), annsRights, "asked:club", null, null, null, "j1");
        Received annsJoin = asked("join");
        assertEquals("asked:club", annsJoin.body().getString("room"));
        assertEquals("gold", annsJoin.body().getJsonObject("claims").getString("plan"), "the token's claims go along");
        assertTrue(ann.last().startsWith("{\"type\":\"joined\""), ann.last());
        rooms.join(bob.connection(), bobsRights, "asked:club", null, null, null, "j2");
        asked("join");
        assertEquals(List.of(error("denied", "Bob, pay first", "j2")), bob.texts().get(), "no joined, no history, no count");
    }

    @Test
    void aSayGoesOutAsTheBackEndEditedItToEveryMember() throws Exception {
        rooms.join(ann.connection(), annsRights, "asked:club", null, null, null, null);
        rooms.join(bob.connection(), bobsRights, "asked:club", null, null, null, null);
        asked("join");
        asked("join");
        backEnd.answer(body -> Answer.json("{\"result\":\"allow\",\"text\":\"" + body.getString("text").replace("darn", "****") + "\"}"));
        rooms.say(ann.connection(), annsRights, "asked:club", "darn it", "s1");
        assertEquals("darn it", asked("say").body().getString("text"));
        assertTrue(ann.last().startsWith("{\"type\":\"ack\",\"cid\":\"s1\""), ann.last());
        String message = bob.last();
        assertTrue(message.startsWith("{\"type\":\"message\""), message);
        assertEquals("**** it", textOf(message), "what the room keeps and shows is the edited text");
    }

    @Test
    void aSayTheBackEndDeniesIsRefusedAndItsCidMayBeTriedAgain() throws Exception {
        rooms.join(ann.connection(), annsRights, "asked:club", null, null, null, null);
        asked("join");
        backEnd.answer(body -> Answer.json("{\"result\":\"deny\",\"reason\":\"Be kind\"}"));
        rooms.say(ann.connection(), annsRights, "asked:club", "you fool", "s1");
        asked("say");
        assertEquals(error("denied", "Be kind", "s1"), ann.last());
        backEnd.answer(body -> Answer.json("{\"result\":\"allow\"}"));
        rooms.say(ann.connection(), annsRights, "asked:club", "you genius", "s1");
        asked("say");
        assertTrue(ann.last().startsWith("{\"type\":\"ack\",\"cid\":\"s1\""), "the refused try left its cid free: " + ann.last());
    }

    @Test
    void aBackEndThatCannotAnswerRefusesTheJoinAndTheSayWhenTheProxyFailsClosed() throws Exception {
        rooms.join(ann.connection(), annsRights, "asked:club", null, null, null, "j1");
        asked("join");
        backEnd.answer(body -> new Answer(500, "oops", false));
        rooms.say(ann.connection(), annsRights, "asked:club", "hello", "s1");
        asked("say");
        assertEquals(error("proxy_unavailable", "The site could not be asked whether you may say that in 'asked:club'; try again shortly",
                "s1"), ann.last());
        rooms.join(bob.connection(), bobsRights, "asked:club", null, null, null, "j2");
        asked("join");
        assertEquals(error("proxy_unavailable", "The site could not be asked whether you may join 'asked:club'; try again shortly",
                "j2"), bob.last());
    }

    @Test
    void anEditLongerThanTheNamespaceAllowsIsNoAnswer() throws Exception {
        rooms.join(ann.connection(), annsRights, "asked:club", null, null, null, null);
        asked("join");
        backEnd.answer(body -> Answer.json("{\"result\":\"allow\",\"text\":\"" + "x".repeat(21) + "\"}"));
        rooms.say(ann.connection(), annsRights, "asked:club", "short", "s1");
        asked("say");
        assertTrue(ann.last().contains("\"code\":\"proxy_unavailable\""), ann.last());
    }

    @Test
    void roomsOfOtherNamespacesAskNobody() throws Exception {
        rooms.join(ann.connection(), annsRights, "free:x", null, null, null, null);
        rooms.say(ann.connection(), annsRights, "free:x", "hi", "s1");
        rooms.sayPlainText(bob.connection(), bobsRights, "free:y", "hello", null);
        assertTrue(ann.last().startsWith("{\"type\":\"ack\""), ann.last());
        assertEquals(0, backEnd.waiting(), "nobody was asked");
    }

    @Test
    void aPlainTextSayJoinsOnlyAsTheBackEndAllows() throws Exception {
        backEnd.answer(body -> Answer.json("{\"result\":\"deny\",\"reason\":\"Invite only\"}"));
        rooms.sayPlainText(bob.connection(), bobsRights, "asked:club", "hello", null);
        asked("join");
        assertEquals(List.of("{\"type\":\"error\",\"code\":\"denied\",\"message\":\"Invite only\"}"), bob.texts().get());
        assertEquals(0, backEnd.waiting(), "no say asked about after the join was refused");
    }

    @Test
    void aNamespaceThatAsksWithoutABackEndStopsTheStart() {
        String refused = assertThrows(IllegalStateException.class,
                () -> new TestChat("switchboard.namespaces", NAMESPACES).close()).getMessage();
        assertTrue(refused.contains("namespace 'asked'") && refused.contains("switchboard.proxy.url"), refused);
    }
}
