package dev.switchboard.session;

import dev.switchboard.protocol.Envelope;
import java.nio.ByteBuffer;

/** One outgoing WebSocket frame, as queued by a {@link SessionSender}. */
public sealed interface Frame {

    /** Text already serialized, possibly shared by many recipients. */
    record Text(String text) implements Frame {
    }

    /** Binary data; each send reads its own view, so one buffer can go to many recipients. */
    record Binary(ByteBuffer data) implements Frame {
    }

    /** An envelope for one connection (a reply), turned into text by the {@code EnvelopeEncoder}. */
    record Encoded(Envelope message) implements Frame {
    }

    /** A heartbeat ping. */
    record Ping() implements Frame {
    }
}
