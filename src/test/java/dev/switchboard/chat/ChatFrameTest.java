package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.protocol.FrameCodec;
import jakarta.json.Json;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Each frame chat sends, as docs/protocol.md names its fields: {@code type} first, absent fields left out. */
class ChatFrameTest {

    private static void written(String json, ChatFrame frame) {
        assertEquals(json, FrameCodec.toJson(frame));
    }

    @Test
    void welcomeJoinedAndPresence() {
        written("{\"type\":\"welcome\",\"user\":\"ann\",\"rooms\":[\"lobby\"],\"node\":\"n1\"}",
                new ChatFrame.Welcome("ann", List.of("lobby"), "n1", null));
        written("{\"type\":\"joined\",\"cid\":\"j1\",\"room\":\"lobby\",\"offset\":4,\"count\":2,\"members\":[\"ann\",\"bob\"],"
                + "\"recovered\":true,\"epoch\":\"e1\"}",
                new ChatFrame.Joined("j1", "lobby", 4, 2, List.of("ann", "bob"), true, "e1", null, null, null, null));
        written("{\"type\":\"joined\",\"room\":\"lobby\",\"offset\":0,\"count\":1,\"members\":[\"ann\"],\"epoch\":\"e1\"}",
                new ChatFrame.Joined(null, "lobby", 0, 1, List.of("ann"), null, "e1", null, null, null, null));
        written("{\"type\":\"joined\",\"room\":\"news:x\",\"offset\":0,\"epoch\":\"e1\",\"readOnly\":true,\"moderator\":true}",
                new ChatFrame.Joined(null, "news:x", 0, null, null, null, "e1", true, true, null, null));
        written("{\"type\":\"presence\",\"room\":\"lobby\",\"count\":2,\"joins\":[\"bob\"],\"leaves\":[]}",
                new ChatFrame.Presence("lobby", 2, List.of("bob"), List.of(), null));
        written("{\"type\":\"presence\",\"room\":\"big\",\"count\":4000}", new ChatFrame.Presence("big", 4000, null, null, null));
    }

    @Test
    void theInfoTheSitesBackEndGaveOfUsersComesLastByUser() {
        var bobs = Json.createObjectBuilder().add("name", "Bob B").add("roles", Json.createArrayBuilder().add("staff")).build();
        var info = Json.createObjectBuilder().add("bob", bobs).build();
        written("{\"type\":\"welcome\",\"user\":\"bob\",\"rooms\":[],\"node\":\"n1\",\"info\":{\"name\":\"Bob B\",\"roles\":[\"staff\"]}}",
                new ChatFrame.Welcome("bob", List.of(), "n1", bobs));
        written("{\"type\":\"joined\",\"room\":\"lobby\",\"offset\":0,\"count\":2,\"members\":[\"ann\",\"bob\"],\"epoch\":\"e1\","
                + "\"info\":{\"bob\":{\"name\":\"Bob B\",\"roles\":[\"staff\"]}}}",
                new ChatFrame.Joined(null, "lobby", 0, 2, List.of("ann", "bob"), null, "e1", null, null, info, null));
        written("{\"type\":\"presence\",\"room\":\"lobby\",\"count\":2,\"joins\":[\"bob\"],\"leaves\":[],"
                + "\"info\":{\"bob\":{\"name\":\"Bob B\",\"roles\":[\"staff\"]}}}",
                new ChatFrame.Presence("lobby", 2, List.of("bob"), List.of(), info));
    }

    @Test
    void messagesAndWhispers() {
        written("{\"type\":\"message\",\"room\":\"lobby\",\"offset\":3,\"from\":\"ann\",\"id\":\"m1\",\"text\":\"hi\",\"ts\":7}",
                new ChatFrame.Message("lobby", 3, null, null, null, "ann", "m1", null, null, null, "hi", 7));
        written("{\"type\":\"message\",\"room\":\"lobby\",\"offset\":3,\"data\":{\"score\":[1,2]},\"from\":\"server\",\"id\":\"m1\","
                + "\"server\":true,\"ts\":7}",
                new ChatFrame.Message("lobby", 3, Json.createObjectBuilder().add("score", Json.createArrayBuilder().add(1).add(2))
                        .build(), null, null, "server", "m1", null, null, true, null, 7));
        written("{\"type\":\"message\",\"room\":\"lobby\",\"offset\":3,\"deleted\":true,\"from\":\"ann\",\"id\":\"m1\",\"ts\":7}",
                new ChatFrame.Message("lobby", 3, null, true, null, "ann", "m1", null, null, null, null, 7));
        written("{\"type\":\"message\",\"room\":\"lobby\",\"offset\":3,\"edited\":9,\"from\":\"ann\",\"id\":\"m1\",\"text\":\"hi!\",\"ts\":7}",
                new ChatFrame.Message("lobby", 3, null, null, 9L, "ann", "m1", null, null, null, "hi!", 7));
        written("{\"type\":\"message\",\"room\":\"lobby\",\"offset\":4,\"from\":\"bob\",\"id\":\"m2\","
                + "\"replyTo\":{\"offset\":3,\"from\":\"ann\",\"text\":\"hi!\"},\"text\":\"yes\",\"ts\":8}",
                new ChatFrame.Message("lobby", 4, null, null, null, "bob", "m2", null, new Rooms.Quote(3, "ann", "hi!", null), null, "yes", 8));
        written("{\"type\":\"message\",\"room\":\"lobby\",\"offset\":3,\"from\":\"ann\",\"id\":\"m1\","
                + "\"reactions\":{\"👍\":{\"count\":2,\"users\":[\"bob\",\"cy\"]}},\"text\":\"hi\",\"ts\":7}",
                new ChatFrame.Message("lobby", 3, null, null, null, "ann", "m1", Map.of("👍", new Rooms.Reaction(2, List.of("bob", "cy"))),
                        null, null, "hi", 7));
        written("{\"type\":\"reactions\",\"room\":\"lobby\",\"offset\":11,\"target\":3,\"emoji\":\"👍\",\"by\":\"cy\","
                + "\"added\":true,\"reactions\":{\"👍\":{\"count\":2,\"users\":[\"bob\",\"cy\"]}}}",
                new ChatFrame.Reactions("lobby", null, 11, 3, "👍", "cy", true, Map.of("👍", new Rooms.Reaction(2, List.of("bob", "cy")))));
        written("{\"type\":\"deleted\",\"room\":\"lobby\",\"offset\":9,\"target\":3,\"by\":\"mod\"}",
                new ChatFrame.Deleted("lobby", null, 9, 3, "mod"));
        written("{\"type\":\"edited\",\"room\":\"lobby\",\"offset\":10,\"target\":3,\"text\":\"hi!\",\"by\":\"ann\",\"ts\":9}",
                new ChatFrame.Edited("lobby", null, 10, 3, "hi!", "ann", 9));
        written("{\"type\":\"whispers\",\"offset\":2,\"recovered\":false,\"epoch\":\"e1\"}", new ChatFrame.Whispers(2, false, "e1", null));
        written("{\"type\":\"whisper\",\"offset\":5,\"from\":\"ann\",\"id\":\"w1\",\"text\":\"psst\",\"to\":\"bob\",\"ts\":7}",
                new ChatFrame.Whisper(5, null, null, null, "ann", "w1", null, null, null, "psst", "bob", 7));
    }

    @Test
    void readPositionsAndReceipts() {
        written("{\"type\":\"joined\",\"room\":\"lobby\",\"offset\":9,\"count\":1,\"members\":[\"ann\"],\"epoch\":\"e1\","
                + "\"reads\":{\"ann\":9,\"bob\":7}}",
                new ChatFrame.Joined(null, "lobby", 9, 1, List.of("ann"), null, "e1", null, null, null, new TreeMap<>(Map.of("bob", 7L, "ann", 9L))));
        written("{\"type\":\"reads\",\"room\":\"lobby\",\"epoch\":\"e1\",\"reads\":{\"bob\":9}}",
                new ChatFrame.Reads("lobby", "e1", Map.of("bob", 9L)));
        written("{\"type\":\"receipts\",\"with\":\"bob\",\"delivered\":\"w2\",\"read\":\"w1\"}",
                new ChatFrame.Receipts("bob", "w2", "w1"));
        written("{\"type\":\"whispers\",\"offset\":2,\"epoch\":\"e1\",\"receipts\":{\"bob\":{\"delivered\":\"w2\"}}}",
                new ChatFrame.Whispers(2, null, "e1", Map.of("bob", new ChatFrame.Receipt("w2", null))));
    }

    @Test
    void typingAndAcks() {
        written("{\"type\":\"typing\",\"room\":\"lobby\",\"from\":\"ann\"}", new ChatFrame.Typing("lobby", "ann", null));
        written("{\"type\":\"typing\",\"from\":\"ann\",\"to\":\"bob\"}", new ChatFrame.Typing(null, "ann", "bob"));
        written("{\"type\":\"ack\",\"cid\":\"s1\",\"id\":\"m1\",\"room\":\"lobby\",\"offset\":3}",
                new ChatFrame.Ack("s1", "m1", "lobby", 3L, null, null));
        written("{\"type\":\"ack\",\"cid\":\"w1\",\"id\":\"w9\",\"to\":\"bob\",\"status\":\"stored\"}",
                new ChatFrame.Ack("w1", "w9", null, null, "bob", "stored"));
        written("{\"type\":\"ack\",\"cid\":\"l1\",\"room\":\"lobby\"}", new ChatFrame.Ack("l1", null, "lobby", null, null, null));
    }

    @Test
    void logEntriesAreReadBackAndShownAtTheirOffset() {
        String said = FrameCodec.toJson(new Rooms.Said("m1", "api", null, 7,
                Json.createObjectBuilder().add("a", 1).build(), true, null, null, null, null));
        assertEquals("{\"data\":{\"a\":1},\"from\":\"api\",\"id\":\"m1\",\"server\":true,\"ts\":7}", said, "as the room's log keeps it");
        assertEquals("{\"type\":\"message\",\"room\":\"lobby\",\"offset\":3,\"data\":{\"a\":1},\"from\":\"api\",\"id\":\"m1\","
                + "\"server\":true,\"ts\":7}", FrameCodec.toJson(FrameCodec.fromJson(said, Rooms.Said.class).at("lobby", 3)));
        String whispered = FrameCodec.toJson(new Whispers.Whispered("w1", "ann", "bob", "psst", 7, null, null, null, null, null, null));
        assertEquals("{\"type\":\"whisper\",\"offset\":5,\"from\":\"ann\",\"id\":\"w1\",\"text\":\"psst\",\"to\":\"bob\",\"ts\":7}",
                FrameCodec.toJson(FrameCodec.fromJson(whispered, Whispers.Whispered.class).at(5)));
    }
}
