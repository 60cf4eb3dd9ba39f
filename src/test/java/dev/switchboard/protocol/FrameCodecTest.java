package dev.switchboard.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.DecodeException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

// A parser that loops on bad input is a denial of service: every case must finish quickly.
@Timeout(value = 5, unit = TimeUnit.SECONDS)
class FrameCodecTest {

    /** A schema of chat's shape: the reader knows no feature, so its tests bring their own. */
    private static final FrameSchema SCHEMA = new FrameSchema(Set.of("ping", "join", "say", "whisper"),
            Set.of("welcome", "message", "joined", "pong", "error"), Set.of("room", "to", "text", "epoch"), Set.of("since"),
            Set.of("users"));

    private final ClientFrameDecoder decoder = new ClientFrameDecoder() {
        @Override
        protected FrameSchema schema() {
            return SCHEMA;
        }
    };

    @Test
    void sharedFramesAreWrittenWithTypeFirstAndNoEmptyFields() {
        assertEquals("{\"type\":\"error\",\"code\":\"bad_json\",\"message\":\"Frame is not valid JSON\"}",
                FrameCodec.toJson(SharedFrame.Error.of(ErrorCode.BAD_JSON, "Frame is not valid JSON")));
        assertEquals("{\"type\":\"error\",\"cid\":\"c1\",\"code\":\"not_joined\",\"message\":\"Join 'r' first\"}",
                FrameCodec.toJson(SharedFrame.Error.of(ErrorCode.NOT_JOINED, "Join 'r' first").withCid("c1")));
        assertEquals("{\"type\":\"pong\"}", FrameCodec.toJson(new SharedFrame.Pong(null)));
        assertEquals("{\"type\":\"pong\",\"cid\":\"p1\"}", FrameCodec.toJson(new SharedFrame.Pong("p1")));
        assertEquals("{\"type\":\"refreshed\",\"cid\":\"r1\",\"expiresAt\":\"2026-11-22T02:00:00Z\"}",
                FrameCodec.toJson(new SharedFrame.Refreshed("r1", null, "2026-11-22T02:00:00Z")));
    }

    @Test
    void aFrameOfAFamilyIsReadBackByTheFamily() {
        assertEquals(new SharedFrame.Refreshed("r1", null, "2026-11-22T02:00:00Z"),
                FrameCodec.fromJson("{\"type\":\"refreshed\",\"cid\":\"r1\",\"expiresAt\":\"2026-11-22T02:00:00Z\"}",
                        SharedFrame.class));
    }

    @Test
    void aPingIsRead() throws DecodeException {
        ClientFrame ping = decoder.decode("  {\"type\":\"ping\",\"extra\":[1,2]} ");
        assertEquals("ping", ping.type());
        assertEquals(32, ping.receivedBytes());
    }

    @Test
    void textWithQuotesAndUnicodeSurvivesARoundTrip() throws DecodeException {
        String text = "\"quoted\" \\ 世界 👋 \n";
        ClientFrame back = decoder.decode("{\"type\":\"say\",\"room\":\"r\",\"text\":" + FrameCodec.toJson(text) + "}");
        assertEquals(text, back.text("text").orElseThrow());
        assertEquals("say", back.type());
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
        "{\"type\":\"welcome\"}       | unsupported_type",
        "{\"type\":\"message\"}       | unsupported_type",
        "{\"type\":\"pong\"}          | unsupported_type",
        "{\"type\":\"say\",\"room\":\"r\",\"text\":\"\\ud800\"}     | bad_field",
        "{\"type\":\"whisper\",\"to\":\"bob\",\"text\":\"a\\udc00b\"} | bad_field",
        "{\"type\":\"ping\",\"cid\":\"x\\ud83d\"}                   | bad_field",
        "{\"type\":\"join\",\"room\":\"r\",\"since\":\"yesterday\"} | bad_field",
        "{\"type\":\"join\",\"room\":\"r\",\"since\":1.5}         | bad_field",
        "{\"type\":\"join\",\"room\":\"r\",\"since\":-1}          | bad_field",
        "{\"type\":\"join\",\"room\":\"r\",\"since\":1e30}        | bad_field",
        "{\"type\":\"say\",\"room\":\"r\",\"text\":{\"a\":1}}       | bad_field",
        "{\"type\":\"say\",\"room\":\"r\",\"text\":123}           | bad_field",
        "{\"type\":\"say\",\"room\":\"r\",\"text\":true}          | bad_field",
        "{\"type\":\"join\",\"room\":[\"x\"]}                    | bad_field",
        "{\"type\":\"ping\",\"cid\":5}                          | bad_field",
        "{\"type\":5}                                       | bad_field",
    })
    void badFramesRaiseDecodeExceptionsNamingTheErrorCode(String frame, String code) {
        ProtocolViolation violation = refused(frame);
        assertEquals(code, violation.code().wireName());
        assertTrue(FrameCodec.toJson(violation.toFrame()).startsWith("{\"type\":\"error\","));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\":\"launch\",\"cid\":\"c1\"}                  | unknown_type",
        "{\"type\":\"joined\",\"cid\":\"c1\"}                  | unsupported_type",
        "{\"cid\":\"c1\"}                                   | missing_field",
        "{\"text\":5,\"type\":\"say\",\"cid\":\"c1\"}          | bad_field",
    })
    void aRefusedFramesCidIsInItsError(String frame, String code) {
        SharedFrame.Error error = refused(frame).toFrame();
        assertEquals(code, error.code());
        assertEquals("c1", error.cid());
    }

    /** The violation a refused frame raises, as the DecodeException (holding the frame's text) the container gets. */
    private ProtocolViolation refused(String frame) {
        DecodeException e = assertThrows(DecodeException.class, () -> decoder.decode(frame));
        assertEquals(frame, e.getText());
        return assertInstanceOf(ProtocolViolation.class, e.getCause());
    }

    @Test
    void aCidTooLongIsRefusedWithoutEchoingIt() {
        DecodeException e = assertThrows(DecodeException.class,
                () -> decoder.decode("{\"type\":\"ping\",\"cid\":\"" + "c".repeat(65) + "\"}"));
        SharedFrame.Error error = assertInstanceOf(ProtocolViolation.class, e.getCause()).toFrame();
        assertEquals("bad_field", error.code());
        assertEquals(null, error.cid());
    }

    @Test
    void clientFieldsAreReadAndNullIsAbsent() throws DecodeException {
        ClientFrame join = decoder.decode("{\"type\":\"join\",\"room\":\"r\",\"since\":9007199254740993,"
                + "\"epoch\":\"e1\",\"cid\":null,\"from\":\"mallory\"}");
        assertEquals("r", join.text("room").orElseThrow());
        assertEquals(9007199254740993L, join.number("since").orElseThrow(), "read exactly, not through a double");
        assertEquals("e1", join.text("epoch").orElseThrow());
        assertEquals(null, join.cid());
        assertFalse(join.text("from").isPresent(), "fields only the server sets are not read from clients");
    }

    @Test
    void aListOfTextsIsReadAndAnythingElseInItIsABadField() throws DecodeException {
        ClientFrame frame = decoder.decode("{\"type\":\"join\",\"users\":[\"bob\",\"carol\"],\"cid\":\"c1\"}");
        assertEquals(List.of("bob", "carol"), frame.textList("users").orElseThrow());
        assertEquals(List.of(), decoder.decode("{\"type\":\"join\",\"users\":[]}").textList("users").orElseThrow());
        assertFalse(decoder.decode("{\"type\":\"join\",\"users\":null}").textList("users").isPresent());
        for (String bad : new String[] {"\"bob\"", "[1]", "[\"a\",[\"b\"]]", "{\"a\":1}", "[\"\\ud800\"]"}) {
            ProtocolViolation violation = refused("{\"type\":\"join\",\"users\":" + bad + ",\"cid\":\"c2\"}");
            assertEquals("bad_field", violation.code().wireName(), bad);
            assertEquals("c2", violation.toFrame().cid(), bad);
        }
    }

    @Test
    void aVeryLongUnknownTypeIsNotEchoedInFull() {
        String type = "x".repeat(10_000);
        DecodeException e = assertThrows(DecodeException.class, () -> decoder.decode("{\"type\":\"" + type + "\"}"));
        assertTrue(e.getMessage().length() < 100, e.getMessage());
    }

    @Test
    void surrogatePairsAreFineAndUnpairedHalvesAreNot() {
        assertFalse(FrameCodec.hasUnpairedSurrogate("smile \ud83d\ude00 ok"));
        assertTrue(FrameCodec.hasUnpairedSurrogate("\ud83d"));
        assertTrue(FrameCodec.hasUnpairedSurrogate("\ude00\ud83d"), "a pair the wrong way round");
        assertFalse(FrameCodec.hasUnpairedSurrogate(null));
    }

    @Test
    void deeplyNestedJsonIsBadJsonNotAStackOverflow() {
        String deep = "{\"type\":\"ping\",\"a\":" + "{\"a\":".repeat(1000) + "1" + "}".repeat(1001);
        DecodeException e = assertThrows(DecodeException.class, () -> decoder.decode(deep));
        assertEquals("bad_json", assertInstanceOf(ProtocolViolation.class, e.getCause()).code().wireName());
    }

    @Test
    void nestingWithinTheLimitIsRead() throws DecodeException {
        // Unknown fields are ignored, however they nest, up to the limit (the frame itself is one level).
        String nested = "{\"type\":\"ping\",\"extra\":" + "[".repeat(30) + "]".repeat(30) + "}";
        assertEquals("ping", decoder.decode(nested).type());
    }
}
