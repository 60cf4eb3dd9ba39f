package dev.switchboard.chat;

import dev.switchboard.protocol.HttpJson;
import dev.switchboard.security.Names;
import dev.switchboard.security.TokenRequests;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@code GET /api/rooms/{room}/members} with a valid token ({@code Authorization: Bearer …}). */
@WebServlet("/api/rooms/*")
public class MembersServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    TokenRequests requests;

    @Inject
    Rooms rooms;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (requests.bearer(request, response).isEmpty()) {
            return;
        }
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        if (!path.matches("/[^/]+/members")) {
            HttpJson.error(response, HttpServletResponse.SC_NOT_FOUND, "not_found", "Use /api/rooms/{room}/members");
            return;
        }
        String room = path.substring(1, path.length() - "/members".length());
        if (!Names.isRoom(room)) {
            HttpJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "bad_name", "Not a room name");
            return;
        }
        List<String> members = rooms.members(room);
        HttpJson.write(response, HttpServletResponse.SC_OK, Map.of("room", room, "count", members.size(), "members", members));
    }
}
