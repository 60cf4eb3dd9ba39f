package dev.switchboard.engine;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Ordered logs, bounded in length and age, whose offsets the store assigns: one append gives an entry
 * the log's next offset, keeps it and publishes it to every node interested in the log, so all nodes
 * see a log's entries in one order (through {@link Bus.Listener#entry}).
 */
public interface Logs {

    /**
     * What a reader gets: the entries after {@code since}, {@code recovered}, when the log still holds
     * all of them in the epoch the reader knew; otherwise (or with no {@code since}) the recent entries,
     * not recovered. {@code lastOffset} and {@code epoch} are the log's position when read; the epoch is
     * new whenever the log starts anew (an in-memory engine's restart, a log dropped while idle).
     */
    record Replay(List<Entry> entries, boolean recovered, long lastOffset, String epoch) {
    }

    /** Appends the body; completes with its entry once the store has kept it, after it was published. */
    CompletionStage<Entry> append(String log, String body);

    /** Reads the log after {@code since} (null: its recent entries) for a reader who knew {@code epoch} (may be null). */
    CompletionStage<Replay> read(String log, Long since, String epoch);
}
