package dev.switchboard.chat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.ChatClient;
import dev.switchboard.testing.InServerTest;
import dev.switchboard.testing.RawWebSocket;
import dev.switchboard.testing.TestClient;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Chat as its users meet it, on one deployment: rooms (fan-out, presence, history and recovery, the
 * plain-text client, typing) and whispers (every tab of both parties, offline delivery). The two groups
 * below were classes of their own, each booting a server of its own (a JVM per class on Payara Micro).
 * Each test has rooms of its own, and no two tests whisper to the same user. A test counts the chat
 * endpoint's connections, so every test waits for the server to see its connections gone before the next.
 */
class ChatRoomsAndWhispersIT extends InServerTest {

    @AfterEach
    void everyConnectionIsGoneBeforeTheNextTest() {
        awaitNoConnections();
    }

    // ---- Rooms (was ChatRoomsIT) ----
    // Rooms as chat users meet them: fan-out, presence, history and recovery, the plain-text client.

    private static List<String> members(JsonObject frame) {
        return names(frame, "members");
    }

    private static List<String> names(JsonObject frame, String field) {
        return frame.getJsonArray(field).getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    /**
     * The next presence frame that names the user under {@code joins} or {@code leaves}. Presence comes
     * gathered, one frame per room per interval, so earlier frames (the watcher's own join) are skipped.
     */
    private static JsonObject nextPresenceNaming(ChatClient client, String field, String user) throws InterruptedException {
        for (int frames = 0; frames < 10; frames++) {
            JsonObject presence = client.next("presence");
            if (names(presence, field).contains(user)) {
                return presence;
            }
        }
        throw new AssertionError("No presence frame with " + user + " in '" + field + "' among the next 10");
    }

    private static Map<String, Object> join(String room) {
        return Map.of("type", "join", "room", room);
    }

    private static Map<String, Object> say(String room, String text, String cid) {
        return Map.of("type", "say", "room", room, "text", text, "cid", cid);
    }

    @Test
    void aRoomMessageReachesEveryMemberOnceInOrderIncludingTheSendersOtherTab() throws Exception {
        String room = "fanout";
        List<ChatClient> members = new ArrayList<>();
        try (ChatClient sender = ChatClient.connect(server, "speaker", "room=" + room);
             ChatClient senderTab2 = ChatClient.connect(server, "speaker", "room=" + room);
             ChatClient outsider = ChatClient.connect(server, "outsider", "room=elsewhere")) {
            for (int i = 0; i < 6; i++) {
                ChatClient member = ChatClient.connect(server, "listener" + i, "room=" + room);
                member.next("joined");
                members.add(member);
            }
            members.add(senderTab2);
            sender.next("joined");
            senderTab2.next("joined");
            outsider.next("joined");
            int count = 20;
            for (int i = 0; i < count; i++) {
                sender.send(say(room, "message " + i, "c" + i));
            }
            long previousOffset = 0;
            for (int i = 0; i < count; i++) {
                JsonObject ack = sender.next("ack");
                assertEquals("c" + i, ack.getString("cid"));
                assertTrue(ack.getJsonNumber("offset").longValue() > previousOffset, "offsets increase");
                previousOffset = ack.getJsonNumber("offset").longValue();
            }
            for (ChatClient member : members) {
                long offset = 0;
                for (int i = 0; i < count; i++) {
                    JsonObject message = member.next("message");
                    assertEquals("message " + i, message.getString("text"), member.user + " gets them in order");
                    assertEquals("speaker", message.getString("from"));
                    assertEquals(room, message.getString("room"));
                    assertTrue(message.getJsonNumber("offset").longValue() > offset);
                    offset = message.getJsonNumber("offset").longValue();
                }
            }
            for (int i = 0; i < count; i++) {
                sender.next("message");
            }
            // A last message as a marker: once it is in, anything sent twice would have arrived before it.
            sender.send(say(room, "marker", "marker"));
            for (ChatClient member : members) {
                assertEquals("marker", member.next("message").getString("text"));
                assertTrue(member.pending().stream().noneMatch(f -> "message".equals(f.getString("type"))),
                        member.user + " got a message twice");
            }
            assertTrue(outsider.pending().stream().noneMatch(f -> "message".equals(f.getString("type"))),
                    "a user in another room gets nothing");
        } finally {
            for (ChatClient member : members) {
                member.close();
            }
        }
    }

    @Test
    void aUserWithThreeTabsIsOneMemberWhoLeavesWithTheLastTab() throws Exception {
        String room = "presence";
        try (ChatClient watcher = ChatClient.connect(server, "watcher", "room=" + room)) {
            assertEquals(List.of("watcher"), members(watcher.next("joined")));
            ChatClient tab1 = ChatClient.connect(server, "tabs", "room=" + room);
            JsonObject joined = tab1.next("joined");
            assertEquals(List.of("tabs", "watcher"), members(joined));
            JsonObject presence = nextPresenceNaming(watcher, "joins", "tabs");
            assertEquals(2, presence.getInt("count"));

            ChatClient tab2 = ChatClient.connect(server, "tabs", "room=" + room);
            ChatClient tab3 = ChatClient.connect(server, "tabs", "room=" + room);
            assertEquals(List.of("tabs", "watcher"), members(tab2.next("joined")));
            tab3.next("joined");
            tab1.close();
            tab2.close();
            await("the two tabs are gone from the server").atMost(Duration.ofSeconds(10))
                    .until(() -> server.probe("chat") == 2);
            // A marker member joins after the tabs came and went. Presence goes out on the server's
            // schedule, in order, so a frame about the tabs would come before the marker's join, or with it.
            try (ChatClient marker = ChatClient.connect(server, "marker", "room=" + room)) {
                marker.next("joined");
                JsonObject news;
                do {
                    news = watcher.next("presence");
                    assertFalse(names(news, "joins").contains("tabs") || names(news, "leaves").contains("tabs"),
                            "no join for the second and third tab, no leave while one tab is open: " + news);
                } while (!names(news, "joins").contains("marker"));
                tab3.close();
                JsonObject leave = nextPresenceNaming(watcher, "leaves", "tabs");
                assertEquals(2, leave.getInt("count"), "the watcher and the marker");
            }
        }
    }

    @Test
    void aCrowdedRoomListsItsFirstMembersByNameAndCountsThemAllWithTheFullListOverHttp() throws Exception {
        String room = "crowd";
        List<ChatClient> crowd = new ArrayList<>();
        try {
            // The test servers list at most 3 members in a joined frame.
            for (String user : List.of("c5", "c3", "c1", "c4")) {
                ChatClient member = ChatClient.connect(server, user, "room=" + room);
                crowd.add(member);
                member.next("joined");
            }
            try (ChatClient last = ChatClient.connect(server, "c2", "room=" + room)) {
                JsonObject joined = last.next("joined");
                assertEquals(5, joined.getInt("count"));
                assertEquals(List.of("c1", "c2", "c3"), members(joined));
                var response = server.get("api/rooms/" + room + "/members", server.token("c1"));
                assertEquals(200, response.statusCode(), response.body());
                assertEquals(List.of("c1", "c2", "c3", "c4", "c5"), members(ChatClient.parse(response.body())));
                assertEquals(5, ChatClient.parse(response.body()).getInt("count"));
            }
        } finally {
            for (ChatClient member : crowd) {
                member.close();
            }
        }
    }

    @Test
    // Gathering itself (one frame per interval) is pinned by PresenceAnnouncerTest; over the network the
    // interval may end between two joins, so this checks only that joins and leaves arrive, with the count.
    void joinsAndLeavesArriveWithTheRoomsCount() throws Exception {
        String room = "gathered";
        try (ChatClient watcher = ChatClient.connect(server, "gatherer", "room=" + room)) {
            watcher.next("joined");
            nextPresenceNaming(watcher, "joins", "gatherer");
            ChatClient a = ChatClient.connect(server, "ga", "room=" + room);
            ChatClient b = ChatClient.connect(server, "gb", "room=" + room);
            a.next("joined");
            b.next("joined");
            JsonObject both = nextPresenceNaming(watcher, "joins", "ga");
            if (!names(both, "joins").contains("gb")) {
                // The interval ended between the two joins: the second comes in the next frame.
                nextPresenceNaming(watcher, "joins", "gb");
            }
            a.close();
            b.close();
            JsonObject left = nextPresenceNaming(watcher, "leaves", "ga");
            if (!names(left, "leaves").contains("gb")) {
                left = nextPresenceNaming(watcher, "leaves", "gb");
            }
            assertEquals(1, left.getInt("count"));
        }
    }

    @Test
    void aQuietRoomStillCountsItsMembers() throws Exception {
        // Rooms named live… are quiet by default (no presence frames: PresenceAnnouncerTest), yet counted.
        String room = "live-quiet";
        try (ChatClient watcher = ChatClient.connect(server, "audience", "room=" + room)) {
            assertEquals(1, watcher.next("joined").getInt("count"));
            try (ChatClient passer = ChatClient.connect(server, "passer", "room=" + room)) {
                assertEquals(2, passer.next("joined").getInt("count"));
            }
        }
    }

    @Test
    void aMessageWithAnUnpairedSurrogateIsRefusedAndTheRoomGoesOn() throws Exception {
        String room = "surrogates";
        try (ChatClient sender = ChatClient.connect(server, "sly", "room=" + room);
             ChatClient member = ChatClient.connect(server, "bystander", "room=" + room)) {
            sender.next("joined");
            member.next("joined");
            // Valid JSON, yet no UTF-8 can carry it: every recipient's encoder would fail on it.
            sender.send("{\"type\":\"say\",\"room\":\"" + room + "\",\"text\":\"a\\ud800\",\"cid\":\"s1\"}");
            assertEquals("bad_field", sender.next("error").getString("code"));
            sender.send(say(room, "after", "s2"));
            assertEquals(1, sender.next("ack").getJsonNumber("offset").longValue(), "the refused one took no offset");
            assertEquals("after", member.next("message").getString("text"));
            try (ChatClient late = ChatClient.connect(server, "latecomer", "room=" + room)) {
                late.next("joined");
                assertEquals("after", late.next("message").getString("text"), "history replays cleanly");
            }
        }
    }

    @Test
    void aMemberWhoseConnectionStopsAnsweringHeartbeatsLeavesTheRoom() throws Exception {
        String room = "heartbeat";
        try (ChatClient watcher = ChatClient.connect(server, "watchful", "room=" + room)) {
            watcher.next("joined");
            // A client that completes the handshake and then answers nothing, not even pings.
            try (RawWebSocket silent = RawWebSocket.connect(server.ws("ws/chat?room=" + room + "&token="
                    + URLEncoder.encode(server.token("ghost"), StandardCharsets.UTF_8)), 0)) {
                nextPresenceNaming(watcher, "joins", "ghost");
                // The test server closes connections silent for 3 s.
                JsonObject leave = nextPresenceNaming(watcher, "leaves", "ghost");
                assertFalse(names(leave, "joins").contains("ghost"));
            }
        }
    }

    @Test
    void joinWithoutSinceGetsTheRecentHistory() throws Exception {
        String room = "history";
        try (ChatClient author = ChatClient.connect(server, "author", "room=" + room)) {
            author.next("joined");
            for (int i = 0; i < 3; i++) {
                author.send(say(room, "h" + i, "h" + i));
                author.next("ack");
            }
            try (ChatClient reader = ChatClient.connect(server, "reader", "room=" + room)) {
                JsonObject joined = reader.next("joined");
                assertEquals(3, joined.getJsonNumber("offset").longValue());
                for (int i = 0; i < 3; i++) {
                    assertEquals("h" + i, reader.next("message").getString("text"));
                }
            }
        }
    }

    @Test
    void aDroppedConnectionResumesWithExactlyTheMissedMessages() throws Exception {
        String room = "resume";
        try (ChatClient speaker = ChatClient.connect(server, "talker", "room=" + room)) {
            speaker.next("joined");
            speaker.send(say(room, "before", "b1"));
            speaker.next("ack");
            long seen;
            try (ChatClient reader = ChatClient.connect(server, "resumer", "room=" + room)) {
                reader.next("joined");
                seen = reader.next("message").getJsonNumber("offset").longValue();
            }
            for (int i = 0; i < 3; i++) {
                speaker.send(say(room, "missed " + i, "m" + i));
                speaker.next("ack");
            }
            try (ChatClient reader = ChatClient.connect(server, "resumer")) {
                reader.next("welcome");
                reader.send(Map.of("type", "join", "room", room, "since", seen));
                JsonObject joined = reader.next("joined");
                assertTrue(joined.getBoolean("recovered"));
                for (int i = 0; i < 3; i++) {
                    JsonObject m = reader.next("message");
                    assertEquals("missed " + i, m.getString("text"));
                    assertEquals(seen + 1 + i, m.getJsonNumber("offset").longValue());
                }
                speaker.send(say(room, "live", "l1"));
                assertEquals("live", reader.next("message").getString("text"), "then live messages, none twice");
            }
        }
    }

    @Test
    void aGapOlderThanTheHistoryIsReportedAsNotRecovered() throws Exception {
        String room = "long-gap";
        try (ChatClient speaker = ChatClient.connect(server, "chatty", "room=" + room)) {
            speaker.next("joined");
            // The test server keeps 20 messages per room.
            for (int i = 0; i < 25; i++) {
                speaker.send(say(room, "n" + i, "n" + i));
                speaker.next("ack");
            }
            try (ChatClient late = ChatClient.connect(server, "late")) {
                late.next("welcome");
                late.send(Map.of("type", "join", "room", room, "since", 2));
                JsonObject joined = late.next("joined");
                assertFalse(joined.getBoolean("recovered"));
                assertEquals(25, joined.getJsonNumber("offset").longValue());
                assertEquals("n5", late.next("message").getString("text"), "the history that is left, from its start");
            }
        }
    }

    @Test
    void aRetryWithTheSameClientIdIsAcknowledgedAgainButNotDeliveredTwice() throws Exception {
        String room = "retry";
        try (ChatClient sender = ChatClient.connect(server, "retrier", "room=" + room);
             ChatClient reader = ChatClient.connect(server, "observer", "room=" + room)) {
            sender.next("joined");
            reader.next("joined");
            sender.send(say(room, "once", "same-cid"));
            JsonObject first = sender.next("ack");
            sender.send(say(room, "once", "same-cid"));
            JsonObject second = sender.next("ack");
            assertEquals(first, second);
            sender.send(say(room, "after", "other-cid"));
            assertEquals("once", reader.next("message").getString("text"));
            assertEquals("after", reader.next("message").getString("text"), "the retry was not delivered");
        }
    }

    @Test
    void triesOfOneClientIdFromTwoTabsAtOnceAreDeliveredOnce() throws Exception {
        String room = "racing-retries";
        try (ChatClient tab1 = ChatClient.connect(server, "racer", "room=" + room);
             ChatClient tab2 = ChatClient.connect(server, "racer", "room=" + room);
             ChatClient reader = ChatClient.connect(server, "race-watcher", "room=" + room)) {
            tab1.next("joined");
            tab2.next("joined");
            reader.next("joined");
            for (int i = 0; i < 20; i++) {
                String cid = "race-" + i;
                CountDownLatch start = new CountDownLatch(1);
                Thread other = new Thread(() -> {
                    try {
                        start.await();
                        tab2.send(say(room, "raced " + cid, cid));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                other.start();
                start.countDown();
                tab1.send(say(room, "raced " + cid, cid));
                other.join(10_000);
            }
            // Each connection's frames are handled in order: once both tabs' pings are answered, every
            // try has been handled, and the marker comes after all that was delivered.
            tab1.send(Map.of("type", "ping", "cid", "done1"));
            tab2.send(Map.of("type", "ping", "cid", "done2"));
            assertEquals("done1", tab1.next("pong").getString("cid"));
            assertEquals("done2", tab2.next("pong").getString("cid"));
            tab1.send(say(room, "marker", "marker"));
            List<String> delivered = new ArrayList<>();
            for (String text = reader.next("message").getString("text"); !text.equals("marker");
                    text = reader.next("message").getString("text")) {
                delivered.add(text);
            }
            Collections.sort(delivered);
            List<String> once = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                once.add("raced race-" + i);
            }
            Collections.sort(once);
            assertEquals(once, delivered, "each client id delivered once");
        }
    }

    @Test
    void thePlainTextClientIsAWorkingChatRoom() throws Exception {
        String token = server.token("plain");
        try (TestClient plain = TestClient.connect(server.ws("ws/chat?room=lobby&token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8)));
             ChatClient other = ChatClient.connect(server, "fancy", "room=lobby")) {
            other.next("joined");
            plain.send("hello from a plain WebSocket");
            JsonObject message = other.next("message");
            assertEquals("hello from a plain WebSocket", message.getString("text"));
            assertEquals("plain", message.getString("from"));
            other.send(say("lobby", "hi plain", "p1"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean seen = false;
            while (!seen && System.nanoTime() < deadline) {
                String frame = plain.texts.poll(1, TimeUnit.SECONDS);
                seen = frame != null && frame.contains("\"text\":\"hi plain\"");
            }
            assertTrue(seen, "the plain client receives the room's messages");
        }
    }

    @Test
    void typingInARoomReachesTheOthersNotTheTypist() throws Exception {
        String room = "typing";
        try (ChatClient typist = ChatClient.connect(server, "typist", "room=" + room);
             ChatClient reader = ChatClient.connect(server, "reader2", "room=" + room)) {
            typist.next("joined");
            reader.next("joined");
            typist.send(Map.of("type", "typing", "room", room));
            JsonObject typing = reader.next("typing");
            assertEquals("typist", typing.getString("from"));
            typist.send(Map.of("type", "ping", "cid", "p"));
            typist.next("pong");
            assertTrue(typist.pending().stream().noneMatch(f -> "typing".equals(f.getString("type"))));
        }
    }

    // ---- Whispers (was ChatWhispersIT) ----
    // Private messages: every tab of both parties, and offline delivery.

    private static Map<String, Object> whisper(String to, String text, String cid) {
        return Map.of("type", "whisper", "to", to, "text", text, "cid", cid);
    }

    @Test
    void aWhisperReachesEveryTabOfTheRecipientAndTheSendersOtherTabs() throws Exception {
        try (ChatClient alice1 = ChatClient.connect(server, "wa");
             ChatClient alice2 = ChatClient.connect(server, "wa");
             ChatClient bob1 = ChatClient.connect(server, "wb");
             ChatClient bob2 = ChatClient.connect(server, "wb");
             ChatClient eve = ChatClient.connect(server, "we")) {
            for (ChatClient c : new ChatClient[] {alice1, alice2, bob1, bob2, eve}) {
                c.next("welcome");
            }
            alice1.send(whisper("wb", "psst", "w1"));
            JsonObject ack = alice1.next("ack");
            assertEquals("delivered", ack.getString("status"));
            Map<ChatClient, Integer> offsets = new java.util.HashMap<>();
            for (ChatClient c : new ChatClient[] {bob1, bob2, alice2}) {
                JsonObject w = c.next("whisper");
                offsets.put(c, w.getInt("offset"));
                assertEquals("psst", w.getString("text"));
                assertEquals("wa", w.getString("from"));
                assertEquals("wb", w.getString("to"));
                assertEquals(ack.getString("id"), w.getString("id"));
            }
            eve.send(Map.of("type", "ping"));
            eve.next("pong");
            assertTrue(eve.pending().stream().noneMatch(f -> "whisper".equals(f.getString("type"))), "nobody else");
            JsonObject own = alice1.next("whisper");
            assertEquals(ack.getString("id"), own.getString("id"), "the sending tab gets its copy too, as in a room");
            assertEquals(offsets.get(alice2), own.getInt("offset"), "both of alice's tabs: the same place in her log");
            assertEquals(offsets.get(bob1), offsets.get(bob2), "both of bob's tabs: the same place in his");
        }
    }

    @Test
    void aTabThatWasAwayRecoversFromItsOffsetWhatAnotherTabGotMeanwhile() throws Exception {
        try (ChatClient bob = ChatClient.connect(server, "rb");
             ChatClient stays = ChatClient.connect(server, "ra")) {
            bob.next("welcome");
            String epoch = stays.next("whispers").getString("epoch");
            ChatClient away = ChatClient.connect(server, "ra");
            away.next("whispers");
            bob.send(whisper("ra", "one", "r1"));
            bob.send(whisper("ra", "two", "r2"));
            long seen = 0;
            for (String text : new String[] {"one", "two"}) {
                JsonObject w = away.next("whisper");
                assertEquals(text, w.getString("text"));
                assertTrue(w.getInt("offset") > seen, "offsets increase: " + w);
                seen = w.getInt("offset");
                assertEquals(text, stays.next("whisper").getString("text"));
            }
            away.close();
            bob.send(whisper("ra", "three", "r3"));
            bob.send(whisper("ra", "four", "r4"));
            assertEquals("three", stays.next("whisper").getString("text"));
            assertEquals("four", stays.next("whisper").getString("text"));
            try (ChatClient back = ChatClient.connect(server, "ra", "whispersSince=" + seen + "&whispersEpoch=" + epoch)) {
                JsonObject greeting = back.next("whispers");
                assertTrue(greeting.getBoolean("recovered"), greeting.toString());
                assertEquals("three", back.next("whisper").getString("text"));
                assertEquals("four", back.next("whisper").getString("text"));
                back.send(Map.of("type", "ping"));
                back.next("pong");
                assertTrue(back.pending().stream().noneMatch(f -> "whisper".equals(f.getString("type"))),
                        "exactly the missed ones: " + back.pending());
            }
            try (ChatClient stale = ChatClient.connect(server, "ra", "whispersSince=1&whispersEpoch=another-run")) {
                assertFalse(stale.next("whispers").getBoolean("recovered"), "offsets of another epoch are not recovered");
            }
        }
    }

    @Test
    void aWhisperToAnOfflineUserIsStoredAndDeliveredWhenTheyConnect() throws Exception {
        try (ChatClient sender = ChatClient.connect(server, "early")) {
            sender.next("welcome");
            sender.send(whisper("sleeper", "while you were away", "o1"));
            assertEquals("stored", sender.next("ack").getString("status"));
            sender.send(whisper("sleeper", "and another", "o2"));
            assertEquals("stored", sender.next("ack").getString("status"));
        }
        try (ChatClient sleeper = ChatClient.connect(server, "sleeper")) {
            sleeper.next("welcome");
            assertEquals("while you were away", sleeper.next("whisper").getString("text"));
            assertEquals("and another", sleeper.next("whisper").getString("text"));
        }
        try (ChatClient again = ChatClient.connect(server, "sleeper")) {
            again.next("welcome");
            again.send(Map.of("type", "ping"));
            again.next("pong");
            assertTrue(again.pending().stream().noneMatch(f -> "whisper".equals(f.getString("type"))),
                    "an inbox is delivered once");
        }
    }

    @Test
    void aWhisperToANameNeverSeenIsStoredForThatNameOnly() throws Exception {
        try (ChatClient sender = ChatClient.connect(server, "curious");
             ChatClient bystander = ChatClient.connect(server, "bystander")) {
            sender.next("welcome");
            bystander.next("welcome");
            sender.send(whisper("nobody-yet", "hello?", "n1"));
            assertEquals("stored", sender.next("ack").getString("status"));
            bystander.send(Map.of("type", "ping"));
            bystander.next("pong");
            assertTrue(bystander.pending().stream().noneMatch(f -> "whisper".equals(f.getString("type"))));
        }
        try (ChatClient owner = ChatClient.connect(server, "nobody-yet")) {
            owner.next("welcome");
            assertEquals("hello?", owner.next("whisper").getString("text"));
        }
    }

    private static long offsetOf(JsonObject frame, String field) {
        return frame.getJsonNumber(field).longValue();
    }

    @Test
    void aWhisperIsAnsweredEditedReactedToAndDeletedForEveryTabOfBothPartiesAndATabBackLearnsItOnce() throws Exception {
        long bobAt;
        String bobEpoch;
        try (ChatClient ann = ChatClient.connect(server, "xw-ann");
             ChatClient annTab = ChatClient.connect(server, "xw-ann");
             ChatClient bob = ChatClient.connect(server, "xw-bob")) {
            String annEpoch = ann.next("whispers").getString("epoch");
            annTab.next("whispers");
            bobEpoch = bob.next("whispers").getString("epoch");
            ann.send(whisper("xw-bob", "helo", "w1"));
            String id = ann.next("ack").getString("id");
            long annAt = offsetOf(ann.next("whisper"), "offset");
            assertEquals(annAt, offsetOf(annTab.next("whisper"), "offset"));
            bobAt = offsetOf(bob.next("whisper"), "offset");

            bob.send(Map.of("type", "whisper", "to", "xw-ann", "text", "hi", "replyTo", bobAt, "cid", "w2"));
            bob.next("ack");
            assertEquals(bobAt, offsetOf(bob.next("whisper").getJsonObject("replyTo"), "offset"), "bob's copy quotes bob's offset");
            JsonObject quote = annTab.next("whisper").getJsonObject("replyTo");
            assertEquals(annAt, offsetOf(quote, "offset"), "ann's copy quotes ann's offset: " + quote);
            assertEquals(id, quote.getString("id"));
            assertEquals("helo", quote.getString("text"));
            ann.next("whisper");

            ann.send(Map.of("type", "edit", "with", "xw-bob", "offset", annAt, "epoch", annEpoch, "text", "hello", "cid", "e1"));
            assertEquals(annAt, offsetOf(ann.next("ack"), "offset"));
            JsonObject edited = bob.next("edited");
            assertEquals("xw-ann", edited.getString("with"));
            assertEquals(bobAt, offsetOf(edited, "target"), "the target is the whisper's place in bob's own log");
            assertEquals("hello", edited.getString("text"));
            assertEquals(annAt, offsetOf(annTab.next("edited"), "target"));
            ann.next("edited");

            bob.send(Map.of("type", "react", "with", "xw-ann", "offset", bobAt, "emoji", "🎉", "cid", "r1"));
            bob.next("ack");
            bob.next("reactions");
            JsonObject reactions = annTab.next("reactions");
            assertEquals("{\"🎉\":{\"count\":1,\"users\":[\"xw-bob\"]}}", reactions.getJsonObject("reactions").toString());
            ann.next("reactions");

            bob.send(Map.of("type", "delete", "with", "xw-ann", "room", "lobby", "offset", bobAt, "cid", "x1"));
            assertEquals("bad_field", bob.next("error").getString("code"), "a room and a whisper at once");
            bob.send(Map.of("type", "delete", "with", "xw-ann", "offset", bobAt, "cid", "x2"));
            assertEquals("forbidden", bob.next("error").getString("code"), "ann's whisper is not bob's to delete");
            ann.send(Map.of("type", "delete", "with", "xw-bob", "offset", annAt, "cid", "d1"));
            ann.next("ack");
            assertEquals(bobAt, offsetOf(bob.next("deleted"), "target"));
            assertEquals(annAt, offsetOf(annTab.next("deleted"), "target"));
        }
        try (ChatClient back = ChatClient.connect(server, "xw-bob", "whispersSince=" + bobAt + "&whispersEpoch=" + bobEpoch)) {
            back.next("welcome");
            assertTrue(back.next("whispers").getBoolean("recovered"));
            List<String> types = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                types.add(back.next().getString("type"));
            }
            assertEquals(List.of("whisper", "edited", "reactions", "deleted"), types, "the reply's copy, then each change, in order");
            back.send(Map.of("type", "ping", "cid", "once"));
            back.next("pong");
            List<JsonObject> more = back.pending();
            assertTrue(more.isEmpty(), "each once, nothing more: " + more);
        }
    }
}
