package dev.switchboard.engine;

import java.util.List;

/**
 * Who is in which room, counting a user with several connections once, whichever nodes they are on.
 * A node's connections stay present while the node renews its lease; when a node dies, another one
 * sweeps its connections out within the lease.
 */
public interface Presence {

    /** A user whose last connection in a room was on a node that died. */
    record Left(String room, String user) {
    }

    /** Records a connection in a room; true when this makes the user a new member. */
    boolean enter(String room, String user, String connectionId);

    /** Removes a connection from a room; true when the user's last connection left. */
    boolean exit(String room, String user, String connectionId);

    /** Whether the user has a connection in the room. */
    boolean present(String room, String user);

    /** The room's members, sorted. */
    default List<String> members(String room) {
        return members(room, Integer.MAX_VALUE);
    }

    /** The room's first {@code limit} members by name: cheap however big the room is. */
    List<String> members(String room, int limit);

    /** How many members the room has. */
    int count(String room);

    /** Rooms (and other presence topics) with anyone in them, at most {@code limit}, in no particular order. */
    List<String> rooms(int limit);

    /** This node is alive: its connections stay present for another lease. Called well within each lease. */
    default void renew() {
    }

    /** The nodes whose lease holds now (this one included); empty on an engine of one node. */
    default List<String> nodes() {
        return List.of();
    }

    /** Takes the connections of nodes whose lease ran out out of presence; returns who thereby left which room. */
    default List<Left> sweep() {
        return List.of();
    }
}
