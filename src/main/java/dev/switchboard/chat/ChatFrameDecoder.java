package dev.switchboard.chat;

import dev.switchboard.protocol.ClientFrame;
import dev.switchboard.protocol.ClientFrameDecoder;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.FrameSchema;
import dev.switchboard.protocol.MessageSize;
import jakarta.websocket.DecodeException;
import java.util.Map;
import java.util.Set;

/**
 * Chat's client frames, read against chat's {@link #SCHEMA} (bad ones, and JSON arrays, raise
 * DecodeException as everywhere); any other text is a {@link #PLAIN_TEXT} frame, a {@code say} to the
 * connection's default room, so {@code ws.send("hi")} is a chat message.
 */
public class ChatFrameDecoder extends ClientFrameDecoder {

    /**
     * The type a plain-text frame is read as. Not a type on the wire: the reader takes only the schema's
     * types, so no JSON frame can pass for one.
     */
    static final String PLAIN_TEXT = "plain text";

    /** What chat's clients send (types and fields, with their kinds), and the types chat only sends them. */
    public static final FrameSchema SCHEMA = new FrameSchema(
            Set.of("ping", "join", "leave", "say", "whisper", "typing", "refresh", "mute", "unmute", "ban", "unban", "slow_mode",
                    "delete", "watch", "history", "edit", "react", "unreact", "read"),
            Set.of("pong", "error", "welcome", "message", "whispers", "joined", "presence", "ack", "refreshed",
                    "whisper", "typing", "left", "moderated", "slow_mode", "deleted", "watching", "online", "offline", "edited", "reactions", "reads", "receipts"),
            Set.of("room", "to", "text", "epoch", "token", "user", "emoji", "with"), Set.of("since", "seconds", "offset", "before", "limit", "replyTo"), Set.of("users"));

    @Override
    protected FrameSchema schema() {
        return SCHEMA;
    }

    @Override
    public ClientFrame decode(String text) throws DecodeException {
        if (FrameCodec.isMeantAsJson(text)) {
            return super.decode(text);
        }
        return new ClientFrame(PLAIN_TEXT, null, Map.of("text", text), Map.of(), MessageSize.utf8Length(text));
    }
}
