package dev.switchboard.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What every engine's presence promises; each engine's test gives its own {@link #presence()}. */
public abstract class PresenceContract {

    /** Room names unique to the test, so engines that outlive a test (a Redis server) start clean. */
    private final String prefix = "t" + java.util.UUID.randomUUID().toString().substring(0, 8) + "-";
    private Presence presence;

    protected abstract Presence presence();

    @org.junit.jupiter.api.BeforeEach
    void usePresence() {
        presence = new Presence() {
            private final Presence engine = presence();

            @Override
            public boolean enter(String room, String user, String connectionId) {
                return engine.enter(prefix + room, user, connectionId);
            }

            @Override
            public boolean exit(String room, String user, String connectionId) {
                return engine.exit(prefix + room, user, connectionId);
            }

            @Override
            public boolean present(String room, String user) {
                return engine.present(prefix + room, user);
            }

            @Override
            public List<String> members(String room, int limit) {
                return engine.members(prefix + room, limit);
            }

            @Override
            public int count(String room) {
                return engine.count(prefix + room);
            }

            @Override
            public List<String> rooms(int limit) {
                return engine.rooms(Integer.MAX_VALUE).stream().filter(r -> r.startsWith(prefix))
                        .map(r -> r.substring(prefix.length())).sorted().limit(limit).toList();
            }
        };
    }

    @Test
    void aUserWithSeveralConnectionsIsOneMemberUntilTheLastLeaves() {
        assertTrue(presence.enter("r", "alice", "c1"), "first connection: a new member");
        assertFalse(presence.enter("r", "alice", "c2"));
        assertTrue(presence.enter("r", "bob", "c3"));
        assertEquals(List.of("alice", "bob"), presence.members("r"));
        assertFalse(presence.exit("r", "alice", "c1"));
        assertTrue(presence.exit("r", "alice", "c2"), "last connection: the user left");
        assertEquals(List.of("bob"), presence.members("r"));
        assertFalse(presence.exit("r", "alice", "c2"), "leaving twice announces nothing");
        assertFalse(presence.present("r", "alice"), "gone: what a retried clean-up asks");
        assertTrue(presence.present("r", "bob"));
        assertFalse(presence.exit("nowhere", "x", "c"));
    }

    @Test
    void aRoomListsItsFirstMembersByNameAndCountsThemAll() {
        for (String user : List.of("eve", "bob", "dan", "ann", "cat")) {
            presence.enter("big", user, user + "-c");
        }
        presence.enter("big", "bob", "bob-c2");
        assertEquals(5, presence.count("big"), "a user with two connections counts once");
        assertEquals(List.of("ann", "bob"), presence.members("big", 2));
        presence.exit("big", "ann", "ann-c");
        assertEquals(4, presence.count("big"));
        assertEquals(List.of("bob", "cat"), presence.members("big", 2));
        assertEquals(0, presence.count("nowhere"));
    }

    @Test
    void roomsWithAnyoneInThemAreListedAndEmptiedOnesAreNot() {
        presence.enter("lobby", "ann", "a1");
        presence.enter("lobby", "bob", "b1");
        presence.enter("kitchen", "ann", "a2");
        presence.enter("hall", "cat", "c1");
        presence.exit("hall", "cat", "c1");
        assertEquals(List.of("kitchen", "lobby"), presence.rooms(10));
        assertEquals(1, presence.rooms(1).size(), "at most the limit");
    }
}
