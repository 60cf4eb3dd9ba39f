package dev.switchboard.chat;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Entry;
import dev.switchboard.engine.Logs;
import dev.switchboard.online.UserStatus;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.SharedFrame;
import dev.switchboard.reply.Replies;
import dev.switchboard.security.Names;
import dev.switchboard.session.Connection;
import dev.switchboard.session.ConnectionClosed;
import dev.switchboard.session.Frame;
import dev.switchboard.session.SessionRegistry;
import dev.switchboard.stream.Presentation;
import dev.switchboard.stream.Streams;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Private messages. Every user has a log of the whispers to and from them, with offsets like a room's:
 * a whisper goes into the recipient's log and the sender's, and every connection of a user follows
 * that user's log. So all their tabs get it, on any node; a tab that was away recovers what it missed
 * from its offset; and a user with no connection at all gets, when they next connect, what no
 * connection of theirs has had yet (the log's delivered mark): their inbox is the same log.
 *
 * <p>A whisper may answer another, quoting it; {@link WhisperChanges} edits, deletes and reacts to them.
 */
@ApplicationScoped
public class Whispers {

    private static final Logger LOG = Logger.getLogger(Whispers.class.getName());
    private static final String LOG_PREFIX = "user:";

    @Inject
    SessionRegistry registry;

    @Inject
    Logs logs;

    @Inject
    Streams streams;

    @Inject
    UserStatus status;

    @Inject
    Replies replies;

    @Inject
    WhisperReceipts receipts;

    @Inject
    SwitchboardConfig config;

    Clock clock = Clock.systemUTC();
    private Logs.Retention retention;

    /**
     * A whisper as a user's log keeps it: the body of its entry, which has the offset. Like a room's
     * message it may be a tombstone ({@code deleted}), carry its latest text ({@code edited}: when), the quote
     * of the whisper it answers and who reacted with what. One constructor only: JSON-B reads it back through it.
     */
    public record Whispered(String id, String from, String to, String text, long ts, JsonValue data, Boolean server, Boolean deleted,
            Long edited, Quote replyTo, Map<String, List<String>> reactions) {
        /** The frame that shows this whisper at its offset in the reader's log. */
        ChatFrame.Whisper at(long offset) {
            return new ChatFrame.Whisper(offset, data, deleted, edited, from, id, reactions == null ? null : Rooms.summary(reactions),
                    replyTo, server, text, to, ts);
        }

        /** Whether it went between these two users, either way. */
        boolean between(String user, String other) {
            return user.equals(from) && other.equals(to) || other.equals(from) && user.equals(to);
        }

        /** What the logs keep of this reply once the whisper it answers was deleted: the quote without its words. */
        Whispered unquoted() {
            return new Whispered(id, from, to, text, ts, data, server, deleted, edited, replyTo.withoutText(), reactions);
        }

        /** What the logs keep of it once deleted: who sent it to whom and when, nothing of what it said or others made of it. */
        Whispered tombstone() {
            return new Whispered(id, from, to, null, ts, null, server, true, null, null, null);
        }

        /** What the logs keep of it once its author changed its text, at {@code when}. */
        Whispered editedTo(String newText, long when) {
            return new Whispered(id, from, to, newText, ts, data, server, deleted, when, replyTo, reactions);
        }

        /** What the logs keep of it with these reactions (none: null, left out). */
        Whispered reactedTo(Map<String, List<String>> now) {
            return new Whispered(id, from, to, text, ts, data, server, deleted, edited, replyTo, now.isEmpty() ? null : now);
        }
    }

    /**
     * The whisper a reply answers, as the sender's log had it when the reply was sent: its {@code id}, its
     * {@code offset} in the reader's own log (absent where that log no longer keeps it), its author and
     * the start of its text (as a room's quote: at most 100 characters, then an ellipsis).
     */
    @JsonbPropertyOrder({"offset", "id", "from", "text", "deleted"})
    public record Quote(Long offset, String id, String from, String text, Boolean deleted) {
        /** Once the answered whisper is deleted: who said it, and no word of it. */
        Quote withoutText() {
            return new Quote(offset, id, from, null, true);
        }
    }

    /**
     * A change to a whisper kept earlier in a user's log, as an entry of that log: what happened
     * ({@code edited}, {@code deleted}, {@code reacted}) to the whisper at {@code target} (in this log) in the
     * whispers {@code with} the other party, by whom; an edit's new {@code text}, a reaction's emoji (as
     * {@code text}), whether it was {@code added}, and the summary it made.
     */
    @JsonbPropertyOrder({"change", "target", "with", "by", "ts", "text", "added", "reactions"})
    public record Change(String change, long target, String with, String by, long ts, String text, Boolean added,
            Map<String, Rooms.Reaction> reactions) {
        /** How a change's entry begins, as the codec writes it: no whisper's does. */
        static final String STARTS = "{\"change\":";

        /** The same change, to the whisper at {@code offset} of a log whose owner whispers with {@code other}. */
        Change at(long offset, String other) {
            return new Change(change, offset, other, by, ts, text, added, reactions);
        }

        /** The frame that shows this change at its own offset in the reader's log. */
        ChatFrame toFrame(long offset) {
            return switch (change) {
                case Rooms.EDITED -> new ChatFrame.Edited(null, with, offset, target, text, by, ts);
                case Rooms.REACTED -> new ChatFrame.Reactions(null, with, offset, target, text, by, added,
                        reactions == null ? Map.of() : reactions);
                default -> new ChatFrame.Deleted(null, with, offset, target, by);
            };
        }
    }

    /** Where the store put a message from the server API: its id, offset, the log's epoch, and whether the user is online. */
    public record Sent(String id, String to, long offset, String epoch, boolean delivered) {
    }

    /**
     * A private message from the site's back end to a user (from {@code from}, or {@code server}): kept
     * in their whisper log like any whisper, so every tab gets it and an offline user finds it later.
     */
    public CompletionStage<Sent> send(String to, String from, String text, JsonValue data) {
        Whispered whisper = new Whispered(UUID.randomUUID().toString(), from == null ? "server" : from, to, text,
                clock.millis(), data, true, null, null, null, null);
        boolean delivered = status.connectedSomewhere(to);
        return logs.append(logOf(to), FrameCodec.toJson(whisper), retention)
                .thenApply(entry -> new Sent(whisper.id(), to, entry.offset(), entry.epoch(), delivered));
    }

    @PostConstruct
    void readSettings() {
        retention = new Logs.Retention(config.positiveInt(Setting.INBOX_SIZE), config.duration(Setting.INBOX_TTL), true);
    }

    /** How long a user's log keeps whispers (and changes to them). */
    Logs.Retention retention() {
        return retention;
    }

    /** The engine's log (and signal topic) of a user's whispers. */
    static String logOf(String user) {
        return LOG_PREFIX + user;
    }

    /**
     * How whispers are shown: the body read back (a whisper, or a change to one), at its offset in the
     * reader's log. Reaching a reader marks them delivered, and tells their senders so.
     */
    private final Presentation shown = new Presentation() {
        @Override
        public String wire(Entry entry) {
            Whispered whisper = whisperIn(entry);
            return FrameCodec.toJson(whisper != null ? whisper.at(entry.offset())
                    : FrameCodec.fromJson(entry.body(), Change.class).toFrame(entry.offset()));
        }

        @Override
        public void reached(Entry entry) {
            String reader = entry.log().substring(LOG_PREFIX.length());
            logs.delivered(entry.log()).whenComplete((before, failure) -> {
                logs.markDelivered(entry.log(), new Logs.Position(entry.offset(), entry.epoch()));
                if (failure == null) {
                    receipts.reached(reader, before, entry);
                }
            });
        }
    };

    /**
     * A new connection of the user follows their log: from {@code since} in {@code epoch} when the
     * client knows where it was, else from what no connection of theirs has had yet. It is greeted with
     * a {@code whispers} frame (the log's position, and how far the user's whispers got with each
     * correspondent), then gets what it missed, then whispers as they come.
     */
    void connected(Connection connection, Long since, String epoch) {
        String log = logOf(connection.user());
        // Online first, then tracked: if the connection closes meanwhile, its cleanup sees both.
        status.connected(connection.user(), connection.id());
        if (!registry.subscribe(connection, log)) {
            status.disconnected(connection.user(), connection.id()); // closed meanwhile
            return;
        }
        boolean fromClient = since != null;
        Map<String, ChatFrame.Receipt> got = receipts.of(connection.user());
        logs.delivered(log).thenCompose(mark -> streams.follow(connection, log,
                fromClient ? since : Long.valueOf(mark.offset()), fromClient ? epoch : mark.epoch(), shown,
                replay -> new Frame.Encoded(new ChatFrame.Whispers(replay.lastOffset(),
                        fromClient ? replay.recovered() : null, replay.epoch(), got))))
                .whenComplete((greeted, failure) -> {
                    if (failure != null) {
                        registry.unsubscribe(connection, log);
                        replies.unavailable(connection, "whispers", failure, null, "Whispers cannot be read now; reconnect later");
                    }
                });
    }

    /** A connection went: it no longer counts towards its user being online. */
    void connectionClosed(@Observes ConnectionClosed closed) {
        Connection connection = closed.connection();
        if (connection.user() != null && closed.topics().contains(logOf(connection.user()))) {
            status.disconnected(connection.user(), connection.id());
        }
    }

    /** Whether whispers wait for the user that no connection of theirs has had (so the name is someone's). */
    public boolean waitingFor(String user) {
        String log = logOf(user);
        return logs.delivered(log).thenCompose(mark -> logs.read(log, mark.offset(), mark.epoch()))
                .thenApply(replay -> !replay.entries().isEmpty()).toCompletableFuture().join();
    }

    private void copyToSender(String user, String body) {
        logs.append(logOf(user), body, retention).whenComplete((kept, failure) -> {
            if (failure != null) {
                LOG.log(Level.WARNING, "Keeping a whisper for its sender {0} failed: {1}", new Object[] {user, failure.toString()});
            }
        });
    }

    void whisper(Connection connection, String to, String text, String cid) {
        whisper(connection, to, text, null, cid);
    }

    /**
     * A whisper, in reply to the one at {@code replyTo} in the sender's log when given: both copies carry
     * a quote of it read from that log, each with the answered whisper's offset in its own log.
     */
    void whisper(Connection connection, String to, String text, Long replyTo, String cid) {
        if (!Names.isUser(to)) {
            replies.refuse(connection, SharedFrame.Error.of(to == null ? ErrorCode.MISSING_FIELD : ErrorCode.BAD_NAME,
                    "A whisper needs 'to': a user name of 1-32 letters, digits, '_', '-', '.'").withCid(cid));
            return;
        }
        if (!replies.hasText(connection, text, cid) || !replies.firstTry(connection, "whisper", cid)) {
            return;
        }
        if (!replies.withinRate(connection, null, cid)) {
            replies.letGo(connection, "whisper", cid);
            return;
        }
        String user = connection.user();
        String id = UUID.randomUUID().toString();
        long ts = clock.millis();
        // Delivered means the recipient has a chat connection on some node; otherwise it waits in their log.
        boolean delivered = status.connectedSomewhere(to);
        CompletionStage<Quotes> quotes = replyTo == null ? CompletableFuture.completedFuture(Quotes.NONE) : quotesOf(user, to, replyTo);
        // Both copies are encoded here: once, unless their quotes differ (each carries its own log's offset).
        quotes.thenCompose(quote -> {
            String toRecipient = FrameCodec.toJson(new Whispered(id, user, to, text, ts, null, null, null, null, quote.recipients(), null));
            String toSender = quote.senders() == quote.recipients() ? toRecipient
                    : FrameCodec.toJson(new Whispered(id, user, to, text, ts, null, null, null, null, quote.senders(), null));
            return logs.append(logOf(to), toRecipient, retention).thenApply(kept -> toSender);
        }).whenComplete((toSender, failure) -> {
            if (failure == null) {
                // Accepted once the recipient's log has it; the sender's copy is for their other tabs.
                replies.acknowledge(connection, "whisper", cid, new ChatFrame.Ack(cid, id, null, null, to,
                        delivered ? "delivered" : "stored"));
                if (!to.equals(user)) {
                    copyToSender(user, toSender);
                }
                return;
            }
            replies.letGo(connection, "whisper", cid);
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause instanceof Logs.NotKept) {
                replies.refuse(connection, SharedFrame.Error.of(ErrorCode.NOT_FOUND,
                        "Your whispers with " + to + " keep none at offset " + replyTo + " to reply to").withCid(cid));
            } else if (cause instanceof Logs.LogsFull) {
                replies.refuse(connection, SharedFrame.Error.of(ErrorCode.INBOX_FULL,
                        "The server keeps as many whispers for offline users as it may; " + to + " is offline").withCid(cid));
            } else {
                replies.unavailable(connection, "whisper", cause, cid, "The whisper could not be stored; send it again later");
            }
        });
    }

    /** A reply's quote as the sender's copy and the recipient's carry it (each with the offset in its own log). */
    private record Quotes(Quote senders, Quote recipients) {
        static final Quotes NONE = new Quotes(null, null);
    }

    /**
     * The quote of the whisper at {@code offset} in the user's log, which must be one between the user and
     * {@code to}, not deleted (else {@link Logs.NotKept}); with its offset in {@code to}'s log, where that keeps it.
     */
    private CompletionStage<Quotes> quotesOf(String user, String to, long offset) {
        return LogAmendments.keptAt(logs, logOf(user), offset, null).thenCompose(kept -> {
            Whispered answered = kept == null ? null : whisperIn(kept);
            if (answered == null || !answered.between(user, to) || Boolean.TRUE.equals(answered.deleted())) {
                throw new Logs.NotKept(user + " keeps no whisper with " + to + " at " + offset);
            }
            Quote senders = new Quote(offset, answered.id(), answered.from(), Rooms.quoted(answered.text()), null);
            if (to.equals(user)) {
                return CompletableFuture.completedFuture(new Quotes(senders, senders));
            }
            return find(to, answered.id()).thenApply(there -> new Quotes(senders,
                    new Quote(there.map(Entry::offset).orElse(null), senders.id(), senders.from(), senders.text(), null)));
        });
    }

    /** The entry of the whisper with this id in the user's log, if it still keeps it (a log is bounded: read whole). */
    CompletionStage<Optional<Entry>> find(String user, String id) {
        String marker = "\"id\":" + FrameCodec.toJson(id);
        return logs.read(logOf(user), null, null).thenApply(replay -> replay.entries().stream()
                .filter(e -> e.body().contains(marker))
                .filter(e -> {
                    Whispered whisper = whisperIn(e);
                    return whisper != null && id.equals(whisper.id());
                })
                .findFirst());
    }

    /** The whisper an entry of a user's log keeps; null for a change to one. */
    static Whispered whisperIn(Entry entry) {
        return entry.body().startsWith(Change.STARTS) ? null : FrameCodec.fromJson(entry.body(), Whispered.class);
    }
}
