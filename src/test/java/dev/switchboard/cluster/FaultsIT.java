package dev.switchboard.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.ChatClient;
import dev.switchboard.testing.PayaraNode;
import dev.switchboard.testing.RedisServer;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults on two nodes and a real Redis. A node killed outright (SIGKILL) while its users chat: its
 * clients reconnect to the other node and resume from their offsets with no message lost or repeated,
 * and its users leave presence within the lease (3 s here), told to the rooms as any leave is. Redis
 * restarted mid-chat: connections stay open, what needs Redis meanwhile is refused with
 * {@code unavailable}, nothing stored is lost, and delivery resumes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {

    private static RedisServer redis;
    private static PayaraNode doomed;
    private static PayaraNode survivor;

    @BeforeAll
    static void startNodes() throws Exception {
        redis = RedisServer.start();
        List<PayaraNode> nodes = PayaraNode.startAll(redis.url(), List.of("-Dswitchboard.presence.lease=3s"), "doomed", "survivor");
        doomed = nodes.get(0);
        survivor = nodes.get(1);
    }

    @AfterAll
    static void stopNodes() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {doomed, survivor, redis}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    @Order(1)
    void whenANodeIsKilledItsClientsResumeOnTheOtherNodeWithNothingLostOrRepeatedAndItsUsersLeave() throws Exception {
        int total = 40;
        ExecutorService talking = Executors.newSingleThreadExecutor();
        try (ChatClient talker = ChatClient.connect(survivor.server(), "talker", "room=survive");
             ChatClient watcher = ChatClient.connect(survivor.server(), "watcher", "room=survive")) {
            talker.next("joined");
            watcher.next("joined");
            ChatClient listener = ChatClient.connect(doomed.server(), "victim", "room=survive");
            JsonObject joined = listener.next("joined");
            String epoch = joined.getString("epoch");
            long base = joined.getJsonNumber("offset").longValue();
            ChatClient bystander = ChatClient.connect(doomed.server(), "bystander", "room=survive");
            bystander.next("joined");
            TwoNodesIT.nextPresenceNaming(watcher, "bystander");

            Future<?> saying = talking.submit(() -> {
                for (int i = 0; i < total; i++) {
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
            doomed.kill(); // mid-conversation: messages are still being said

            try (ChatClient back = ChatClient.connect(survivor.server(), "victim")) {
                back.send(Map.of("type", "join", "room", "survive", "since", last, "epoch", epoch));
                JsonObject rejoined = back.next("joined");
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
                JsonObject gone = TwoNodesIT.nextPresenceNaming(watcher, "bystander");
                assertTrue(gone.getJsonArray("leaves").toString().contains("bystander"), gone.toString());
                assertTrue(!gone.getJsonArray("leaves").toString().contains("victim"), gone.toString());
                assertEquals(List.of("talker", "victim", "watcher"), members(survivor), "the room as the other node sees it");
            }
        } finally {
            talking.shutdownNow();
        }
    }

    @Test
    @Order(2)
    void redisRestartedMidChatLosesNothingStoredAndDeliveryResumes() throws Exception {
        try (ChatClient talker = ChatClient.connect(survivor.server(), "r-talker", "room=restart");
             ChatClient listener = ChatClient.connect(survivor.server(), "r-listener", "room=restart")) {
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

            try (ChatClient late = ChatClient.connect(survivor.server(), "r-late")) {
                late.send(Map.of("type", "join", "room", "restart", "since", base, "cid", "j"));
                assertTrue(late.next("joined").getBoolean("recovered"));
                for (int i = 0; i < 5; i++) {
                    assertEquals("before" + i, late.next("message").getString("text"), "kept across the restart");
                }
                assertEquals("during", late.next("message").getString("text"));
            }
        }
    }

    private static List<String> members(PayaraNode node) throws Exception {
        String body = node.server().get("api/rooms/survive/members", node.server().token("watcher")).body();
        return ChatClient.parse(body).getJsonArray("members").getValuesAs(jakarta.json.JsonString.class).stream()
                .map(jakarta.json.JsonString::getString).toList();
    }
}
