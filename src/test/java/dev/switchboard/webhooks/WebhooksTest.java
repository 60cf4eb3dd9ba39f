package dev.switchboard.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.NodeId;
import dev.switchboard.config.ServerExecutors;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Engine;
import dev.switchboard.engine.memory.InMemoryEngine;
import dev.switchboard.engine.redis.RedisEngine;
import dev.switchboard.testing.RedisServer;
import dev.switchboard.testing.WebhookReceiver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

public class WebhooksTest {

    private static final String SECRET = "the-webhook-secret-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** What an event's data is made from: any record. */
    public record Who(String user) {
    }

    private WebhookReceiver receiver;
    private final List<Webhooks> started = new ArrayList<>();
    private final List<ServerExecutors> executors = new ArrayList<>();

    @BeforeEach
    void receive() throws Exception {
        receiver = new WebhookReceiver(SECRET);
    }

    @AfterEach
    void stop() {
        started.forEach(Webhooks::stop);
        executors.forEach(ServerExecutors::shutdownOwnExecutors);
        receiver.close();
    }

    private Map<String, String> settings(String... more) {
        Map<String, String> settings = new HashMap<>(Map.of("switchboard.webhooks.url", receiver.url(),
                "switchboard.webhooks.secret", SECRET, "switchboard.webhooks.retry-max", "200ms",
                "switchboard.webhooks.timeout", "2s", "switchboard.presence.lease", "1500ms"));
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }

    /** A node's webhooks on this engine, started as the server starts them. */
    private Webhooks node(String id, Engine engine, Map<String, String> settings) {
        Webhooks webhooks = new Webhooks();
        webhooks.config = SwitchboardConfig.of(settings);
        webhooks.engine = engine;
        webhooks.node = NodeId.of(id);
        webhooks.executors = new ServerExecutors();
        webhooks.meters = new SimpleMeterRegistry();
        webhooks.readSettings();
        webhooks.start(null);
        started.add(webhooks);
        executors.add(webhooks.executors);
        return webhooks;
    }

    private Webhooks node(String... more) {
        Map<String, String> settings = settings(more);
        return node("a", InMemoryEngine.create(SwitchboardConfig.of(settings)), settings);
    }

    @Test
    void eventsArriveSignedInOrderWithTheirIdTypeTimeAndNode() throws Exception {
        Webhooks webhooks = node();
        for (int i = 0; i < 5; i++) {
            webhooks.emit("user.online", new Who("u" + i));
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            WebhookReceiver.Request request = receiver.next(WAIT);
            assertEquals(200, request.answered());
            assertEquals("user.online", request.type());
            assertEquals("u" + i, request.data().getString("user"), "in the order emitted");
            assertEquals(request.id(), request.idHeader());
            assertEquals("user.online", request.typeHeader());
            assertEquals("a", request.event().getString("node"));
            Instant.parse(request.event().getString("time"));
            assertTrue(ids.add(request.id()), "every event has its own id");
        }
    }

    @Test
    void typesNotAskedForAreNotSentAndAnUnknownTypeStopsTheStart() throws Exception {
        Webhooks webhooks = node("switchboard.webhooks.events", "user.*, support.message_left");
        assertTrue(webhooks.wants("user.offline"));
        assertFalse(webhooks.wants("message.said"));
        webhooks.emit("message.said", new Who("x"));
        webhooks.emit("user.offline", new Who("y"));
        assertEquals("user.offline", receiver.next(WAIT).type(), "message.said was not sent");
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> node("switchboard.webhooks.events", "user.gone"));
        assertTrue(refused.getMessage().contains("switchboard.webhooks.events"), refused.getMessage());
    }

    @Test
    void aUrlWithoutASecretStopsTheStart() {
        Map<String, String> settings = settings();
        settings.remove("switchboard.webhooks.secret");
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> node("a", InMemoryEngine.create(SwitchboardConfig.of(settings)), settings));
        assertTrue(refused.getMessage().contains("switchboard.webhooks.secret"), refused.getMessage());
    }

    @Test
    void aFailedEventIsSentAgainWithItsIdAndTheEventsBehindItWait() throws Exception {
        Webhooks webhooks = node();
        receiver.answer(500);
        webhooks.emit("user.online", new Who("first"));
        webhooks.emit("user.online", new Who("second"));
        WebhookReceiver.Request failed = receiver.next(WAIT);
        assertEquals(500, failed.answered());
        assertEquals("first", failed.data().getString("user"));
        receiver.answer(200);
        WebhookReceiver.Request again;
        do {
            again = receiver.next(WAIT); // tries while it still failed, then the one answered 200
            assertEquals("first", again.data().getString("user"), "the second waits behind the first");
        } while (again.answered() != 200);
        assertEquals(failed.id(), again.id(), "a retry carries the same id");
        assertEquals("second", receiver.next(WAIT).data().getString("user"));
        assertTrue(webhooks.report().get(0).retried() >= 1);
    }

    @Test
    void anEventTheReceiverRefusesForGoodIsNotSentAgain() throws Exception {
        Webhooks webhooks = node();
        receiver.answer(400);
        webhooks.emit("user.online", new Who("refused"));
        assertEquals(400, receiver.next(WAIT).answered());
        receiver.answer(200);
        webhooks.emit("user.online", new Who("next"));
        WebhookReceiver.Request next = receiver.next(WAIT);
        assertEquals("next", next.data().getString("user"), "the refused one was not tried again");
        assertEquals(1, webhooks.report().get(0).rejected());
    }

    @Test
    void aReceiverThatNeverAnswersTimesOutAndTheEventIsTriedAgain() throws Exception {
        Webhooks webhooks = node("switchboard.webhooks.timeout", "300ms");
        receiver.stall();
        webhooks.emit("user.online", new Who("patient"));
        Awaitility.await().atMost(WAIT).until(() -> webhooks.report().get(0).recent().stream()
                .filter(a -> a.outcome().equals("timeout")).count() >= 2);
        receiver.release();
        WebhookReceiver.Request delivered = receiver.nextDelivered(WAIT);
        assertEquals("patient", delivered.data().getString("user"));
    }

    @Test
    void whatWaitsIsBoundedAndWhatWasDroppedIsCounted() throws Exception {
        Webhooks webhooks = node("switchboard.webhooks.backlog", "5");
        receiver.answer(503);
        webhooks.emit("user.online", new Who("e0"));
        assertEquals(503, receiver.next(WAIT).answered()); // the courier is now stuck on e0
        for (int i = 1; i < 20; i++) {
            webhooks.emit("user.online", new Who("e" + i));
        }
        receiver.answer(200);
        List<WebhookReceiver.Request> delivered = receiver.deliveredUntil(r -> r.data().getString("user").equals("e19"), WAIT);
        List<String> users = delivered.stream().map(r -> r.data().getString("user")).toList();
        assertTrue(users.size() <= 6, "the last five, and the one being tried when it was dropped: " + users);
        assertEquals(List.of("e15", "e16", "e17", "e18", "e19"), users.subList(users.size() - 5, users.size()));
        assertTrue(webhooks.report().get(0).dropped() >= 14, "dropped unsent: " + webhooks.report().get(0));
    }

    @Test
    void onRedisANodeThatDiesSendingIsTakenOverOnceItsHoldLapsesAndNothingIsSkipped() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            Map<String, String> settings = settings();
            RedisEngine engineA = RedisEngine.connect(redis.url(), SwitchboardConfig.of(settings), "a");
            RedisEngine engineB = RedisEngine.connect(redis.url(), SwitchboardConfig.of(settings), "b");
            try {
                Webhooks a = node("a", engineA, settings);
                Webhooks b = node("b", engineB, settings);
                a.emit("user.online", new Who("first"));
                assertEquals("first", receiver.next(WAIT).data().getString("user"));
                Awaitility.await().atMost(WAIT).until(() -> a.report().get(0).sentHere() || b.report().get(0).sentHere());
                Webhooks sender = a.report().get(0).sentHere() ? a : b;
                Webhooks survivor = sender == a ? b : a;

                receiver.stall(); // the sender's next try hangs ...
                survivor.emit("user.online", new Who("in-flight"));
                Awaitility.await().atMost(WAIT).until(() -> sender.report().get(0).backlog() >= 1); // read it, sending it
                sender.executors.shutdownOwnExecutors(); // ... and the node dies: no round, no release of its hold
                started.remove(sender);
                survivor.emit("user.online", new Who("after"));
                receiver.release();
                List<WebhookReceiver.Request> got = receiver.deliveredUntil(r -> r.data().getString("user").equals("after"), WAIT);
                List<String> users = got.stream().map(r -> r.data().getString("user")).toList();
                assertEquals(List.of("in-flight", "after"), users, "the event whose answer was lost comes again, then the next");
                assertTrue(survivor.report().get(0).sentHere(), "the survivor took the hold over once it lapsed");
            } finally {
                engineA.close();
                engineB.close();
            }
        }
    }

    @Test
    void ofTwoNodesOnOneEngineOneSendsEachEventAndTheOtherTakesOverWhenItGoes() throws Exception {
        Map<String, String> settings = settings();
        Engine engine = InMemoryEngine.create(SwitchboardConfig.of(settings));
        Webhooks a = node("a", engine, settings);
        Webhooks b = node("b", engine, settings);
        for (int i = 0; i < 10; i++) {
            (i % 2 == 0 ? a : b).emit("user.online", new Who("u" + i));
        }
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            WebhookReceiver.Request request = receiver.next(WAIT);
            assertEquals(200, request.answered());
            users.add(request.data().getString("user"));
        }
        assertEquals(List.of("u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9"), users, "each once, in order");
        boolean aSends = a.report().get(0).sentHere();
        assertNotEquals(aSends, b.report().get(0).sentHere(), "one node sends");
        Webhooks sender = aSends ? a : b;
        Webhooks other = aSends ? b : a;
        Awaitility.await().atMost(WAIT).until(() -> sender.report().get(0).delivered() == 10); // the last answer may still be on its way
        assertEquals(0, other.report().get(0).delivered());

        sender.stop(); // an undeploy: it lets its hold go
        started.remove(sender);
        other.emit("user.offline", new Who("after"));
        WebhookReceiver.Request after = receiver.next(WAIT);
        assertEquals("after", after.data().getString("user"));
        assertTrue(other.report().get(0).sentHere());
        WebhookReceiver.Request marker;
        other.emit("user.offline", new Who("marker"));
        marker = receiver.next(WAIT);
        assertEquals("marker", marker.data().getString("user"), "nothing was sent twice");
    }
}
