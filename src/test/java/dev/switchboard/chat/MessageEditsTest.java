package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.session.TestTransports.Recorded;
import dev.switchboard.testing.MovableClock;
import dev.switchboard.testing.WebhookReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A member edits and deletes their own messages within the edit window; every change is an entry of the room's log. */
class MessageEditsTest {

    private static final String NAMESPACES = """
            {"default": {"editWindow": "10m", "maxMessageBytes": 20}}""";
    private static final ConnectionRights NO_GRANTS = new ConnectionRights(Grants.NONE);

    private final TestChat chat = new TestChat("switchboard.namespaces", NAMESPACES);
    private final Rooms rooms = chat.rooms;
    private final MovableClock clock = new MovableClock(TestChat.NOW);
    private final Recorded ann = chat.connect("ann");
    private final Recorded bob = chat.connect("bob");

    MessageEditsTest() {
        rooms.clock = clock;
        rooms.join(ann.connection(), NO_GRANTS, "edits", null, null, null, null);
        rooms.join(bob.connection(), NO_GRANTS, "edits", null, null, null, null);
        rooms.say(ann.connection(), NO_GRANTS, "edits", "helo", "s1");
    }

    @AfterEach
    void close() {
        chat.close();
    }

    private static String error(String code, String message, String cid) {
        return "{\"type\":\"error\",\"cid\":\"" + cid + "\",\"code\":\"" + code + "\",\"message\":\"" + message + "\"}";
    }

    private String epoch() {
        return rooms.history("edits", null).toCompletableFuture().join().epoch();
    }

    @Test
    void anAuthorsEditReachesMembersStaysInHistoryAndComesToAClientResuming() {
        clock.advance(Duration.ofMinutes(1));
        rooms.edit(ann.connection(), NO_GRANTS, "edits", 1L, epoch(), "hello", "e1");
        assertEquals("{\"type\":\"ack\",\"cid\":\"e1\",\"room\":\"edits\",\"offset\":1}", ann.last());
        long at = TestChat.NOW.plus(Duration.ofMinutes(1)).toEpochMilli();
        assertEquals("{\"type\":\"edited\",\"room\":\"edits\",\"offset\":2,\"target\":1,\"text\":\"hello\",\"by\":\"ann\",\"ts\":" + at + "}",
                bob.last(), "members learn of it live");
        List<String> history = rooms.history("edits", null).toCompletableFuture().join().entries().stream().map(Rooms::wire).toList();
        assertTrue(history.get(0).contains("\"edited\":" + at) && history.get(0).contains("\"text\":\"hello\""),
                "history keeps the latest version: " + history.get(0));

        Recorded away = chat.connect("bob");
        rooms.join(away.connection(), NO_GRANTS, "edits", 1L, epoch(), null, null);
        assertEquals(List.of("{\"type\":\"edited\",\"room\":\"edits\",\"offset\":2,\"target\":1,\"text\":\"hello\",\"by\":\"ann\",\"ts\":" + at + "}"),
                away.texts().get().subList(1, away.texts().get().size()), "a client that had the message learns of the edit, once");
    }

    @Test
    void onlyTheAuthorWithinTheWindowEditsAndTheTextFollowsTheRulesOfASay() {
        String epoch = epoch();
        rooms.edit(bob.connection(), NO_GRANTS, "edits", 1L, epoch, "mine now", "e1");
        assertEquals(error("forbidden", "Only its author may change a message", "e1"), bob.last());
        rooms.edit(ann.connection(), NO_GRANTS, "edits", 1L, epoch, "x".repeat(21), "e2");
        assertEquals(error("too_large", "A message in 'edits' is at most 20 bytes; this one is 21", "e2"), ann.last());
        rooms.edit(ann.connection(), NO_GRANTS, "edits", 9L, epoch, "hello", "e3");
        assertEquals(error("not_found", "'edits' keeps no message at offset 9", "e3"), ann.last());
        rooms.edit(ann.connection(), NO_GRANTS, "edits", null, epoch, "hello", "e4");
        assertEquals(error("missing_field", "'offset' names the message to edit", "e4"), ann.last());
        clock.advance(Duration.ofMinutes(11));
        rooms.edit(ann.connection(), NO_GRANTS, "edits", 1L, epoch, "hello", "e5");
        assertEquals(error("too_late", "A message in 'edits' may be edited by its author within 600 s of being said", "e5"), ann.last());
        rooms.deleteMessage(ann.connection(), NO_GRANTS, "edits", 1L, epoch, "d1");
        assertEquals(error("too_late", "A message in 'edits' may be deleted by its author within 600 s of being said", "d1"), ann.last());
    }

    @Test
    void anAuthorDeletesTheirOwnAndADeletedMessageIsNotEdited() {
        String epoch = epoch();
        rooms.deleteMessage(bob.connection(), NO_GRANTS, "edits", 1L, epoch, "d0");
        assertEquals(error("forbidden", "Only its author may change a message", "d0"), bob.last());
        rooms.deleteMessage(ann.connection(), NO_GRANTS, "edits", 1L, epoch, "d1");
        assertEquals("{\"type\":\"ack\",\"cid\":\"d1\",\"room\":\"edits\",\"offset\":1}", ann.last());
        assertEquals("{\"type\":\"deleted\",\"room\":\"edits\",\"offset\":2,\"target\":1,\"by\":\"ann\"}", bob.last());
        rooms.edit(ann.connection(), NO_GRANTS, "edits", 1L, epoch, "undo", "e1");
        assertEquals(error("not_found", "'edits' keeps no message at offset 1", "e1"), ann.last());
        rooms.deleteMessage(ann.connection(), NO_GRANTS, "edits", 1L, epoch, "d2"); // a retry, or a second tab
        assertEquals("{\"type\":\"ack\",\"cid\":\"d2\",\"room\":\"edits\",\"offset\":1}", ann.last(), "deleted already: done");
        rooms.say(ann.connection(), NO_GRANTS, "edits", "marker", "s2");
        assertTrue(bob.last().contains("\"text\":\"marker\""), "no second deleted frame came before the marker: " + bob.texts().get());
        assertEquals(1, bob.texts().get().stream().filter(t -> t.startsWith("{\"type\":\"deleted\"")).count());
    }

    @Test
    void theSitesBackEndHearsOfEachChangeOnceNotOfAnEditToTheSameTextNorADeletionOfADeletedMessage() throws Exception {
        String secret = "test-webhook-secret-0123456789";
        try (WebhookReceiver receiver = new WebhookReceiver(secret)) {
            TestChat told = new TestChat("switchboard.namespaces", "{\"default\": {\"editWindow\": \"10m\", \"messageEvents\": true}}",
                    "switchboard.webhooks.url", receiver.url(), "switchboard.webhooks.secret", secret,
                    "switchboard.webhooks.events", "message.*");
            try {
                Recorded cy = told.connect("cy");
                told.rooms.join(cy.connection(), NO_GRANTS, "news", null, null, null, null);
                told.rooms.say(cy.connection(), NO_GRANTS, "news", "helo", "s1");
                told.rooms.edit(cy.connection(), NO_GRANTS, "news", 1L, null, "hello", "e1");
                told.rooms.edit(cy.connection(), NO_GRANTS, "news", 1L, null, "hello", "e2"); // the text it has: nothing to tell
                assertEquals("{\"type\":\"ack\",\"cid\":\"e2\",\"room\":\"news\",\"offset\":1}", cy.last());
                told.rooms.deleteMessage(cy.connection(), NO_GRANTS, "news", 1L, null, "d1");
                told.rooms.deleteMessage(cy.connection(), NO_GRANTS, "news", 1L, null, "d2");
                assertEquals("{\"type\":\"ack\",\"cid\":\"d2\",\"room\":\"news\",\"offset\":1}", cy.last());
                told.rooms.say(cy.connection(), NO_GRANTS, "news", "marker", "s2");
                List<String> events = new ArrayList<>();
                WebhookReceiver.Request event;
                do {
                    event = receiver.nextDelivered(Duration.ofSeconds(10));
                    events.add(event.type() + " " + event.data().getString("text", ""));
                } while (!"marker".equals(event.data().getString("text", "")));
                assertEquals(List.of("message.said helo", "message.edited hello", "message.deleted ", "message.said marker"), events);
            } finally {
                told.close();
            }
        }
    }

    @Test
    void aZeroWindowMeansAuthorsNeverChangeTheirMessagesNotEvenAtOnce() {
        TestChat never = new TestChat("switchboard.namespaces", "{\"default\": {\"editWindow\": \"0s\"}}");
        try {
            Recorded cy = never.connect("cy");
            never.rooms.join(cy.connection(), NO_GRANTS, "fixed", null, null, null, null);
            never.rooms.say(cy.connection(), NO_GRANTS, "fixed", "as said", "s1");
            never.rooms.edit(cy.connection(), NO_GRANTS, "fixed", 1L, null, "changed", "e1"); // the same millisecond: its clock stands
            assertEquals(error("too_late", "A message in 'fixed' may be edited by its author within 0 s of being said", "e1"), cy.last());
            never.rooms.deleteMessage(cy.connection(), NO_GRANTS, "fixed", 1L, null, "d1");
            assertEquals(error("too_late", "A message in 'fixed' may be deleted by its author within 0 s of being said", "d1"), cy.last());
        } finally {
            never.close();
        }
    }

    @Test
    void aMutedAuthorCannotEdit() {
        ConnectionRights moderator = new ConnectionRights(Grants.of(Map.of("edits", List.of("moderate"))));
        Recorded mod = chat.connect("mod");
        rooms.join(mod.connection(), moderator, "edits", null, null, null, null);
        rooms.moderate(mod.connection(), moderator, "mute", "edits", "ann", 600L, "m1");
        rooms.edit(ann.connection(), NO_GRANTS, "edits", 1L, epoch(), "hello", "e1");
        assertTrue(ann.last().contains("\"code\":\"muted\""), ann.last());
    }

    /** The message frame at this offset the connection got. */
    private static String messageAt(Recorded who, long offset) {
        return who.texts().get().stream().filter(t -> t.startsWith("{\"type\":\"message\"") && t.contains(",\"offset\":" + offset + ","))
                .findFirst().orElseThrow(() -> new AssertionError("no message " + offset + " in " + who.texts().get()));
    }

    @Test
    void aReplyCarriesAQuoteOfTheMessageItAnswersFromTheLogNotFromTheClient() {
        rooms.say(bob.connection(), NO_GRANTS, "edits", "re: " + "x".repeat(10), 1L, "r1");
        assertTrue(ann.last().contains("\"replyTo\":{\"offset\":1,\"from\":\"ann\",\"text\":\"helo\"}"), ann.last());
        rooms.say(ann.connection(), NO_GRANTS, "edits", "long one: " + "y".repeat(10), "s2");
        rooms.say(bob.connection(), NO_GRANTS, "edits", "ok", 9L, "r2");
        assertEquals(error("not_found", "'edits' keeps no message at offset 9 to reply to", "r2"), bob.last());
        rooms.say(bob.connection(), NO_GRANTS, "edits", "ok", 3L, "r3");
        assertTrue(messageAt(bob, 4).contains("\"replyTo\":{\"offset\":3,\"from\":\"ann\",\"text\":\"long one: yyyyyyyyyy\"}"),
                messageAt(bob, 4));
        rooms.deleteMessage(ann.connection(), NO_GRANTS, "edits", 1L, null, "d1");
        rooms.say(bob.connection(), NO_GRANTS, "edits", "late", 1L, "r4");
        assertEquals(error("not_found", "'edits' keeps no message at offset 1 to reply to", "r4"), bob.last(), "a deleted message is answered no more");
        String reply = rooms.history("edits", null).toCompletableFuture().join().entries().stream()
                .filter(e -> e.offset() == 2).map(Rooms::wire).findFirst().orElseThrow();
        assertTrue(reply.contains("\"replyTo\":{\"offset\":1,\"from\":\"ann\",\"deleted\":true}"),
                "the reply keeps no word of the deleted message: " + reply);
        assertTrue(messageAt(bob, 4).contains("\"text\":\"long one"), "nor does the deletion touch another's quote");
        assertTrue(rooms.history("edits", null).toCompletableFuture().join().entries().stream().filter(e -> e.offset() == 4)
                .map(Rooms::wire).findFirst().orElseThrow().contains("\"text\":\"long one: yyyyyyyyyy\"}"));
    }

    @Test
    void aLongMessageIsQuotedByItsFirstHundredCharactersAndAnEllipsis() {
        try (TestChat roomy = new TestChat()) {
            Recorded carl = roomy.connect("carl");
            roomy.rooms.join(carl.connection(), NO_GRANTS, "wide", null, null, null, null);
            roomy.rooms.say(carl.connection(), NO_GRANTS, "wide", "é".repeat(Rooms.QUOTE_CHARS) + "🙂 and more", "s1");
            roomy.rooms.say(carl.connection(), NO_GRANTS, "wide", "to myself", 1L, "r1");
            String reply = messageAt(carl, 2);
            assertTrue(reply.contains("\"text\":\"" + "é".repeat(Rooms.QUOTE_CHARS) + "…\"}"), reply);
        }
    }
}
