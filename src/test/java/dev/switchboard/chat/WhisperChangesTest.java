package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.session.TestTransports.Recorded;
import dev.switchboard.testing.MovableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Whispers edited, deleted, answered and reacted to as room messages are: each change made to the
 * whisper in both parties' logs, at its own offset in each, and learnt by every tab of both, live and on recovery.
 */
class WhisperChangesTest {

    private final TestChat chat = new TestChat("switchboard.edit.window", "10m", "switchboard.reactions", "👍,🎉");
    private final Whispers whispers = chat.whispers;
    private final WhisperChanges changes = chat.whisperChanges;
    private final MovableClock clock = new MovableClock(TestChat.NOW);
    private final Recorded ann = chat.online("ann");
    private final Recorded annOtherTab = chat.online("ann");
    private final Recorded bob = chat.online("bob");
    private final Recorded cy = chat.online("cy");
    private final String id;

    /** Cy whispers to bob first, so ann's whisper is at 1 in her log and at 2 in his. */
    WhisperChangesTest() {
        changes.clock = clock;
        whispers.whisper(cy.connection(), "bob", "hi bob", "c1");
        whispers.whisper(ann.connection(), "bob", "helo", "a1");
        id = chat.whisperLog("ann").entries().get(0).body().replaceFirst(".*\"id\":\"([^\"]+)\".*", "$1");
    }

    @AfterEach
    void close() {
        chat.close();
    }

    private static String error(String code, String message, String cid) {
        return "{\"type\":\"error\",\"cid\":\"" + cid + "\",\"code\":\"" + code + "\",\"message\":\"" + message + "\"}";
    }

    private static String ack(String cid, long offset, String with) {
        return "{\"type\":\"ack\",\"cid\":\"" + cid + "\",\"offset\":" + offset + ",\"to\":\"" + with + "\"}";
    }

    /**
     * What the connection got but receipts: those come from another thread whenever a whisper reaches its
     * recipient (ReadReceiptsTest asserts on them).
     */
    private static List<String> texts(Recorded connection) {
        return connection.textsBut("receipts");
    }

    /** The last frame the connection got but receipts. */
    private static String last(Recorded connection) {
        List<String> got = texts(connection);
        return got.get(got.size() - 1);
    }

    @Test
    void anAuthorsEditReachesEveryTabOfBothPartiesAtTheirOwnOffsetsAndATabResumingLearnsItOnce() {
        clock.advance(Duration.ofMinutes(1));
        long at = TestChat.NOW.plus(Duration.ofMinutes(1)).toEpochMilli();
        changes.edit(ann.connection(), "bob", 1L, chat.whisperLog("ann").epoch(), "hello", "e1");
        assertEquals(ack("e1", 1, "bob"), last(ann));
        assertEquals("{\"type\":\"edited\",\"with\":\"bob\",\"offset\":2,\"target\":1,\"text\":\"hello\",\"by\":\"ann\",\"ts\":" + at + "}",
                last(annOtherTab), "the author's other tab: the change is the 2nd entry of ann's log, the whisper her 1st");
        String toBob = "{\"type\":\"edited\",\"with\":\"ann\",\"offset\":3,\"target\":2,\"text\":\"hello\",\"by\":\"ann\",\"ts\":" + at + "}";
        assertEquals(toBob, last(bob), "in bob's log the whisper is his 2nd entry and the change his 3rd");
        for (String user : List.of("ann", "bob")) {
            String kept = chat.whisperLog(user).entries().stream().filter(e -> e.body().contains(id) && !e.body().startsWith("{\"change\""))
                    .findFirst().orElseThrow().body();
            assertTrue(kept.contains("\"edited\":" + at) && kept.contains("\"text\":\"hello\""), user + "'s log keeps the latest version: " + kept);
        }
        assertFalse(texts(cy).stream().anyMatch(t -> t.contains("edited")), "nobody else hears of it");
        changes.edit(ann.connection(), "bob", 1L, chat.whisperLog("ann").epoch(), "hello", "e1-again"); // a retry
        assertEquals(ack("e1-again", 1, "bob"), last(ann));
        assertEquals(toBob, last(bob), "the text it has already: nothing more to tell");
        assertEquals(2, chat.whisperLog("ann").entries().size(), "and nothing more kept");

        Recorded bobBack = chat.connect("bob");
        whispers.connected(bobBack.connection(), 2L, chat.whisperLog("bob").epoch());
        assertEquals(List.of("{\"type\":\"whispers\",\"offset\":3,\"recovered\":true,\"epoch\":\"" + chat.whisperLog("bob").epoch() + "\"}", toBob),
                texts(bobBack), "a tab that had the whisper learns of the edit on recovery, once");
        Recorded bobFresh = chat.connect("bob");
        whispers.connected(bobFresh.connection(), 0L, chat.whisperLog("bob").epoch());
        assertTrue(texts(bobFresh).get(2).contains("\"text\":\"hello\",\"to\":\"bob\""),
                "a tab replaying from the start gets the whisper as it is now: " + texts(bobFresh));
    }

    @Test
    void onlyTheAuthorChangesAWhisperWithinTheWindowAndOnlyByItsPlaceInTheirOwnWhispersWithThatParty() {
        changes.edit(bob.connection(), "ann", 2L, null, "mine now", "e1");
        assertEquals(error("forbidden", "Only its author may change a whisper", "e1"), last(bob));
        changes.delete(bob.connection(), "ann", 2L, null, "d1");
        assertEquals(error("forbidden", "Only its author may change a whisper", "d1"), last(bob));
        changes.edit(ann.connection(), "bob", 9L, null, "hello", "e2");
        assertEquals(error("not_found", "Your whispers with bob keep none at offset 9", "e2"), last(ann));
        changes.edit(bob.connection(), "ann", 1L, null, "hello", "e3");
        assertEquals(error("not_found", "Your whispers with ann keep none at offset 1", "e3"), last(bob),
                "bob's 1st whisper is cy's, not one with ann");
        changes.edit(ann.connection(), "bob", null, null, "hello", "e4");
        assertEquals(error("missing_field", "'offset' names the whisper to edit (its offset in your whisper log)", "e4"), last(ann));
        changes.edit(ann.connection(), "no one", 1L, null, "hello", "e5");
        assertTrue(last(ann).startsWith("{\"type\":\"error\",\"cid\":\"e5\",\"code\":\"bad_name\""), last(ann));

        Whispers.Sent sent = whispers.send("bob", null, "your order shipped", null).toCompletableFuture().join();
        changes.edit(bob.connection(), "server", sent.offset(), null, "free shipping", "e6");
        assertEquals(error("forbidden", "Only its author may change a whisper", "e6"), last(bob), "the server's whispers are the server's");

        clock.advance(Duration.ofMinutes(11));
        changes.edit(ann.connection(), "bob", 1L, null, "hello", "e7");
        assertEquals(error("too_late", "A whisper may be edited by its author within 600 s of being sent", "e7"), last(ann));
        changes.delete(ann.connection(), "bob", 1L, null, "d2");
        assertEquals(error("too_late", "A whisper may be deleted by its author within 600 s of being sent", "d2"), last(ann));
        assertEquals(1, chat.whisperLog("ann").entries().size(), "no change was written");
        assertEquals(3, chat.whisperLog("bob").entries().size(), "cy's whisper, ann's and the server's; no change");
    }

    @Test
    void aDeletedWhisperIsATombstoneInBothLogsAndIsNeitherEditedReactedToNorAnswered() {
        changes.delete(ann.connection(), "bob", 1L, null, "d1");
        assertEquals(ack("d1", 1, "bob"), last(ann));
        assertEquals("{\"type\":\"deleted\",\"with\":\"bob\",\"offset\":2,\"target\":1,\"by\":\"ann\"}", last(annOtherTab));
        assertEquals("{\"type\":\"deleted\",\"with\":\"ann\",\"offset\":3,\"target\":2,\"by\":\"ann\"}", last(bob));
        assertEquals(chat.whisperLog("ann").entries().get(0).body(), chat.whisperLog("bob").entries().get(1).body(), "the same tombstone in both");
        String tombstone = chat.whisperLog("bob").entries().get(1).body();
        assertTrue(tombstone.contains("\"deleted\":true") && !tombstone.contains("helo"), tombstone);

        changes.delete(ann.connection(), "bob", 1L, null, "d2");
        assertEquals(ack("d2", 1, "bob"), last(ann), "deleted already: nothing more to do");
        assertEquals(3, chat.whisperLog("bob").entries().size(), "and nothing more written");
        changes.edit(ann.connection(), "bob", 1L, null, "undo", "e1");
        assertEquals(error("not_found", "Your whispers with bob keep none at offset 1", "e1"), last(ann));
        changes.react(bob.connection(), "ann", 2L, null, "👍", true, "r1");
        assertEquals(error("not_found", "Your whispers with ann keep none at offset 2", "r1"), last(bob));
        whispers.whisper(bob.connection(), "ann", "what?", 2L, "w1");
        assertEquals(error("not_found", "Your whispers with ann keep none at offset 2 to reply to", "w1"), last(bob));
    }

    @Test
    void eitherPartyReactsOncePerEmojiAndBothSeeTheSummary() {
        changes.react(bob.connection(), "ann", 2L, null, "👍", true, "r1");
        assertEquals(ack("r1", 2, "ann"), last(bob));
        assertEquals("{\"type\":\"reactions\",\"with\":\"bob\",\"offset\":2,\"target\":1,\"emoji\":\"👍\",\"by\":\"bob\",\"added\":true,"
                + "\"reactions\":{\"👍\":{\"count\":1,\"users\":[\"bob\"]}}}", last(annOtherTab));
        changes.react(bob.connection(), "ann", 2L, null, "👍", true, "r2");
        assertEquals(error("already_reacted", "You reacted with 👍 already", "r2"), last(bob));
        changes.react(ann.connection(), "bob", 1L, null, "👍", true, "r3");
        assertEquals("{\"type\":\"reactions\",\"with\":\"ann\",\"offset\":4,\"target\":2,\"emoji\":\"👍\",\"by\":\"ann\",\"added\":true,"
                + "\"reactions\":{\"👍\":{\"count\":2,\"users\":[\"bob\",\"ann\"]}}}", last(bob), "the author reacts too");
        changes.react(bob.connection(), "ann", 2L, null, "🎉", false, "r4");
        assertEquals(error("not_found", "You have not reacted with 🎉", "r4"), last(bob));
        changes.react(bob.connection(), "ann", 2L, null, "💩", true, "r5");
        assertEquals(error("bad_field", "'emoji' is one of 👍 🎉", "r5"), last(bob));
        changes.react(bob.connection(), "ann", 2L, null, "👍", false, "r6");
        assertEquals("{\"type\":\"reactions\",\"with\":\"bob\",\"offset\":4,\"target\":1,\"emoji\":\"👍\",\"by\":\"bob\",\"added\":false,"
                + "\"reactions\":{\"👍\":{\"count\":1,\"users\":[\"ann\"]}}}", last(annOtherTab));
        String kept = chat.whisperLog("ann").entries().get(0).body();
        assertTrue(kept.contains("\"reactions\":{\"👍\":[\"ann\"]}"), "the whisper keeps who reacted: " + kept);
    }

    @Test
    void aReplyQuotesTheWhisperFromTheLogWithItsOffsetInEachReadersOwnLog() {
        whispers.whisper(bob.connection(), "ann", "hi back", 2L, "w1");
        String quote = "\"replyTo\":{\"offset\":%d,\"id\":\"" + id + "\",\"from\":\"ann\",\"text\":\"helo\"}";
        assertTrue(last(annOtherTab).contains(String.format(quote, 1)), "in ann's log the answered whisper is at 1: " + last(annOtherTab));
        assertTrue(last(bob).contains(String.format(quote, 2)), "in bob's at 2: " + last(bob));
        whispers.whisper(bob.connection(), "ann", "tell cy", 1L, "w2");
        assertEquals(error("not_found", "Your whispers with ann keep none at offset 1 to reply to", "w2"),
                texts(bob).stream().filter(t -> t.startsWith("{\"type\":\"error\"")).reduce((a, b) -> b).orElseThrow(),
                "cy's whisper to bob is no one else's to quote");
        whispers.whisper(ann.connection(), "bob", "x".repeat(Rooms.QUOTE_CHARS + 1), "a2");
        whispers.whisper(bob.connection(), "ann", "long", 4L, "w3");
        assertTrue(last(ann).contains("\"text\":\"" + "x".repeat(Rooms.QUOTE_CHARS) + "…\"}"), last(ann));
    }

    @Test
    void aDeletedWhispersWordsLeaveTheRepliesThatQuoteItInBothLogs() {
        whispers.whisper(bob.connection(), "ann", "hi back", 2L, "w1");
        changes.delete(ann.connection(), "bob", 1L, null, "d1");
        assertEquals(ack("d1", 1, "bob"), last(ann));
        for (String user : List.of("ann", "bob")) {
            String reply = chat.whisperLog(user).entries().stream().map(e -> e.body()).filter(b -> b.contains("hi back"))
                    .findFirst().orElseThrow();
            assertTrue(reply.contains("\"id\":\"" + id + "\",\"from\":\"ann\",\"deleted\":true}") && !reply.contains("helo"),
                    "in " + user + "'s log the reply keeps who said it, not what: " + reply);
        }
    }

    @Test
    void whereTheOtherPartysLogNoLongerKeepsTheWhisperTheChangeAndTheQuoteAreTheChangersOwn() {
        try (TestChat small = new TestChat("switchboard.inbox.size", "2")) {
            Recorded dee = small.online("dee");
            Recorded deeOtherTab = small.online("dee");
            Recorded eve = small.online("eve");
            small.whispers.whisper(dee.connection(), "eve", "first", "d1");
            small.whispers.whisper(small.online("fay").connection(), "eve", "one", "f1");
            small.whispers.whisper(small.online("fay").connection(), "eve", "two", "f2");
            int eveHad = texts(eve).size();

            small.whisperChanges.edit(dee.connection(), "eve", 1L, null, "first!", "e1");
            assertEquals(ack("e1", 1, "eve"), last(dee));
            assertTrue(last(deeOtherTab).startsWith("{\"type\":\"edited\",\"with\":\"eve\",\"offset\":2,\"target\":1,"), last(deeOtherTab));
            assertEquals(eveHad, texts(eve).size(), "eve's log keeps her last 2 whispers, fay's: nothing of dee's to change");

            small.whispers.whisper(dee.connection(), "eve", "as I said", 1L, "d2");
            assertTrue(last(eve).contains("\"replyTo\":{\"id\":"), "no offset where eve's log no longer keeps it: " + last(eve));
            assertTrue(last(deeOtherTab).contains("\"replyTo\":{\"offset\":1,\"id\":"), last(deeOtherTab));
        }
    }
}
