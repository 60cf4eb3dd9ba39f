package dev.switchboard.engine.memory;

/** Told by presence when a room gets its first member and loses its last: what the history may drop. */
public interface RoomOccupancy {

    void occupied(String room);

    void vacated(String room);
}
