package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.protocol.ClientFrame;
import dev.switchboard.protocol.ProtocolViolation;
import jakarta.websocket.DecodeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Chat's client frames: JSON against chat's schema, and any other text a say to the default room. */
class ChatFrameDecoderTest {

    private final ChatFrameDecoder decoder = new ChatFrameDecoder();

    private String refusal(String frame) {
        DecodeException e = assertThrows(DecodeException.class, () -> decoder.decode(frame));
        return assertInstanceOf(ProtocolViolation.class, e.getCause()).code().wireName();
    }

    @ParameterizedTest
    @ValueSource(strings = {"hi", "[citation needed]", "  plain words  ", "1 + 1"})
    void textThatIsNotJsonIsAPlainTextSay(String text) throws DecodeException {
        ClientFrame frame = decoder.decode(text);
        assertEquals(ChatFrameDecoder.PLAIN_TEXT, frame.type());
        assertEquals(text, frame.text("text").orElseThrow());
        assertEquals(text.length(), frame.receivedBytes());
    }

    @Test
    void aJsonSayIsReadWithItsFields() throws DecodeException {
        ClientFrame say = decoder.decode("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"hi\",\"cid\":\"s1\"}");
        assertEquals("say", say.type());
        assertEquals("lobby", say.text("room").orElseThrow());
        assertEquals("s1", say.cid());
    }

    @Test
    void aWholeJsonArrayIsBadJson() {
        assertEquals("bad_json", refusal("[1,2,3]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"welcome", "joined", "message", "whispers", "presence", "ack", "refreshed", "pong", "error"})
    void aTypeChatOnlySendsIsUnsupported(String type) {
        assertEquals("unsupported_type", refusal("{\"type\":\"" + type + "\"}"));
    }

    @Test
    void aTypeChatDoesNotKnowIsUnknownAndAPlainTextTypeCannotBeSent() {
        assertEquals("unknown_type", refusal("{\"type\":\"launch\"}"));
        assertEquals("unknown_type", refusal("{\"type\":\"" + ChatFrameDecoder.PLAIN_TEXT + "\"}"));
    }
}
