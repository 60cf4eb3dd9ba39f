package dev.switchboard.api;

import dev.switchboard.protocol.HttpJson;
import dev.switchboard.security.Names;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * What the server API takes to say something: {@code text} (a string), {@code data} (any JSON), or both,
 * and who it is {@code from} (a user name; {@code server} when left out).
 */
record MessageRequest(String text, JsonValue data, String from) {

    /** Reads the message from a request's JSON; empty, with the client answered (400), when it is not one. */
    static Optional<MessageRequest> read(JsonObject body, HttpServletResponse response) throws IOException {
        JsonValue text = body.get("text");
        if (text != null && !(text instanceof JsonString)) {
            return refused(response, "bad_field", "'text' is a string");
        }
        JsonValue data = body.get("data");
        String said = text == null ? null : ((JsonString) text).getString();
        if ((said == null || said.isEmpty()) && (data == null || data == JsonValue.NULL)) {
            return refused(response, "missing_field", "Send 'text' (a string), 'data' (any JSON) or both");
        }
        JsonValue from = body.get("from");
        if (from != null && !(from instanceof JsonString name && Names.isUser(name.getString()))) {
            return refused(response, "bad_name", "'from' is a user name: 1-32 letters, digits, '_', '-', '.'");
        }
        return Optional.of(new MessageRequest(said, data == JsonValue.NULL ? null : data,
                from == null ? null : ((JsonString) from).getString()));
    }

    private static Optional<MessageRequest> refused(HttpServletResponse response, String code, String message) throws IOException {
        HttpJson.error(response, HttpServletResponse.SC_BAD_REQUEST, code, message);
        return Optional.empty();
    }
}
