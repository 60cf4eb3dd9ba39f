package dev.switchboard.api;

import dev.switchboard.chat.Whispers;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.online.UserStatus;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /api/users/{user}/send}: a private message from the site's back end, kept in the user's
 * whisper log (every tab gets it; an offline user finds it on return). {@code POST /api/users/{user}/disconnect}:
 * every connection of the user, on every node, is closed with 4003. {@code GET /api/users/{user}/status} and
 * {@code GET /api/users/status?users=a,b}: whether users are online (on any node, with the offline grace) and
 * when each was last seen.
 */
@WebServlet("/api/users/*")
public class UsersServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Pattern PATH = Pattern.compile("/([^/]+)/(send|disconnect)");
    private static final Pattern STATUS = Pattern.compile("/([^/]+)/status");
    /** Users one bulk status request may ask about. */
    static final int STATUS_MAX = 100;

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

    @Inject
    UserStatus status;

    /** Several users' status, as the bulk form answers. */
    public record Statuses(List<UserStatus.Status> users) {
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!apiKey.admits(request, response)) {
            return;
        }
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        Matcher one = STATUS.matcher(path);
        List<String> users;
        if (path.equals("/status")) {
            String asked = request.getParameter("users");
            users = asked == null ? List.of() : Arrays.stream(asked.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
            if (users.isEmpty() || users.size() > STATUS_MAX) {
                HttpJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "bad_field",
                        "Name 1 to " + STATUS_MAX + " users: GET /api/users/status?users=alice,bob");
                return;
            }
        } else if (one.matches()) {
            users = List.of(one.group(1));
        } else {
            HttpJson.error(response, HttpServletResponse.SC_NOT_FOUND, "not_found",
                    "Use GET /api/users/{user}/status or /api/users/status?users=alice,bob");
            return;
        }
        if (!users.stream().allMatch(Names::isUser)) {
            HttpJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "bad_name", "A user name is 1-32 letters, digits, '_', '-', '.'");
            return;
        }
        List<UserStatus.Status> found;
        try {
            found = users.stream().map(status::of).toList();
        } catch (EngineUnavailable e) {
            HttpJson.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable", "The store cannot be reached now; try again");
            return;
        }
        HttpJson.write(response, HttpServletResponse.SC_OK, one.matches() ? found.get(0) : new Statuses(found));
    }

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
