package dev.switchboard.engine;

import java.util.List;

/** Whispers kept for users who were offline, bounded in count and age. */
public interface Inbox {

    /** Keeps the whisper for its offline recipient; false (and not kept) when the inboxes hold as many as they may. */
    boolean keep(ChatMessage whisper);

    /** Whether whispers are waiting for the user (so the name is someone's, even while they are away). */
    boolean holdsFor(String user);

    /** Everything kept for the user, oldest first; the inbox is then empty. */
    List<ChatMessage> takeAll(String user);
}
