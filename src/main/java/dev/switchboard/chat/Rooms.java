package dev.switchboard.chat;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Entry;
import dev.switchboard.engine.Logs;
import dev.switchboard.engine.Presence;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.SharedFrame;
import dev.switchboard.reply.Replies;
import dev.switchboard.security.Names;
import dev.switchboard.session.Connection;
import dev.switchboard.session.ConnectionClosed;
import dev.switchboard.session.Frame;
import dev.switchboard.session.SessionRegistry;
import dev.switchboard.stream.Streams;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Rooms with ordered logs: joining (with recovery from an offset), leaving, saying, and who is in.
 * A room is a log in the engine: the store gives each message its offset and publishes it, and
 * {@link Streams} hands every member each offset once and in order, whether it came from the replay
 * of a join or live, on whichever node it was said.
 */
@ApplicationScoped
public class Rooms {

    @Inject
    SessionRegistry registry;

    private static final String LOG_PREFIX = "room:";

    @Inject
    Logs logs;

    @Inject
    Streams streams;

    @Inject
    Presence presence;

    @Inject
    PresenceAnnouncer announcer;

    @Inject
    Replies replies;

    @Inject
    SwitchboardConfig config;

    @Inject
    MeterRegistry meters;

    private Timer publishLatency;

    Clock clock = Clock.systemUTC();
    private int membersListed;
    private int maxRoomsPerConnection;
    private Logs.Retention retention;

    /**
     * A message as the room's log keeps it: the body of its entry, which has the offset. Messages from the
     * site's back end ({@code POST /api/publish}) say {@code server}, and may carry JSON {@code data}
     * instead of text or beside it; absent fields are left out of the JSON. One constructor only: JSON-B reads
     * it back through the canonical one.
     */
    public record Said(String id, String from, String text, long ts, JsonValue data, Boolean server) {
        /** The frame that shows this message in its room at its offset. */
        ChatFrame.Message at(String room, long offset) {
            return new ChatFrame.Message(room, offset, data, from, id, server, text, ts);
        }
    }

    /** Where the store put a message: its id, offset and the log's epoch. */
    public record Published(String id, String room, long offset, String epoch) {
    }

    /** The engine's log (and signal topic) of a room. */
    static String logOf(String room) {
        return LOG_PREFIX + room;
    }

    static boolean isRoomLog(String topic) {
        return topic.startsWith(LOG_PREFIX);
    }

    /** A room message on the wire: its body read back, shown in its room at its offset (built once per entry on each node). */
    static String wire(Entry entry) {
        return FrameCodec.toJson(FrameCodec.fromJson(entry.body(), Said.class)
                .at(entry.log().substring(LOG_PREFIX.length()), entry.offset()));
    }

    @PostConstruct
    void readSettings() {
        membersListed = config.positiveInt(Setting.PRESENCE_LIST_MAX);
        maxRoomsPerConnection = config.positiveInt(Setting.CONNECTION_MAX_ROOMS);
        retention = new Logs.Retention(config.positiveInt(Setting.HISTORY_SIZE), config.duration(Setting.HISTORY_TTL), false);
        publishLatency = Timer.builder("switchboard.publish.latency")
                .description("From a room message accepted to the store having kept and published it")
                .publishPercentiles(0.5, 0.99).register(meters);
    }

    /** A join frame: charged like a message (it is news for every member), within the rooms a connection may be in. */
    void join(Connection connection, String room, Long since, String epoch, String cid) {
        if (validRoom(connection, room, cid) && replies.withinRate(connection, null, cid) && mayJoin(connection, room, cid)) {
            enter(connection, room, since, epoch, cid);
        }
    }

    /** A leave frame: charged like a message; acknowledged when it has a client id. */
    void leave(Connection connection, String room, String cid) {
        if (validRoom(connection, room, cid) && replies.withinRate(connection, null, cid)) {
            registry.unsubscribe(connection, logOf(room));
            streams.unfollow(connection, logOf(room));
            left(room, connection.user(), connection.id(), false);
            if (cid != null) {
                replies.reply(connection, new ChatFrame.Ack(cid, null, room, null, null, null));
            }
        }
    }

    /** A plain-text frame: said into the connection's default room, joining it first if need be. */
    void sayPlainText(Connection connection, String room, String text, String cid) {
        if (!isIn(connection, room)) {
            if (!mayJoin(connection, room, cid)) {
                return;
            }
            enter(connection, room, null, null, null);
        }
        say(connection, room, text, cid);
    }

    /** The room named on the URL: joined as the connection opens, without charge. */
    void enterOnOpen(Connection connection, String room) {
        enter(connection, room, null, null, null);
    }

    private void enter(Connection connection, String room, Long since, String epoch, String cid) {
        String log = logOf(room);
        // Tracked first: if the connection closes meanwhile, its cleanup sees this room too.
        if (!registry.subscribe(connection, log)) {
            return;
        }
        if (presence.enter(room, connection.user(), connection.id())) {
            announcer.joined(room, connection.user());
        }
        int count = presence.count(room);
        List<String> members = presence.members(room, membersListed);
        streams.follow(connection, log, since, epoch, Rooms::wire,
                replay -> new Frame.Encoded(new ChatFrame.Joined(cid, room, replay.lastOffset(), count, members,
                        since == null ? null : replay.recovered(), replay.epoch())))
                .whenComplete((greeted, failure) -> {
                    if (failure != null) {
                        registry.unsubscribe(connection, log);
                        left(room, connection.user(), connection.id(), false);
                        replies.unavailable(connection, "join " + room, failure, cid,
                                "The room's history cannot be read now; join again later");
                    }
                });
    }

    /** Leaves presence; a retried clean-up (whose first exit may have run unanswered) asks who is still there. */
    private void left(String room, String user, String connectionId, boolean retried) {
        if (presence.exit(room, user, connectionId) || retried && !presence.present(room, user)) {
            announcer.left(room, user);
        }
    }

    void say(Connection connection, String room, String text, String cid) {
        if (!validRoom(connection, room, cid) || !replies.hasText(connection, text, cid)
                || !replies.firstTry(connection, "say", cid)) {
            return;
        }
        if (!joined(connection, room, cid) || !replies.withinRate(connection, room, cid)) {
            replies.letGo(connection, "say", cid);
            return;
        }
        Said said = new Said(UUID.randomUUID().toString(), connection.user(), text, clock.millis(), null, null);
        append(room, said).whenComplete((entry, failure) -> {
            if (failure != null) {
                replies.letGo(connection, "say", cid);
                replies.unavailable(connection, "say into " + room, failure, cid,
                        "The message could not be stored; send it again later");
                return;
            }
            replies.acknowledge(connection, "say", cid, new ChatFrame.Ack(cid, said.id(), room, entry.offset(), null, null));
        });
    }

    /**
     * A message from the site's back end into a room, from {@code from} (or {@code server}), with text,
     * JSON data or both; completes once the store has kept and published it.
     */
    public CompletionStage<Published> publish(String room, String from, String text, JsonValue data) {
        Said said = new Said(UUID.randomUUID().toString(), from == null ? "server" : from, text, clock.millis(), data, true);
        return append(room, said).thenApply(entry -> new Published(said.id(), room, entry.offset(), entry.epoch()));
    }

    /** The store gives the offset and publishes the message to every member, on every node, in order; timed. */
    private CompletionStage<Entry> append(String room, Said said) {
        Timer.Sample started = Timer.start(meters);
        return logs.append(logOf(room), FrameCodec.toJson(said), retention)
                .whenComplete((entry, failure) -> started.stop(publishLatency));
    }

    /** What a room kept after {@code since} (null: what it keeps), for the server API. */
    public CompletionStage<Logs.Replay> history(String room, Long since) {
        return logs.read(logOf(room), since, null);
    }

    /** A connection went: it leaves its rooms (announced if it was the user's last connection there). */
    void connectionClosed(@Observes ConnectionClosed closed) {
        if (!closed.connection().channel().equals(ChatService.CHANNEL)) {
            return;
        }
        for (String topic : closed.topics()) {
            if (isRoomLog(topic)) {
                left(topic.substring(LOG_PREFIX.length()), closed.connection().user(), closed.connection().id(), closed.retried());
            }
        }
    }

    /** The room's members, for the HTTP API. */
    public List<String> members(String room) {
        return new ArrayList<>(presence.members(room));
    }

    /** A connection is in at most {@code switchboard.connection.max-rooms} rooms: each one costs memory in every engine. */
    private boolean mayJoin(Connection connection, String room, String cid) {
        if (isIn(connection, room)
                || connection.topics().stream().filter(Rooms::isRoomLog).count() < maxRoomsPerConnection) {
            return true;
        }
        replies.refuse(connection, SharedFrame.Error.of(ErrorCode.TOO_MANY_ROOMS,
                "In " + maxRoomsPerConnection + " rooms already; leave one first").withCid(cid));
        return false;
    }

    /** Whether the connection is in the room; if not, the refusal ({@code not_joined}) is answered. */
    boolean joined(Connection connection, String room, String cid) {
        if (isIn(connection, room)) {
            return true;
        }
        replies.refuse(connection, SharedFrame.Error.of(ErrorCode.NOT_JOINED, "Join '" + room + "' first").withCid(cid));
        return false;
    }

    boolean validRoom(Connection connection, String room, String cid) {
        if (Names.isRoom(room)) {
            return true;
        }
        replies.refuse(connection, SharedFrame.Error.of(room == null ? ErrorCode.MISSING_FIELD : ErrorCode.BAD_NAME,
                "A room is 1-64 letters, digits, '_', '-', '.', ':'").withCid(cid));
        return false;
    }

    private static boolean isIn(Connection connection, String room) {
        return connection.topics().contains(logOf(room));
    }
}
