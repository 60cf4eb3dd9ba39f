package dev.switchboard.support;

import dev.switchboard.protocol.ClientFrameDecoder;
import dev.switchboard.protocol.FrameSchema;
import java.util.Set;

/** What the desk's clients send (the frame types of customers and staff, and their fields), and what it sends them. */
public class SupportFrames extends ClientFrameDecoder {

    static final FrameSchema SCHEMA = new FrameSchema(
            Set.of("ping", "start", "say", "typing", "read", "close", "rate", "leave_message",
                    "status", "accept", "take", "transfer", "refresh"),
            Set.of("welcome", "status", "no_agents", "desk", "transcript", "message", "event", "released",
                    "typing", "read", "ack", "refreshed", "pong", "error"),
            Set.of("conversation", "text", "department", "status", "to", "comment", "email", "token"),
            Set.of("offset", "score"));

    @Override
    protected FrameSchema schema() {
        return SCHEMA;
    }
}
