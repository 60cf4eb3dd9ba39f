package dev.switchboard.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.protocol.ProtocolViolation;
import jakarta.websocket.DecodeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The clock takes ping only; chat's other types are unsupported there, types chat does not know unknown. */
class ClockFramesTest {

    private final ClockFrames decoder = new ClockFrames();

    private String refusal(String frame) {
        DecodeException e = assertThrows(DecodeException.class, () -> decoder.decode(frame));
        return assertInstanceOf(ProtocolViolation.class, e.getCause()).code().wireName();
    }

    @Test
    void aPingIsRead() throws DecodeException {
        assertEquals("p1", decoder.decode("{\"type\":\"ping\",\"cid\":\"p1\"}").cid());
    }

    @ParameterizedTest
    @ValueSource(strings = {"join", "say", "whisper", "refresh", "error", "pong", "welcome"})
    void chatsOtherTypesAreUnsupported(String type) {
        assertEquals("unsupported_type", refusal("{\"type\":\"" + type + "\"}"));
    }

    @Test
    void othersAreUnknownOrBadJson() {
        assertEquals("unknown_type", refusal("{\"type\":\"launch\"}"));
        assertEquals("bad_json", refusal("not json"));
        assertEquals("bad_field", refusal("{\"type\":\"ping\",\"room\":5}"));
    }
}
