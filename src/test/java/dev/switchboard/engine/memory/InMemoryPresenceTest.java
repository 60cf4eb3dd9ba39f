package dev.switchboard.engine.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryPresenceTest {

    private final InMemoryPresence presence = InMemoryPresence.forTests();

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
}
