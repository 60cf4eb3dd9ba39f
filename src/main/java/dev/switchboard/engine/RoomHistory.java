package dev.switchboard.engine;

import java.util.List;

/** Each room's recent messages, with increasing offsets, bounded in count and age. */
public interface RoomHistory {

    /**
     * What a join gets: the messages to replay, whether they are exactly the missed ones, the room's
     * last offset, and the epoch its offsets belong to (new whenever the room's history starts anew,
     * as after a restart of an in-memory engine).
     */
    record Replay(List<ChatMessage> messages, boolean recovered, long lastOffset, String epoch) {
    }

    /** Gives the message the room's next offset and keeps it. */
    ChatMessage append(String room, String id, String from, String text, long ts);

    /**
     * The messages after {@code since}, recovered, when history still holds all of them and
     * {@code epoch} (when given) is the room's current one; otherwise (or with no {@code since}) the
     * recent history, not recovered.
     */
    Replay replay(String room, Long since, String epoch);
}
