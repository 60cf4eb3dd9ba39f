package dev.switchboard.protocol;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.util.Map;
import java.util.function.Function;
import java.util.NoSuchElementException;

/**
 * JSON-B (Yasson) reading and writing of envelopes and other payloads, with one shared, thread-safe
 * {@link Jsonb}. Broadcasts call {@link #toJson(Object)} once and send the same text to everyone.
 */
public final class EnvelopeCodec {

    private static final Jsonb JSONB = JsonbBuilder.create();
    /** Deepest nesting of objects and arrays a frame may have. */
    static final int MAX_DEPTH = 32;

    private EnvelopeCodec() {
    }

    public static String encode(Envelope envelope) {
        return JSONB.toJson(envelope);
    }

    /** Any payload as JSON, for frames built once and sent to many. */
    public static String toJson(Object payload) {
        return JSONB.toJson(payload);
    }

    /** Reads a client frame, or says precisely why it is not a valid envelope. */
    public static Envelope decode(String text) throws ProtocolViolation {
        String trimmed = text.strip();
        if (!trimmed.startsWith("{")) {
            throw new ProtocolViolation(ErrorCode.BAD_JSON, "Frame is not a JSON object");
        }
        Envelope envelope = readWholeObject(trimmed);
        if (envelope == null || envelope.getType() == null || envelope.getType().isBlank()) {
            throw new ProtocolViolation(ErrorCode.MISSING_FIELD, "Field 'type' is required");
        }
        if (MessageType.fromWire(envelope.getType()).isEmpty()) {
            throw new ProtocolViolation(ErrorCode.UNKNOWN_TYPE, "Unknown type '" + abbreviate(envelope.getType()) + "'");
        }
        for (Map.Entry<String, Function<Envelope, String>> field : CLIENT_TEXT_FIELDS.entrySet()) {
            if (hasUnpairedSurrogate(field.getValue().apply(envelope))) {
                // JSON lets "\ud800" through; no UTF-8 can carry it, so every recipient's encoder would fail.
                throw new ProtocolViolation(ErrorCode.BAD_FIELD, "Field '" + field.getKey()
                        + "' is not valid Unicode (an unpaired surrogate)");
            }
        }
        return envelope;
    }

    /** The text fields a client may send. */
    private static final Map<String, Function<Envelope, String>> CLIENT_TEXT_FIELDS = Map.of(
            "cid", Envelope::getCid, "room", Envelope::getRoom, "to", Envelope::getTo,
            "text", Envelope::getText, "epoch", Envelope::getEpoch);

    /** True when the text has a surrogate char that is not half of a pair: not encodable as UTF-8. */
    static boolean hasUnpairedSurrogate(String text) {
        if (text == null) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads exactly one JSON object. JSON-B alone stops after the first value, so JSON-P first checks
     * that nothing follows it, at the cost of one more pass over the frame.
     */
    private static Envelope readWholeObject(String text) throws ProtocolViolation {
        try {
            try (JsonParser parser = Json.createParser(new StringReader(text))) {
                if (parser.next() != JsonParser.Event.START_OBJECT) {
                    throw new ProtocolViolation(ErrorCode.BAD_JSON, "Frame is not a JSON object");
                }
                // Walked event by event: Parsson's skipObject() never returns on a truncated object.
                int depth = 1;
                while (depth > 0) {
                    JsonParser.Event event = parser.next();
                    if (event == JsonParser.Event.START_OBJECT || event == JsonParser.Event.START_ARRAY) {
                        if (++depth > MAX_DEPTH) {
                            // No envelope nests past 2; deep nesting only makes binders recurse.
                            throw new ProtocolViolation(ErrorCode.BAD_JSON, "Frame nests deeper than " + MAX_DEPTH + " levels");
                        }
                    } else if (event == JsonParser.Event.END_OBJECT || event == JsonParser.Event.END_ARRAY) {
                        depth--;
                    }
                }
                if (parser.hasNext()) {
                    throw new ProtocolViolation(ErrorCode.BAD_JSON, "Frame has data after the JSON object");
                }
            }
            return JSONB.fromJson(text, Envelope.class);
        } catch (JsonbException | JsonException | NoSuchElementException e) {
            throw new ProtocolViolation(ErrorCode.BAD_JSON, "Frame is not valid JSON");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
