package dev.switchboard.api;

import dev.switchboard.chat.Whispers;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.protocol.HttpJson;
import dev.switchboard.security.ApiKey;
import dev.switchboard.security.Names;
import dev.switchboard.session.SessionRegistry;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /api/users/{user}/send}: a private message from the site's back end, kept in the user's
 * whisper log (every tab gets it; an offline user finds it on return). {@code POST /api/users/{user}/disconnect}:
 * every connection of the user, on every node, is closed with 4003.
 */
@WebServlet("/api/users/*")
public class UsersServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Pattern PATH = Pattern.compile("/([^/]+)/(send|disconnect)");

    @Inject
    ApiKey apiKey;

    @Inject
    Idempotency idempotency;

    @Inject
    Whispers whispers;

    @Inject
    Disconnects disconnects;

    @Inject
    SessionRegistry registry;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!apiKey.admits(request, response)) {
            return;
        }
        Matcher path = PATH.matcher(request.getPathInfo() == null ? "" : request.getPathInfo());
        if (!path.matches()) {
            HttpJson.error(response, HttpServletResponse.SC_NOT_FOUND, "not_found",
                    "Use POST /api/users/{user}/send or /api/users/{user}/disconnect");
            return;
        }
        String user = path.group(1);
        if (!Names.isUser(user)) {
            HttpJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "bad_name", "A user name is 1-32 letters, digits, '_', '-', '.'");
            return;
        }
        if (path.group(2).equals("disconnect")) {
            try {
                disconnects.disconnect(user);
            } catch (EngineUnavailable e) {
                HttpJson.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable", "Other nodes cannot be told now; try again");
                return;
            }
            HttpJson.write(response, HttpServletResponse.SC_OK, Map.of("user", user, "closeCode", 4003));
            return;
        }
        JsonObject body = HttpJson.readObject(request, response, registry.maxMessageBytes(),
                "Send {\"text\":\"Hello\"} (or \"data\" with any JSON)");
        if (body == null) {
            return;
        }
        Optional<MessageRequest> message = MessageRequest.read(body, response);
        if (message.isPresent()) {
            MessageRequest m = message.get();
            idempotency.once(request, response, "send:" + user, () -> whispers.send(user, m.from(), m.text(), m.data()));
        }
    }
}
