package dev.switchboard.protocol;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** JSON answers of the HTTP API: a body, or an error as {@code {"error":code,"message":…}}. */
public final class HttpJson {

    private HttpJson() {
    }

    public static void write(HttpServletResponse response, int status, Object body) throws IOException {
        writeJson(response, status, FrameCodec.toJson(body));
    }

    /** A body already written as JSON. */
    public static void writeJson(HttpServletResponse response, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json; charset=UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    public static void error(HttpServletResponse response, int status, String code, String message) throws IOException {
        write(response, status, Map.of("error", code, "message", message));
    }

    /**
     * The request's body as a JSON object of at most {@code maxBytes}; null when it is not one, and
     * then the client has been answered (413, or 400 {@code bad_json} with {@code hint}).
     */
    public static JsonObject readObject(HttpServletRequest request, HttpServletResponse response, int maxBytes, String hint)
            throws IOException {
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                error(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "too_large", "Body over " + maxBytes + " bytes");
                return null;
            }
            try (JsonReader reader = Json.createReader(new StringReader(new String(body, StandardCharsets.UTF_8)))) {
                return reader.readObject();
            }
        } catch (JsonException | IllegalStateException e) {
            error(response, HttpServletResponse.SC_BAD_REQUEST, "bad_json", hint);
            return null;
        }
    }

    /** A string field of a JSON object, or null when it is missing or not a string. */
    public static String text(JsonObject json, String field) {
        return json.get(field) instanceof JsonString s ? s.getString() : null;
    }
}
