package dev.switchboard.engine;

import java.util.Map;
import java.util.Optional;

/**
 * Names held by someone until a time, the same on every node. A caller reads the hold, decides, and
 * replaces it only if nobody changed it meanwhile (compare and set), so two nodes racing for one name
 * cannot both win. A lapsed hold stays until someone drops it: whether a name is still someone's after
 * its time is the caller's to judge (it may have connections open, or messages waiting).
 */
public interface Holds {

    /** Who holds a name, and until when (epoch milliseconds). */
    record Hold(String holder, long untilMillis) {
    }

    Optional<Hold> get(String name);

    /** Sets {@code next} if the hold is still {@code expected} (empty: none); false when it had changed. */
    boolean replace(String name, Optional<Hold> expected, Hold next);

    /** Drops the hold if it is still {@code expected}. */
    void drop(String name, Hold expected);

    /** How many names have a hold, lapsed or not. */
    int count();

    /** Up to {@code limit} holds whose time was before {@code beforeMillis}, earliest first. */
    Map<String, Hold> lapsed(long beforeMillis, int limit);
}
