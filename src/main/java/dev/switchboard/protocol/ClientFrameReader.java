package dev.switchboard.protocol;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParser.Event;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Reads one client frame against its endpoint's {@link FrameSchema} in a single streaming pass,
 * checking what a binder would coerce or recurse into: exactly one JSON object, nested at most
 * {@value #MAX_DEPTH} deep, each field the schema names of its own kind (whole numbers of at least 0,
 * or strings) and valid Unicode. Fields the schema does not name are skipped. A refused frame's
 * {@code cid}, when it had a readable one, goes into the error so the client can match it.
 */
final class ClientFrameReader {

    /** Deepest nesting of objects and arrays a frame may have; no frame of ours nests past 2. */
    static final int MAX_DEPTH = 32;
    /** Longest client id accepted: ids are kept for deduplication. */
    static final int MAX_CID_LENGTH = 64;

    private static final BigDecimal LARGEST_NUMBER = BigDecimal.valueOf(Long.MAX_VALUE);

    private final FrameSchema schema;
    private final Map<String, String> texts = new HashMap<>();
    private final Map<String, Long> numbers = new HashMap<>();
    private final Map<String, List<String>> textLists = new HashMap<>();
    /** The first field found wrong; reported once the whole frame is known to be JSON, with its cid. */
    private ProtocolViolation badField;

    private ClientFrameReader(FrameSchema schema) {
        this.schema = schema;
    }

    /** Reads a frame the schema describes. */
    static ClientFrame read(String text, FrameSchema schema) throws ProtocolViolation {
        ClientFrameReader reader = new ClientFrameReader(schema);
        reader.readObject(text);
        return new ClientFrame(reader.texts.get("type"), reader.texts.get("cid"), Map.copyOf(reader.texts),
                Map.copyOf(reader.numbers), Map.copyOf(reader.textLists), MessageSize.utf8Length(text));
    }

    private void readObject(String text) throws ProtocolViolation {
        try (JsonParser parser = Json.createParser(new StringReader(text))) {
            if (!parser.hasNext() || parser.next() != Event.START_OBJECT) {
                throw new ProtocolViolation(ErrorCode.BAD_JSON, "Frame is not a JSON object");
            }
            while (parser.next() == Event.KEY_NAME) {
                // Only keys at the top level: values are read, or skipped whole, by readField.
                readField(parser, parser.getString(), parser.next());
            }
            if (parser.hasNext()) {
                throw new ProtocolViolation(ErrorCode.BAD_JSON, "Frame has data after the JSON object");
            }
        } catch (JsonException | NoSuchElementException | IllegalStateException e) {
            throw new ProtocolViolation(ErrorCode.BAD_JSON, "Frame is not valid JSON");
        }
        String cid = texts.get("cid");
        if (cid != null && cid.length() > MAX_CID_LENGTH) {
            // Not echoed back: it is the thing that is wrong (as is a cid of the wrong kind, never read).
            throw new ProtocolViolation(ErrorCode.BAD_FIELD, "A cid is at most " + MAX_CID_LENGTH + " characters");
        }
        if (badField != null) {
            throw badField.withCid(cid);
        }
        String type = texts.get("type");
        if (type == null || type.isBlank()) {
            throw new ProtocolViolation(ErrorCode.MISSING_FIELD, "Field 'type' is required").withCid(cid);
        }
        if (!schema.types().contains(type)) {
            // One rule for every endpoint: a type it sends but never takes is not unknown, only not for clients.
            throw (schema.sentTypes().contains(type)
                    ? new ProtocolViolation(ErrorCode.UNSUPPORTED_TYPE, "Clients do not send '" + type + "'")
                    : new ProtocolViolation(ErrorCode.UNKNOWN_TYPE, "Unknown type '" + abbreviate(type) + "'")).withCid(cid);
        }
    }

    private void readField(JsonParser parser, String name, Event value) throws ProtocolViolation {
        boolean isText = schema.isText(name);
        boolean isList = schema.isTextList(name);
        boolean known = isText || isList || schema.isNumber(name);
        if (isList && value == Event.START_ARRAY) {
            readTextList(parser, name);
        } else if (value == Event.START_OBJECT || value == Event.START_ARRAY) {
            skipStructure(parser, 2); // a field's value, inside the frame's object
            if (known) {
                wrongKind(name, isText);
            }
        } else if (isList && value != Event.VALUE_NULL) {
            wrongKind(name, false);
        } else if (value == Event.VALUE_NULL || !known) {
            // null is as good as absent; unknown fields are left for newer servers.
        } else if (isText) {
            if (value != Event.VALUE_STRING) {
                wrongKind(name, true);
            } else if (FrameCodec.hasUnpairedSurrogate(parser.getString())) {
                // JSON lets "\ud800" through; no UTF-8 can carry it, so every recipient's encoder would fail.
                noteBadField("Field '" + name + "' is not valid Unicode (an unpaired surrogate)");
            } else {
                texts.put(name, parser.getString());
            }
        } else {
            BigDecimal number = value == Event.VALUE_NUMBER ? parser.getBigDecimal() : null;
            if (number != null && isWholeNumber(number)) {
                numbers.put(name, number.longValueExact()); // exact, never rounded through a double
            } else {
                noteBadField("Field '" + name + "' is a whole number of at least 0");
            }
        }
    }

    /** A list of strings, each valid Unicode; anything else in it makes the field bad (and the rest is skipped). */
    private void readTextList(JsonParser parser, String name) throws ProtocolViolation {
        List<String> list = new ArrayList<>();
        Event item;
        while ((item = parser.next()) != Event.END_ARRAY) {
            if (item == Event.START_OBJECT || item == Event.START_ARRAY) {
                skipStructure(parser, 3);
                list = null;
            } else if (item != Event.VALUE_STRING || FrameCodec.hasUnpairedSurrogate(parser.getString())) {
                list = null;
            } else if (list != null) {
                list.add(parser.getString());
            }
        }
        if (list == null) {
            wrongKind(name, false);
        } else {
            textLists.put(name, List.copyOf(list));
        }
    }

    /** A whole number from 0 to Long.MAX_VALUE. */
    private static boolean isWholeNumber(BigDecimal number) {
        return number.signum() >= 0 && number.stripTrailingZeros().scale() <= 0
                && number.compareTo(LARGEST_NUMBER) <= 0;
    }

    /** Whether the text is exactly one JSON array, however deep (it is only walked, never built). */
    static boolean isWholeArray(String text) {
        try (JsonParser parser = Json.createParser(new StringReader(text))) {
            if (!parser.hasNext() || parser.next() != Event.START_ARRAY) {
                return false;
            }
            skipStructure(parser, 1);
            return !parser.hasNext();
        } catch (ProtocolViolation tooDeep) {
            return true; // an array all the same, and bad_json when read as a frame
        } catch (JsonException | NoSuchElementException | IllegalStateException e) {
            return false;
        }
    }

    /**
     * Skips the object or array just started, at nesting {@code depth} (1 for the frame's own), to its
     * end, refusing nesting past {@link #MAX_DEPTH}.
     */
    private static void skipStructure(JsonParser parser, int startDepth) throws ProtocolViolation {
        int depth = startDepth;
        while (depth >= startDepth) {
            Event event = parser.next();
            if (event == Event.START_OBJECT || event == Event.START_ARRAY) {
                if (++depth > MAX_DEPTH) {
                    throw new ProtocolViolation(ErrorCode.BAD_JSON, "Frame nests deeper than " + MAX_DEPTH + " levels");
                }
            } else if (event == Event.END_OBJECT || event == Event.END_ARRAY) {
                depth--;
            }
        }
    }

    private void wrongKind(String name, boolean isText) {
        noteBadField("Field '" + name + "' must be " + (isText ? "a string" : schema.isTextList(name) ? "a list of strings" : "a whole number"));
    }

    private void noteBadField(String message) {
        if (badField == null) {
            badField = new ProtocolViolation(ErrorCode.BAD_FIELD, message);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
