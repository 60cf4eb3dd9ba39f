package dev.switchboard.chat;

import dev.switchboard.protocol.Envelope;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.EnvelopeDecoder;
import dev.switchboard.protocol.MessageSize;
import dev.switchboard.protocol.MessageType;
import jakarta.websocket.DecodeException;

/**
 * Chat frames: a JSON object is an envelope (bad ones, and JSON arrays, raise DecodeException as
 * everywhere); any other text is a {@code say} to the connection's default room, so
 * {@code ws.send("hi")} is a chat message.
 */
public class ChatFrameDecoder extends EnvelopeDecoder {

    /** A plain-text frame, read as a say to the default room. */
    public static final class PlainText extends Envelope {
        PlainText(String text) {
            setType(MessageType.SAY.wireName());
            setText(text);
        }
    }

    @Override
    public Envelope decode(String text) throws DecodeException {
        if (FrameCodec.isMeantAsJson(text)) {
            return super.decode(text);
        }
        PlainText plain = new PlainText(text);
        plain.setReceivedBytes(MessageSize.utf8Length(text));
        return plain;
    }
}
