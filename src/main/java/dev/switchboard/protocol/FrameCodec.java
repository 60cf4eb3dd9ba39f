package dev.switchboard.protocol;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

/**
 * The one JSON codec of every endpoint, knowing no feature: frames (records of a feature's sealed
 * family, whose JSON-B type info writes {@code type} first), log entries and HTTP bodies are written,
 * and log entries read back, with one shared, thread-safe {@link Jsonb}; client frames are read by
 * {@link ClientFrameReader}. Broadcasts call {@link #toJson(Object)} once and send the same text to
 * everyone.
 */
public final class FrameCodec {

    private static final Jsonb JSONB = JsonbBuilder.create();
    private FrameCodec() {
    }

    /**
     * Any frame, log entry or body as JSON. A frame is written by its runtime class (a record of its
     * family), which carries the family's {@code type}; nulls are left out.
     */
    public static String toJson(Object payload) {
        return JSONB.toJson(payload);
    }

    /** Reads back what {@link #toJson(Object)} wrote, such as a log entry's body (a family's interface reads any of its records). */
    public static <T> T fromJson(String json, Class<T> type) {
        return JSONB.fromJson(json, type);
    }

    /** Reads a client frame of an endpoint that describes its frames with a schema. */
    public static ClientFrame decode(String text, FrameSchema schema) throws ProtocolViolation {
        return ClientFrameReader.read(text, schema);
    }

    /**
     * Whether a text frame is meant as JSON: it opens an object, or it is one whole JSON array (which
     * is never a frame). Other text, "[citation needed]" included, is not.
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
