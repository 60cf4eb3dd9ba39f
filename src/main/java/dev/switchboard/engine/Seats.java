package dev.switchboard.engine;

/**
 * A user's connection places counted on every node: taken before a handshake is let through, given
 * back when the connection closes. A node that dies gives its seats back within its presence lease.
 * With one node in memory the node's own count is the only one, and every seat is free.
 */
public interface Seats {

    /** Takes one of the user's {@code max} seats for {@code seat} (unique); false when all are taken. */
    boolean take(String user, String seat, int max);

    /** Whether the user has a seat on some node (with one node: false, its own places are all there is). */
    boolean anyTaken(String user);

    /** Gives the seat back; nothing if it was not taken. */
    void giveBack(String user, String seat);
}
