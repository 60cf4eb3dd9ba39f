package dev.switchboard.chat;

import dev.switchboard.config.NodeId;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.online.Watchers;
import dev.switchboard.protocol.ClientFrame;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.SharedFrame;
import dev.switchboard.proxy.AuthorizationProxy;
import dev.switchboard.proxy.ProxyAnswer;
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
import java.util.OptionalLong;
import java.util.Set;
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
    WhisperChanges whisperChanges;

    @Inject
    Typing typing;

    @Inject
    Watchers watchers;

    @Inject
    Reactions reactions;

    @Inject
    RoomReads roomReads;

    @Inject
    WhisperReceipts whisperReceipts;

    @Inject
    Replies replies;

    @Inject
    AuthorizationProxy proxy;

    @Inject
    MemberInfo memberInfo;

    /**
     * Opens a chat connection: the site's back end asked first, when {@code switchboard.proxy.connect} says
     * so; then welcome, the room named on the URL, then the user's whispers: from where the client says it
     * was ({@code whispersSince} in {@code whispersEpoch}), or those no connection of the user has had yet.
     * The connection lasts until its token expires, unless the client refreshes it.
     */
    public void open(Session session, String user, Instant tokenExpiresAt, ConnectionRights rights, String roomOnUrl,
            String whispersSince, String whispersEpoch) {
        Connection connection = registry.register(session, CHANNEL, user, null);
        connection.identityValidUntil(tokenExpiresAt);
        if (proxy.asksAtConnect() && !backEndAllows(connection, rights)) {
            return;
        }
        boolean roomOk = roomOnUrl != null && Names.isRoom(roomOnUrl);
        boolean admitted = roomOk && rooms.admits(user, rights, roomOnUrl);
        replies.reply(connection, new ChatFrame.Welcome(user, admitted ? List.of(roomOnUrl) : List.of(), node.get(),
                connection.info()));
        if (roomOnUrl != null && !roomOk) {
            replies.reply(connection, SharedFrame.Error.of(ErrorCode.BAD_NAME, Names.ROOM_RULE));
        }
        try {
            if (proxy.asksAtConnect()) {
                memberInfo.keep(user, connection.info());
            }
            if (roomOk) {
                rooms.enterOnOpen(connection, rights, roomOnUrl); // a refusal is answered there
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

    /**
     * Whether the site's back end lets the connection open; the info it gives of the user goes with the
     * connection. Refused, the connection is closed: {@code 4004} with the back end's reason, or
     * {@code 4005} when it could not be asked.
     */
    boolean backEndAllows(Connection connection, ConnectionRights rights) {
        ProxyAnswer answer = proxy.connect(connection.user(), rights.claims());
        switch (answer.verdict()) {
            case ALLOW -> {
                connection.info(answer.info());
                return true;
            }
            case DENY -> connection.close(CloseCodes.cutReason(CloseCodes.CONNECT_DENIED, answer.reason()));
            default -> connection.close(CloseCodes.reason(CloseCodes.BACK_END_UNAVAILABLE,
                    "The site could not be asked; try again shortly"));
        }
        return false;
    }

    /** The engine could not be reached: the connection stays open and is told; nothing was done. */
    private void unavailable(Connection connection, EngineUnavailable e, String cid) {
        replies.unavailable(connection, "chat frame", e, cid, "The server's store cannot be reached now; try again shortly");
    }

    /** Handles one client frame. */
    public void handle(Session session, ClientFrame frame, String defaultRoom, ConnectionRights rights) {
        Connection connection = registry.receive(session, frame.receivedBytes()).orElse(null);
        if (connection == null) {
            return;
        }
        try {
            route(connection, frame, defaultRoom, rights);
        } catch (EngineUnavailable e) {
            unavailable(connection, e, frame.cid());
        }
    }

    private void route(Connection connection, ClientFrame frame, String defaultRoom, ConnectionRights rights) {
        String cid = frame.cid();
        String room = frame.text("room").orElse(null);
        String to = frame.text("to").orElse(null);
        String text = frame.text("text").orElse(null);
        if (frame.text("with").isPresent() && WHISPER_CHANGES.contains(frame.type())) {
            changeWhisper(connection, frame, room, text);
            return;
        }
        switch (frame.type()) {
            case "ping" -> replies.reply(connection, new SharedFrame.Pong(cid));
            case "join" -> {
                OptionalLong since = frame.number("since");
                rooms.join(connection, rights, room, since.isPresent() ? Long.valueOf(since.getAsLong()) : null,
                        frame.text("epoch").orElse(null), frame.text("token").orElse(null), cid);
            }
            case "leave" -> rooms.leave(connection, rights, room, cid);
            case "say" -> {
                OptionalLong replyTo = frame.number("replyTo");
                rooms.say(connection, rights, room, text, replyTo.isPresent() ? Long.valueOf(replyTo.getAsLong()) : null, cid);
            }
            case ChatFrameDecoder.PLAIN_TEXT -> rooms.sayPlainText(connection, rights, defaultRoom, text, cid);
            case "whisper" -> whispers.whisper(connection, to, text, number(frame, "replyTo"), cid);
            case "typing" -> typing.typing(connection, rights, room, to, cid);
            case "edit" -> {
                OptionalLong offset = frame.number("offset");
                rooms.edit(connection, rights, room, offset.isPresent() ? Long.valueOf(offset.getAsLong()) : null,
                        frame.text("epoch").orElse(null), text, cid);
            }
            case "react", "unreact" -> {
                OptionalLong offset = frame.number("offset");
                reactions.react(connection, rights, room, offset.isPresent() ? Long.valueOf(offset.getAsLong()) : null,
                        frame.text("epoch").orElse(null), frame.text("emoji").orElse(null), frame.type().equals("react"), cid);
            }
            case "history" -> {
                OptionalLong before = frame.number("before");
                OptionalLong limit = frame.number("limit");
                rooms.history(connection, room, before.isPresent() ? Long.valueOf(before.getAsLong()) : null,
                        limit.isPresent() ? Long.valueOf(limit.getAsLong()) : null, cid);
            }
            case "read" -> {
                OptionalLong offset = frame.number("offset");
                Long read = offset.isPresent() ? Long.valueOf(offset.getAsLong()) : null;
                String with = frame.text("with").orElse(null);
                if (with != null && room != null) {
                    replies.refuse(connection, SharedFrame.Error.of(ErrorCode.BAD_FIELD,
                            "A read names a 'room' or a whisper partner ('with'), not both").withCid(cid));
                } else if (with != null) {
                    whisperReceipts.read(connection, with, read, cid);
                } else {
                    roomReads.read(connection, room, read, cid);
                }
            }
            case "watch" -> watchers.watch(connection, frame.textList("users").orElse(null), cid);
            case "refresh" -> {
                if (room != null) {
                    rooms.refreshRoomToken(connection, rights, room, frame.text("token").orElse(null), cid);
                } else {
                    refresh(connection, rights, frame.text("token").orElse(null), cid);
                }
            }
            case "delete" -> {
                OptionalLong offset = frame.number("offset");
                rooms.deleteMessage(connection, rights, room, offset.isPresent() ? Long.valueOf(offset.getAsLong()) : null,
                        frame.text("epoch").orElse(null), cid);
            }
            case "mute", "unmute", "ban", "unban", "slow_mode" -> {
                OptionalLong seconds = frame.number("seconds");
                rooms.moderate(connection, rights, frame.type(), room, frame.text("user").orElse(null),
                        seconds.isPresent() ? Long.valueOf(seconds.getAsLong()) : null, cid);
            }
            // The decoder answers the others (unknown_type, unsupported_type) before they get here.
            default -> throw new IllegalStateException("Not a type clients send: " + frame.type());
        }
    }

    /** Frames that change a message: in a room ({@code room}), or in the user's whispers with someone ({@code with}). */
    private static final Set<String> WHISPER_CHANGES = Set.of("edit", "delete", "react", "unreact");

    /** A change frame that names {@code with}: about a whisper; one that names a {@code room} too is refused ({@code bad_field}). */
    private void changeWhisper(Connection connection, ClientFrame frame, String room, String text) {
        String cid = frame.cid();
        if (room != null) {
            replies.refuse(connection, SharedFrame.Error.of(ErrorCode.BAD_FIELD,
                    "A message is in a 'room' or in your whispers 'with' someone: name one, not both").withCid(cid));
            return;
        }
        String with = frame.text("with").orElseThrow();
        Long offset = number(frame, "offset");
        String epoch = frame.text("epoch").orElse(null);
        switch (frame.type()) {
            case "edit" -> whisperChanges.edit(connection, with, offset, epoch, text, cid);
            case "delete" -> whisperChanges.delete(connection, with, offset, epoch, cid);
            default -> whisperChanges.react(connection, with, offset, epoch, frame.text("emoji").orElse(null),
                    frame.type().equals("react"), cid);
        }
    }

    /** A frame's whole-number field, or null. */
    private static Long number(ClientFrame frame, String field) {
        OptionalLong value = frame.number(field);
        return value.isPresent() ? Long.valueOf(value.getAsLong()) : null;
    }

    private static Long parseOffset(String text) {
        try {
            long offset = Long.parseLong(text);
            return offset >= 0 ? offset : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * A fresh token for the same user extends the connection's life to the new token's expiry, and its
     * grants replace the old ones: rooms the user may no longer be in are left.
     */
    private void refresh(Connection connection, ConnectionRights rights, String token, String cid) {
        Optional<TokenService.Verified> verified = tokens.verify(token);
        if (verified.isEmpty() || !verified.get().user().equals(connection.user())
                || !claims.admits(verified.get().user(), verified.get().browser(), verified.get().expiresAt())) {
            replies.refuse(connection, SharedFrame.Error.of(ErrorCode.INVALID_TOKEN,
                    "Not a valid token for " + connection.user() + "; the connection keeps its old expiry").withCid(cid));
            return;
        }
        connection.identityValidUntil(verified.get().expiresAt());
        rights.replace(verified.get().claims());
        replies.reply(connection, new SharedFrame.Refreshed(cid, null, verified.get().expiresAt().toString()));
        rooms.leaveWhereNotAdmitted(connection, rights);
    }
}
