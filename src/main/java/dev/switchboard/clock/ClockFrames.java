package dev.switchboard.clock;

import dev.switchboard.chat.ChatFrameDecoder;
import dev.switchboard.protocol.ClientFrameDecoder;
import dev.switchboard.protocol.FrameSchema;

/**
 * What the clock takes from clients: {@code ping} only. Its refusals are chat's (docs/protocol.md): any
 * other type of chat's is {@code unsupported_type}, a type chat does not know {@code unknown_type}, and
 * chat's fields are checked for their kinds.
 */
public class ClockFrames extends ClientFrameDecoder {

    static final FrameSchema SCHEMA = ChatFrameDecoder.SCHEMA.takingOnly("ping");

    @Override
    protected FrameSchema schema() {
        return SCHEMA;
    }
}
