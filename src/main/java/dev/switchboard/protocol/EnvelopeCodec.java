package dev.switchboard.protocol;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

/**
 * JSON-B (Yasson) writing of envelopes and other payloads, with one shared, thread-safe {@link Jsonb};
 * client frames are read by {@link ClientFrameReader}. Broadcasts call {@link #toJson(Object)} once
 * and send the same text to everyone.
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
        return ClientFrameReader.read(text);
    }

    /** Reads a client frame of an endpoint that describes its frames with a schema. */
    public static ClientFrame decode(String text, FrameSchema schema) throws ProtocolViolation {
        return ClientFrameReader.read(text, schema);
    }

    /**
     * Whether a text frame is meant as JSON: it opens an object, or it is one whole JSON array (which
     * is never an envelope). Other text, "[citation needed]" included, is not.
     */
    public static boolean isMeantAsJson(String text) {
        String start = text.stripLeading();
        return start.startsWith("{") || start.startsWith("[") && ClientFrameReader.isWholeArray(text);
    }

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
}
