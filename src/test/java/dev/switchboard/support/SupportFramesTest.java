package dev.switchboard.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.protocol.ProtocolViolation;
import jakarta.websocket.DecodeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the desk reads from clients: its own types; the ones it only sends are refused as not for clients. */
class SupportFramesTest {

    private final SupportFrames decoder = new SupportFrames();

    private String refusal(String type) {
        DecodeException e = assertThrows(DecodeException.class,
                () -> decoder.decode("{\"type\":\"" + type + "\",\"cid\":\"c1\"}"));
        ProtocolViolation violation = assertInstanceOf(ProtocolViolation.class, e.getCause());
        assertEquals("c1", violation.toFrame().cid(), "the refusal carries the cid");
        return violation.code().wireName();
    }

    @ParameterizedTest
    @ValueSource(strings = {"welcome", "no_agents", "desk", "transcript", "message", "event", "released", "ack",
        "refreshed", "pong", "error"})
    void aTypeTheDeskOnlySendsIsUnsupported(String type) {
        assertEquals("unsupported_type", refusal(type));
    }

    @ParameterizedTest
    @ValueSource(strings = {"launch", "join", "whisper", "whispers", "presence"})
    void aTypeOutsideTheDesksTablesIsUnknown(String type) {
        assertEquals("unknown_type", refusal(type));
    }

    @Test
    void typesSentBothWaysAreTakenFromClients() throws DecodeException {
        for (String type : new String[] {"status", "typing", "read", "ping"}) {
            assertEquals(type, decoder.decode("{\"type\":\"" + type + "\"}").type());
        }
    }
}
