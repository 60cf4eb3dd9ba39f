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
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
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

    /** A whisper as a user's log keeps it: the body of its entry, which has the offset. */
    public record Whispered(String id, String from, String to, String text, long ts, JsonValue data, Boolean server) {
        /** The frame that shows this whisper at its offset in the reader's log. */
        ChatFrame.Whisper at(long offset) {
            return new ChatFrame.Whisper(offset, data, from, id, server, text, to, ts);
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
                clock.millis(), data, true);
        boolean delivered = status.connectedSomewhere(to);
        return logs.append(logOf(to), FrameCodec.toJson(whisper), retention)
                .thenApply(entry -> new Sent(whisper.id(), to, entry.offset(), entry.epoch(), delivered));
    }

    @PostConstruct
    void readSettings() {
        retention = new Logs.Retention(config.positiveInt(Setting.INBOX_SIZE), config.duration(Setting.INBOX_TTL), true);
    }

    /** The engine's log (and signal topic) of a user's whispers. */
    static String logOf(String user) {
        return LOG_PREFIX + user;
    }

    /**
     * How whispers are shown: the body read back, at its offset in the reader's log. Reaching a reader marks
     * them delivered, and tells their senders so.
     */
    private final Presentation shown = new Presentation() {
        @Override
        public String wire(Entry entry) {
            return FrameCodec.toJson(FrameCodec.fromJson(entry.body(), Whispered.class).at(entry.offset()));
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
        Whispered whisper = new Whispered(UUID.randomUUID().toString(), user, to, text, clock.millis(), null, null);
        String body = FrameCodec.toJson(whisper);
        // Delivered means the recipient has a chat connection on some node; otherwise it waits in their log.
        boolean delivered = status.connectedSomewhere(to);
        logs.append(logOf(to), body, retention).whenComplete((kept, failure) -> {
                    if (failure == null) {
                        // Accepted once the recipient's log has it; the sender's copy is for their other tabs.
                        replies.acknowledge(connection, "whisper", cid, new ChatFrame.Ack(cid, whisper.id(), null, null, to,
                                delivered ? "delivered" : "stored"));
                        if (!to.equals(user)) {
                            copyToSender(user, body);
                        }
                        return;
                    }
                    replies.letGo(connection, "whisper", cid);
                    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                    if (cause instanceof Logs.LogsFull) {
                        replies.refuse(connection, SharedFrame.Error.of(ErrorCode.INBOX_FULL,
                                "The server keeps as many whispers for offline users as it may; " + to + " is offline").withCid(cid));
                    } else {
                        replies.unavailable(connection, "whisper", cause, cid, "The whisper could not be stored; send it again later");
                    }
                });
    }
}
