package dev.switchboard.chat;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.ChatMessage;
import dev.switchboard.engine.Delivery;
import dev.switchboard.engine.Presence;
import dev.switchboard.engine.RoomHistory;
import dev.switchboard.protocol.Envelope;
import dev.switchboard.protocol.EnvelopeCodec;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.MessageType;
import dev.switchboard.security.Names;
import dev.switchboard.session.Connection;
import dev.switchboard.session.ConnectionClosed;
import dev.switchboard.session.Frame;
import dev.switchboard.session.SessionRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Rooms with ordered logs: joining (with recovery from an offset), leaving, saying, and who is in.
 * A room's appends, deliveries and joins happen in one order under its (striped) lock, so a message is
 * either in a joiner's replay or delivered to it live, never both and never neither.
 */
@ApplicationScoped
public class Rooms {

    @Inject
    SessionRegistry registry;

    @Inject
    RoomHistory history;

    @Inject
    Presence presence;

    @Inject
    Delivery delivery;

    @Inject
    PresenceAnnouncer announcer;

    @Inject
    Replies replies;

    @Inject
    SwitchboardConfig config;

    Clock clock = Clock.systemUTC();
    private int membersListed;
    private int maxRoomsPerConnection;
    private final StripedLocks locks = new StripedLocks(256);

    @PostConstruct
    void readSettings() {
        membersListed = config.positiveInt(Setting.PRESENCE_LIST_MAX);
        maxRoomsPerConnection = config.positiveInt(Setting.CONNECTION_MAX_ROOMS);
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
            synchronized (locks.of(room)) {
                registry.unsubscribe(connection, Delivery.roomTopic(room));
                left(room, connection.user(), connection.id());
            }
            if (cid != null) {
                replies.reply(connection, Envelope.of(MessageType.ACK).withCid(cid).withRoom(room));
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
        String topic = Delivery.roomTopic(room);
        synchronized (locks.of(room)) {
            // Subscribed first: if the connection closes meanwhile, its cleanup sees this room too.
            if (!registry.subscribe(connection, topic)) {
                return;
            }
            if (presence.enter(room, connection.user(), connection.id())) {
                announcer.joined(room, connection.user());
            }
            RoomHistory.Replay replay = history.replay(room, since, epoch);
            connection.send(new Frame.Encoded(Envelope.of(MessageType.JOINED).withRoom(room).withCid(cid)
                    .withCount(presence.count(room)).withMembers(presence.members(room, membersListed))
                    .withOffset(replay.lastOffset()).withEpoch(replay.epoch())
                    .withRecovered(since == null ? null : replay.recovered())));
            for (ChatMessage message : replay.messages()) {
                connection.send(new Frame.Text(EnvelopeCodec.encode(message.toEnvelope())));
            }
        }
    }

    private void left(String room, String user, String connectionId) {
        if (presence.exit(room, user, connectionId)) {
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
        ChatMessage message;
        Delivery.Fanout fanout;
        synchronized (locks.of(room)) {
            // Offsets and each member's queue take messages in one order under the room's lock; the
            // writes, the costly part, happen after it, so joins and other speakers do not wait on them.
            message = history.append(room, UUID.randomUUID().toString(), connection.user(), text, clock.millis());
            // Serialized once, the same text for every member on every node.
            fanout = delivery.enqueue(Delivery.roomTopic(room), EnvelopeCodec.encode(message.toEnvelope()), null);
        }
        fanout.flush();
        replies.acknowledge(connection, "say", cid, Envelope.of(MessageType.ACK).withCid(cid).withId(message.id())
                .withRoom(room).withOffset(message.offset()));
    }

    /** A connection went: it leaves its rooms (announced if it was the user's last connection there). */
    void connectionClosed(@Observes ConnectionClosed closed) {
        if (!closed.connection().channel().equals(ChatService.CHANNEL)) {
            return;
        }
        for (String topic : closed.topics()) {
            if (Delivery.isRoomTopic(topic)) {
                String room = topic.substring("room:".length());
                synchronized (locks.of(room)) {
                    left(room, closed.connection().user(), closed.connection().id());
                }
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
                || connection.topics().stream().filter(Delivery::isRoomTopic).count() < maxRoomsPerConnection) {
            return true;
        }
        replies.refuse(connection, Envelope.error(ErrorCode.TOO_MANY_ROOMS,
                "In " + maxRoomsPerConnection + " rooms already; leave one first").withCid(cid));
        return false;
    }

    /** Whether the connection is in the room; if not, the refusal ({@code not_joined}) is answered. */
    boolean joined(Connection connection, String room, String cid) {
        if (isIn(connection, room)) {
            return true;
        }
        replies.refuse(connection, Envelope.error(ErrorCode.NOT_JOINED, "Join '" + room + "' first").withCid(cid));
        return false;
    }

    boolean validRoom(Connection connection, String room, String cid) {
        if (Names.isRoom(room)) {
            return true;
        }
        replies.refuse(connection, Envelope.error(room == null ? ErrorCode.MISSING_FIELD : ErrorCode.BAD_NAME,
                "A room is 1-64 letters, digits, '_', '-', '.', ':'").withCid(cid));
        return false;
    }

    private static boolean isIn(Connection connection, String room) {
        return connection.topics().contains(Delivery.roomTopic(room));
    }
}
