package dev.switchboard.engine;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Ordered logs, bounded in length and age, whose offsets the store assigns: one append gives an entry
 * the log's next offset, keeps it and publishes it to every node interested in the log, so all nodes
 * see a log's entries in one order (through {@link Bus.Listener#entry}).
 *
 * <p>The stages an engine returns complete on threads that may block (on other engine calls, say),
 * never on the I/O threads of an engine's client.
 */
public interface Logs {

    /**
     * How long a log keeps its entries: the last {@code size}, none older than {@code ttl}. A log
     * {@code keptWhileIdle} (a user's whispers, waiting for them to connect) keeps them even while no
     * node listens to it; otherwise (a room's history) an engine short of room may drop the log then.
     */
    record Retention(int size, Duration ttl, boolean keptWhileIdle) {
    }

    /** A place in a log: an offset in an epoch. */
    record Position(long offset, String epoch) {
    }

    /**
     * What a reader gets: the entries after {@code since}, {@code recovered}, when the log still holds
     * all of them in the epoch the reader knew; otherwise (or with no {@code since}) the recent entries,
     * not recovered. {@code lastOffset} and {@code epoch} are the log's position when read; the epoch is
     * new whenever the log starts anew (an in-memory engine's restart, a log dropped while idle).
     */
    record Replay(List<Entry> entries, boolean recovered, long lastOffset, String epoch) {
    }

    /**
     * Appends the body; completes with its entry once the store has kept it, after it was published,
     * or fails with {@link LogsFull} when the engine keeps as many entries of idle logs as it may.
     */
    CompletionStage<Entry> append(String log, String body, Retention retention);

    /**
     * Changes a kept entry and says so in the log: keeps {@code keptBody} at {@code offset} in place of
     * what was there (a deleted message's tombstone, an edited message), then appends {@code body}, the
     * change as an entry of its own, in order with the rest, so that followers learn of it live and on
     * recovery. One step for the store: no reader sees one half without the other. Fails with
     * {@link NotKept} when the log (in {@code epoch}, when given) no longer keeps that offset; nothing is
     * written then.
     */
    default CompletionStage<Entry> amend(String log, long offset, String epoch, String keptBody, String body, Retention retention) {
        return amend(log, offset, epoch, null, keptBody, body, retention);
    }

    /**
     * As {@link #amend(String, long, String, String, String, Retention)}, only if the entry's body is still
     * {@code expectedBody} (null: whatever it is): a caller that read it, worked out the next version and
     * lost a race to another writer fails with {@link Changed}, nothing written, and reads it again.
     */
    CompletionStage<Entry> amend(String log, long offset, String epoch, String expectedBody, String keptBody, String body,
            Retention retention);

    /**
     * Keeps {@code keptBody} in place of the entry at {@code offset} if its body is still {@code expectedBody},
     * appending nothing and telling nobody: for what follows from a change the log has told already (a reply
     * no longer quoting a message that was deleted). Fails as {@code amend} does: {@link NotKept}, {@link Changed}.
     */
    CompletionStage<Void> rewrite(String log, long offset, String epoch, String expectedBody, String keptBody);

    /** Reads the log after {@code since} (null: its recent entries) for a reader who knew {@code epoch} (may be null). */
    CompletionStage<Replay> read(String log, Long since, String epoch);

    /**
     * Where each of these logs is now: its last offset and its epoch. Logs the store does not have are
     * left out. A node compares this with what it has heard, to notice an entry pub/sub lost.
     */
    CompletionStage<Map<String, Position>> heads(Collection<String> logs);

    /** How far the log's entries have reached some reader (offset 0 when none has, or the log is new). */
    CompletionStage<Position> delivered(String log);

    /** Some reader got the log's entries up to this place; a place behind the one noted, or of another epoch, changes nothing. */
    void markDelivered(String log, Position reached);

    /** The log does not keep the entry to change (too old, dropped, another epoch, never written): nothing was written. */
    final class NotKept extends RuntimeException {
        public NotKept(String message) {
            super(message, null, false, false);
        }
    }

    /** The entry to change is no longer the version the caller read (someone changed it first): nothing was written. */
    final class Changed extends RuntimeException {
        public Changed(String message) {
            super(message, null, false, false);
        }
    }

    /** The engine keeps as many entries of logs nobody listens to as it may: nothing was appended. */
    final class LogsFull extends RuntimeException {
        public LogsFull(String message) {
            super(message, null, false, false);
        }
    }
}
