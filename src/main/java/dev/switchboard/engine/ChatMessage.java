package dev.switchboard.engine;

import dev.switchboard.protocol.Envelope;
import dev.switchboard.protocol.MessageType;

/** An accepted room message or whisper, as the engine stores it. {@code room} or {@code to} is null. */
public record ChatMessage(String id, String room, long offset, String from, String to, String text, long ts) {

    /** The wire form: a {@code message} for a room, a {@code whisper} for a user. */
    public Envelope toEnvelope() {
        if (room != null) {
            return Envelope.of(MessageType.MESSAGE).withRoom(room).withOffset(offset).withId(id)
                    .withFrom(from).withText(text).withTs(ts);
        }
        return Envelope.of(MessageType.WHISPER).withId(id).withFrom(from).withTo(to).withText(text).withTs(ts);
    }
}
