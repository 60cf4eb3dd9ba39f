package dev.switchboard.chat;

import dev.switchboard.config.NodeId;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.protocol.Envelope;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.MessageType;
import dev.switchboard.protocol.SharedFrame;
import dev.switchboard.reply.Replies;
import dev.switchboard.security.NameClaims;
import dev.switchboard.security.Names;
import dev.switchboard.security.TokenService;
import dev.switchboard.session.Channel;
import dev.switchboard.session.Connection;
import dev.switchboard.session.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A chat connection's life: it opens (welcome, the room on the URL, whispers kept while away), its
 * frames go to the part that handles them (rooms, whispers, typing), and its token may be refreshed.
 * This class keeps no state; the parts keep theirs behind the engine interfaces.
 */
@ApplicationScoped
public class ChatService {

    /** Chat's connections. */
    public static final Channel CHANNEL = new Channel("chat", true);

    /** The room a plain-text frame goes to when the connection named none. */
    public static final String DEFAULT_ROOM = "lobby";

    /** What an epoch on the URL may look like (the server's are 8 hex digits). */
    private static final Pattern EPOCH = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    @Inject
    SessionRegistry registry;

    @Inject
    TokenService tokens;

    @Inject
    NameClaims claims;

    @Inject
    NodeId node;

    @Inject
    Rooms rooms;

    @Inject
    Whispers whispers;

    @Inject
    Typing typing;

    @Inject
    Replies replies;

    /**
     * Opens a chat connection: welcome, the room named on the URL, then the user's whispers: from where
     * the client says it was ({@code whispersSince} in {@code whispersEpoch}), or those no connection of
     * the user has had yet.
     * The connection lasts until its token expires, unless the client refreshes it.
     */
    public void open(Session session, String user, Instant tokenExpiresAt, String roomOnUrl, String whispersSince,
            String whispersEpoch) {
        Connection connection = registry.register(session, CHANNEL, user, null);
        connection.identityValidUntil(tokenExpiresAt);
        boolean roomOk = roomOnUrl != null && Names.isRoom(roomOnUrl);
        replies.reply(connection, new ChatFrame.Welcome(user, roomOk ? List.of(roomOnUrl) : List.of(), node.get()));
        if (roomOnUrl != null && !roomOk) {
            replies.reply(connection, SharedFrame.Error.of(ErrorCode.BAD_NAME, "Room names are 1-64 letters, digits, '_', '-', '.', ':'"));
        }
        try {
            if (roomOk) {
                rooms.enterOnOpen(connection, roomOnUrl);
            }
        Long since = whispersSince == null ? null : parseOffset(whispersSince);
        boolean epochOk = whispersEpoch == null || EPOCH.matcher(whispersEpoch).matches();
        if (whispersSince != null && since == null || !epochOk) {
            replies.reply(connection, SharedFrame.Error.of(ErrorCode.BAD_FIELD,
                    "'whispersSince' is an offset (0 or more) and 'whispersEpoch' 1-64 letters, digits, '-' or '_'; "
                    + "whispers follow from what no connection of yours has had"));
            since = null;
        }
            whispers.connected(connection, since, since == null ? null : whispersEpoch);
        } catch (EngineUnavailable e) {
            unavailable(connection, e, null);
        }
    }

    /** The engine could not be reached: the connection stays open and is told; nothing was done. */
    private void unavailable(Connection connection, EngineUnavailable e, String cid) {
        replies.unavailable(connection, "chat frame", e, cid, "The server's store cannot be reached now; try again shortly");
    }

    /** Handles one client envelope. */
    public void handle(Session session, Envelope envelope, String defaultRoom) {
        Connection connection = registry.receive(session, envelope.getReceivedBytes()).orElse(null);
        if (connection == null) {
            return;
        }
        MessageType type = MessageType.fromWire(envelope.getType()).orElseThrow();
        String cid = envelope.getCid();
        try {
            route(connection, type, envelope, defaultRoom);
        } catch (EngineUnavailable e) {
            unavailable(connection, e, cid);
        }
    }

    private void route(Connection connection, MessageType type, Envelope envelope, String defaultRoom) {
        String cid = envelope.getCid();
        switch (type) {
            case PING -> replies.reply(connection, new SharedFrame.Pong(cid));
            case JOIN -> rooms.join(connection, envelope.getRoom(), envelope.getSince(), envelope.getEpoch(), cid);
            case LEAVE -> rooms.leave(connection, envelope.getRoom(), cid);
            case SAY -> {
                if (envelope instanceof ChatFrameDecoder.PlainText) {
                    rooms.sayPlainText(connection, defaultRoom, envelope.getText(), cid);
                } else {
                    rooms.say(connection, envelope.getRoom(), envelope.getText(), cid);
                }
            }
            case WHISPER -> whispers.whisper(connection, envelope.getTo(), envelope.getText(), cid);
            case TYPING -> typing.typing(connection, envelope.getRoom(), envelope.getTo(), cid);
            case REFRESH -> refresh(connection, envelope.token(), cid);
            // The decoder answers the others (unsupported_type) before they get here.
            default -> throw new IllegalStateException("Not a type clients send: " + type.wireName());
        }
    }

    private static Long parseOffset(String text) {
        try {
            long offset = Long.parseLong(text);
            return offset >= 0 ? offset : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A fresh token for the same user extends the connection's life to the new token's expiry. */
    private void refresh(Connection connection, String token, String cid) {
        Optional<TokenService.Verified> verified = tokens.verify(token);
        if (verified.isEmpty() || !verified.get().user().equals(connection.user())
                || !claims.admits(verified.get().user(), verified.get().browser(), verified.get().expiresAt())) {
            replies.refuse(connection, SharedFrame.Error.of(ErrorCode.INVALID_TOKEN,
                    "Not a valid token for " + connection.user() + "; the connection keeps its old expiry").withCid(cid));
            return;
        }
        connection.identityValidUntil(verified.get().expiresAt());
        replies.reply(connection, new SharedFrame.Refreshed(cid, verified.get().expiresAt().toString()));
    }
}
