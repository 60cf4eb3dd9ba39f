package dev.switchboard.chat;

import dev.switchboard.engine.Bus;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.SharedFrame;
import dev.switchboard.reply.Replies;
import dev.switchboard.security.Names;
import dev.switchboard.session.Connection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Typing notices: to a room's other connections or to a user; never stored, charged like messages. */
@ApplicationScoped
public class Typing {

    @Inject
    Rooms rooms;

    @Inject
    Bus bus;


    @Inject
    Replies replies;

    /** A typing notice; in a room, only from a member who may say something there (not read-only, not muted). */
    void typing(Connection connection, ConnectionRights rights, String room, String to, String cid) {
        String user = connection.user();
        String json;
        String topic;
        if (room != null) {
            if (!rooms.validRoom(connection, room, cid) || !rooms.joined(connection, room, cid)
                    || !rooms.maySpeak(connection, rights, room, cid)) {
                return;
            }
            topic = Rooms.logOf(room);
            json = FrameCodec.toJson(new ChatFrame.Typing(room, user, null));
        } else if (Names.isUser(to)) {
            topic = Whispers.logOf(to);
            json = FrameCodec.toJson(new ChatFrame.Typing(null, user, to));
        } else {
            replies.refuse(connection, SharedFrame.Error.of(to == null ? ErrorCode.MISSING_FIELD : ErrorCode.BAD_NAME,
                    "Typing needs 'room' (a room joined) or 'to' (a user name)").withCid(cid));
            return;
        }
        if (!replies.withinRate(connection, room, cid)) {
            return;
        }
        bus.signal(topic, json, connection.id());
    }
}
