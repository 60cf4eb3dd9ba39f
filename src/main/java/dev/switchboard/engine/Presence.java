package dev.switchboard.engine;

import java.util.List;

/** Who is in which room, counting a user with several connections once. */
public interface Presence {

    /** Records a connection in a room; true when this makes the user a new member. */
    boolean enter(String room, String user, String connectionId);

    /** Removes a connection from a room; true when the user's last connection left. */
    boolean exit(String room, String user, String connectionId);

    /** The room's members, sorted. */
    default List<String> members(String room) {
        return members(room, Integer.MAX_VALUE);
    }

    /** The room's first {@code limit} members by name: cheap however big the room is. */
    List<String> members(String room, int limit);

    /** How many members the room has. */
    int count(String room);
}
