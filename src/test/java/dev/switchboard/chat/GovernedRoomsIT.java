package dev.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.ChatClient;
import dev.switchboard.testing.InServerTest;
import dev.switchboard.testing.Tokens;
import jakarta.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rooms as the test server's namespaces govern them (src/test/resources/namespaces.json): granted rooms,
 * an announcements room, personal rooms, a capped room with slow mode, and grants that change on refresh,
 * met the way a user meets them, over the wire.
 */
class GovernedRoomsIT extends InServerTest {

    private static final Instant IN_AN_HOUR = Instant.now().plusSeconds(3600);

    private ChatClient withGrants(String user, Map<String, List<String>> grants) throws Exception {
        return opened(ChatClient.connectWithToken(server, user, Tokens.mintWithGrants(user, grants, IN_AN_HOUR)));
    }

    /** The client once its connection's first frames (welcome, where its whispers stand) have come. */
    private static ChatClient opened(ChatClient client) throws Exception {
        client.next("welcome");
        client.next("whispers");
        return client;
    }

    /** Both join the room; the author says {@code text} and the member gets it: its offset. */
    private static long saidAndSeen(String room, ChatClient author, ChatClient member, String text) throws Exception {
        for (ChatClient c : List.of(author, member)) {
            c.send(Map.of("type", "join", "room", room, "cid", "j"));
            c.next("joined");
        }
        author.send(Map.of("type", "say", "room", room, "text", text, "cid", "s"));
        long offset = author.next("ack").getJsonNumber("offset").longValue();
        member.next("message");
        return offset;
    }

    /** Nothing else came before the answer to a ping: a marker that shows what did not arrive. */
    private static void nothingElseBeforeAPong(ChatClient client, String marker) throws Exception {
        client.send(Map.of("type", "ping", "cid", marker));
        JsonObject next = client.next();
        assertEquals("pong", next.getString("type"), client.user + " got " + next + " before the pong");
        assertEquals(marker, next.getString("cid"));
    }

    private static JsonObject errorFor(ChatClient client, String cid) throws Exception {
        JsonObject error = client.next();
        assertEquals("error", error.getString("type"), error.toString());
        assertEquals(cid, error.getString("cid"));
        return error;
    }

    private int membersStatus(String room, String bearer) throws Exception {
        return server.get("api/rooms/" + URLEncoder.encode(room, StandardCharsets.UTF_8) + "/members", bearer).statusCode();
    }

    @Test
    void aGrantedRoomTakesOnlyWhomTheTokenGrantsAndARefusalShowsNothingOfTheRoom() throws Exception {
        String room = "team:it-granted";
        String annsToken = Tokens.mintWithGrants("gr-ann", Map.of("team:*", List.of("join", "say")), IN_AN_HOUR);
        try (ChatClient ann = opened(ChatClient.connectWithToken(server, "gr-ann", annsToken));
                ChatClient bob = opened(ChatClient.connect(server, "gr-bob"))) {
            ann.send(Map.of("type", "join", "room", room, "cid", "j1"));
            assertEquals(1, ann.next("joined").getInt("count"));
            ann.send(Map.of("type", "say", "room", room, "text", "the plan", "cid", "s1"));
            ann.next("ack");
            bob.send(Map.of("type", "join", "room", room, "cid", "j2"));
            assertEquals("forbidden", errorFor(bob, "j2").getString("code"));
            nothingElseBeforeAPong(bob, "after-refusal"); // no joined, no history, no presence
            bob.send(Map.of("type", "say", "room", room, "text", "let me in", "cid", "s2"));
            assertEquals("not_joined", errorFor(bob, "s2").getString("code"));
            assertEquals(403, membersStatus(room, server.token("gr-bob")), "a stranger may not see who is in");
            assertEquals(200, membersStatus(room, annsToken));
            assertEquals(200, membersStatus(room, System.getProperty("switchboard.test.apiKey")), "the server API sees every room");
        }
    }

    @Test
    void anAnnouncementsRoomIsWrittenOnlyByTheServerApiAndHidesItsMembers() throws Exception {
        String room = "news:it-today";
        try (ChatClient reader = ChatClient.connect(server, "news-reader")) {
            reader.send(Map.of("type", "join", "room", room, "cid", "j1"));
            JsonObject joined = reader.next("joined");
            assertFalse(joined.containsKey("count"), "presence is off: " + joined);
            assertFalse(joined.containsKey("members"), joined.toString());
            reader.send(Map.of("type", "say", "room", room, "text", "me too", "cid", "s1"));
            assertEquals("forbidden", reader.next("error").getString("code"));
            assertEquals(200, server.api("api/publish", "{\"room\":\"" + room + "\",\"text\":\"Extra!\"}").statusCode());
            JsonObject message = reader.next("message");
            assertEquals("Extra!", message.getString("text"));
            assertTrue(message.getBoolean("server"));
            assertEquals(403, membersStatus(room, server.token("news-reader")), "no member list for members either");
        }
    }

    @Test
    void aPersonalRoomTakesOnlyItsOwnerAndTheUrlMayNameIt() throws Exception {
        try (ChatClient carol = ChatClient.connect(server, "carol", "room=" + URLEncoder.encode("me:#carol", StandardCharsets.UTF_8));
                ChatClient dave = ChatClient.connect(server, "dave")) {
            assertEquals("[\"me:#carol\"]", carol.next("welcome").getJsonArray("rooms").toString());
            assertEquals("me:#carol", carol.next("joined").getString("room"));
            dave.send(Map.of("type", "join", "room", "me:#carol", "cid", "j1"));
            assertEquals("forbidden", dave.next("error").getString("code"));
            dave.send(Map.of("type", "join", "room", "nowhere:x", "cid", "j2"));
            JsonObject unknown = dave.next("error");
            assertEquals("bad_name", unknown.getString("code"), unknown.toString());
            assertEquals(200, server.api("api/publish", "{\"room\":\"me:#carol\",\"text\":\"Your order shipped\"}").statusCode());
            assertEquals("Your order shipped", carol.next("message").getString("text"));
        }
    }

    @Test
    void slowModeLetsAStudentSayOneMessagePerIntervalAndTheTeacherIsExempt() throws Exception {
        String room = "class:it-slow";
        try (ChatClient student = ChatClient.connect(server, "student", "room=" + room);
                ChatClient teacher = withGrants("teacher", Map.of("class:*", List.of("moderate")))) {
            student.next("joined");
            teacher.send(Map.of("type", "join", "room", room));
            teacher.next("joined");
            student.send(Map.of("type", "say", "room", room, "text", "first", "cid", "s1"));
            student.next("ack");
            student.send(Map.of("type", "say", "room", room, "text", "second", "cid", "s2"));
            JsonObject slow = student.next("error");
            assertEquals("slow_mode", slow.getString("code"));
            Instant until = Instant.parse(slow.getString("until"));
            assertTrue(until.isAfter(Instant.now().plusSeconds(20)), "30 s from the first message: " + until);
            for (String cid : List.of("t1", "t2", "t3")) {
                teacher.send(Map.of("type", "say", "room", room, "text", "note " + cid, "cid", cid));
                assertEquals(cid, teacher.next("ack").getString("cid"), "a moderator is exempt");
            }
            student.send(Map.of("type", "say", "room", room, "text", "x".repeat(201), "cid", "s3"));
            assertEquals("too_large", student.next("error").getString("code"), "200 bytes at most in this namespace");
        }
    }

    @Test
    void aCappedRoomTurnsAwayOneUserTooMany() throws Exception {
        String room = "class:it-capped";
        try (ChatClient a = ChatClient.connect(server, "cap-a", "room=" + room);
                ChatClient b = ChatClient.connect(server, "cap-b", "room=" + room);
                ChatClient c = ChatClient.connect(server, "cap-c", "room=" + room);
                ChatClient d = ChatClient.connect(server, "cap-d")) {
            a.next("joined");
            b.next("joined");
            c.next("joined");
            d.send(Map.of("type", "join", "room", room, "cid", "j4"));
            assertEquals("room_full", d.next("error").getString("code"));
        }
    }

    @Test
    void aRefreshedTokenWithoutTheGrantTakesTheConnectionOutOfTheRoom() throws Exception {
        String room = "team:it-narrowed";
        try (ChatClient eve = withGrants("eve", Map.of("team:*", List.of("join", "say")));
                ChatClient witness = withGrants("witness", Map.of(room, List.of("join")))) {
            eve.send(Map.of("type", "join", "room", room));
            eve.next("joined");
            witness.send(Map.of("type", "join", "room", room));
            witness.next("joined");
            JsonObject presence;
            do { // the room announces joins: eve hears of the witness before she is taken out
                presence = eve.next("presence");
            } while (!presence.getJsonArray("joins").toString().contains("\"witness\""));
            String narrower = Tokens.mintWithGrants("eve", Map.of("team:other", List.of("join")), IN_AN_HOUR);
            eve.send(Map.of("type", "refresh", "token", narrower, "cid", "r1"));
            assertEquals("r1", eve.next("refreshed").getString("cid"));
            JsonObject left = eve.next("left");
            assertEquals(room, left.getString("room"));
            assertEquals("rights", left.getString("reason"));
            assertEquals(200, server.api("api/publish", "{\"room\":\"" + room + "\",\"text\":\"not for eve\"}").statusCode());
            assertEquals("not for eve", witness.next("message").getString("text")); // delivered to the room by now
            nothingElseBeforeAPong(eve, "after-left");
        }
    }

    @Test
    void aModeratorBansAUserWhoseTabLeavesAtOnceAndTheServerApiLiftsTheBan() throws Exception {
        String room = "class:it-ban";
        try (ChatClient teacher = withGrants("ban-teacher", Map.of("class:*", List.of("moderate")));
                ChatClient troll = opened(ChatClient.connect(server, "troll", "room=" + room))) {
            troll.next("joined");
            teacher.send(Map.of("type", "join", "room", room));
            teacher.next("joined");
            teacher.send(Map.of("type", "ban", "room", room, "user", "troll", "cid", "b1"));
            assertEquals("troll", teacher.next("ack").getString("to"));
            JsonObject left = troll.next("left");
            assertEquals("banned", left.getString("reason"));
            assertFalse(left.containsKey("until"), "a ban with no end: " + left);
            troll.send(Map.of("type", "join", "room", room, "cid", "j2"));
            assertEquals("banned", troll.next("error").getString("code"));
            JsonObject moderation = ChatClient.parse(server.apiCall("GET", "api/rooms/" + room + "/moderation", null).body());
            assertEquals("troll", moderation.getJsonArray("bans").getJsonObject(0).getString("user"), moderation.toString());
            assertEquals(200, server.apiCall("DELETE", "api/rooms/" + room + "/bans/troll", null).statusCode());
            troll.send(Map.of("type", "join", "room", room, "cid", "j3"));
            assertEquals("j3", troll.next("joined").getString("cid"));
        }
    }

    @Test
    void theServerApiMutesAUserForATimeAndSetsARoomsSlowMode() throws Exception {
        String room = "it-muted-lobby";
        try (ChatClient chatty = opened(ChatClient.connect(server, "chatty", "room=" + room));
                ChatClient quiet = opened(ChatClient.connect(server, "quiet", "room=" + room))) {
            chatty.next("joined");
            quiet.next("joined");
            HttpResponse<String> muted = server.apiCall("PUT", "api/rooms/" + room + "/mutes/chatty", "{\"seconds\": 600}");
            assertEquals(200, muted.statusCode(), muted.body());
            JsonObject told = chatty.next("moderated");
            assertEquals("mute", told.getString("action"));
            Instant until = Instant.parse(told.getString("until"));
            chatty.send(Map.of("type", "say", "room", room, "text", "can I?", "cid", "s1"));
            JsonObject refused = chatty.next("error");
            assertEquals("muted", refused.getString("code"));
            assertEquals(until, Instant.parse(refused.getString("until")));
            assertEquals(200, server.apiCall("DELETE", "api/rooms/" + room + "/mutes/chatty", null).statusCode());
            assertEquals("unmute", chatty.next("moderated").getString("action"));
            assertEquals(200, server.apiCall("PUT", "api/rooms/" + room + "/slow-mode", "{\"seconds\": 60}").statusCode());
            assertEquals(60, quiet.next("slow_mode").getInt("seconds"));
            quiet.send(Map.of("type", "say", "room", room, "text", "one", "cid", "q1"));
            quiet.next("ack");
            quiet.send(Map.of("type", "say", "room", room, "text", "two", "cid", "q2"));
            assertEquals("slow_mode", quiet.next("error").getString("code"));
            assertEquals(400, server.apiCall("PUT", "api/rooms/" + room + "/bans/chatty", "{\"seconds\": -1}").statusCode());
            assertEquals(404, server.apiCall("PUT", "api/rooms/nowhere:x/bans/chatty", null).statusCode());
            assertEquals(200, server.apiCall("DELETE", "api/rooms/" + room + "/slow-mode", null).statusCode());
            assertEquals(0, quiet.next("slow_mode").getInt("seconds"), "back to the default namespace's: off");
        }
    }

    @Test
    void aDeletedMessageIsATombstoneForNewcomersAndAClientThatWasAwayLearnsOfTheDeletion() throws Exception {
        String room = "class:it-delete";
        long offset;
        String epoch;
        try (ChatClient writer = opened(ChatClient.connect(server, "del-writer", "room=" + room));
                ChatClient teacher = withGrants("del-teacher", Map.of("class:*", List.of("moderate")))) {
            writer.next("joined");
            writer.send(Map.of("type", "say", "room", room, "text", "oops", "cid", "s1"));
            JsonObject ack = writer.next("ack");
            offset = ack.getJsonNumber("offset").longValue();
            writer.next("message");
            teacher.send(Map.of("type", "join", "room", room));
            epoch = teacher.next("joined").getString("epoch");
        }
        // While the writer is away, the teacher's deletion (here through the server API) happens.
        HttpResponse<String> deleted = server.apiCall("DELETE", "api/rooms/" + room + "/messages/" + offset + "?epoch=" + epoch, null);
        assertEquals(200, deleted.statusCode(), deleted.body());
        try (ChatClient back = ChatClient.connect(server, "del-writer")) {
            back.send(Map.of("type", "join", "room", room, "since", offset, "epoch", epoch));
            assertTrue(back.next("joined").getBoolean("recovered"));
            JsonObject learnt = back.next("deleted");
            assertEquals(offset, learnt.getJsonNumber("target").longValue());
            assertEquals("server", learnt.getString("by"));
        }
        try (ChatClient newcomer = ChatClient.connect(server, "del-newcomer", "room=" + room)) {
            newcomer.next("joined");
            JsonObject tombstone = newcomer.next("message");
            assertEquals(offset, tombstone.getJsonNumber("offset").longValue());
            assertTrue(tombstone.getBoolean("deleted"));
            assertFalse(tombstone.containsKey("text"), "the text is gone from history: " + tombstone);
        }
        assertEquals(404, server.apiCall("DELETE", "api/rooms/" + room + "/messages/999", null).statusCode());
    }

    @Test
    void aRoomTokenLetsItsUserInUntilItExpiresUnlessRefreshed() throws Exception {
        String room = "team:it-room-token";
        try (ChatClient fay = opened(ChatClient.connect(server, "fay"))) {
            String soon = Tokens.mintRoomToken("fay", room, List.of("join", "say"), Instant.now().plusSeconds(3), Tokens.SECRET);
            fay.send(Map.of("type", "join", "room", room, "token", soon, "cid", "j1"));
            assertEquals("j1", fay.next("joined").getString("cid"));
            String later = Tokens.mintRoomToken("fay", room, List.of("join", "say"), Instant.now().plusSeconds(3600), Tokens.SECRET);
            fay.send(Map.of("type", "refresh", "room", room, "token", later, "cid", "r1"));
            JsonObject refreshed = fay.next("refreshed");
            assertEquals(room, refreshed.getString("room"));
            fay.send(Map.of("type", "say", "room", room, "text", "still here", "cid", "s1"));
            assertEquals("s1", fay.next("ack").getString("cid"));
        }
        try (ChatClient gil = opened(ChatClient.connect(server, "gil"))) {
            String brief = Tokens.mintRoomToken("gil", room, List.of("join"), Instant.now().plusSeconds(2), Tokens.SECRET);
            gil.send(Map.of("type", "join", "room", room, "token", brief));
            gil.next("joined");
            JsonObject left = gil.next("left"); // at the token's exp, within the client's wait
            assertEquals("expired", left.getString("reason"));
            gil.send(Map.of("type", "join", "room", room, "token", brief, "cid", "j2"));
            assertEquals("invalid_token", gil.next("error").getString("code"), "an expired room token lets nobody in");
        }
    }

    @Test
    void aJoinReplaysTheRecentMessagesAndOlderOnesComePageByPageNewestFirst() throws Exception {
        String room = "paged:it";
        for (int i = 1; i <= 8; i++) {
            assertEquals(200, server.api("api/publish", "{\"room\":\"" + room + "\",\"text\":\"m" + i + "\"}").statusCode());
        }
        try (ChatClient reader = opened(ChatClient.connect(server, "pg-reader"))) {
            reader.send(Map.of("type", "join", "room", room, "cid", "j"));
            reader.next("joined");
            List<String> replayed = List.of(reader.next("message").getString("text"), reader.next("message").getString("text"),
                    reader.next("message").getString("text"));
            assertEquals(List.of("m6", "m7", "m8"), replayed, "the namespace replays 3");
            nothingElseBeforeAPong(reader, "replayed");
            reader.send(Map.of("type", "history", "room", room, "before", 6, "limit", 3, "cid", "h1"));
            JsonObject page = reader.next("history");
            assertEquals(List.of("m5", "m4", "m3"), page.getJsonArray("messages").stream()
                    .map(m -> m.asJsonObject().getString("text")).toList(), "newest first");
            assertTrue(page.getBoolean("more"));
            assertEquals("h1", page.getString("cid"));
            reader.send(Map.of("type", "history", "room", room, "before", 3, "cid", "h2"));
            JsonObject last = reader.next("history");
            assertEquals(2, last.getJsonArray("messages").size());
            assertFalse(last.getBoolean("more"));
        }
        JsonObject overHttp = ChatClient.parse(server.get("api/rooms/" + room + "/history?before=3&limit=1",
                System.getProperty("switchboard.test.apiKey")).body());
        assertEquals("m2", overHttp.getJsonArray("messages").getJsonObject(0).getString("text"));
        assertTrue(overHttp.getBoolean("more"));
    }

    @Test
    void anAuthorEditsTheirMessageMembersAreToldAndAClientResumingLearnsOfItOnce() throws Exception {
        String room = "it-edits";
        long offset;
        String epoch;
        try (ChatClient author = opened(ChatClient.connect(server, "ed-author"));
                ChatClient member = opened(ChatClient.connect(server, "ed-member"))) {
            author.send(Map.of("type", "join", "room", room, "cid", "j"));
            epoch = author.next("joined").getString("epoch");
            member.send(Map.of("type", "join", "room", room, "cid", "j"));
            member.next("joined");
            author.send(Map.of("type", "say", "room", room, "text", "teh plan", "cid", "s"));
            offset = author.next("ack").getJsonNumber("offset").longValue();
            assertEquals("teh plan", member.next("message").getString("text"));
            member.send(Map.of("type", "edit", "room", room, "offset", offset, "text", "my plan", "cid", "e0"));
            assertEquals("forbidden", errorFor(member, "e0").getString("code"));
            author.send(Map.of("type", "edit", "room", room, "offset", offset, "epoch", epoch, "text", "the plan", "cid", "e1"));
            assertEquals("e1", author.next("ack").getString("cid"));
            JsonObject edited = member.next("edited");
            assertEquals(offset, edited.getJsonNumber("target").longValue());
            assertEquals("the plan", edited.getString("text"));

            author.send(Map.of("type", "say", "room", room, "text", "score 0-0", "cid", "s2"));
            long score = author.next("ack").getJsonNumber("offset").longValue();
            HttpResponse<String> put = server.apiCall("PUT", "api/rooms/" + room + "/messages/" + score, "{\"text\":\"score 1-0\"}");
            assertEquals(200, put.statusCode(), put.body());
            JsonObject byServer = member.next("edited");
            assertEquals(score, byServer.getJsonNumber("target").longValue());
            assertEquals("server", byServer.getString("by"));
            assertEquals("score 1-0", byServer.getString("text"));
            assertEquals(byServer.getJsonNumber("offset").longValue(), ChatClient.parse(put.body()).getJsonNumber("edit").longValue());
            assertEquals(404, server.apiCall("PUT", "api/rooms/" + room + "/messages/999", "{\"text\":\"x\"}").statusCode());
            assertEquals(400, server.apiCall("PUT", "api/rooms/" + room + "/messages/" + score, "{}").statusCode());
        }
        try (ChatClient back = opened(ChatClient.connect(server, "ed-member"))) {
            back.send(Map.of("type", "join", "room", room, "since", offset, "epoch", epoch));
            assertTrue(back.next("joined").getBoolean("recovered"));
            assertEquals("the plan", back.next("edited").getString("text"), "learnt on recovery");
            back.send(Map.of("type", "ping", "cid", "once"));
            back.next("pong");
            JsonObject score = back.next("message");
            assertEquals("score 1-0", score.getString("text"), "a message replayed is its latest version");
            assertTrue(score.containsKey("edited"));
            assertEquals("score 1-0", back.next("edited").getString("text"), "and the edit, an entry of the log, comes too");
            back.send(Map.of("type", "ping", "cid", "once"));
            back.next("pong");
            assertTrue(back.pending().stream().noneMatch(f -> List.of("edited", "message").contains(f.getString("type"))),
                    "the edits came once, and nothing of the room's log besides (its own join's presence aside)");
        }
        JsonObject history = ChatClient.parse(server.get("api/rooms/" + room + "/history", System.getProperty("switchboard.test.apiKey")).body());
        JsonObject kept = history.getJsonArray("messages").getJsonObject(0);
        assertEquals("the plan", kept.getString("text"), "history keeps the latest version");
        assertTrue(kept.containsKey("edited"));
    }

    @Test
    void membersReactOncePerEmojiAndEveryoneSeesTheSummary() throws Exception {
        String room = "it-reactions";
        try (ChatClient author = opened(ChatClient.connect(server, "rx-author"));
                ChatClient fan = opened(ChatClient.connect(server, "rx-fan"))) {
            long offset = saidAndSeen(room, author, fan, "shipped!");
            fan.send(Map.of("type", "react", "room", room, "offset", offset, "emoji", "🎉", "cid", "r1"));
            fan.next("ack");
            fan.next("reactions");
            JsonObject told = author.next("reactions");
            assertEquals("{\"🎉\":{\"count\":1,\"users\":[\"rx-fan\"]}}", told.getJsonObject("reactions").toString());
            fan.send(Map.of("type", "react", "room", room, "offset", offset, "emoji", "🎉", "cid", "r2"));
            assertEquals("already_reacted", errorFor(fan, "r2").getString("code"));
            fan.send(Map.of("type", "react", "room", room, "offset", offset, "emoji", "🦄", "cid", "r3"));
            assertEquals("bad_field", errorFor(fan, "r3").getString("code"));
        }
        JsonObject kept = ChatClient.parse(server.get("api/rooms/" + room + "/history", System.getProperty("switchboard.test.apiKey")).body())
                .getJsonArray("messages").getJsonObject(0);
        assertEquals(1, kept.getJsonObject("reactions").getJsonObject("🎉").getInt("count"), "history keeps the summary");
    }

    @Test
    void membersSeeHowFarOthersHaveReadAndAWhisperGoesSentDeliveredRead() throws Exception {
        String room = "it-reads";
        try (ChatClient writer = opened(ChatClient.connect(server, "rd-writer"));
                ChatClient reader = opened(ChatClient.connect(server, "rd-reader"))) {
            long offset = saidAndSeen(room, writer, reader, "news");
            reader.send(Map.of("type", "read", "room", room, "offset", offset + 1, "cid", "r0"));
            assertEquals("bad_field", errorFor(reader, "r0").getString("code"), "not beyond what it was given");
            reader.send(Map.of("type", "read", "room", room, "offset", offset, "cid", "r1"));
            assertEquals("r1", reader.next("ack").getString("cid"));
            JsonObject reads = writer.next("reads");
            assertEquals(room, reads.getString("room"));
            assertEquals(offset, reads.getJsonObject("reads").getJsonNumber("rd-reader").longValue());

            try (ChatClient later = opened(ChatClient.connect(server, "rd-later"))) {
                later.send(Map.of("type", "join", "room", room, "cid", "j"));
                assertEquals(offset, later.next("joined").getJsonObject("reads").getJsonNumber("rd-reader").longValue(),
                        "a joiner finds who read how far");
            }

            writer.send(Map.of("type", "whisper", "to", "rd-reader", "text", "psst", "cid", "w1"));
            String id = writer.next("ack").getString("id");
            JsonObject got = reader.next("whisper");
            JsonObject delivered = writer.next("receipts");
            assertEquals("{\"type\":\"receipts\",\"with\":\"rd-reader\",\"delivered\":\"" + id + "\"}", delivered.toString());
            reader.send(Map.of("type", "read", "with", "rd-writer", "offset", got.getJsonNumber("offset").longValue(), "cid", "r2"));
            assertEquals("r2", reader.next("ack").getString("cid"));
            assertEquals(id, writer.next("receipts").getString("read"));
        }
        try (ChatClient writerAgain = ChatClient.connect(server, "rd-writer")) {
            writerAgain.next("welcome");
            JsonObject greeting = writerAgain.next("whispers");
            assertTrue(greeting.getJsonObject("receipts").getJsonObject("rd-reader").containsKey("read"), greeting.toString());
        }
    }
}
