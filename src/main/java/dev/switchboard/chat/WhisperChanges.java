package dev.switchboard.chat;

import dev.switchboard.chat.Whispers.Change;
import dev.switchboard.chat.Whispers.Whispered;
import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Entry;
import dev.switchboard.engine.Logs;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.SharedFrame;
import dev.switchboard.reply.Replies;
import dev.switchboard.security.Names;
import dev.switchboard.session.Connection;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Changes to whispers, as room messages have them: their author edits or deletes one within
 * {@code switchboard.edit.window}, either party reacts to it. A client names the whisper by the other
 * party ({@code with}) and its offset in the client's own log; the change is made there first, then to
 * the copy in the other party's log (found by the whisper's id), each compare-and-set and each with a
 * change entry of its own, so every tab of both parties learns of it live and on recovery.
 */
@ApplicationScoped
public class WhisperChanges {

    private static final Logger LOG = Logger.getLogger(WhisperChanges.class.getName());

    @Inject
    Whispers whispers;

    @Inject
    Logs logs;

    @Inject
    Replies replies;

    @Inject
    Reactions reactions;

    @Inject
    SwitchboardConfig config;

    Clock clock = Clock.systemUTC();
    private Duration editWindow;

    @PostConstruct
    void readSettings() {
        editWindow = config.durationOrZero(Setting.EDIT_WINDOW);
    }

    /**
     * An {@code edit} with {@code with}: the author changes the text of their whisper, within
     * {@code switchboard.edit.window}; both logs keep the new text and both parties' tabs get {@code edited}.
     */
    void edit(Connection connection, String with, Long offset, String epoch, String text, String cid) {
        if (!validParty(connection, with, cid) || !replies.hasText(connection, text, cid) || !namesOffset(connection, offset, "edit", cid)
                || !replies.withinRate(connection, null, cid)) {
            return;
        }
        String user = connection.user();
        long now = clock.millis();
        change(user, with, offset, epoch, new Alteration(whisper -> {
            ownAndInTime(whisper, user, "edited");
            if (Boolean.TRUE.equals(whisper.deleted())) {
                throw new Logs.NotKept("deleted");
            }
        }, whisper -> Boolean.TRUE.equals(whisper.deleted()) || text.equals(whisper.text()) ? null : whisper.editedTo(text, now),
                whisper -> new Change(Rooms.EDITED, 0, null, user, now, text, null, null)))
                .whenComplete((entry, failure) -> answer(connection, with, offset, cid, failure, "edit"));
    }

    /** A {@code delete} with {@code with}: the author's whisper becomes a tombstone in both logs, within the edit window. */
    void delete(Connection connection, String with, Long offset, String epoch, String cid) {
        if (!validParty(connection, with, cid) || !namesOffset(connection, offset, "delete", cid)
                || !replies.withinRate(connection, null, cid)) {
            return;
        }
        String user = connection.user();
        long now = clock.millis();
        AtomicReference<String> deleted = new AtomicReference<>();
        change(user, with, offset, epoch, new Alteration(whisper -> {
            ownAndInTime(whisper, user, "deleted");
            deleted.set(whisper.id());
        }, whisper -> Boolean.TRUE.equals(whisper.deleted()) ? null : whisper.tombstone(),
                whisper -> new Change(Rooms.DELETED, 0, null, user, now, null, null, null)))
                .thenCompose(entry -> unquote(user, deleted.get()).thenCombine(unquote(with, deleted.get()), (a, b) -> entry))
                .whenComplete((entry, failure) -> answer(connection, with, offset, cid, failure, "delete"));
    }

    /**
     * The replies in the user's log that quote the deleted whisper keep no word of it (in place, telling nobody:
     * both parties learnt of the deletion from its own entry). A failure is logged; the deletion stands.
     */
    private CompletionStage<Void> unquote(String user, String id) {
        return LogAmendments.rewriteEach(logs, Whispers.logOf(user), null, entry -> {
            Whispered reply = Whispers.whisperIn(entry);
            boolean quotesIt = reply != null && reply.replyTo() != null && id.equals(reply.replyTo().id()) && reply.replyTo().deleted() == null;
            return quotesIt ? FrameCodec.toJson(reply.unquoted()) : null;
        }).exceptionally(failure -> {
            LOG.log(Level.WARNING, "Replies of {0} quoting deleted whisper {1} still quote it: {2}", new Object[] {user, id, failure.toString()});
            return null;
        });
    }

    /** A {@code react} ({@code add}) or {@code unreact} with {@code with}: either party, once per emoji, as in a room. */
    void react(Connection connection, String with, Long offset, String epoch, String emoji, boolean add, String cid) {
        if (!validParty(connection, with, cid) || !reactions.names(connection, offset, emoji, cid)
                || !replies.withinRate(connection, null, cid)) {
            return;
        }
        String user = connection.user();
        long now = clock.millis();
        change(user, with, offset, epoch, new Alteration(whisper -> {
            if (Boolean.TRUE.equals(whisper.deleted())) {
                throw new Logs.NotKept("deleted");
            }
        }, whisper -> Boolean.TRUE.equals(whisper.deleted()) ? null
                : whisper.reactedTo(Reactions.toggled(whisper.reactions(), emoji, user, add)),
                whisper -> new Change(Rooms.REACTED, 0, null, user, now, emoji, add,
                        Rooms.summary(whisper.reactions() == null ? Map.of() : whisper.reactions()))))
                .whenComplete((entry, failure) -> answer(connection, with, offset, cid, failure, add ? "react" : "unreact"));
    }

    /**
     * A change to a whisper: {@code check} (which may throw a {@link Rooms.Refused}) passes it in the
     * changer's log, {@code next} is its new version (null: nothing to do), {@code told} the change's entry.
     */
    private record Alteration(Consumer<Whispered> check, UnaryOperator<Whispered> next, Function<Whispered, Change> told) {
    }

    /**
     * Makes the change in the user's log, to the whisper with {@code with} at {@code offset}, then in
     * {@code with}'s log to the same whisper (by id), if that still keeps it. Completes with the change's
     * entry in the user's log once both are written; fails with {@link Logs.NotKept} when the user's log
     * keeps no whisper with {@code with} there, or as {@code check} refused it.
     */
    private CompletionStage<Entry> change(String user, String with, long offset, String epoch, Alteration alteration) {
        AtomicReference<Whispered> found = new AtomicReference<>();
        return LogAmendments.amend(logs, Whispers.logOf(user), offset, epoch, whispers.retention(), kept -> {
            Whispered whisper = Whispers.whisperIn(kept);
            if (whisper == null || !whisper.between(user, with)) {
                throw new Logs.NotKept(user + " keeps no whisper with " + with + " at " + offset);
            }
            alteration.check().accept(whisper);
            Whispered now = alteration.next().apply(whisper);
            found.set(whisper); // changed here or not (a retry), the other party's copy is brought to the same state
            return rewrite(now, alteration, offset, with);
        }).thenCompose(entry -> found.get() == null || with.equals(user) ? CompletableFuture.completedFuture(entry)
                : changeCopy(with, user, found.get().id(), alteration).thenApply(copied -> entry));
    }

    /**
     * The other party's copy changes as the first did. A copy the change was made to already (a race of
     * two changes), or that the log no longer keeps, stays as it is; a failure is logged, the first change stands.
     */
    private CompletionStage<Void> changeCopy(String owner, String other, String id, Alteration alteration) {
        return whispers.find(owner, id).thenCompose(found -> found.isEmpty() ? CompletableFuture.<Entry>completedFuture(null)
                : LogAmendments.amend(logs, Whispers.logOf(owner), found.get().offset(), found.get().epoch(), whispers.retention(),
                        kept -> copyChanged(kept, id, alteration, other)))
                .handle((entry, failure) -> {
                    if (failure != null) {
                        LOG.log(Level.WARNING, "Changing the copy of whisper {0} in the log of {1} failed: {2}",
                                new Object[] {id, owner, failure.toString()});
                    }
                    return null;
                });
    }

    private static LogAmendments.Rewrite copyChanged(Entry kept, String id, Alteration alteration, String other) {
        Whispered whisper = Whispers.whisperIn(kept);
        if (whisper == null || !id.equals(whisper.id())) {
            return null;
        }
        try {
            return rewrite(alteration.next().apply(whisper), alteration, kept.offset(), other);
        } catch (Rooms.Refused done) {
            return null; // this copy has the change already (two changes raced)
        }
    }

    private static LogAmendments.Rewrite rewrite(Whispered now, Alteration alteration, long offset, String other) {
        return now == null ? null : new LogAmendments.Rewrite(FrameCodec.toJson(now),
                FrameCodec.toJson(alteration.told().apply(now).at(offset, other)));
    }

    /** The sender's own whisper, sent within the edit window and not by the server API; otherwise refused (thrown). */
    private void ownAndInTime(Whispered whisper, String user, String what) {
        if (!user.equals(whisper.from()) || Boolean.TRUE.equals(whisper.server())) {
            throw new Rooms.Refused(ErrorCode.FORBIDDEN, "Only its author may change a whisper");
        }
        if (editWindow.isZero() || clock.millis() - whisper.ts() > editWindow.toMillis()) { // 0: never
            throw new Rooms.Refused(ErrorCode.TOO_LATE, "A whisper may be " + what + " by its author within "
                    + editWindow.toSeconds() + " s of being sent");
        }
    }

    private boolean validParty(Connection connection, String with, String cid) {
        if (Names.isUser(with)) {
            return true;
        }
        replies.refuse(connection, SharedFrame.Error.of(with == null ? ErrorCode.MISSING_FIELD : ErrorCode.BAD_NAME,
                "'with' names the other party of the whisper: a user name of 1-32 letters, digits, '_', '-', '.'").withCid(cid));
        return false;
    }

    private boolean namesOffset(Connection connection, Long offset, String what, String cid) {
        if (offset != null) {
            return true;
        }
        replies.refuse(connection, SharedFrame.Error.of(ErrorCode.MISSING_FIELD,
                "'offset' names the whisper to " + what + " (its offset in your whisper log)").withCid(cid));
        return false;
    }

    /** Answers a change to a whisper: its ack ({@code to}: the other party, {@code offset}: the whisper's), or why not. */
    private void answer(Connection connection, String with, long offset, String cid, Throwable failure, String what) {
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        if (cause instanceof Logs.NotKept) {
            replies.refuse(connection, SharedFrame.Error.of(ErrorCode.NOT_FOUND,
                    "Your whispers with " + with + " keep none at offset " + offset).withCid(cid));
        } else if (cause instanceof Rooms.Refused refused) {
            replies.refuse(connection, SharedFrame.Error.of(refused.code, refused.getMessage()).withCid(cid));
        } else if (failure != null) {
            replies.unavailable(connection, what + " of a whisper", failure, cid, "The whisper could not be changed now; try again later");
        } else {
            replies.reply(connection, new ChatFrame.Ack(cid, null, null, offset, with, null));
        }
    }
}
