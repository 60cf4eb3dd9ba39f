package dev.switchboard.engine;

import java.util.List;

/** Each room's recent messages, with increasing offsets, bounded in count and age. */
public interface RoomHistory {

    /** What a join gets: the messages to replay and whether they are exactly the missed ones. */
    record Replay(List<ChatMessage> messages, boolean recovered, long lastOffset) {
    }

    /** Gives the message the room's next offset and keeps it. */
    ChatMessage append(String room, String id, String from, String text, long ts);

    /**
     * The messages after {@code since}, recovered, when history still holds all of them; otherwise
     * (or with no {@code since}) the recent history, not recovered.
     */
    Replay replay(String room, Long since);
}
