package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.session.TestTransports.Recorded;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reactions: once per user per emoji, each an entry of the room's log with the summary it made, kept with the message. */
class ReactionsTest {

    private static final ConnectionRights NO_GRANTS = new ConnectionRights(Grants.NONE);

    private final TestChat chat = new TestChat("switchboard.reactions", "👍,🎉");
    private final Rooms rooms = chat.rooms;
    private final Reactions reactions = chat.reactions;
    private final Recorded ann = chat.connect("ann");
    private final Recorded bob = chat.connect("bob");
    private final Recorded cy = chat.connect("cy");

    ReactionsTest() {
        for (Recorded who : List.of(ann, bob, cy)) {
            rooms.join(who.connection(), NO_GRANTS, "fun", null, null, null, null);
        }
        rooms.say(ann.connection(), NO_GRANTS, "fun", "cake at 3", "s1");
    }

    @AfterEach
    void close() {
        chat.close();
    }

    private static String error(String code, String message, String cid) {
        return "{\"type\":\"error\",\"cid\":\"" + cid + "\",\"code\":\"" + code + "\",\"message\":\"" + message + "\"}";
    }

    @Test
    void reactionsAreSummedUpForMembersKeptWithTheMessageAndLearntOnRecovery() {
        String epoch = rooms.history("fun", null).toCompletableFuture().join().epoch();
        reactions.react(bob.connection(), NO_GRANTS, "fun", 1L, epoch, "👍", true, "r1");
        assertEquals("{\"type\":\"ack\",\"cid\":\"r1\",\"room\":\"fun\",\"offset\":1}", bob.last());
        assertEquals("{\"type\":\"reactions\",\"room\":\"fun\",\"offset\":2,\"target\":1,\"emoji\":\"👍\",\"by\":\"bob\",\"added\":true,"
                + "\"reactions\":{\"👍\":{\"count\":1,\"users\":[\"bob\"]}}}", ann.last());
        reactions.react(cy.connection(), NO_GRANTS, "fun", 1L, null, "👍", true, "r2");
        reactions.react(cy.connection(), NO_GRANTS, "fun", 1L, null, "🎉", true, "r3");
        reactions.react(bob.connection(), NO_GRANTS, "fun", 1L, null, "👍", false, "r4");
        assertEquals("{\"type\":\"reactions\",\"room\":\"fun\",\"offset\":5,\"target\":1,\"emoji\":\"👍\",\"by\":\"bob\",\"added\":false,"
                + "\"reactions\":{\"🎉\":{\"count\":1,\"users\":[\"cy\"]},\"👍\":{\"count\":1,\"users\":[\"cy\"]}}}", ann.last());

        String kept = rooms.history("fun", null).toCompletableFuture().join().entries().stream().map(Rooms::wire).findFirst().orElseThrow();
        assertTrue(kept.contains("\"reactions\":{\"🎉\":{\"count\":1,\"users\":[\"cy\"]},\"👍\":{\"count\":1,\"users\":[\"cy\"]}}"),
                "the message keeps its summary: " + kept);

        Recorded away = chat.connect("ann");
        rooms.join(away.connection(), NO_GRANTS, "fun", 1L, epoch, null, null);
        List<String> learnt = away.texts().get().stream().filter(t -> t.startsWith("{\"type\":\"reactions\"")).toList();
        assertEquals(4, learnt.size(), "the three reactions and the one taken back, once each: " + learnt);
    }

    @Test
    void aUserReactsOnceWithEachEmojiOfTheSitesSetAndOnlyToMessagesKept() {
        reactions.react(bob.connection(), NO_GRANTS, "fun", 1L, null, "👍", true, "r1");
        reactions.react(bob.connection(), NO_GRANTS, "fun", 1L, null, "👍", true, "r2");
        assertEquals(error("already_reacted", "You reacted with 👍 already", "r2"), bob.last());
        reactions.react(bob.connection(), NO_GRANTS, "fun", 1L, null, "🎉", false, "r3");
        assertEquals(error("not_found", "You have not reacted with 🎉", "r3"), bob.last());
        reactions.react(bob.connection(), NO_GRANTS, "fun", 1L, null, "💩", true, "r4");
        assertEquals(error("bad_field", "'emoji' is one of 👍 🎉", "r4"), bob.last());
        reactions.react(bob.connection(), NO_GRANTS, "fun", 7L, null, "👍", true, "r5");
        assertEquals(error("not_found", "'fun' keeps no message at offset 7", "r5"), bob.last());
        reactions.react(bob.connection(), NO_GRANTS, "fun", 2L, null, "👍", true, "r6");
        assertEquals(error("not_found", "'fun' keeps no message at offset 2", "r6"), bob.last(), "a change is no message");
        rooms.deleteMessage(ann.connection(), NO_GRANTS, "fun", 1L, null, "d1");
        reactions.react(cy.connection(), NO_GRANTS, "fun", 1L, null, "👍", true, "r7");
        assertEquals(error("not_found", "'fun' keeps no message at offset 1", "r7"), cy.last(), "nor a deleted one");
        String kept = rooms.history("fun", null).toCompletableFuture().join().entries().stream().map(Rooms::wire).findFirst().orElseThrow();
        assertTrue(!kept.contains("reactions"), "a tombstone keeps no reactions: " + kept);
    }
}
