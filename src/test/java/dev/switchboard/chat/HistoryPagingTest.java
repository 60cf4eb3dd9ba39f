package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.session.TestTransports.Recorded;
import jakarta.json.JsonObject;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Older history on demand: a join replays the recent messages only, and {@code history} pages back through the rest. */
class HistoryPagingTest {

    private static final String NAMESPACES = """
            {"default": {"historySize": 10, "replay": 3}}""";
    private static final ConnectionRights NO_GRANTS = new ConnectionRights(Grants.NONE);

    private final TestChat chat = new TestChat("switchboard.namespaces", NAMESPACES);
    private final Rooms rooms = chat.rooms;
    private final Recorded ann = chat.connect("ann");
    private final Recorded bob = chat.connect("bob");

    @AfterEach
    void close() {
        chat.close();
    }

    private List<JsonObject> frames(Recorded who, String type) {
        return who.texts().get().stream().map(dev.switchboard.testing.ChatClient::parse)
                .filter(f -> f.getString("type").equals(type)).toList();
    }

    private static List<String> texts(JsonObject page) {
        return page.getJsonArray("messages").stream().map(m -> m.asJsonObject().getString("text", "(deleted)")).toList();
    }

    @Test
    void aJoinReplaysTheRecentMessagesAndHistoryPagesBackNewestFirst() {
        rooms.join(ann.connection(), NO_GRANTS, "paged", null, null, null, "j");
        for (int i = 1; i <= 8; i++) {
            rooms.say(ann.connection(), NO_GRANTS, "paged", "m" + i, "s" + i);
        }
        Awaitility.await().until(() -> frames(ann, "ack").size() == 8);
        rooms.delete("paged", 4, null, "server");
        Awaitility.await().until(() -> frames(ann, "deleted").size() == 1);

        rooms.join(bob.connection(), NO_GRANTS, "paged", null, null, null, "j");
        Awaitility.await().until(() -> !frames(bob, "joined").isEmpty());
        List<JsonObject> replayed = bob.texts().get().stream().map(dev.switchboard.testing.ChatClient::parse)
                .filter(f -> !f.getString("type").equals("joined") && !f.getString("type").equals("presence")).toList();
        assertEquals(List.of("m7", "m8", "deleted"), replayed.stream()
                .map(f -> f.getString("type").equals("message") ? f.getString("text") : f.getString("type")).toList(),
                "the last 3 entries of the log: two messages and the deletion");

        rooms.history(bob.connection(), "paged", 7L, 2L, "h1");
        Awaitility.await().until(() -> frames(bob, "history").size() == 1);
        JsonObject first = frames(bob, "history").get(0);
        assertEquals(List.of("m6", "m5"), texts(first), "newest first");
        assertEquals("h1", first.getString("cid"));
        assertTrue(first.getBoolean("more"));
        assertEquals(frames(bob, "joined").get(0).getString("epoch"), first.getString("epoch"));

        rooms.history(bob.connection(), "paged", 5L, null, "h2");
        Awaitility.await().until(() -> frames(bob, "history").size() == 2);
        JsonObject last = frames(bob, "history").get(1);
        assertEquals(List.of("(deleted)", "m3", "m2", "m1"), texts(last), "a deleted message is a tombstone; its deletion no entry");
        assertTrue(last.getJsonArray("messages").getJsonObject(0).getBoolean("deleted"));
        assertEquals(false, last.getBoolean("more"));
    }

    @Test
    void aPageIsForMembersAndNamesWhereItStarts() {
        rooms.history(ann.connection(), "paged", 5L, null, "h1");
        assertEquals("{\"type\":\"error\",\"cid\":\"h1\",\"code\":\"not_joined\",\"message\":\"Join 'paged' first\"}", ann.last());
        rooms.join(ann.connection(), NO_GRANTS, "paged", null, null, null, "j");
        rooms.history(ann.connection(), "paged", null, null, "h2");
        assertTrue(ann.last().contains("\"code\":\"missing_field\""), ann.last());
        rooms.history(ann.connection(), "paged", 5L, 101L, "h3");
        assertTrue(ann.last().contains("\"code\":\"bad_field\""), ann.last());
        rooms.history(ann.connection(), "paged", 5L, 10L, "h4");
        Awaitility.await().until(() -> ann.last().startsWith("{\"type\":\"history\""));
        assertEquals("{\"type\":\"history\",\"cid\":\"h4\",\"room\":\"paged\",\"epoch\":\""
                + frames(ann, "joined").get(0).getString("epoch") + "\",\"messages\":[],\"more\":false}", ann.last());
    }
}
