package dev.switchboard.engine;

import java.util.List;

/** Whispers kept for users who were offline, bounded in count and age. */
public interface Inbox {

    void keep(ChatMessage whisper);

    /** Whether whispers are waiting for the user (so the name is someone's, even while they are away). */
    boolean holdsFor(String user);

    /** Everything kept for the user, oldest first; the inbox is then empty. */
    List<ChatMessage> takeAll(String user);
}
