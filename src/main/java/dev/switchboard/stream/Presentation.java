package dev.switchboard.stream;

import dev.switchboard.engine.Entry;

/** How the feature that owns a log shows it to followers: the same for every follower of the log. */
@FunctionalInterface
public interface Presentation {

    /** The entry as clients get it. */
    String wire(Entry entry);

    /** The entry (and those before it) reached a follower on this node; called after the writes began. */
    default void reached(Entry entry) {
    }
}
