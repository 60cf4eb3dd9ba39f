package dev.switchboard.engine;

/**
 * A user's connection places counted on every node: taken before a handshake is let through, given
 * back when the connection closes. A node that dies gives its places back within its presence lease.
 * With one node in memory the node's own count is the only one, and every place is free.
 */
public interface Places {

    /** Takes one of the user's {@code max} places for {@code place} (unique); false when all are taken. */
    boolean take(String user, String place, int max);

    /** Whether the user has a place on some node (with one node: false, its own places are all there is). */
    boolean anyTaken(String user);

    /** Gives the place back; nothing if it was not taken. */
    void giveBack(String user, String place);
}
