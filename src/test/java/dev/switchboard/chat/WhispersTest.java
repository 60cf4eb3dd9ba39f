package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.engine.Logs;
import dev.switchboard.session.ConnectionClosed;
import dev.switchboard.session.TestTransports.Recorded;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Whispers: to every tab of the recipient and the sender's other tabs, kept for a user who is away, once per client id. */
class WhispersTest {

    private final TestChat chat = new TestChat("switchboard.inbox.max-total", "1");
    private final Whispers whispers = chat.whispers;
    private final long ts = TestChat.NOW.toEpochMilli();

    @AfterEach
    void close() {
        chat.close();
    }

    private Recorded online(String user) {
        return chat.online(user);
    }

    private Logs.Replay logOf(String user) {
        return chat.whisperLog(user);
    }

    private String whisper(long offset, String id, String from, String to, String text) {
        return "{\"type\":\"whisper\",\"offset\":" + offset + ",\"from\":\"" + from + "\",\"id\":\"" + id
                + "\",\"text\":\"" + text + "\",\"to\":\"" + to + "\",\"ts\":" + ts + "}";
    }

    /** The id the store kept for the user's whisper at this offset. */
    private String idAt(String user, long offset) {
        return logOf(user).entries().get((int) offset - 1).body().replaceFirst(".*\"id\":\"([^\"]+)\".*", "$1");
    }

    /**
     * The last ack or error the connection got (the sender's own copy of a whisper comes after its ack, and
     * receipts come when the whisper reaches the recipient, from another thread).
     */
    private static String lastReply(Recorded connection) {
        return connection.textsBut("whisper", "whispers", "receipts").stream().reduce((first, second) -> second).orElseThrow();
    }

    /** The last whisper the connection got (receipts come from another thread, whenever the recipient was given it). */
    private static String lastWhisper(Recorded connection) {
        return connection.texts().get().stream().filter(t -> t.startsWith("{\"type\":\"whisper\""))
                .reduce((first, second) -> second).orElseThrow();
    }

    @Test
    void aWhisperReachesEveryTabOfTheRecipientAndTheSendersOtherTabs() {
        Recorded ann = online("ann");
        Recorded annOtherTab = online("ann");
        Recorded bob = online("bob");
        Recorded bobOtherTab = online("bob");
        whispers.whisper(ann.connection(), "bob", "psst", "w1");
        String id = idAt("bob", 1);
        String toBob = whisper(1, id, "ann", "bob", "psst");
        assertEquals(List.of("{\"type\":\"whispers\",\"offset\":0,\"epoch\":\"" + logOf("bob").epoch() + "\"}", toBob),
                bob.texts().get());
        assertEquals(toBob, bobOtherTab.last());
        assertEquals("{\"type\":\"ack\",\"cid\":\"w1\",\"id\":\"" + id + "\",\"to\":\"bob\",\"status\":\"delivered\"}",
                lastReply(ann), "bob has a connection: delivered");
        assertEquals(whisper(1, id, "ann", "bob", "psst"), lastWhisper(annOtherTab), "the sender's copy, at its offset in ann's log");
    }

    @Test
    void aWhisperToAUserWhoIsAwayIsStoredAndReachesTheirFirstConnectionOnly() {
        Recorded ann = online("ann");
        whispers.whisper(ann.connection(), "bob", "call me", "w1");
        assertTrue(lastReply(ann).endsWith("\"to\":\"bob\",\"status\":\"stored\"}"), lastReply(ann));
        assertTrue(whispers.waitingFor("bob"), "bob's name is kept for him");
        Recorded bob = online("bob");
        assertEquals(whisper(1, idAt("bob", 1), "ann", "bob", "call me"), bob.last());
        assertFalse(whispers.waitingFor("bob"));
        Recorded bobLater = online("bob");
        assertEquals(List.of("{\"type\":\"whispers\",\"offset\":1,\"epoch\":\"" + logOf("bob").epoch() + "\"}"),
                bobLater.texts().get(), "a connection of his had it: not again");
    }

    @Test
    void aTabBackFromAnOffsetGetsWhatItMissedAndIsToldItWasRecovered() {
        Recorded ann = online("ann");
        Recorded bob = online("bob");
        whispers.whisper(ann.connection(), "bob", "one", null);
        whispers.whisper(ann.connection(), "bob", "two", null);
        Recorded bobBack = chat.connect("bob");
        whispers.connected(bobBack.connection(), 1L, logOf("bob").epoch());
        assertEquals(List.of("{\"type\":\"whispers\",\"offset\":2,\"recovered\":true,\"epoch\":\"" + logOf("bob").epoch() + "\"}",
                whisper(2, idAt("bob", 2), "ann", "bob", "two")), bobBack.texts().get());
        assertEquals(3, bob.texts().get().size());
    }

    @Test
    void aRetryOfAWhisperGetsItsAckAgainAndIsNotSentTwice() {
        Recorded ann = online("ann");
        whispers.whisper(ann.connection(), "bob", "once", "w1");
        String ack = lastReply(ann);
        whispers.whisper(ann.connection(), "bob", "once", "w1");
        assertEquals(ack, lastReply(ann));
        assertEquals(1, logOf("bob").entries().size());
    }

    @Test
    void aWhisperNeedsARecipientByNameAndText() {
        Recorded ann = online("ann");
        whispers.whisper(ann.connection(), null, "hi", "w1");
        assertEquals("{\"type\":\"error\",\"cid\":\"w1\",\"code\":\"missing_field\",\"message\":\"A whisper needs 'to': a user name of 1-32 "
                + "letters, digits, '_', '-', '.'\"}", lastReply(ann));
        whispers.whisper(ann.connection(), "no one", "hi", "w2");
        assertTrue(lastReply(ann).startsWith("{\"type\":\"error\",\"cid\":\"w2\",\"code\":\"bad_name\""), lastReply(ann));
        whispers.whisper(ann.connection(), "bob", null, "w3");
        assertEquals("{\"type\":\"error\",\"cid\":\"w3\",\"code\":\"missing_field\",\"message\":\"Field 'text' is required\"}", lastReply(ann));
    }

    @Test
    void whenTheServerKeepsAllTheWhispersForAbsentUsersItMayTheSenderIsToldInboxFullAndMayRetry() {
        Recorded ann = online("ann");
        whispers.whisper(ann.connection(), "bob", "first", "w1");
        whispers.whisper(ann.connection(), "cy", "second", "w2");
        assertEquals("{\"type\":\"error\",\"cid\":\"w2\",\"code\":\"inbox_full\",\"message\":\"The server keeps as many whispers for offline "
                + "users as it may; cy is offline\"}", lastReply(ann), "switchboard.inbox.max-total is 1");
        online("cy");
        whispers.whisper(ann.connection(), "cy", "second", "w2");
        assertTrue(lastReply(ann).startsWith("{\"type\":\"ack\",\"cid\":\"w2\""), "the client id was let go: " + lastReply(ann));
    }

    @Test
    void aUserWhoseLastConnectionClosedIsAwayForWhispers() {
        Recorded ann = online("ann");
        Recorded bob = online("bob");
        bob.connection().close(null);
        whispers.connectionClosed(new ConnectionClosed(bob.connection(), Set.of(Whispers.logOf("bob"))));
        whispers.whisper(ann.connection(), "bob", "gone?", "w1");
        assertTrue(lastReply(ann).endsWith("\"status\":\"stored\"}"), lastReply(ann));
    }

    @Test
    void theSitesBackEndSendsAPrivateMessageAsTheServer() {
        Recorded bob = online("bob");
        Whispers.Sent sent = whispers.send("bob", null, "your order shipped", null).toCompletableFuture().join();
        assertTrue(sent.delivered());
        assertEquals("{\"type\":\"whisper\",\"offset\":1,\"from\":\"server\",\"id\":\"" + sent.id()
                + "\",\"server\":true,\"text\":\"your order shipped\",\"to\":\"bob\",\"ts\":" + ts + "}", bob.last());
    }
}
