package dev.switchboard.protocol;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;

/**
 * JSON-B (Yasson) reading and writing of envelopes and other payloads, with one shared, thread-safe
 * {@link Jsonb}. Broadcasts call {@link #toJson(Object)} once and send the same text to everyone.
 */
public final class EnvelopeCodec {

    private static final Jsonb JSONB = JsonbBuilder.create();

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
        Envelope envelope;
        try {
            envelope = JSONB.fromJson(trimmed, Envelope.class);
        } catch (JsonbException e) {
            throw new ProtocolViolation(ErrorCode.BAD_JSON, "Frame is not valid JSON");
        }
        if (envelope == null || envelope.getType() == null || envelope.getType().isBlank()) {
            throw new ProtocolViolation(ErrorCode.MISSING_FIELD, "Field 'type' is required");
        }
        if (MessageType.fromWire(envelope.getType()).isEmpty()) {
            throw new ProtocolViolation(ErrorCode.UNKNOWN_TYPE, "Unknown type '" + abbreviate(envelope.getType()) + "'");
        }
        return envelope;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
