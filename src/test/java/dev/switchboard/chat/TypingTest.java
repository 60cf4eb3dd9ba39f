package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.session.TestTransports.Recorded;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Typing notices: to a room's other members or to every tab of a user, never stored, charged like messages. */
class TypingTest {

    /** A connection whose token grants nothing: what the default namespace asks of nobody. */
    private static final ConnectionRights NO_GRANTS = new ConnectionRights(Grants.NONE);

    private final TestChat chat = new TestChat("switchboard.rate.live.burst", "1");
    private final Typing typing = chat.typing;
    private final Recorded ann = chat.connect("ann");
    private final Recorded bob = chat.connect("bob");

    @AfterEach
    void close() {
        chat.close();
    }

    private void join(Recorded connection, String room) {
        chat.rooms.join(connection.connection(), NO_GRANTS, room, null, null, null, null);
    }

    @Test
    void typingInARoomReachesTheOtherMembersButNotTheTypist() {
        join(ann, "lobby");
        join(bob, "lobby");
        int annHad = ann.texts().get().size();
        typing.typing(ann.connection(), NO_GRANTS, "lobby", null, null);
        assertEquals("{\"type\":\"typing\",\"room\":\"lobby\",\"from\":\"ann\"}", bob.last());
        assertEquals(annHad, ann.texts().get().size());
        assertEquals(0, chat.rooms.history("lobby", null).toCompletableFuture().join().entries().size(), "never stored");
    }

    @Test
    void typingToAUserReachesEveryTabThatFollowsTheirWhispers() {
        chat.whispers.connected(bob.connection(), null, null);
        Recorded bobOtherTab = chat.connect("bob");
        chat.whispers.connected(bobOtherTab.connection(), null, null);
        typing.typing(ann.connection(), NO_GRANTS, null, "bob", null);
        String notice = "{\"type\":\"typing\",\"from\":\"ann\",\"to\":\"bob\"}";
        assertEquals(notice, bob.last());
        assertEquals(notice, bobOtherTab.last());
    }

    @Test
    void typingNeedsARoomJoinedOrAUserByName() {
        typing.typing(ann.connection(), NO_GRANTS, "lobby", null, "t1");
        assertEquals("{\"type\":\"error\",\"cid\":\"t1\",\"code\":\"not_joined\",\"message\":\"Join 'lobby' first\"}", ann.last());
        typing.typing(ann.connection(), NO_GRANTS, null, null, "t2");
        assertEquals("{\"type\":\"error\",\"cid\":\"t2\",\"code\":\"missing_field\",\"message\":\"Typing needs 'room' (a room joined) "
                + "or 'to' (a user name)\"}", ann.last());
        typing.typing(ann.connection(), NO_GRANTS, null, "no one", "t3");
        assertEquals("{\"type\":\"error\",\"cid\":\"t3\",\"code\":\"bad_name\",\"message\":\"Typing needs 'room' (a room joined) "
                + "or 'to' (a user name)\"}", ann.last());
    }

    @Test
    void typingIsChargedLikeAMessageAndALiveRoomsLimitApplies() {
        join(ann, "live-1");
        join(bob, "live-1");
        int bobHad = bob.texts().get().size();
        typing.typing(ann.connection(), NO_GRANTS, "live-1", null, "t1");
        typing.typing(ann.connection(), NO_GRANTS, "live-1", null, "t2");
        assertEquals(bobHad + 1, bob.texts().get().size(), "the live room's burst is 1");
        assertEquals("{\"type\":\"error\",\"cid\":\"t2\",\"code\":\"rate_limited\",\"message\":\"Too many messages; slow down\"}",
                ann.last());
    }
}
