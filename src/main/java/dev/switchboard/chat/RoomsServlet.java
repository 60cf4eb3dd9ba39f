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
import dev.switchboard.session.SessionRegistry;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
    private static final Pattern ROOM_PATH = Pattern.compile("/([^/]+)/(members|history|moderation)");
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

    /** A message's path: the room and the offset. */
    private static final Pattern MESSAGE_PATH = Pattern.compile("/([^/]+)/messages/(\\d{1,18})");
    /** A moderation request's path: the room, what is moderated, and whom. */
    private static final Pattern MODERATION_PATH = Pattern.compile("/([^/]+)/(?:(mutes|bans)/([^/]+)|(slow-mode))");

    @Inject
    Moderation moderation;

    @Inject
    Namespaces namespaces;

    @Inject
    SessionRegistry registry;

    /** A user's mute or ban and when it ends (absent: no end). */
    public record Until(String user, String until) {
    }

    /** A room's moderation, as the API and the admin page show it. */
    public record Moderated(String room, List<Until> mutes, List<Until> bans, long slowModeSeconds, boolean slowModeSetOnRoom) {
    }

    /**
     * {@code PUT /api/rooms/{room}/mutes/{user}}, {@code .../bans/{user}} and {@code .../slow-mode}, with an optional
     * {"seconds": n}; and {@code PUT /api/rooms/{room}/messages/{offset}[?epoch=]} with {"text": "..."}: the message edited.
     */
    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Matcher message = MESSAGE_PATH.matcher(request.getPathInfo() == null ? "" : request.getPathInfo());
        if (message.matches()) {
            if (apiKey.admits(request, response)) {
                editMessage(request, response, message.group(1), Long.parseLong(message.group(2)), request.getParameter("epoch"));
            }
            return;
        }
        moderate(request, response, true);
    }

    /** The edited message's room and offset, and the edit's own offset in the room's log. */
    public record EditedMessage(String room, long offset, long edit) {
    }

    private void editMessage(HttpServletRequest request, HttpServletResponse response, String room, long offset, String epoch)
            throws IOException {
        if (!Names.isRoom(room)) {
            HttpJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "bad_name", Names.ROOM_RULE);
            return;
        }
        Optional<RoomRules> rules = namespaces.rulesOf(room);
        if (rules.isEmpty()) {
            HttpJson.error(response, HttpServletResponse.SC_NOT_FOUND, "not_found", namespaces.noSuchRoom(room));
            return;
        }
        JsonObject body = HttpJson.readObject(request, response, registry.maxMessageBytes(), "Send {\"text\": \"the message's new text\"}");
        if (body == null) {
            return;
        }
        String text = HttpJson.text(body, "text");
        if (text == null || text.isEmpty()) {
            HttpJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "missing_field", "'text' is the message's new text");
            return;
        }
        Optional<String> oversize = rules.get().oversize(room, text);
        if (oversize.isPresent()) {
            HttpJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "too_large", oversize.get());
            return;
        }
        changed(response, room, offset, epoch, rooms.editAsServer(room, offset, epoch, text), edit -> new EditedMessage(room, offset, edit));
    }

    /** Answers a change the server API made: what {@code answer} makes of the change's offset, or why not. */
    private void changed(HttpServletResponse response, String room, long offset, String epoch, CompletionStage<Entry> change,
            java.util.function.LongFunction<Object> answer) throws IOException {
        try {
            Entry done = change.toCompletableFuture().get(5, TimeUnit.SECONDS);
            HttpJson.write(response, HttpServletResponse.SC_OK, answer.apply(done.offset()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            HttpJson.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable", "Interrupted");
        } catch (ExecutionException | TimeoutException | Logs.NotKept e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof Logs.NotKept) {
                HttpJson.error(response, HttpServletResponse.SC_NOT_FOUND, "not_found", "'" + room + "' keeps no message at offset "
                        + offset + (epoch == null ? "" : " in epoch " + epoch));
            } else {
                HttpJson.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable", "The store cannot be written now");
            }
        }
    }

    /**
     * {@code DELETE} of the same: the mute or ban lifted, the room back to its namespace's slow mode; and
     * {@code DELETE /api/rooms/{room}/messages/{offset}[?epoch=]}: the message deleted.
     */
    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Matcher message = MESSAGE_PATH.matcher(request.getPathInfo() == null ? "" : request.getPathInfo());
        if (message.matches()) {
            if (apiKey.admits(request, response)) {
                deleteMessage(response, message.group(1), Long.parseLong(message.group(2)), request.getParameter("epoch"));
            }
            return;
        }
        moderate(request, response, false);
    }

    /** The deleted message's room and offset, and the deletion's own offset in the room's log. */
    public record DeletedMessage(String room, long offset, long deletion) {
    }

    private void deleteMessage(HttpServletResponse response, String room, long offset, String epoch) throws IOException {
        if (!Names.isRoom(room)) {
            HttpJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "bad_name", Names.ROOM_RULE);
            return;
        }
        CompletionStage<Entry> deletion;
        try {
            deletion = rooms.delete(room, offset, epoch, "server");
        } catch (Logs.NotKept e) {
            deletion = CompletableFuture.failedFuture(e);
        }
        changed(response, room, offset, epoch, deletion, done -> new DeletedMessage(room, offset, done));
    }

    private void moderate(HttpServletRequest request, HttpServletResponse response, boolean put) throws IOException {
        if (!apiKey.admits(request, response)) {
            return;
        }
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        Matcher m = MODERATION_PATH.matcher(path);
        if (!m.matches()) {
            HttpJson.error(response, HttpServletResponse.SC_NOT_FOUND, "not_found",
                    "Use /api/rooms/{room}/mutes/{user}, /api/rooms/{room}/bans/{user} or /api/rooms/{room}/slow-mode");
            return;
        }
        String room = m.group(1);
        String user = m.group(3);
        if (!Names.isRoom(room) || user != null && !Names.isUser(user)) {
            HttpJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "bad_name", Names.ROOM_RULE + "; a user 1-32 letters, digits, '_', '-', '.'");
            return;
        }
        if (namespaces.rulesOf(room).isEmpty()) {
            HttpJson.error(response, HttpServletResponse.SC_NOT_FOUND, "not_found", namespaces.noSuchRoom(room));
            return;
        }
        Duration length = null;
        if (put && request.getContentLengthLong() != 0) {
            JsonObject body = HttpJson.readObject(request, response, registry.maxMessageBytes(), "Send {\"seconds\": 600}, or nothing for no end");
            if (body == null) {
                return;
            }
            JsonValue seconds = body.get("seconds");
            if (seconds != null && seconds != JsonValue.NULL) {
                if (!(seconds instanceof JsonNumber n) || !n.isIntegral() || n.longValue() < 0 || n.longValue() > Moderation.LONGEST.toSeconds()) {
                    HttpJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "bad_field",
                            "'seconds' is a whole number from 0 to " + Moderation.LONGEST.toSeconds());
                    return;
                }
                length = Duration.ofSeconds(n.longValue());
            }
        }
        try {
            if (user == null) {
                moderation.slowMode(room, put ? (length == null ? Duration.ZERO : length) : null, "server");
            } else {
                boolean mutes = m.group(2).equals("mutes");
                Moderation.Action action = mutes ? (put ? Moderation.Action.MUTE : Moderation.Action.UNMUTE)
                        : (put ? Moderation.Action.BAN : Moderation.Action.UNBAN);
                moderation.act(room, user, action, length, "server");
            }
            HttpJson.write(response, HttpServletResponse.SC_OK, moderated(room));
        } catch (EngineUnavailable e) {
            HttpJson.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable", "The store cannot be written now");
        }
    }

    /** The room's moderation now: mutes, bans, and the slow mode in force. */
    private Moderated moderated(String room) {
        Moderation.State state = moderation.of(room);
        RoomRules rules = namespaces.rulesOf(room).orElseThrow();
        long slowMode = state.slowModeMillis() == null ? rules.slowMode().toSeconds() : state.slowModeMillis() / 1000;
        return new Moderated(room, untils(state.mutes()), untils(state.bans()), slowMode, state.slowModeMillis() != null);
    }

    private static List<Until> untils(Map<String, Long> entries) {
        return entries.entrySet().stream().map(e -> new Until(e.getKey(),
                e.getValue() == Moderation.FOREVER ? null : Instant.ofEpochMilli(e.getValue()).toString())).toList();
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
                    "Use /api/rooms, /api/rooms/{room}/members, /api/rooms/{room}/history or /api/rooms/{room}/moderation");
            return;
        }
        boolean history = !m.group(2).equals("members"); // history and moderation: the server API only
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
            if (m.group(2).equals("moderation")) {
                HttpJson.write(response, HttpServletResponse.SC_OK, moderated(room));
            } else if (history) {
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
        if (request.getParameter("before") != null) {
            page(request, response, room);
            return;
        }
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
        Logs.Replay replay = read(rooms.history(room, since));
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

    /** What the store answers, within 5 s; otherwise the store is taken for away ({@code 503}). */
    private static <T> T read(java.util.concurrent.CompletionStage<T> reading) {
        try {
            return reading.toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineUnavailable("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new EngineUnavailable(String.valueOf(e.getCause()), e);
        }
    }

    /** {@code ?before=offset[&limit=n]}: a page of older messages, newest first, as the {@code history} frame gives it. */
    private void page(HttpServletRequest request, HttpServletResponse response, String room) throws IOException {
        long before;
        int limit;
        try {
            before = Long.parseLong(request.getParameter("before"));
            String given = request.getParameter("limit");
            limit = given == null ? Rooms.PAGE_DEFAULT : Integer.parseInt(given);
        } catch (NumberFormatException e) {
            limit = -1;
            before = -1;
        }
        if (before < 0 || limit < 1 || limit > Rooms.PAGE_MAX) {
            HttpJson.error(response, HttpServletResponse.SC_BAD_REQUEST, "bad_field",
                    "'before' is an offset and 'limit' 1 to " + Rooms.PAGE_MAX);
            return;
        }
        Rooms.Page page = read(rooms.page(room, before, limit));
        String frame = Rooms.historyFrame(null, page);
        HttpJson.writeJson(response, HttpServletResponse.SC_OK, "{" + frame.substring("{\"type\":\"history\",".length()));
    }
}
