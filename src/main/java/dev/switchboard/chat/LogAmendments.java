package dev.switchboard.chat;

import dev.switchboard.engine.Entry;
import dev.switchboard.engine.Logs;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Changes an entry a log keeps (a room's message, a whisper) over the version read: compare and set in
 * the store, and another read and try when a change made meanwhile won the race, so none is lost.
 */
final class LogAmendments {

    /** Tries of a change against others changing the same entry at once (each try builds on what the other wrote). */
    static final int TRIES = 10;

    /** What a change makes of a kept entry: the body kept in its place, and the body of the change's own entry. */
    record Rewrite(String kept, String change) {
    }

    private LogAmendments() {
    }

    /**
     * Reads the entry at {@code offset} (in {@code epoch}, when given), asks {@code change} what to make of it
     * and writes that if nobody changed the entry meanwhile (see {@link Logs#amend}). Completes with the
     * change's entry, or the kept one when {@code change} had nothing to do (null); fails with
     * {@link Logs.NotKept} when the log keeps no entry there, or with what {@code change} threw.
     */
    static CompletionStage<Entry> amend(Logs logs, String log, long offset, String epoch, Logs.Retention retention,
            Function<Entry, Rewrite> change) {
        return amend(logs, log, offset, epoch, retention, change, TRIES);
    }

    /**
     * Whether an {@link #amend} of the entry at {@code offset} wrote a change: it completes with the change's own
     * entry (appended, so later), or with the kept entry itself when there was nothing to do.
     */
    static boolean wroteChange(Entry amended, long offset) {
        return amended != null && amended.offset() != offset;
    }

    /** The entry the log keeps at {@code offset} (in {@code epoch}, when given); null when it keeps none there. */
    static CompletionStage<Entry> keptAt(Logs logs, String log, long offset, String epoch) {
        return logs.read(log, offset - 1, epoch).thenApply(replay -> {
            Entry first = replay.recovered() && !replay.entries().isEmpty() ? replay.entries().get(0) : null;
            return first != null && first.offset() == offset ? first : null;
        });
    }

    private static CompletionStage<Entry> amend(Logs logs, String log, long offset, String epoch, Logs.Retention retention,
            Function<Entry, Rewrite> change, int tries) {
        CompletionStage<Entry> attempt = keptAt(logs, log, offset, epoch).thenCompose(kept -> {
            if (kept == null) {
                throw new Logs.NotKept(log + " keeps no entry " + offset);
            }
            Rewrite rewrite = change.apply(kept);
            if (rewrite == null) {
                return CompletableFuture.completedFuture(kept);
            }
            // Over the version read: a change made meanwhile (a reaction, an edit) is never written over.
            return logs.amend(log, offset, kept.epoch(), kept.body(), rewrite.kept(), rewrite.change(), retention);
        });
        return attempt.handle((entry, failure) -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause instanceof Logs.Changed && tries > 1) {
                return amend(logs, log, offset, epoch, retention, change, tries - 1);
            }
            return failure == null ? CompletableFuture.completedFuture(entry) : CompletableFuture.<Entry>failedFuture(cause);
        }).thenCompose(Function.identity());
    }

    /**
     * Rewrites in place, telling nobody, each entry after {@code since} (null: all the log keeps) that
     * {@code rewrite} makes something new of (null: leave it), over the version read (see {@link Logs#rewrite});
     * reads again when a change made meanwhile won the race.
     */
    static CompletionStage<Void> rewriteEach(Logs logs, String log, Long since, Function<Entry, String> rewrite) {
        return rewriteEach(logs, log, since, rewrite, TRIES);
    }

    private static CompletionStage<Void> rewriteEach(Logs logs, String log, Long since, Function<Entry, String> rewrite, int tries) {
        return logs.read(log, since, null).thenCompose(replay -> {
            CompletionStage<Void> all = CompletableFuture.completedFuture(null);
            if (since != null && !replay.recovered()) {
                return all;
            }
            for (Entry entry : replay.entries()) {
                String body = rewrite.apply(entry);
                if (body != null) {
                    all = all.thenCompose(done -> logs.rewrite(log, entry.offset(), replay.epoch(), entry.body(), body));
                }
            }
            return all;
        }).handle((done, failure) -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause instanceof Logs.Changed && tries > 1) {
                return rewriteEach(logs, log, since, rewrite, tries - 1);
            }
            return failure == null ? CompletableFuture.<Void>completedFuture(null) : CompletableFuture.<Void>failedFuture(cause);
        }).thenCompose(Function.identity());
    }
}
