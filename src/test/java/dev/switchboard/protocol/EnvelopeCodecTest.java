package dev.switchboard.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.DecodeException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

// A parser that loops on bad input is a denial of service: every case must finish quickly.
@Timeout(value = 5, unit = TimeUnit.SECONDS)
class EnvelopeCodecTest {

    private final EnvelopeEncoder encoder = new EnvelopeEncoder();
    private final EnvelopeDecoder decoder = new EnvelopeDecoder();

    @Test
    void errorEnvelopeIsWrittenWithTypeFirstAndNoEmptyFields() {
        assertEquals("{\"type\":\"error\",\"code\":\"bad_json\",\"message\":\"Frame is not valid JSON\"}",
                encoder.encode(Envelope.error(ErrorCode.BAD_JSON, "Frame is not valid JSON")));
        assertEquals("{\"type\":\"pong\"}", encoder.encode(Envelope.of(MessageType.PONG)));
    }

    @Test
    void aPingIsRead() throws DecodeException {
        Envelope ping = decoder.decode("  {\"type\":\"ping\",\"extra\":[1,2]} ");
        assertEquals("ping", ping.getType());
    }

    @Test
    void textWithQuotesAndUnicodeSurvivesARoundTrip() throws DecodeException {
        Envelope sent = Envelope.error(ErrorCode.UNKNOWN_TYPE, "\"quoted\" \\ 世界 👋 \n");
        Envelope back = decoder.decode(encoder.encode(sent));
        assertEquals(sent.getMessage(), back.getMessage());
        assertEquals("unknown_type", back.getCode());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "not json                     | bad_json",
        "[1,2,3]                      | bad_json",
        "'\"just a string\"'          | bad_json",
        "{\"type\":                   | bad_json",
        "{\"type\":\"ping\",\"a\":[1,{  | bad_json",
        "{\"type\":\"ping\"}{\"x\":1}      | bad_json",
        "{\"type\":\"ping\"} trailing | bad_json",
        "{}                           | missing_field",
        "{\"type\":\"\"}              | missing_field",
        "{\"type\":null}              | missing_field",
        "{\"type\":\"launch\"}        | unknown_type",
        "{\"type\":\"say\",\"room\":\"r\",\"text\":\"\\ud800\"}     | bad_field",
        "{\"type\":\"whisper\",\"to\":\"bob\",\"text\":\"a\\udc00b\"} | bad_field",
        "{\"type\":\"ping\",\"cid\":\"x\\ud83d\"}                   | bad_field",
    })
    void badFramesRaiseDecodeExceptionsNamingTheErrorCode(String frame, String code) {
        DecodeException e = assertThrows(DecodeException.class, () -> decoder.decode(frame));
        ProtocolViolation violation = assertInstanceOf(ProtocolViolation.class, e.getCause());
        assertEquals(code, violation.code().wireName());
        assertEquals(frame, e.getText());
        assertEquals("error", violation.toEnvelope().getType());
    }

    @Test
    void aVeryLongUnknownTypeIsNotEchoedInFull() {
        String type = "x".repeat(10_000);
        DecodeException e = assertThrows(DecodeException.class, () -> decoder.decode("{\"type\":\"" + type + "\"}"));
        assertTrue(e.getMessage().length() < 100, e.getMessage());
    }

    @Test
    void surrogatePairsAreFineAndUnpairedHalvesAreNot() {
        assertFalse(EnvelopeCodec.hasUnpairedSurrogate("smile \ud83d\ude00 ok"));
        assertTrue(EnvelopeCodec.hasUnpairedSurrogate("\ud83d"));
        assertTrue(EnvelopeCodec.hasUnpairedSurrogate("\ude00\ud83d"), "a pair the wrong way round");
        assertFalse(EnvelopeCodec.hasUnpairedSurrogate(null));
    }

    @Test
    void deeplyNestedJsonIsBadJsonNotAStackOverflow() {
        String deep = "{\"type\":\"ping\",\"a\":" + "{\"a\":".repeat(1000) + "1" + "}".repeat(1001);
        DecodeException e = assertThrows(DecodeException.class, () -> decoder.decode(deep));
        assertEquals("bad_json", assertInstanceOf(ProtocolViolation.class, e.getCause()).code().wireName());
    }

    @Test
    void nestingWithinTheLimitIsRead() throws DecodeException {
        // Unknown fields are ignored, however they nest, up to the limit (the envelope itself is one level).
        String nested = "{\"type\":\"ping\",\"extra\":" + "[".repeat(30) + "]".repeat(30) + "}";
        assertEquals("ping", decoder.decode(nested).getType());
    }
}
