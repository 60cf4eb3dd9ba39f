package dev.switchboard.support;

import dev.switchboard.engine.Entry;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.engine.Logs;
import dev.switchboard.protocol.HttpJson;
import dev.switchboard.security.TokenRequests;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Transcripts for agents and supervisors ({@code Authorization: Bearer} with their token; others get
 * 401 or 403): {@code GET /api/support/conversations} lists the open conversations and those closed
 * within the transcripts' retention; {@code GET /api/support/conversations/{id}} gives one transcript
 * as JSON, or as plain text to download with {@code ?format=text}.
 */
@WebServlet("/api/support/conversations/*")
public class ConversationsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final long READ_SECONDS = 5;

    @Inject
    TokenRequests requests;

    @Inject
    DeskStore store;

    @Inject
    Transcripts transcripts;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        var verified = requests.bearer(request, response);
        if (verified.isEmpty()) {
            return;
        }
        if (!verified.get().role().isStaff()) {
            HttpJson.error(response, HttpServletResponse.SC_FORBIDDEN, "forbidden", "Transcripts are for agents");
            return;
        }
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        try {
            if (path.equals("/")) {
                list(response);
            } else if (path.matches("/[0-9a-f]{20}")) {
                transcript(path.substring(1), "text".equals(request.getParameter("format")), response);
            } else {
                HttpJson.error(response, HttpServletResponse.SC_NOT_FOUND, "not_found", "No such conversation");
            }
        } catch (EngineUnavailable | ExecutionException | TimeoutException e) {
            HttpJson.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable",
                    "The store cannot be reached now; try again shortly");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            HttpJson.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable", "Interrupted");
        }
    }

    private void list(HttpServletResponse response) throws IOException, InterruptedException, ExecutionException, TimeoutException {
        Desk desk = store.read().desk();
        List<Map<String, Object>> open = new ArrayList<>();
        for (Desk.Conversation c : desk.conversations.values()) {
            open.add(Map.of("conversation", c.id, "customerName", c.customerName, "state", c.state.name().toLowerCase(),
                    "agent", c.agent == null ? "" : c.agent, "queuedAt", c.queuedAt));
        }
        Logs.Replay closed = transcripts.closed().toCompletableFuture().get(READ_SECONDS, TimeUnit.SECONDS);
        List<JsonObject> closedList = new ArrayList<>();
        for (Entry entry : closed.entries()) {
            closedList.add(parse(entry.body()));
        }
        HttpJson.write(response, HttpServletResponse.SC_OK, Map.of("open", open, "closed", closedList));
    }

    private void transcript(String id, boolean asText, HttpServletResponse response)
            throws IOException, InterruptedException, ExecutionException, TimeoutException {
        Logs.Replay replay = transcripts.read(id).toCompletableFuture().get(READ_SECONDS, TimeUnit.SECONDS);
        if (replay.entries().isEmpty()) {
            HttpJson.error(response, HttpServletResponse.SC_NOT_FOUND, "not_found", "No transcript has that id");
            return;
        }
        if (!asText) {
            List<JsonObject> lines = new ArrayList<>();
            for (Entry entry : replay.entries()) {
                lines.add(parse(Transcripts.wire(entry)));
            }
            HttpJson.write(response, HttpServletResponse.SC_OK, Map.of("conversation", id, "lines", lines));
            return;
        }
        StringBuilder text = new StringBuilder();
        for (Entry entry : replay.entries()) {
            Transcripts.Line line = Transcripts.line(entry);
            if (line instanceof Transcripts.Said said) {
                text.append(Instant.ofEpochMilli(said.ts())).append(' ')
                        .append(said.name() != null ? said.name() : orEmpty(said.from()))
                        .append(": ").append(orEmpty(said.text())).append('\n');
            } else if (line instanceof Transcripts.Happened happened) {
                text.append(Instant.ofEpochMilli(happened.ts())).append(" -- ")
                        .append(orEmpty(happened.event())).append(" by ").append(orEmpty(happened.by()))
                        .append(happened.to() != null ? " to " + happened.to() : "")
                        .append(happened.score() != null ? ", " + happened.score() + "/5" : "")
                        .append(happened.comment() != null ? ": " + happened.comment() : "").append('\n');
            }
        }
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Content-Disposition", "attachment; filename=\"conversation-" + id + ".txt\"");
        response.setContentType("text/plain; charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }

    private static JsonObject parse(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }
}
