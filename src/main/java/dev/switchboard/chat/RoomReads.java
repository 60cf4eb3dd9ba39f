package dev.switchboard.chat;

import dev.switchboard.config.ServerExecutors;
import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Bus;
import dev.switchboard.engine.Documents;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.engine.Logs;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.SharedFrame;
import dev.switchboard.reply.Replies;
import dev.switchboard.session.Connection;
import dev.switchboard.stream.Streams;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How far each member has read a room: the offset of the last message they have seen, told by their
 * client with a {@code read} frame. Members learn of it the way they learn of joins: each node gathers the
 * positions its members moved and, once per presence interval, merges them into the room's document and
 * tells the room one {@code reads} frame with those that moved, so a busy room costs few frames however
 * often its members read. The document keeps the {@code switchboard.presence.list-max} furthest readers,
 * so a huge room's positions stay bounded; {@code joined} carries them. Only rooms that show their members
 * ({@code presence}) share how far they have read.
 */
@ApplicationScoped
public class RoomReads {

    private static final Logger LOG = Logger.getLogger(RoomReads.class.getName());
    private static final String KEY_PREFIX = "reads:room:";
    /** Tries to merge into a room's document against other nodes merging at once. */
    static final int MERGE_TRIES = 10;

    @Inject
    Documents documents;

    @Inject
    Bus bus;

    @Inject
    Streams streams;

    @Inject
    Rooms rooms;

    @Inject
    Namespaces namespaces;

    @Inject
    Replies replies;

    @Inject
    ServerExecutors executors;

    @Inject
    SwitchboardConfig config;

    private long intervalMillis;
    private int kept;
    private RoomBatches<Gathered> pending;

    /** A room's read positions as its document keeps them: in which epoch of the room's log, user by user. */
    public record Positions(String epoch, Map<String, Long> reads) {
        static final Positions NONE = new Positions(null, Map.of());

        /** The positions that hold in the log's {@code epoch}: none when it started anew since they were read. */
        public Map<String, Long> in(String logEpoch) {
            return logEpoch != null && logEpoch.equals(epoch) && reads != null ? reads : Map.of();
        }
    }

    /** Positions moved on this node and not yet told, in which epoch of the room's log. */
    private static final class Gathered {
        final Map<String, Long> reads = new HashMap<>();
        String epoch;
    }

    @PostConstruct
    void readSettings() {
        intervalMillis = config.duration(Setting.PRESENCE_INTERVAL).toMillis();
        kept = config.positiveInt(Setting.PRESENCE_LIST_MAX);
        pending = new RoomBatches<>(executors, Gathered::new, room -> intervalMillis, this::tell);
    }

    /** Whether the room shares its members' read positions (its namespace shows who is in). */
    boolean shares(String room) {
        return namespaces.rulesOf(room).map(RoomRules::presence).orElse(false);
    }

    /**
     * A {@code read} frame for a room the connection is in: it has read up to {@code offset}, at most the last
     * offset it was given there. Charged like a message; acknowledged when it has a client id.
     */
    void read(Connection connection, String room, Long offset, String cid) {
        if (!rooms.validRoom(connection, room, cid) || !rooms.joined(connection, room, cid)) {
            return;
        }
        if (!shares(room)) {
            replies.refuse(connection, SharedFrame.Error.of(ErrorCode.FORBIDDEN,
                    "'" + room + "' does not share who has read what (its members are not shown)").withCid(cid));
            return;
        }
        Optional<Logs.Position> given = streams.given(connection, Rooms.logOf(room));
        if (offset == null || given.isEmpty() || offset < 0 || offset > given.get().offset()) {
            replies.refuse(connection, SharedFrame.Error.of(offset == null ? ErrorCode.MISSING_FIELD : ErrorCode.BAD_FIELD,
                    "'offset' is how far you have read '" + room + "': at most the last offset you were given there"
                    + given.map(g -> " (" + g.offset() + ")").orElse("")).withCid(cid));
            return;
        }
        if (!replies.withinRate(connection, room, cid)) {
            return;
        }
        gather(room, connection.user(), offset, given.get().epoch());
        if (cid != null) {
            replies.reply(connection, new ChatFrame.Ack(cid, null, room, offset, null, null));
        }
    }

    private void gather(String room, String user, long offset, String epoch) {
        pending.add(room, gathered -> {
            if (!epoch.equals(gathered.epoch)) {
                gathered.reads.clear();
                gathered.epoch = epoch;
            }
            gathered.reads.merge(user, offset, Math::max);
        });
    }

    /** Keeps what moved in the room since the last flush and tells its members, on every node. */
    void flush(String room) {
        pending.tell(room);
    }

    private void tell(String room, Gathered gathered) {
        try {
            Map<String, Long> moved = keep(room, gathered.epoch, gathered.reads);
            if (!moved.isEmpty()) {
                bus.signal(Rooms.logOf(room), FrameCodec.toJson(new ChatFrame.Reads(room, gathered.epoch, new TreeMap<>(moved))), null);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "Telling read positions in room " + room + " failed");
        }
    }

    /**
     * Merges the positions into the room's document, each only forward, keeping the furthest readers
     * (compare and set, against other nodes merging at once); returns those that moved and are kept.
     */
    Map<String, Long> keep(String room, String epoch, Map<String, Long> reads) {
        for (int i = 0; i < MERGE_TRIES; i++) {
            Optional<Documents.Versioned> doc = documents.get(key(room));
            Positions now = doc.map(d -> FrameCodec.fromJson(d.text(), Positions.class)).orElse(Positions.NONE);
            Map<String, Long> merged = new HashMap<>(now.in(epoch));
            Map<String, Long> moved = new HashMap<>();
            reads.forEach((user, offset) -> {
                Long had = merged.get(user);
                if (had == null || offset > had) {
                    merged.put(user, offset);
                    moved.put(user, offset);
                }
            });
            if (moved.isEmpty()) {
                return Map.of();
            }
            Map<String, Long> furthest = furthest(merged, kept);
            moved.keySet().retainAll(furthest.keySet());
            if (documents.replace(key(room), doc.map(Documents.Versioned::version).orElse(0L),
                    FrameCodec.toJson(new Positions(epoch, furthest)), keepMillis(room))) {
                return moved;
            }
        }
        LOG.warning(() -> "Read positions in room " + room + " kept changing under " + MERGE_TRIES + " tries; these are not told");
        return Map.of();
    }

    /** The {@code limit} furthest readers (ties by name), sorted by name. */
    static Map<String, Long> furthest(Map<String, Long> reads, int limit) {
        Map<String, Long> furthest = new TreeMap<>();
        reads.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(limit).forEach(e -> furthest.put(e.getKey(), e.getValue()));
        return furthest;
    }

    /**
     * The room's read positions, for {@code joined} (one engine read). None when the store cannot be read:
     * a join goes on without them (members' next {@code reads} frames bring them).
     */
    Positions of(String room) {
        try {
            return documents.get(key(room)).map(d -> FrameCodec.fromJson(d.text(), Positions.class)).orElse(Positions.NONE);
        } catch (EngineUnavailable e) {
            LOG.log(Level.FINE, "Read positions of {0} not read: {1}", new Object[] {room, e.toString()});
            return Positions.NONE;
        }
    }

    /** As long as the room keeps its messages: positions in a history that is gone tell nothing. */
    private long keepMillis(String room) {
        return namespaces.rulesOf(room).map(rules -> rules.historyTtl().toMillis()).orElse(0L);
    }

    private static String key(String room) {
        return KEY_PREFIX + room;
    }
}
