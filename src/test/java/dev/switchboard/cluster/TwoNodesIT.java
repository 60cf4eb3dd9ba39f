package dev.switchboard.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.ChatClient;
import dev.switchboard.testing.DeskClient;
import dev.switchboard.testing.RawWebSocket;
import dev.switchboard.testing.RedisServer;
import dev.switchboard.testing.ServerNode;
import dev.switchboard.testing.Tokens;
import dev.switchboard.testing.TimedFrames;
import dev.switchboard.testing.WebhookReceiver;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two Switchboard nodes (server processes: Payara Micro, or Tomcat in the Tomcat run) on one real Redis
 * behave as one chat: a room's messages reach members on both in one order, whispers reach every tab of
 * a user whichever node it is on, a user offline everywhere gets their whispers on either node, a client
 * id is claimed once across nodes, the connection cap counts both nodes, a name one browser holds is
 * refused to another on either node, a message stored whose publish was lost still arrives, and the
 * support desk is one desk (a customer on one node, their agent on the other; agents on both racing
 * for one customer). Then the faults, last, in
 * order: Redis restarted mid-chat (connections stay open, what needs Redis meanwhile is refused with
 * {@code unavailable}, nothing stored is lost, delivery resumes); and node a killed outright (SIGKILL)
 * while its users chat (its clients resume on node b with nothing lost or repeated, and its users leave
 * presence within the lease, 3 s here). One pair of nodes for all: each start costs most of a minute.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodesIT {

    private static final DateTimeFormatter TICK = DateTimeFormatter.ofPattern("yyyy.MM.dd HH:mm:ss");

    private static RedisServer redis;
    private static ServerNode a;
    private static ServerNode b;
    private static WebhookReceiver receiver;
    /** Long enough for a lease (3 s), the offline grace (4 s), a settling round and a slow machine. */
    private static final Duration EVENT_WAIT = Duration.ofSeconds(40);

    @BeforeAll
    static void startNodes() throws Exception {
        redis = RedisServer.start();
        receiver = WebhookReceiver.forTestServers();
        List<ServerNode> nodes = ServerNode.startAll(redis.url(), List.of("-Dswitchboard.presence.lease=3s", "-Dswitchboard.position-check=1s",
                "-Dswitchboard.webhooks.url=" + receiver.url(), "-Dswitchboard.webhooks.secret=" + System.getProperty("switchboard.test.webhookSecret"),
                "-Dswitchboard.webhooks.offline-grace=4s", "-Dswitchboard.webhooks.retry-max=1s"), "node-a", "node-b");
        a = nodes.get(0);
        b = nodes.get(1);
    }

    @AfterAll
    static void stopNodes() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {a, b, redis, receiver}) {
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
    @Order(1)
    void eachNodeSaysItsOwnIdInTheWelcome() throws Exception {
        try (ChatClient onA = ChatClient.connect(a.server(), "id-check");
             ChatClient onB = ChatClient.connect(b.server(), "id-check")) {
            assertEquals("node-a", onA.next("welcome").getString("node"));
            assertEquals("node-b", onB.next("welcome").getString("node"));
        }
    }

    @Test
    @Order(1)
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

    @Test
    @Order(1)
    void aMessageStoredWhosePublishWasLostReachesTheRoomByThePositionCheck() throws Exception {
        try (ChatClient reader = ChatClient.connect(a.server(), "lost-reader", "room=lost-pub")) {
            reader.next("joined");
            // Stored as the engine stores a room's message, but never published: as if pub/sub lost it,
            // with nothing after it to show the gap.
            long now = System.currentTimeMillis();
            String body = "{\"id\":\"lost-1\",\"from\":\"ghost\",\"text\":\"stored, never published\",\"ts\":" + now + "}";
            try (RedisClient client = RedisClient.create(redis.url());
                 StatefulRedisConnection<String, String> connection = client.connect()) {
                long offset = connection.sync().hincrby("sb:{room:lost-pub}:meta", "last", 1);
                connection.sync().rpush("sb:{room:lost-pub}:entries", offset + ":" + now + ":" + body);
            }
            JsonObject message = reader.next("message"); // within two position checks (1 s each here)
            assertEquals("stored, never published", message.getString("text"), message.toString());
            assertNothingMore(reader);
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
                || "whisper".equals(f.getString("type")) || "deleted".equals(f.getString("type"))), "nothing more: " + client.pending());
    }

    @Test
    @Order(1)
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
            // Given on both nodes, told delivered once; read on b, told on a.
            assertEquals("{\"type\":\"receipts\",\"with\":\"w-reader\",\"delivered\":\"" + ack.getString("id") + "\"}",
                    sender.next("receipts").toString());
            tabB.send(Map.of("type", "read", "with", "w-sender", "offset", onB.getInt("offset"), "cid", "r1"));
            tabB.next("ack");
            assertEquals(ack.getString("id"), sender.next("receipts").getString("read"));
            // Edited through a, learnt on b at the whisper's offset in the reader's own log.
            long own = sender.next("whisper").getJsonNumber("offset").longValue();
            sender.send(Map.of("type", "edit", "with", "w-reader", "offset", own, "text", "psst!", "cid", "e1"));
            assertEquals("e1", sender.next("ack").getString("cid"));
            JsonObject edited = tabB.next("edited");
            assertEquals("w-sender", edited.getString("with"));
            assertEquals(onB.getInt("offset"), edited.getInt("target"));
            assertEquals("psst!", edited.getString("text"));
            assertEquals("psst!", tabA.next("edited").getString("text"));
            sender.send(Map.of("type", "ping", "cid", "marker"));
            sender.next("pong");
            assertTrue(sender.pending().stream().noneMatch(f -> "receipts".equals(f.getString("type"))), "each told once");
            assertNothingMore(tabA);
            assertNothingMore(tabB);
        }
    }

    @Test
    @Order(1)
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
    @Order(1)
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
            // Each round once. Not in round order: the tab whose claim wins a round differs from round to
            // round, and two connections' messages sent at once have no order between them.
            List<String> heard = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                heard.add(listener.next("message").getString("text"));
            }
            assertEquals(java.util.stream.IntStream.range(0, 10).mapToObj(r -> "round " + r).toList(),
                    heard.stream().sorted().toList());
            assertNothingMore(listener);
        }
    }

    @Test
    @Order(1)
    void theConnectionCapOfAUserCountsTheirConnectionsOnBothNodes() throws Exception {
        List<ChatClient> tabs = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) { // the cap: switchboard.user.max-connections, 10
                ChatClient tab = ChatClient.connect(i % 2 == 0 ? a.server() : b.server(), "capped");
                tab.next("welcome");
                tabs.add(tab);
            }
            for (ServerNode node : new ServerNode[] {a, b}) {
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
    @Order(1)
    void aNameTakenThroughOneNodeIsRefusedToAnotherBrowserOnTheOther() throws Exception {
        HttpClient first = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        HttpClient second = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        assertEquals(200, askForToken(first, a, "held-across").statusCode());
        HttpResponse<String> refused = askForToken(second, b, "held-across");
        assertEquals(409, refused.statusCode(), refused.body());
        assertEquals("name_taken", ChatClient.parse(refused.body()).getString("error"));
        assertEquals(200, askForToken(first, b, "held-across").statusCode(), "its own browser, on the other node");
    }

    private static HttpResponse<String> askForToken(HttpClient browser, ServerNode node, String name) throws Exception {
        return browser.send(HttpRequest.newBuilder(node.server().http("api/token")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + name + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void theSupportDeskIsOneAcrossNodesAndAgentsRacingOnTwoNodesGetACustomerOnce() throws Exception {
        try (DeskClient ann = DeskClient.staff(b.server(), "ann", "agent");
             DeskClient bob = DeskClient.staff(a.server(), "bob", "agent");
             DeskClient cat = DeskClient.staff(b.server(), "cat", "agent");
             DeskClient customer = DeskClient.customer(a.server(), "Ada", null);
             DeskClient second = DeskClient.customer(a.server(), "Bea", null)) {
            for (DeskClient c : List.of(ann, bob, cat, customer, second)) {
                c.next("welcome");
            }
            ann.acked(Map.of("type", "status", "status", "available", "cid", "on"));
            String id = customer.acked(Map.of("type", "start", "cid", "s1")).getString("conversation");
            assertEquals("ann", customer.next("status", f -> "offered".equals(f.getString("state"))).getString("agent"),
                    "a customer on node a, offered to an agent on node b");
            customer.acked(Map.of("type", "say", "conversation", id, "text", "from node a", "cid", "m1"));
            assertEquals("from node a", ann.next("message").getString("text"));
            ann.acked(Map.of("type", "say", "conversation", id, "text", "from node b", "cid", "r1"));
            assertEquals("from node b", customer.next("message", f -> f.getInt("offset") == 2).getString("text"));
            ann.acked(Map.of("type", "status", "status", "away", "cid", "off"));

            String waiting = second.acked(Map.of("type", "start", "cid", "s2")).getString("conversation");
            second.next("status", f -> "queued".equals(f.getString("state")));
            // One agent on each node, at the same moment.
            List<JsonObject> answers = DeskClient.atOnce(List.of(bob, cat), Map.of("type", "take", "conversation", waiting, "cid", "take"));
            assertEquals(1, answers.stream().filter(x -> x.getString("type").equals("ack")).count(), answers.toString());
            assertEquals("conflict", answers.stream().filter(x -> x.getString("type").equals("error")).findFirst()
                    .orElseThrow().getString("code"));
            customer.acked(Map.of("type", "close", "conversation", id, "cid", "c1"));
            second.acked(Map.of("type", "close", "conversation", waiting, "cid", "c2"));
        }
    }

    @Test
    @Order(1)
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

    @Test
    @Order(3)
    void whenANodeIsKilledItsClientsResumeOnTheOtherNodeWithNothingLostOrRepeatedAndItsUsersLeave() throws Exception {
        int total = 40;
        ExecutorService talking = Executors.newSingleThreadExecutor();
        try (ChatClient talker = ChatClient.connect(b.server(), "talker", "room=survive");
             ChatClient watcher = ChatClient.connect(b.server(), "watcher", "room=survive")) {
            talker.next("joined");
            watcher.next("joined");
            ChatClient listener = ChatClient.connect(a.server(), "victim", "room=survive");
            JsonObject joined = listener.next("joined");
            String epoch = joined.getString("epoch");
            long base = joined.getJsonNumber("offset").longValue();
            ChatClient bystander = ChatClient.connect(a.server(), "bystander", "room=survive");
            bystander.next("joined");
            nextPresenceNaming(watcher, "bystander");

            // The talker goes on through the crash, but never so far ahead of the victim that the room's
            // history (20 here) no longer holds what it missed: 10 before the kill, 5 more, the rest once it is back.
            CountDownLatch killed = new CountDownLatch(1);
            CountDownLatch rejoining = new CountDownLatch(1);
            Future<?> saying = talking.submit(() -> {
                for (int i = 0; i < total; i++) {
                    if (i == 10) {
                        assertTrue(killed.await(60, TimeUnit.SECONDS), "node a was killed");
                    } else if (i == 15) {
                        assertTrue(rejoining.await(60, TimeUnit.SECONDS), "the victim rejoined on node b");
                    }
                    talker.send(Map.of("type", "say", "room", "survive", "text", "m" + i, "cid", "k" + i));
                    Thread.sleep(25);
                }
                return null;
            });
            List<String> got = new ArrayList<>();
            long last = base;
            while (got.size() < 5) {
                JsonObject message = listener.next("message");
                assertEquals(last + 1, message.getJsonNumber("offset").longValue());
                last = message.getJsonNumber("offset").longValue();
                got.add(message.getString("text"));
            }
            // The desk too: a customer on node a talking with an agent on b; a customer on b whose agent is on a.
            DeskClient deskAgentB = DeskClient.staff(b.server(), "cat", "agent");
            DeskClient deskAgentA = DeskClient.staff(a.server(), "bob", "agent");
            DeskClient customerOnA = DeskClient.customer(a.server(), "Cy", null);
            DeskClient customerOnB = DeskClient.customer(b.server(), "Di", null);
            for (DeskClient c : List.of(deskAgentA, deskAgentB, customerOnA, customerOnB)) {
                c.next("welcome");
            }
            String withCat = customerOnA.acked(Map.of("type", "start", "cid", "k1")).getString("conversation");
            deskAgentB.acked(Map.of("type", "take", "conversation", withCat, "cid", "t1"));
            String deskEpoch = customerOnA.next("transcript").getString("epoch");
            customerOnA.acked(Map.of("type", "say", "conversation", withCat, "text", "before the crash", "cid", "d1"));
            String withBob = customerOnB.acked(Map.of("type", "start", "cid", "k2")).getString("conversation");
            deskAgentA.acked(Map.of("type", "take", "conversation", withBob, "cid", "t2"));
            customerOnB.next("status", f -> "active".equals(f.getString("state")) && "bob".equals(f.getString("agent")));

            a.kill(); // mid-conversation: messages are still being said
            killed.countDown();
            deskAgentB.acked(Map.of("type", "say", "conversation", withCat, "text", "while you were away", "cid", "d2"));

            try (ChatClient back = ChatClient.connect(b.server(), "victim")) {
                back.send(Map.of("type", "join", "room", "survive", "since", last, "epoch", epoch));
                JsonObject rejoined = back.next("joined");
                rejoining.countDown();
                assertTrue(rejoined.getBoolean("recovered"), rejoined.toString());
                while (got.size() < total) {
                    JsonObject message = back.next("message");
                    assertEquals(last + 1, message.getJsonNumber("offset").longValue(), "none missed, none repeated");
                    last = message.getJsonNumber("offset").longValue();
                    got.add(message.getString("text"));
                }
                saying.get(30, TimeUnit.SECONDS);
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < total; i++) {
                    expected.add("m" + i);
                }
                assertEquals(expected, got);

                // The killed node's users are swept out within the lease and the room is told; the victim,
                // back on the other node, stays a member.
                JsonObject gone = nextPresenceNaming(watcher, "bystander");
                assertTrue(gone.getJsonArray("leaves").toString().contains("bystander"), gone.toString());
                assertTrue(!gone.getJsonArray("leaves").toString().contains("victim"), gone.toString());
                assertEquals(List.of("talker", "victim", "watcher"), members(b), "the room as the other node sees it");

                // The bystander's last connection died with node a: node b tells the site once, after the grace;
                // the victim, back on b within it, is no news.
                List<WebhookReceiver.Request> untilOffline = receiver.deliveredUntil(r -> r.type().equals("user.offline")
                        && "bystander".equals(r.data().getString("user")), EVENT_WAIT);
                WebhookReceiver.Request offline = untilOffline.get(untilOffline.size() - 1);
                assertEquals("node-b", offline.event().getString("node"), "decided by the node that survived");
                try (ChatClient marker = ChatClient.connect(b.server(), "after-the-kill")) {
                    marker.next("welcome");
                    List<WebhookReceiver.Request> since = receiver.deliveredUntil(r -> r.type().equals("user.online")
                            && "after-the-kill".equals(r.data().getString("user")), EVENT_WAIT);
                    List<WebhookReceiver.Request> both = new ArrayList<>(untilOffline);
                    both.addAll(since);
                    assertEquals(List.of("bystander"), both.stream().filter(r -> r.type().equals("user.offline")
                            && List.of("bystander", "victim").contains(r.data().getString("user"))).map(r -> r.data().getString("user")).toList(),
                            "one offline, for the bystander only");
                }

                // The desk's customer resumes on node b with exactly what they missed ...
                try (DeskClient resumed = customerOnA.again(b.server(), "conversation=" + withCat + "&since=1&epoch=" + deskEpoch)) {
                    JsonObject transcript = resumed.next("transcript");
                    assertTrue(transcript.getBoolean("recovered"), transcript.toString());
                    assertEquals("while you were away", resumed.next("message").getString("text"));
                    resumed.acked(Map.of("type", "say", "conversation", withCat, "text", "marker", "cid", "d3"));
                    assertEquals("marker", resumed.next("message").getString("text"), "nothing else in between");
                    resumed.acked(Map.of("type", "close", "conversation", withCat, "cid", "d4"));
                }
                // ... and the conversation of the agent on the dead node goes back to the queue (lease, then grace).
                customerOnB.next("status", f -> "queued".equals(f.getString("state")));
                customerOnB.acked(Map.of("type", "close", "conversation", withBob, "cid", "d5"));
                deskAgentB.close();
                customerOnB.close();
            }
        } finally {
            talking.shutdownNow();
        }
    }

    /**
     * Redis stalls (SIGSTOP) for 12 s while 200 chat clients of node a close and an agent there goes: the
     * node's timer only times, so every clock tick still arrives within 100 ms of its second and pings keep
     * their interval, no connection that kept answering is closed, and once Redis goes on (SIGCONT) the
     * room's presence and the desk are right again (the clean-ups that waited for Redis are done).
     */
    @Test
    @Order(2)
    void aStalledRedisDelaysNoTickNorPingAndClosesNobodyWhoAnswersAndPresenceIsRightAfter() throws Exception {
        int leaving = 200;
        List<ChatClient> leavers = new ArrayList<>();
        ExecutorService closing = Executors.newFixedThreadPool(8);
        try (TimedFrames clock = TimedFrames.connect(a.server().ws("ws/clock"));
             ChatClient stayer = ChatClient.connect(a.server(), "stayer", "room=stall");
             ChatClient watcher = ChatClient.connect(b.server(), "stall-watcher", "room=stall");
             DeskClient agent = DeskClient.staff(a.server(), "cat", "agent");
             DeskClient supervisor = DeskClient.staff(b.server(), "sue", "supervisor")) {
            stayer.next("joined");
            watcher.next("joined");
            for (int i = 0; i < leaving; i++) {
                leavers.add(ChatClient.connect(a.server(), "leaver-" + i, "room=stall"));
            }
            for (ChatClient leaver : leavers) {
                leaver.next("joined");
            }
            supervisor.next("desk", f -> agentOnline(f, "cat"));
            Awaitility.await("all 202 in the room").atMost(Duration.ofSeconds(30))
                    .until(() -> members(b, "stall").size() == leaving + 2);

            clock.arrivals.clear();
            long stalledAt = System.currentTimeMillis();
            redis.pause();
            long resumedAt;
            try {
                List<Future<?>> closes = new ArrayList<>();
                for (ChatClient leaver : leavers) {
                    closes.add(closing.submit(() -> {
                        leaver.close();
                        return null;
                    }));
                }
                closes.add(closing.submit(() -> {
                    agent.close();
                    return null;
                }));
                for (Future<?> close : closes) {
                    close.get(10, TimeUnit.SECONDS);
                }
                Thread.sleep(Math.max(0, stalledAt + 12_000 - System.currentTimeMillis())); // the stall lasts 12 s
            } finally {
                redis.resume();
                resumedAt = System.currentTimeMillis();
            }

            List<TimedFrames.Arrival> during = new ArrayList<>();
            clock.arrivals.drainTo(during);
            List<Long> pings = new ArrayList<>();
            List<Long> seconds = new ArrayList<>();
            for (TimedFrames.Arrival arrival : during) {
                assertTrue(arrival.opcode() == RawWebSocket.OP_TEXT || arrival.isPing(), "the clock connection stays open: " + arrival);
                if (arrival.isPing()) {
                    pings.add(arrival.atMillis());
                } else if (arrival.atMillis() <= resumedAt) {
                    long second = LocalDateTime.parse(ChatClient.parse(arrival.text()).getString("time"), TICK)
                            .atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
                    long late = arrival.atMillis() - second;
                    assertTrue(Math.abs(late) <= 100, "tick " + arrival.text() + " arrived " + late + " ms after its second");
                    seconds.add(second);
                }
            }
            assertTrue(seconds.size() >= 11, "a tick for every second of the 12 s stall: " + seconds.size());
            for (int i = 1; i < seconds.size(); i++) {
                assertEquals(seconds.get(i - 1) + 1000, seconds.get(i), "no second missed or repeated");
            }
            assertTrue(pings.size() >= 10, "pings went on during the stall: " + pings.size());
            for (int i = 1; i < pings.size(); i++) {
                assertTrue(pings.get(i) - pings.get(i - 1) <= 1500, "pings keep their 1 s interval: a gap of "
                        + (pings.get(i) - pings.get(i - 1)) + " ms");
            }

            assertTrue(stayer.ws.isOpen() && watcher.ws.isOpen() && supervisor.ws.isOpen(), "nobody who answered was closed");
            stayer.send(say("stall", "still here", "stall-1"));
            assertEquals("still here", watcher.next("message").getString("text"), "the stayer speaks through Redis again");
            Awaitility.await("the leavers out of the room's presence").atMost(Duration.ofSeconds(60))
                    .until(() -> members(b, "stall").equals(List.of("stall-watcher", "stayer")));
            supervisor.next("desk", f -> !agentOnline(f, "cat"));
        } finally {
            closing.shutdownNow();
        }
    }

    private static boolean agentOnline(JsonObject desk, String name) {
        return desk.getJsonArray("agents").stream().map(JsonValue::asJsonObject)
                .anyMatch(agent -> name.equals(agent.getString("name")) && agent.getBoolean("online"));
    }

    @Test
    @Order(2)
    void redisRestartedMidChatLosesNothingStoredAndDeliveryResumes() throws Exception {
        try (ChatClient talker = ChatClient.connect(b.server(), "r-talker", "room=restart");
             ChatClient listener = ChatClient.connect(b.server(), "r-listener", "room=restart")) {
            talker.next("joined");
            long base = listener.next("joined").getJsonNumber("offset").longValue();
            for (int i = 0; i < 5; i++) {
                talker.send(Map.of("type", "say", "room", "restart", "text", "before" + i, "cid", "rb" + i));
                talker.next("ack");
            }
            for (int i = 0; i < 5; i++) {
                assertEquals("before" + i, listener.next("message").getString("text"));
            }

            redis.close(); // a clean stop: the append-only file has everything acknowledged
            talker.send(Map.of("type", "say", "room", "restart", "text", "during", "cid", "rd"));
            JsonObject refused = talker.next("error");
            assertEquals("unavailable", refused.getString("code"), refused.toString());
            assertEquals("rd", refused.getString("cid"));
            listener.send(Map.of("type", "ping", "cid", "still-there"));
            assertEquals("still-there", listener.next("pong").getString("cid"), "connections stay open meanwhile");
            var notReady = b.server().get("health/ready");
            assertEquals(503, notReady.statusCode(), "no new traffic while its store is away: " + notReady.body());
            assertTrue(notReady.body().contains("\"name\":\"engine\",\"status\":\"DOWN\""), notReady.body());
            assertEquals(200, b.server().get("health/live").statusCode(), "alive all the same");

            redis.restart();
            // The node reconnects by itself; the retry of the refused message (same cid) goes through.
            Awaitility.await("the say is taken again").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        talker.send(Map.of("type", "say", "room", "restart", "text", "during", "cid", "rd"));
                        JsonObject answer = talker.next();
                        while (!"ack".equals(answer.getString("type")) && !"error".equals(answer.getString("type"))) {
                            answer = talker.next();
                        }
                        return "ack".equals(answer.getString("type"));
                    });
            JsonObject resumed = listener.next("message");
            assertEquals("during", resumed.getString("text"));
            assertEquals(base + 6, resumed.getJsonNumber("offset").longValue(), "offsets go on from the stored ones");

            try (ChatClient late = ChatClient.connect(b.server(), "r-late")) {
                Awaitility.await("ready again").atMost(Duration.ofSeconds(20))
                        .until(() -> b.server().get("health/ready").statusCode() == 200);
                late.send(Map.of("type", "join", "room", "restart", "since", base, "cid", "j"));
                assertTrue(late.next("joined").getBoolean("recovered"));
                for (int i = 0; i < 5; i++) {
                    assertEquals("before" + i, late.next("message").getString("text"), "kept across the restart");
                }
                assertEquals("during", late.next("message").getString("text"));
            }
            String metrics = b.server().get("metrics").body(); // open to loopback by default
            assertTrue(metricValue(metrics, "switchboard_redis_reconnects_total") >= 1, "the reconnect was counted");
            assertTrue(metricValue(metrics, "switchboard_redis_commands_failed_total") >= 1, "the refused say's command was counted");
            assertTrue(metricValue(metrics, "switchboard_bus_lag_seconds_count") >= 1, "pub/sub round trips are timed");
        }
    }

    /** The first series of this name in a Prometheus scrape. */
    private static double metricValue(String scrape, String name) {
        return scrape.lines().filter(l -> l.startsWith(name + "{")).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(-1.0);
    }

    @Test
    @Order(1)
    void theServerApiPublishesThroughEitherNodeOnceAndSeesBothNodes() throws Exception {
        try (ChatClient member = ChatClient.connect(b.server(), "api-member", "room=api-both")) {
            member.next("joined");
            String key = java.util.UUID.randomUUID().toString();
            String body = "{\"room\":\"api-both\",\"text\":\"from the back end\"}";
            HttpResponse<String> first = a.server().api("api/publish", body, "Idempotency-Key", key);
            assertEquals(200, first.statusCode(), first.body());
            assertEquals("from the back end", member.next("message").getString("text"), "published on a, delivered on b");
            HttpResponse<String> retry = b.server().api("api/publish", body, "Idempotency-Key", key);
            assertEquals(first.body(), retry.body(), "a retry through the other node gets the first answer");
            a.server().api("api/publish", "{\"room\":\"api-both\",\"text\":\"marker\"}");
            assertEquals("marker", member.next("message").getString("text"), "the retry was not published again");

            JsonObject stats = ChatClient.parse(a.server().api("api/admin/stats", null).body());
            assertEquals(List.of("node-a", "node-b"), stats.getJsonArray("nodes").getValuesAs(jakarta.json.JsonString.class)
                    .stream().map(jakarta.json.JsonString::getString).toList(), "the admin page sees both nodes");
            JsonObject rooms = ChatClient.parse(a.server().api("api/rooms", null).body());
            assertTrue(rooms.getJsonArray("rooms").stream().anyMatch(r -> r.asJsonObject().getString("room").equals("api-both")
                    && r.asJsonObject().getInt("members") == 1), "rooms listed from Redis, whichever node is asked: " + rooms);
        }
    }

    @Test
    @Order(1)
    void aBanOnOneNodeTakesTheUsersTabsOnTheOtherOutAtOnceAndSlowModeCountsTabsOnBothNodes() throws Exception {
        String room = "class:two-nodes";
        String teacherToken = Tokens.mintWithGrants("two-teacher", Map.of("class:*", List.of("moderate")),
                java.time.Instant.now().plusSeconds(3600));
        try (ChatClient teacher = ChatClient.connectWithToken(a.server(), "two-teacher", teacherToken);
             ChatClient studentA = ChatClient.connect(a.server(), "two-student", "room=" + room);
             ChatClient studentB = ChatClient.connect(b.server(), "two-student", "room=" + room)) {
            studentA.next("joined");
            studentB.next("joined");
            teacher.send(Map.of("type", "join", "room", room));
            teacher.next("joined");
            studentA.send(say(room, "through a", "sa"));
            studentA.next("ack");
            studentB.send(say(room, "through b", "sb"));
            JsonObject slow = studentB.next("error");
            assertEquals("slow_mode", slow.getString("code"), "one message per 30 s, whichever node: " + slow);
            assertEquals("sb", slow.getString("cid"));

            teacher.send(Map.of("type", "ban", "room", room, "user", "two-student", "seconds", 600, "cid", "ban"));
            teacher.next("ack");
            assertEquals("banned", studentB.next("left").getString("reason"), "the tab on the other node leaves at once");
            assertEquals("banned", studentA.next("left").getString("reason"));
            studentB.send(Map.of("type", "join", "room", room, "cid", "back"));
            JsonObject refused = studentB.next("error");
            assertEquals("banned", refused.getString("code"));
            assertTrue(refused.containsKey("until"), refused.toString());
        }
    }

    @Test
    @Order(1)
    void aDeletionThroughOneNodeReachesAMemberOnTheOtherAndAClientResumingThere() throws Exception {
        String room = "two-delete";
        long offset;
        String epoch;
        try (ChatClient writer = ChatClient.connect(a.server(), "two-writer", "room=" + room);
             ChatClient reader = ChatClient.connect(b.server(), "two-reader", "room=" + room)) {
            writer.next("joined");
            epoch = reader.next("joined").getString("epoch");
            writer.send(say(room, "regrettable", "w1"));
            offset = writer.next("ack").getJsonNumber("offset").longValue();
            assertEquals("regrettable", reader.next("message").getString("text"));
            HttpResponse<String> deleted = b.server().apiCall("DELETE", "api/rooms/" + room + "/messages/" + offset, null);
            assertEquals(200, deleted.statusCode(), deleted.body());
            assertEquals(offset, writer.next("deleted").getJsonNumber("target").longValue(), "deleted on b, told on a");
            assertEquals(offset, reader.next("deleted").getJsonNumber("target").longValue());
        }
        try (ChatClient back = ChatClient.connect(a.server(), "two-reader")) {
            back.send(Map.of("type", "join", "room", room, "since", offset, "epoch", epoch));
            assertTrue(back.next("joined").getBoolean("recovered"));
            assertEquals(offset, back.next("deleted").getJsonNumber("target").longValue(), "resuming on the other node, it learns of it");
            assertNothingMore(back);
        }
    }

    @Test
    @Order(1)
    void aClientAwayDuringAnEditADeletionAndThreeReactionsOnEitherNodeResumesWithExactlyThoseOnce() throws Exception {
        String room = "two-changes";
        long first;
        long second;
        String epoch;
        try (ChatClient writer = ChatClient.connect(a.server(), "two-author", "room=" + room);
             ChatClient fan = ChatClient.connect(b.server(), "two-fan", "room=" + room);
             ChatClient away = ChatClient.connect(b.server(), "two-away", "room=" + room)) {
            writer.next("joined");
            fan.next("joined");
            epoch = away.next("joined").getString("epoch");
            writer.send(say(room, "frist", "s1"));
            first = writer.next("ack").getJsonNumber("offset").longValue();
            writer.send(say(room, "oops", "s2"));
            second = writer.next("ack").getJsonNumber("offset").longValue();
            assertEquals(second, away.next("message").getJsonNumber("offset").longValue() + 1);
            assertEquals(second, away.next("message").getJsonNumber("offset").longValue());
        }
        try (ChatClient writer = ChatClient.connect(a.server(), "two-author", "room=" + room);
             ChatClient fan = ChatClient.connect(b.server(), "two-fan", "room=" + room)) {
            writer.next("joined");
            long fanAt = fan.next("joined").getJsonNumber("offset").longValue();
            fan.send(Map.of("type", "read", "room", room, "offset", fanAt, "cid", "rd"));
            fan.next("ack");
            assertEquals(fanAt, writer.next("reads").getJsonObject("reads").getJsonNumber("two-fan").longValue(), "read on b, told on a");
            writer.send(Map.of("type", "edit", "room", room, "offset", first, "text", "first", "cid", "e1"));
            writer.next("ack");
            writer.send(Map.of("type", "delete", "room", room, "offset", second, "cid", "d1"));
            writer.next("ack");
            fan.send(Map.of("type", "react", "room", room, "offset", first, "emoji", "👍", "cid", "r1"));
            fan.next("ack");
            writer.send(Map.of("type", "react", "room", room, "offset", first, "emoji", "👍", "cid", "r2"));
            writer.next("ack");
            fan.send(Map.of("type", "react", "room", room, "offset", first, "emoji", "🎉", "cid", "r3"));
            fan.next("ack");
            JsonObject seenOnA = writer.next("reactions");
            while (!"🎉".equals(seenOnA.getString("emoji"))) {
                seenOnA = writer.next("reactions");
            }
            assertEquals(2, seenOnA.getJsonObject("reactions").getJsonObject("👍").getInt("count"), "said on b, summed up on a");
        }
        try (ChatClient back = ChatClient.connect(b.server(), "two-away")) {
            back.next("welcome");
            back.send(Map.of("type", "join", "room", room, "since", second, "epoch", epoch, "cid", "j"));
            assertTrue(back.next("joined").getBoolean("recovered"));
            back.send(Map.of("type", "ping", "cid", "marker"));
            back.next("pong");
            List<String> changes = back.pending().stream()
                    .filter(f -> List.of("message", "edited", "deleted", "reactions").contains(f.getString("type")))
                    .map(f -> f.getString("type") + ":" + f.getJsonNumber("target").longValue()).toList();
            assertEquals(List.of("edited:" + first, "deleted:" + second, "reactions:" + first, "reactions:" + first,
                    "reactions:" + first), changes, "exactly the changes it missed, in order, once");
        }
    }

    @Test
    @Order(1)
    void eachEventIsSentOnceAndWatchersAndTheStatusApiSeeUsersOnEitherNode() throws Exception {
        try (ChatClient carol = ChatClient.connect(a.server(), "two-carol")) {
            carol.next("welcome");
            carol.send("{\"type\":\"watch\",\"users\":[\"two-dan\"],\"cid\":\"w\"}");
            assertFalse(carol.next("watching").getJsonArray("users").getJsonObject(0).getBoolean("online"));
            try (ChatClient dan = ChatClient.connect(b.server(), "two-dan")) {
                dan.next("welcome");
                assertEquals("two-dan", carol.next("online").getString("user"), "dan came online on b; carol is on a");
                JsonObject status = ChatClient.parse(a.server().api("api/users/two-dan/status", null).body());
                assertTrue(status.getBoolean("online"), status.toString());
            }
            assertEquals("two-dan", carol.next("offline").getString("user"), "after the grace, told on a");

            List<ChatClient> crowd = new ArrayList<>();
            try {
                for (int i = 0; i < 10; i++) {
                    ChatClient one = ChatClient.connect((i % 2 == 0 ? a : b).server(), "two-crowd-" + i);
                    one.next("welcome");
                    crowd.add(one);
                }
                java.util.Set<String> online = new java.util.HashSet<>();
                receiver.deliveredUntil(r -> {
                    if (r.type().equals("user.online") && r.data().getString("user").startsWith("two-crowd-")) {
                        int i = Integer.parseInt(r.data().getString("user").substring("two-crowd-".length()));
                        assertEquals(i % 2 == 0 ? "node-a" : "node-b", r.event().getString("node"), "told by the node it connected to");
                        online.add(r.data().getString("user"));
                    }
                    return online.size() == 10;
                }, EVENT_WAIT);
            } finally {
                for (ChatClient one : crowd) {
                    one.close();
                }
            }
            Map<String, Long> sent = receiver.all().stream().filter(r -> r.answered() == 200)
                    .collect(java.util.stream.Collectors.groupingBy(WebhookReceiver.Request::id, java.util.stream.Collectors.counting()));
            assertTrue(sent.values().stream().allMatch(n -> n == 1), "two nodes never both sent an event: " + sent);
        }
    }

    private static List<String> members(ServerNode node) throws Exception {
        return members(node, "survive");
    }

    private static List<String> members(ServerNode node, String room) throws Exception {
        String body = node.server().get("api/rooms/" + room + "/members", node.server().token("watcher")).body();
        return ChatClient.parse(body).getJsonArray("members").getValuesAs(jakarta.json.JsonString.class).stream()
                .map(jakarta.json.JsonString::getString).toList();
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
