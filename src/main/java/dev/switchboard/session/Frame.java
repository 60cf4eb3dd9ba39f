package dev.switchboard.session;

import dev.switchboard.protocol.MessageSize;
import java.nio.ByteBuffer;

/** One outgoing WebSocket frame, as queued by a {@link SessionSender}. */
public sealed interface Frame {

    /** What the frame weighs against its connection's send buffer: its size on the wire (replies: a typical size). */
    long weight();

    /** Text already serialized, possibly shared by many recipients; weighed once, in UTF-8 bytes. */
    record Text(String text, long weight) implements Frame {
        public Text(String text) {
            this(text, MessageSize.utf8Length(text));
        }
    }

    /** Binary data; each send reads its own view, so one buffer can go to many recipients. */
    record Binary(ByteBuffer data) implements Frame {
        @Override
        public long weight() {
            return data.remaining();
        }
    }

    /** A frame record for one connection (a reply), turned into text by the {@code FrameCodec} as it is written. */
    record Encoded(Object message) implements Frame {
        /** Replies are small; they are weighed before they are encoded, so by a typical size. */
        static final long TYPICAL_WEIGHT = 128;

        @Override
        public long weight() {
            return TYPICAL_WEIGHT;
        }
    }

    /**
     * A ping. Its payload is the number of bytes the connection had been sent before it, filled in by
     * the sender as it writes it: the client's pong, which comes after the client has read those bytes,
     * confirms them.
     */
    record Ping(long sentBefore) implements Frame {
        /** A ping whose payload the sender fills in. */
        public static Ping probe() {
            return new Ping(-1);
        }

        @Override
        public long weight() {
            return 0;
        }
    }
}
