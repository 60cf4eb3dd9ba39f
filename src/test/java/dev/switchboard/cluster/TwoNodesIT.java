package dev.switchboard.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.ChatClient;
import dev.switchboard.testing.PayaraNode;
import dev.switchboard.testing.RawWebSocket;
import dev.switchboard.testing.RedisServer;
import jakarta.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Switchboard nodes (Payara Micro processes) on one real Redis behave as one chat: a room's
 * messages reach members on both in one order, whispers reach every tab of a user whichever node it is
 * on, a user offline everywhere gets their whispers on either node, a client id is claimed once across
 * nodes, and a reconnect to the other node resumes with nothing missed or repeated.
 */
class TwoNodesIT {

    private static RedisServer redis;
    private static PayaraNode a;
    private static PayaraNode b;

    @BeforeAll
    static void startNodes() throws Exception {
        redis = RedisServer.start();
        List<PayaraNode> nodes = PayaraNode.startAll(redis.url(), List.of(), "node-a", "node-b");
        a = nodes.get(0);
        b = nodes.get(1);
    }

    @AfterAll
    static void stopNodes() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {a, b, redis}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    private static Map<String, Object> say(String room, String text, String cid) {
        return Map.of("type", "say", "room", room, "text", text, "cid", cid);
    }

    private static Map<String, Object> whisper(String to, String text, String cid) {
        return Map.of("type", "whisper", "to", to, "text", text, "cid", cid);
    }

    @Test
    void eachNodeSaysItsOwnIdInTheWelcome() throws Exception {
        try (ChatClient onA = ChatClient.connect(a.server(), "id-check");
             ChatClient onB = ChatClient.connect(b.server(), "id-check")) {
            assertEquals("node-a", onA.next("welcome").getString("node"));
            assertEquals("node-b", onB.next("welcome").getString("node"));
        }
    }

    @Test
    void aRoomsMessagesReachMembersOnBothNodesOnceInOneOrder() throws Exception {
        try (ChatClient speakerA = ChatClient.connect(a.server(), "speaker", "room=across");
             ChatClient speakerB = ChatClient.connect(b.server(), "speaker2", "room=across");
             ChatClient listenerA = ChatClient.connect(a.server(), "listen-a", "room=across");
             ChatClient listenerB = ChatClient.connect(b.server(), "listen-b", "room=across")) {
            for (ChatClient c : new ChatClient[] {speakerA, speakerB, listenerA, listenerB}) {
                c.next("joined");
            }
            int each = 25;
            for (int i = 0; i < each; i++) {
                speakerA.send(say("across", "a" + i, "ca" + i));
                speakerB.send(say("across", "b" + i, "cb" + i));
            }
            List<String> seenA = texts(listenerA, 2 * each);
            List<String> seenB = texts(listenerB, 2 * each);
            assertEquals(seenA, seenB, "one order on both nodes");
            for (int i = 0; i < each; i++) {
                assertTrue(seenA.indexOf("a" + i) < seenA.indexOf("a" + (i + 1)) || i == each - 1, "a speaker's order holds");
            }
            assertEquals(each, seenA.stream().filter(t -> t.startsWith("a")).count());
            assertEquals(each, seenA.stream().filter(t -> t.startsWith("b")).count());
            assertNothingMore(listenerA);
            assertNothingMore(listenerB);
        }
    }

    /** The next n room messages' texts, checking that their offsets go up by one. */
    private static List<String> texts(ChatClient client, int n) throws InterruptedException {
        List<String> texts = new ArrayList<>();
        long offset = -1;
        for (int i = 0; i < n; i++) {
            JsonObject message = client.next("message");
            if (offset >= 0) {
                assertEquals(offset + 1, message.getJsonNumber("offset").longValue(), "no gap, no repeat: " + message);
            }
            offset = message.getJsonNumber("offset").longValue();
            texts.add(message.getString("text"));
        }
        return texts;
    }

    private static void assertNothingMore(ChatClient client) throws Exception {
        client.send(Map.of("type", "ping", "cid", "marker"));
        client.next("pong");
        assertTrue(client.pending().stream().noneMatch(f -> "message".equals(f.getString("type"))
                || "whisper".equals(f.getString("type"))), "nothing more: " + client.pending());
    }

    @Test
    void aWhisperReachesEveryTabOfTheRecipientOnEitherNode() throws Exception {
        try (ChatClient sender = ChatClient.connect(a.server(), "w-sender");
             ChatClient tabA = ChatClient.connect(a.server(), "w-reader");
             ChatClient tabB = ChatClient.connect(b.server(), "w-reader")) {
            sender.next("whispers");
            tabA.next("whispers");
            tabB.next("whispers");
            sender.send(whisper("w-reader", "psst", "w1"));
            JsonObject ack = sender.next("ack");
            assertEquals("delivered", ack.getString("status"));
            JsonObject onA = tabA.next("whisper");
            JsonObject onB = tabB.next("whisper");
            assertEquals("psst", onB.getString("text"));
            assertEquals(ack.getString("id"), onB.getString("id"));
            assertEquals(onA.getInt("offset"), onB.getInt("offset"), "one log, one offset, both nodes");
            assertNothingMore(tabA);
            assertNothingMore(tabB);
        }
    }

    @Test
    void whispersToAUserOfflineEverywhereArriveWhenTheyConnectToTheOtherNode() throws Exception {
        try (ChatClient sender = ChatClient.connect(a.server(), "o-sender")) {
            sender.next("whispers");
            sender.send(whisper("o-away", "one", "o1"));
            assertEquals("stored", sender.next("ack").getString("status"));
            sender.send(whisper("o-away", "two", "o2"));
            assertEquals("stored", sender.next("ack").getString("status"));
        }
        try (ChatClient away = ChatClient.connect(b.server(), "o-away")) {
            away.next("whispers");
            assertEquals("one", away.next("whisper").getString("text"));
            assertEquals("two", away.next("whisper").getString("text"));
        }
        try (ChatClient again = ChatClient.connect(a.server(), "o-away")) {
            again.next("whispers");
            assertNothingMore(again);
        }
    }

    @Test
    void aClientIdSentThroughBothNodesAtOnceIsDeliveredOnce() throws Exception {
        try (ChatClient tabA = ChatClient.connect(a.server(), "dedupe", "room=dedupe");
             ChatClient tabB = ChatClient.connect(b.server(), "dedupe", "room=dedupe");
             ChatClient listener = ChatClient.connect(b.server(), "dedupe-listener", "room=dedupe")) {
            tabA.next("joined");
            tabB.next("joined");
            listener.next("joined");
            for (int round = 0; round < 10; round++) {
                String cid = "twice-" + round;
                tabA.send(say("dedupe", "round " + round, cid));
                tabB.send(say("dedupe", "round " + round, cid));
            }
            for (int round = 0; round < 10; round++) {
                assertEquals("round " + round, listener.next("message").getString("text"));
            }
            assertNothingMore(listener);
        }
    }

    @Test
    void theConnectionCapOfAUserCountsTheirConnectionsOnBothNodes() throws Exception {
        List<ChatClient> tabs = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) { // the cap: switchboard.user.max-connections, 10
                ChatClient tab = ChatClient.connect(i % 2 == 0 ? a.server() : b.server(), "capped");
                tab.next("welcome");
                tabs.add(tab);
            }
            for (PayaraNode node : new PayaraNode[] {a, b}) {
                URI chat = node.server().ws("ws/chat?token=" + node.server().token("capped"));
                assertEquals(429, RawWebSocket.handshakeStatus(chat, Map.of()), "the eleventh, on " + node.id());
            }
            tabs.remove(0).close(); // one on node a goes: its seat is given back, to be taken on either node
            URI onB = b.server().ws("ws/chat?token=" + b.server().token("capped"));
            Awaitility.await("a seat free again").atMost(Duration.ofSeconds(10))
                    .until(() -> RawWebSocket.handshakeStatus(onB, Map.of()) == 101);
        } finally {
            for (ChatClient tab : tabs) {
                tab.close();
            }
        }
    }

    @Test
    void membersOnBothNodesAreOneRoom() throws Exception {
        try (ChatClient first = ChatClient.connect(a.server(), "p-first", "room=people")) {
            assertEquals(1, first.next("joined").getInt("count"));
            try (ChatClient second = ChatClient.connect(b.server(), "p-second", "room=people")) {
                JsonObject joined = second.next("joined");
                assertEquals(2, joined.getInt("count"), joined.toString());
                JsonObject presence = nextPresenceNaming(first, "p-second");
                assertTrue(presence.getJsonArray("joins").toString().contains("p-second"), presence.toString());
            }
            JsonObject left = nextPresenceNaming(first, "p-second");
            assertTrue(left.getJsonArray("leaves").toString().contains("p-second"), left.toString());
        }
    }

    /** The next presence frame that names the user; frames about others (its own join, say) are passed over. */
    static JsonObject nextPresenceNaming(ChatClient client, String user) throws InterruptedException {
        while (true) {
            JsonObject presence = client.next("presence");
            if (presence.toString().contains("\"" + user + "\"")) {
                return presence;
            }
        }
    }
}
