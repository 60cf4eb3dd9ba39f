package dev.switchboard.session;

import java.nio.ByteBuffer;

/** One outgoing WebSocket frame, as queued by a {@link SessionSender}. */
public sealed interface Frame {

    /** Text already serialized, possibly shared by many recipients. */
    record Text(String text) implements Frame {
    }

    /** Binary data; each send reads its own view, so one buffer can go to many recipients. */
    record Binary(ByteBuffer data) implements Frame {
    }

    /** An object the endpoint's encoders turn into text (replies to one connection). */
    record Encoded(Object message) implements Frame {
    }

    /** A heartbeat ping. */
    record Ping() implements Frame {
    }
}
