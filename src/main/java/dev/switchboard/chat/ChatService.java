package dev.switchboard.chat;

import dev.switchboard.config.NodeId;
import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Acknowledgements;
import dev.switchboard.engine.ChatMessage;
import dev.switchboard.engine.Delivery;
import dev.switchboard.engine.Inbox;
import dev.switchboard.engine.Presence;
import dev.switchboard.engine.RoomHistory;
import dev.switchboard.protocol.Envelope;
import dev.switchboard.protocol.EnvelopeCodec;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.MessageType;
import dev.switchboard.security.NameClaims;
import dev.switchboard.security.Names;
import dev.switchboard.security.TokenService;
import dev.switchboard.session.Channel;
import dev.switchboard.session.Connection;
import dev.switchboard.session.ConnectionClosed;
import dev.switchboard.session.Frame;
import dev.switchboard.session.SessionRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What chat connections ask for: joining and leaving rooms, room messages, whispers and typing.
 * State and fan-out go through the engine interfaces; this class holds none of its own but the
 * striped locks that keep a room's appends, deliveries and joins in one order, and a user's inbox
 * against whispers arriving while they connect.
 */
@ApplicationScoped
public class ChatService {

    /** Chat's connections. */
    public static final Channel CHANNEL = new Channel("chat", true);

    /** The room a plain-text frame goes to when the connection named none. */
    public static final String DEFAULT_ROOM = "lobby";

    @Inject
    TokenService tokens;

    @Inject
    NameClaims claims;

    @Inject
    NodeId node;

    @Inject
    SessionRegistry registry;

    @Inject
    RoomHistory history;

    @Inject
    Inbox inbox;

    @Inject
    Presence presence;

    @Inject
    Delivery delivery;

    @Inject
    Acknowledgements acks;

    @Inject
    RateLimits rateLimits;

    @Inject
    PresenceAnnouncer announcer;

    @Inject
    SwitchboardConfig config;

    Clock clock = Clock.systemUTC();
    private int membersListed;
    private int maxRoomsPerConnection;
    /** Striped locks: a fixed number, whatever the number of rooms and users a client makes up. */
    private final Object[] locks = new Object[LOCK_STRIPES];
    private static final int LOCK_STRIPES = 256;

    @PostConstruct
    void readSettings() {
        membersListed = config.positiveInt(Setting.PRESENCE_LIST_MAX);
        maxRoomsPerConnection = config.positiveInt(Setting.CONNECTION_MAX_ROOMS);
    }

    public ChatService() {
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /**
     * Opens a chat connection: welcome, the room named on the URL, then whispers kept while offline.
     * The connection lasts until its token expires, unless the client refreshes it.
     */
    public void open(Session session, String user, Instant tokenExpiresAt, String roomOnUrl) {
        Connection connection = registry.register(session, CHANNEL, user, null);
        connection.identityValidUntil(tokenExpiresAt);
        // Subscribed before the inbox is emptied (below, under the user's lock), so no whisper falls between.
        registry.subscribe(connection, Delivery.userTopic(user));
        boolean roomOk = roomOnUrl != null && Names.isRoom(roomOnUrl);
        connection.send(encoded(Envelope.of(MessageType.WELCOME).withUser(user).withNode(node.get())
                .withRooms(roomOk ? List.of(roomOnUrl) : List.of())));
        if (roomOnUrl != null && !roomOk) {
            reply(connection, Envelope.error(ErrorCode.BAD_NAME, "Room names are 1-64 letters, digits, '_', '-', '.', ':'"));
        }
        if (roomOk) {
            join(connection, roomOnUrl, null, null, null);
        }
        synchronized (userLockOf(user)) {
            for (ChatMessage whisper : inbox.takeAll(user)) {
                connection.send(new Frame.Text(EnvelopeCodec.encode(whisper.toEnvelope())));
            }
        }
    }

    /** Handles one client envelope. */
    public void handle(Session session, Envelope envelope, String defaultRoom) {
        Connection connection = registry.receive(session, envelope.getReceivedBytes()).orElse(null);
        if (connection == null) {
            return;
        }
        MessageType type = MessageType.fromWire(envelope.getType()).orElseThrow();
        String cid = envelope.getCid();
        switch (type) {
            case PING -> reply(connection, Envelope.of(MessageType.PONG).withCid(cid));
            case JOIN -> {
                // Joins and leaves are charged too: each one is news for every member of the room.
                if (validRoom(connection, envelope.getRoom(), cid) && withinRate(connection, null, cid)
                        && mayJoin(connection, envelope.getRoom(), cid)) {
                    join(connection, envelope.getRoom(), envelope.getSince(), envelope.getEpoch(), cid);
                }
            }
            case LEAVE -> {
                if (validRoom(connection, envelope.getRoom(), cid) && withinRate(connection, null, cid)) {
                    leave(connection, envelope.getRoom());
                    if (cid != null) {
                        reply(connection, Envelope.of(MessageType.ACK).withCid(cid).withRoom(envelope.getRoom()));
                    }
                }
            }
            case SAY -> {
                String room = envelope instanceof ChatFrameDecoder.PlainText ? defaultRoom : envelope.getRoom();
                if (envelope instanceof ChatFrameDecoder.PlainText && !isIn(connection, room)) {
                    if (!mayJoin(connection, room, cid)) {
                        return;
                    }
                    join(connection, room, null, null, null);
                }
                say(connection, room, envelope.getText(), cid);
            }
            case WHISPER -> whisper(connection, envelope.getTo(), envelope.getText(), cid);
            case TYPING -> typing(connection, envelope.getRoom(), envelope.getTo(), cid);
            case REFRESH -> refresh(connection, envelope.token(), cid);
            default -> refuse(connection, Envelope.error(ErrorCode.UNSUPPORTED_TYPE,
                    "Clients do not send '" + type.wireName() + "'").withCid(cid));
        }
    }

    /** A fresh token for the same user extends the connection's life to the new token's expiry. */
    private void refresh(Connection connection, String token, String cid) {
        Optional<TokenService.Verified> verified = tokens.verify(token);
        if (verified.isEmpty() || !verified.get().user().equals(connection.user())
                || !claims.admits(verified.get().user(), verified.get().browser(), verified.get().expiresAt())) {
            refuse(connection, Envelope.error(ErrorCode.INVALID_TOKEN,
                    "Not a valid token for " + connection.user() + "; the connection keeps its old expiry").withCid(cid));
            return;
        }
        connection.identityValidUntil(verified.get().expiresAt());
        reply(connection, Envelope.of(MessageType.REFRESHED).withCid(cid)
                .withExpiresAt(verified.get().expiresAt().toString()));
    }

    private void join(Connection connection, String room, Long since, String epoch, String cid) {
        String topic = Delivery.roomTopic(room);
        synchronized (lockOf(room)) {
            // Subscribed first: if the connection closes meanwhile, its cleanup sees this room too.
            if (!registry.subscribe(connection, topic)) {
                return;
            }
            if (presence.enter(room, connection.user(), connection.id())) {
                announcer.joined(room, connection.user());
            }
            RoomHistory.Replay replay = history.replay(room, since, epoch);
            connection.send(encoded(Envelope.of(MessageType.JOINED).withRoom(room).withCid(cid)
                    .withCount(presence.count(room)).withMembers(presence.members(room, membersListed))
                    .withOffset(replay.lastOffset()).withEpoch(replay.epoch())
                    .withRecovered(since == null ? null : replay.recovered())));
            for (ChatMessage message : replay.messages()) {
                connection.send(new Frame.Text(EnvelopeCodec.encode(message.toEnvelope())));
            }
        }
    }

    private void leave(Connection connection, String room) {
        synchronized (lockOf(room)) {
            registry.unsubscribe(connection, Delivery.roomTopic(room));
            leftRoom(room, connection.user(), connection.id());
        }
    }

    private void leftRoom(String room, String user, String connectionId) {
        if (presence.exit(room, user, connectionId)) {
            announcer.left(room, user);
        }
    }

    private void say(Connection connection, String room, String text, String cid) {
        if (!validRoom(connection, room, cid) || !hasText(connection, text, cid) || !firstTry(connection, "say", cid)) {
            return;
        }
        if (!joined(connection, room, cid) || !withinRate(connection, room, cid)) {
            letGo(connection, "say", cid);
            return;
        }
        ChatMessage message;
        Delivery.Fanout fanout;
        synchronized (lockOf(room)) {
            // Offsets and each member's queue take messages in one order under the room's lock; the
            // writes, the costly part, happen after it, so joins and other speakers do not wait on them.
            message = history.append(room, newId(), connection.user(), text, clock.millis());
            // Serialized once, the same text for every member on every node.
            fanout = delivery.enqueue(Delivery.roomTopic(room), EnvelopeCodec.encode(message.toEnvelope()), null);
        }
        fanout.flush();
        acknowledge(connection, "say", cid, Envelope.of(MessageType.ACK).withCid(cid).withId(message.id())
                .withRoom(room).withOffset(message.offset()));
    }

    private void whisper(Connection connection, String to, String text, String cid) {
        if (!Names.isUser(to)) {
            refuse(connection, Envelope.error(to == null ? ErrorCode.MISSING_FIELD : ErrorCode.BAD_NAME,
                    "A whisper needs 'to': a user name of 1-32 letters, digits, '_', '-', '.'").withCid(cid));
            return;
        }
        if (!hasText(connection, text, cid) || !firstTry(connection, "whisper", cid)) {
            return;
        }
        if (!withinRate(connection, null, cid)) {
            letGo(connection, "whisper", cid);
            return;
        }
        String user = connection.user();
        ChatMessage whisper = new ChatMessage(newId(), null, 0, user, to, text, clock.millis());
        String json = EnvelopeCodec.encode(whisper.toEnvelope());
        boolean delivered;
        synchronized (userLockOf(to)) {
            // Delivered means some connection of the recipient took it; otherwise it waits in the inbox.
            // The lock orders this against the recipient's next connection emptying that inbox.
            delivered = delivery.publish(Delivery.userTopic(to), json, to.equals(user) ? connection.id() : null) > 0;
            if (!delivered && !inbox.keep(whisper)) {
                letGo(connection, "whisper", cid);
                refuse(connection, Envelope.error(ErrorCode.INBOX_FULL,
                        "The server keeps as many whispers for offline users as it may; " + to + " is offline").withCid(cid));
                return;
            }
        }
        if (!to.equals(user)) {
            delivery.publish(Delivery.userTopic(user), json, connection.id());
        }
        acknowledge(connection, "whisper", cid, Envelope.of(MessageType.ACK).withCid(cid).withId(whisper.id())
                .withTo(to).withStatus(delivered ? "delivered" : "stored"));
    }

    private void typing(Connection connection, String room, String to, String cid) {
        String user = connection.user();
        String json;
        String topic;
        if (room != null) {
            if (!validRoom(connection, room, cid) || !joined(connection, room, cid)) {
                return;
            }
            topic = Delivery.roomTopic(room);
            json = EnvelopeCodec.encode(Envelope.of(MessageType.TYPING).withRoom(room).withFrom(user));
        } else if (Names.isUser(to)) {
            topic = Delivery.userTopic(to);
            json = EnvelopeCodec.encode(Envelope.of(MessageType.TYPING).withTo(to).withFrom(user));
        } else {
            refuse(connection, Envelope.error(to == null ? ErrorCode.MISSING_FIELD : ErrorCode.BAD_NAME,
                    "Typing needs 'room' (a room joined) or 'to' (a user name)").withCid(cid));
            return;
        }
        if (withinRate(connection, room, cid)) {
            delivery.publish(topic, json, connection.id());
        }
    }

    /** A connection went: it leaves its rooms (announced if it was the user's last) and goes offline. */
    void connectionClosed(@Observes ConnectionClosed closed) {
        Connection connection = closed.connection();
        if (!connection.channel().equals(CHANNEL)) {
            return;
        }
        for (String topic : closed.topics()) {
            if (topic.startsWith("room:")) {
                String room = topic.substring("room:".length());
                synchronized (lockOf(room)) {
                    leftRoom(room, connection.user(), connection.id());
                }
            }
        }
    }

    /** The room's members, for the HTTP API. */
    public List<String> members(String room) {
        return new ArrayList<>(presence.members(room));
    }

    /** Charges the user's rate limit; a refusal is answered, and counts as the connection's strike. */
    private boolean withinRate(Connection connection, String room, String cid) {
        if (rateLimits.take(connection.user(), room)) {
            return true;
        }
        refuse(connection, Envelope.error(ErrorCode.RATE_LIMITED, "Too many messages; slow down").withCid(cid));
        return false;
    }

    /** A connection is in at most {@code switchboard.connection.max-rooms} rooms: each one costs memory in every engine. */
    private boolean mayJoin(Connection connection, String room, String cid) {
        if (isIn(connection, room)
                || connection.topics().stream().filter(Delivery::isRoomTopic).count() < maxRoomsPerConnection) {
            return true;
        }
        refuse(connection, Envelope.error(ErrorCode.TOO_MANY_ROOMS,
                "In " + maxRoomsPerConnection + " rooms already; leave one first").withCid(cid));
        return false;
    }

    private boolean joined(Connection connection, String room, String cid) {
        if (isIn(connection, room)) {
            return true;
        }
        refuse(connection, Envelope.error(ErrorCode.NOT_JOINED, "Join '" + room + "' first").withCid(cid));
        return false;
    }

    /**
     * Claims the client id for this try. A retry of a handled message gets its ack again and goes no
     * further; a retry while the first try is underway goes no further (the first answers).
     */
    private boolean firstTry(Connection connection, String kind, String cid) {
        if (cid == null) {
            return true;
        }
        Acknowledgements.Claim claim = acks.claim(connection.user(), kind + ":" + cid);
        if (claim instanceof Acknowledgements.Answered answered) {
            connection.send(new Frame.Text(answered.ack()));
        }
        return claim instanceof Acknowledgements.First;
    }

    /** The first try was refused: a retry may go ahead. */
    private void letGo(Connection connection, String kind, String cid) {
        if (cid != null) {
            acks.release(connection.user(), kind + ":" + cid);
        }
    }

    private void acknowledge(Connection connection, String kind, String cid, Envelope ack) {
        String json = EnvelopeCodec.encode(ack);
        if (cid != null) {
            acks.answer(connection.user(), kind + ":" + cid, json);
        }
        connection.send(new Frame.Text(json));
    }

    private boolean validRoom(Connection connection, String room, String cid) {
        if (Names.isRoom(room)) {
            return true;
        }
        refuse(connection, Envelope.error(room == null ? ErrorCode.MISSING_FIELD : ErrorCode.BAD_NAME,
                "A room is 1-64 letters, digits, '_', '-', '.', ':'").withCid(cid));
        return false;
    }

    private boolean hasText(Connection connection, String text, String cid) {
        if (text != null && !text.isEmpty()) {
            return true;
        }
        refuse(connection, Envelope.error(ErrorCode.MISSING_FIELD, "Field 'text' is required").withCid(cid));
        return false;
    }

    private static boolean isIn(Connection connection, String room) {
        return connection.topics().contains(Delivery.roomTopic(room));
    }

    private static void reply(Connection connection, Envelope envelope) {
        connection.send(encoded(envelope));
    }

    /** Answers a refused frame with its error; refusals count as strikes against the connection. */
    private void refuse(Connection connection, Envelope error) {
        registry.refuse(connection, error);
    }

    private static Frame encoded(Envelope envelope) {
        return new Frame.Encoded(envelope);
    }

    private Object lockOf(String room) {
        return locks[Math.floorMod(room.hashCode(), LOCK_STRIPES)];
    }

    private Object userLockOf(String user) {
        return locks[Math.floorMod(("@" + user).hashCode(), LOCK_STRIPES)];
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
