package dev.switchboard.security;

import dev.switchboard.protocol.HttpJson;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** {@code POST /api/token} with {@code {"username":"alice"}}: a signed, expiring chat token for that name. */
@WebServlet("/api/token")
public class TokenServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY = 4096;

    @Inject
    TokenService tokens;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!tokens.issuesTokens()) {
            HttpJson.error(response, HttpServletResponse.SC_NOT_FOUND, "tokens_external",
                    "Tokens come from this site's identity provider");
            return;
        }
        String username;
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                HttpJson.error(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "too_large", "Body over 4 KiB");
                return;
            }
            try (JsonReader reader = Json.createReader(new StringReader(new String(body, StandardCharsets.UTF_8)))) {
                JsonObject json = reader.readObject();
                JsonValue value = json.get("username");
                username = value instanceof JsonString s ? s.getString() : null;
            }
        } catch (JsonException | IllegalStateException e) {
            HttpJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "bad_json", "Send {\"username\":\"…\"} as JSON");
            return;
        }
        if (!Names.isUser(username)) {
            HttpJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "bad_username",
                    "A username is 1-32 letters, digits, '_', '-' or '.'");
            return;
        }
        TokenService.Issued issued = tokens.issue(username);
        HttpJson.write(response, HttpServletResponse.SC_OK,
                Map.of("token", issued.token(), "expiresAt", issued.expiresAt().toString()));
    }
}
