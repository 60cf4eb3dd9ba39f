package dev.switchboard.chat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.session.TestTransports.Recorded;
import dev.switchboard.testing.SiteBackEnd;
import dev.switchboard.testing.SiteBackEnd.Answer;
import dev.switchboard.testing.SiteBackEnd.Received;
import jakarta.websocket.CloseReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A chat connection that asks the site's back end as it opens: refused, or let in with the user's info, which rooms then show. */
class ConnectProxyTest {

    private static final String SECRET = "connect-proxy-secret-0123456789";
    private static final String ANNS_INFO = "{\"name\":\"Ann Lee\",\"avatar\":\"https://example.com/ann.png\",\"roles\":[\"staff\"]}";

    private final SiteBackEnd backEnd = SiteBackEnd.start(0, SECRET);
    private TestChat chat;
    private ChatService service;

    ConnectProxyTest() throws Exception {
    }

    private void start(String... settings) {
        String[] all = new String[settings.length + 6];
        System.arraycopy(new String[] {"switchboard.proxy.url", backEnd.url(), "switchboard.webhooks.secret", SECRET,
            "switchboard.proxy.connect", "true"}, 0, all, 0, 6);
        System.arraycopy(settings, 0, all, 6, settings.length);
        chat = new TestChat(all);
        service = new ChatService();
        service.proxy = chat.proxy;
        service.memberInfo = chat.memberInfo;
    }

    @AfterEach
    void close() {
        if (chat != null) {
            chat.close();
        }
        backEnd.close();
    }

    /** What {@link ChatService#open} does before its welcome: asks, and keeps the info it got where every node finds it. */
    private boolean opened(Recorded connection) {
        boolean allowed = service.backEndAllows(connection.connection(), new ConnectionRights(Map.of("sub", connection.connection().user())));
        if (allowed) {
            chat.memberInfo.keep(connection.connection().user(), connection.connection().info());
        }
        return allowed;
    }

    private Received asked() throws InterruptedException {
        Received received = backEnd.next(5);
        assertNotNull(received, "the back end was asked within 5 s");
        assertTrue(received.signed(), received.toString());
        assertEquals("connect", received.type());
        return received;
    }

    private static CloseReason closed(Recorded connection) {
        await("the connection is closed").atMost(Duration.ofSeconds(5)).until(() -> !connection.closes().get().isEmpty());
        return connection.closes().get().get(0);
    }

    @Test
    void theInfoTheBackEndGivesAtConnectIsShownInJoinedAndPresenceOfEveryRoom() throws Exception {
        start();
        backEnd.answer(body -> Answer.json(body.getString("user").equals("ann")
                ? "{\"result\":\"allow\",\"info\":" + ANNS_INFO + "}" : "{\"result\":\"allow\"}"));
        Recorded ann = chat.connect("ann");
        Recorded bob = chat.connect("bob");
        assertTrue(opened(ann));
        assertEquals("ann", asked().body().getString("user"));
        assertEquals(ANNS_INFO, ann.connection().info().toString());
        assertTrue(opened(bob));
        asked();
        assertNull(bob.connection().info(), "no info given");
        ConnectionRights rights = new ConnectionRights(Grants.NONE);
        chat.rooms.join(ann.connection(), rights, "lobby", null, null, null, null);
        chat.rooms.join(bob.connection(), rights, "lobby", null, null, null, null);
        String bobsJoined = bob.last();
        assertTrue(bobsJoined.startsWith("{\"type\":\"joined\"") && bobsJoined.endsWith(",\"info\":{\"ann\":" + ANNS_INFO + "}}"),
                "the members listed, with ann's info: " + bobsJoined);
        chat.announcer.flush("lobby");
        await("presence reaches ann").atMost(Duration.ofSeconds(5)).until(() -> ann.last().startsWith("{\"type\":\"presence\""));
        assertEquals("{\"type\":\"presence\",\"room\":\"lobby\",\"count\":2,\"joins\":[\"ann\",\"bob\"],\"leaves\":[],"
                + "\"info\":{\"ann\":" + ANNS_INFO + "}}", ann.last());
    }

    @Test
    void aLaterConnectWithoutInfoForgetsTheOldInfo() throws Exception {
        start();
        backEnd.answer(body -> Answer.json("{\"result\":\"allow\",\"info\":" + ANNS_INFO + "}"));
        assertTrue(opened(chat.connect("ann")));
        backEnd.answer(body -> Answer.json("{\"result\":\"allow\"}"));
        assertTrue(opened(chat.connect("ann")));
        assertNull(chat.memberInfo.of(List.of("ann", "bob")), "nobody has info now");
    }

    @Test
    void aConnectTheBackEndDeniesIsClosedWith4004AndItsReasonCutToACloseFramesSize() throws Exception {
        start();
        backEnd.answer(body -> Answer.json("{\"result\":\"deny\",\"reason\":\"Your account is suspended\"}"));
        Recorded ann = chat.connect("ann");
        assertFalse(opened(ann));
        asked();
        CloseReason reason = closed(ann);
        assertEquals(4004, reason.getCloseCode().getCode());
        assertEquals("Your account is suspended", reason.getReasonPhrase());
        assertTrue(ann.texts().get().isEmpty(), "no welcome: " + ann.texts().get());
        backEnd.answer(body -> Answer.json("{\"result\":\"deny\",\"reason\":\"" + "é".repeat(100) + "\"}"));
        Recorded bob = chat.connect("bob");
        assertFalse(opened(bob));
        asked();
        assertEquals(122, closed(bob).getReasonPhrase().getBytes(StandardCharsets.UTF_8).length,
                "61 two-byte characters: a close frame's reason holds 123 bytes, and no character is cut in two");
    }

    @Test
    void aBackEndThatCannotBeAskedAtConnectClosesWith4005WhenFailingClosedAndLetsInWhenFailingOpen() throws Exception {
        start("switchboard.proxy.timeout", "300ms");
        backEnd.answer(body -> new Answer(200, "{\"result\":\"allow\"}", true));
        Recorded ann = chat.connect("ann");
        assertFalse(opened(ann));
        asked();
        assertEquals(4005, closed(ann).getCloseCode().getCode());
        chat.close();
        start("switchboard.proxy.timeout", "300ms", "switchboard.proxy.fail", "open");
        Recorded bob = chat.connect("bob");
        assertTrue(opened(bob), "failing open");
        asked();
        assertNull(bob.connection().info());
        assertTrue(bob.closes().get().isEmpty());
    }
}
