package dev.switchboard.chat;

import dev.switchboard.engine.Entry;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.engine.Logs;
import dev.switchboard.engine.Presence;
import dev.switchboard.protocol.HttpJson;
import dev.switchboard.security.ApiKey;
import dev.switchboard.security.Names;
import dev.switchboard.security.TokenRequests;
import dev.switchboard.security.TokenService;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rooms over HTTP. {@code GET /api/rooms/{room}/members}: a room's members (a chat token, or the API key).
 * With the API key: {@code GET /api/rooms}, the rooms with anyone in them and their member counts, and
 * {@code GET /api/rooms/{room}/history[?since=offset]}, what the room keeps.
 */
@WebServlet("/api/rooms/*")
public class RoomsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Pattern ROOM_PATH = Pattern.compile("/([^/]+)/(members|history)");
    /** Rooms listed at most: the list is for people and dashboards, not a way to page through a big site. */
    static final int ROOMS_LISTED = 1000;

    @Inject
    TokenRequests requests;

    @Inject
    ApiKey apiKey;

    @Inject
    Rooms rooms;

    @Inject
    Presence presence;

    /** A room and its member count. */
    public record RoomCount(String room, int members) {
    }

    /** The rooms with anyone in them, most members first. */
    public record RoomList(List<RoomCount> rooms, boolean truncated) {
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        if (path.isEmpty() || path.equals("/")) {
            if (apiKey.admits(request, response)) {
                list(response);
            }
            return;
        }
        Matcher m = ROOM_PATH.matcher(path);
        if (!m.matches()) {
            HttpJson.error(response, HttpServletResponse.SC_NOT_FOUND, "not_found",
                    "Use /api/rooms, /api/rooms/{room}/members or /api/rooms/{room}/history");
            return;
        }
        boolean history = m.group(2).equals("history");
        boolean server = apiKey.carriedBy(request);
        Optional<TokenService.Verified> user = Optional.empty();
        if (history ? !apiKey.admits(request, response) : !server && (user = requests.bearer(request, response)).isEmpty()) {
            return;
        }
        String room = m.group(1);
        if (!Names.isRoom(room)) {
            HttpJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "bad_name", Names.ROOM_RULE);
            return;
        }
        Optional<String> noSuchRoom = rooms.noSuchRoom(room);
        if (noSuchRoom.isPresent()) {
            HttpJson.error(response, HttpServletResponse.SC_NOT_FOUND, "not_found", noSuchRoom.get());
            return;
        }
        if (user.isPresent() && !rooms.showsMembersTo(user.get().user(), Grants.of(user.get().claim(Grants.CLAIM)), room)) {
            // Said the same whether anyone is in the room or not: a refusal tells nothing of it.
            HttpJson.error(response, HttpServletResponse.SC_FORBIDDEN, "forbidden", "You may not see who is in '" + room + "'");
            return;
        }
        try {
            if (history) {
                history(request, response, room);
            } else {
                List<String> members = rooms.members(room);
                HttpJson.write(response, HttpServletResponse.SC_OK, Map.of("room", room, "count", members.size(), "members", members));
            }
        } catch (EngineUnavailable e) {
            HttpJson.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable", "The store cannot be read now");
        }
    }

    private void list(HttpServletResponse response) throws IOException {
        List<String> names = presence.rooms(ROOMS_LISTED + 1).stream().filter(Names::isRoom).toList();
        List<RoomCount> counted = names.stream().limit(ROOMS_LISTED).map(r -> new RoomCount(r, presence.count(r)))
                .sorted(Comparator.comparingInt(RoomCount::members).reversed().thenComparing(RoomCount::room)).toList();
        HttpJson.write(response, HttpServletResponse.SC_OK, new RoomList(counted, names.size() > ROOMS_LISTED));
    }

    private void history(HttpServletRequest request, HttpServletResponse response, String room) throws IOException {
        Long since = null;
        String given = request.getParameter("since");
        if (given != null) {
            try {
                since = Long.parseLong(given);
            } catch (NumberFormatException e) {
                HttpJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "bad_field", "'since' is an offset (a whole number)");
                return;
            }
        }
        Logs.Replay replay;
        try {
            replay = rooms.history(room, since).toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineUnavailable("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new EngineUnavailable(String.valueOf(e.getCause()), e);
        }
        // Each message exactly as the room's members get it: the frame Rooms sends them.
        StringBuilder json = new StringBuilder("{\"room\":").append(Json.createValue(room))
                .append(",\"epoch\":").append(Json.createValue(replay.epoch()))
                .append(",\"lastOffset\":").append(replay.lastOffset())
                .append(",\"messages\":[");
        String separator = "";
        for (Entry entry : replay.entries()) {
            json.append(separator).append(Rooms.wire(entry));
            separator = ",";
        }
        HttpJson.writeJson(response, HttpServletResponse.SC_OK, json.append("]}").toString());
    }
}
