package dev.switchboard.protocol;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** JSON answers of the HTTP API: a body, or an error as {@code {"error":code,"message":…}}. */
public final class HttpJson {

    private HttpJson() {
    }

    public static void write(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = EnvelopeCodec.toJson(body).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json; charset=UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    public static void error(HttpServletResponse response, int status, String code, String message) throws IOException {
        write(response, status, Map.of("error", code, "message", message));
    }
}
