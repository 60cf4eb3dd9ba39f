package dev.switchboard.api;

import dev.switchboard.chat.Rooms;
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
import java.util.Optional;

/**
 * {@code POST /api/publish} {@code {"room":…, "text":…, "data":…, "from":…}}: a message from the site's
 * back end into a room, delivered to its members on every node and kept in its history like any other;
 * answered with its id, offset and epoch.
 */
@WebServlet("/api/publish")
public class PublishServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    ApiKey apiKey;

    @Inject
    Idempotency idempotency;

    @Inject
    Rooms rooms;

    @Inject
    SessionRegistry registry;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!apiKey.admits(request, response)) {
            return;
        }
        JsonObject body = HttpJson.readObject(request, response, registry.maxMessageBytes(),
                "Send {\"room\":\"lobby\",\"text\":\"Hello\"} (or \"data\" with any JSON)");
        if (body == null) {
            return;
        }
        String room = HttpJson.text(body, "room");
        if (!Names.isRoom(room)) {
            HttpJson.error(response, HttpServletResponse.SC_BAD_REQUEST, room == null ? "missing_field" : "bad_name", Names.ROOM_RULE);
            return;
        }
        Optional<String> noSuchRoom = rooms.noSuchRoom(room);
        if (noSuchRoom.isPresent()) {
            HttpJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "bad_name", noSuchRoom.get());
            return;
        }
        Optional<MessageRequest> message = MessageRequest.read(body, response);
        if (message.isPresent()) {
            MessageRequest m = message.get();
            idempotency.once(request, response, "publish", () -> rooms.publish(room, m.from(), m.text(), m.data()));
        }
    }
}
