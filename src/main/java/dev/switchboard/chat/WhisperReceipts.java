package dev.switchboard.chat;

import dev.switchboard.config.ServerExecutors;
import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Bus;
import dev.switchboard.engine.Documents;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.engine.Entry;
import dev.switchboard.engine.Logs;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.SharedFrame;
import dev.switchboard.reply.Replies;
import dev.switchboard.security.Names;
import dev.switchboard.session.Connection;
import dev.switchboard.stream.Streams;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How far a user's whispers got: <em>sent</em> is the sender's ack; <em>delivered</em> once a connection
 * of the recipient was given the whisper, on whichever node; <em>read</em> once the recipient's client said
 * so ({@code read} with {@code with}). Each user has one document of how far their whispers got with each
 * correspondent: the last one delivered and the last one read, by id, with its offset in the
 * correspondent's log to keep them in order. They only move forward, so two nodes telling the same delivery
 * tell it once. The document greets the user's connections ({@code whispers.receipts}); each move reaches
 * them, on every node, as a {@code receipts} frame.
 */
@ApplicationScoped
public class WhisperReceipts {

    private static final Logger LOG = Logger.getLogger(WhisperReceipts.class.getName());
    private static final String KEY_PREFIX = "receipts:user:";
    /** Correspondents a user's document keeps, the most recently moved last; older ones are let go. */
    static final int CORRESPONDENTS_KEPT = 200;
    /** Tries to move a receipt against other nodes moving the same user's at once. */
    static final int MOVE_TRIES = 10;

    @Inject
    Documents documents;

    @Inject
    Logs logs;

    @Inject
    Bus bus;

    @Inject
    Streams streams;

    @Inject
    Replies replies;

    @Inject
    ServerExecutors executors;

    @Inject
    SwitchboardConfig config;

    private long keepMillis;

    /**
     * How far a user's whispers got with one correspondent: the last delivered and the last read, by id, each
     * with its offset in the correspondent's log (in that log's {@code epoch}).
     */
    public record Got(String epoch, String delivered, Long deliveredAt, String read, Long readAt) {
    }

    /** A user's document: by correspondent, in the order they last moved. */
    public record Kept(Map<String, Got> with) {
    }

    @PostConstruct
    void readSettings() {
        keepMillis = config.duration(Setting.INBOX_TTL).toMillis();
    }

    /**
     * What greets the user's connections: by correspondent, the last whisper delivered and read (null: none
     * told yet, or the store cannot be read now: the connection opens without them, and later moves come as frames).
     */
    Map<String, ChatFrame.Receipt> of(String user) {
        Map<String, Got> with;
        try {
            with = kept(user).map(Kept::with).orElse(Map.of());
        } catch (EngineUnavailable e) {
            LOG.log(Level.FINE, "Receipts of {0} not read: {1}", new Object[] {user, e.toString()});
            return null;
        }
        if (with.isEmpty()) {
            return null;
        }
        Map<String, ChatFrame.Receipt> receipts = new TreeMap<>();
        with.forEach((correspondent, got) -> receipts.put(correspondent, new ChatFrame.Receipt(got.delivered(), got.read())));
        return receipts;
    }

    /**
     * The recipient's log reached a connection of theirs up to {@code reached}, from {@code before} (the log's
     * delivered mark until then): each user whose whispers were among them learns the last one was delivered.
     */
    void reached(String recipient, Logs.Position before, Entry reached) {
        boolean sameEpoch = before.epoch() != null && before.epoch().equals(reached.epoch());
        if (sameEpoch && before.offset() >= reached.offset()) {
            return; // told already, by this node or another
        }
        if (sameEpoch && reached.offset() == before.offset() + 1) {
            whisperToIn(reached, recipient).ifPresent(whisper -> executors.work().execute(() -> move(whisper.from(), recipient, reached, false)));
            return; // one more, as whispers come live: nothing to read
        }
        logs.read(reached.log(), sameEpoch ? Long.valueOf(before.offset()) : null, reached.epoch())
                .thenAcceptAsync(replay -> {
                    Map<String, Entry> lastFrom = new LinkedHashMap<>();
                    for (Entry entry : replay.entries()) {
                        if (entry.offset() <= reached.offset()) {
                            whisperToIn(entry, recipient).ifPresent(whisper -> lastFrom.put(whisper.from(), entry));
                        }
                    }
                    lastFrom.forEach((sender, entry) -> move(sender, recipient, entry, false));
                }, executors.work())
                .exceptionally(failure -> {
                    LOG.log(Level.WARNING, "Telling whispers to {0} delivered failed: {1}", new Object[] {recipient, failure.toString()});
                    return null;
                });
    }

    /**
     * A {@code read} frame naming a whisper conversation: the user has read up to {@code offset} of their own
     * log (at most the last offset they were given), so {@code with} learns which of their whispers was the last read.
     */
    void read(Connection connection, String with, Long offset, String cid) {
        if (!Names.isUser(with)) {
            replies.refuse(connection, SharedFrame.Error.of(with == null ? ErrorCode.MISSING_FIELD : ErrorCode.BAD_NAME,
                    "A read names a 'room' or, for whispers, 'with': a user name of 1-32 letters, digits, '_', '-', '.'").withCid(cid));
            return;
        }
        String user = connection.user();
        String log = Whispers.logOf(user);
        Optional<Logs.Position> given = streams.given(connection, log);
        if (offset == null || given.isEmpty() || offset < 0 || offset > given.get().offset()) {
            replies.refuse(connection, SharedFrame.Error.of(offset == null ? ErrorCode.MISSING_FIELD : ErrorCode.BAD_FIELD,
                    "'offset' is how far you have read your whispers: at most the last offset you were given"
                    + given.map(g -> " (" + g.offset() + ")").orElse("")).withCid(cid));
            return;
        }
        if (!replies.withinRate(connection, null, cid)) {
            return;
        }
        logs.read(log, null, given.get().epoch()).thenAcceptAsync(replay -> {
            Entry last = null;
            for (Entry entry : replay.entries()) {
                if (entry.offset() <= offset && whisperToIn(entry, user).filter(w -> w.from().equals(with)).isPresent()) {
                    last = entry;
                }
            }
            if (last != null) {
                move(with, user, last, true);
            }
        }, executors.work()).whenComplete((done, failure) -> {
            if (failure != null) {
                replies.unavailable(connection, "read receipt", failure, cid, "Could not tell " + with + " now; try again later");
            } else if (cid != null) {
                replies.reply(connection, new ChatFrame.Ack(cid, null, null, offset, with, null));
            }
        });
    }

    /** The entry as a whisper a user sent {@code recipient} (not the server's, nor the recipient's own, nor a change). */
    private static Optional<Whispers.Whispered> whisperToIn(Entry entry, String recipient) {
        if (entry.body().startsWith(Rooms.Change.STARTS)) {
            return Optional.empty();
        }
        Whispers.Whispered whisper = FrameCodec.fromJson(entry.body(), Whispers.Whispered.class);
        boolean fromAUser = !Boolean.TRUE.equals(whisper.server()) && whisper.from() != null && !whisper.from().equals(recipient);
        return fromAUser && recipient.equals(whisper.to()) ? Optional.of(whisper) : Optional.empty();
    }

    /**
     * The sender's whisper kept at {@code entry} of the reader's log was delivered (and, when {@code read}, read):
     * the sender's document moves forward (compare and set) and, when it moved, their connections are told.
     */
    private void move(String sender, String reader, Entry entry, boolean read) {
        String id = FrameCodec.fromJson(entry.body(), Whispers.Whispered.class).id();
        for (int i = 0; i < MOVE_TRIES; i++) {
            Optional<Documents.Versioned> doc = documents.get(key(sender));
            Map<String, Got> with = new LinkedHashMap<>(doc.map(d -> FrameCodec.fromJson(d.text(), Kept.class).with()).orElse(Map.of()));
            Got had = Optional.ofNullable(with.get(reader)).filter(g -> entry.epoch().equals(g.epoch())).orElse(null);
            boolean delivers = had == null || had.deliveredAt() == null || entry.offset() > had.deliveredAt();
            boolean reads = read && (had == null || had.readAt() == null || entry.offset() > had.readAt());
            if (!delivers && !reads) {
                return;
            }
            Got now = new Got(entry.epoch(), delivers ? id : had.delivered(), delivers ? Long.valueOf(entry.offset()) : had.deliveredAt(),
                    reads ? id : had == null ? null : had.read(), reads ? Long.valueOf(entry.offset()) : had == null ? null : had.readAt());
            with.remove(reader);
            with.put(reader, now);
            List<String> oldest = with.keySet().stream().limit(Math.max(0, with.size() - CORRESPONDENTS_KEPT)).toList();
            oldest.forEach(with::remove);
            if (documents.replace(key(sender), doc.map(Documents.Versioned::version).orElse(0L),
                    FrameCodec.toJson(new Kept(with)), keepMillis)) {
                bus.signal(Whispers.logOf(sender), FrameCodec.toJson(new ChatFrame.Receipts(reader, now.delivered(), now.read())), null);
                return;
            }
        }
        LOG.warning(() -> "Receipts of " + sender + "'s whispers kept changing under " + MOVE_TRIES + " tries; one is not told");
    }

    private Optional<Kept> kept(String user) {
        return documents.get(key(user)).map(d -> FrameCodec.fromJson(d.text(), Kept.class));
    }

    private static String key(String user) {
        return KEY_PREFIX + user;
    }
}
