package dev.switchboard.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.chat.ChatService;
import dev.switchboard.session.TestTransports;
import dev.switchboard.testing.MovableClock;
import dev.switchboard.testing.UnitNode;
import dev.switchboard.testing.WebhookReceiver;
import dev.switchboard.webhooks.TestWebhooks;
import dev.switchboard.webhooks.Webhooks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who is online, with a real webhook receiver: online at once, offline only after the grace, a reload
 * within it no news, each change told once however many nodes look, and watchers told as it happens.
 */
class UserStatusTest {

    private static final String SECRET = "the-webhook-secret-0123456789";
    private static final Instant START = Instant.parse("2026-12-07T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private WebhookReceiver receiver;
    private UnitNode node;
    private Webhooks webhooks;
    private final MovableClock clock = new MovableClock(START);
    private UserStatus status;

    @BeforeEach
    void start() throws Exception {
        receiver = new WebhookReceiver(SECRET);
        node = new UnitNode("switchboard.webhooks.url", receiver.url(), "switchboard.webhooks.secret", SECRET,
                "switchboard.webhooks.offline-grace", "30s", "switchboard.webhooks.events", "user.*",
                "switchboard.watch.max", "3");
        webhooks = TestWebhooks.of(node, "a");
        status = TestOnline.userStatus(node, webhooks, clock);
    }

    @AfterEach
    void stop() {
        TestWebhooks.stop(webhooks);
        node.close();
        receiver.close();
    }

    /** Ends the test's traffic with an event of its own, and returns what was delivered before it. */
    private List<WebhookReceiver.Request> deliveredBeforeAMarker() throws InterruptedException {
        webhooks.emit("user.online", new UserStatus.Online("marker"));
        List<WebhookReceiver.Request> got = receiver.deliveredUntil(r -> r.data().getString("user").equals("marker"), WAIT);
        return got.subList(0, got.size() - 1);
    }

    @Test
    void aUserIsOnlineAtOnceAndOfflineOnlyAfterTheGraceAndAReloadWithinItIsNoNews() throws Exception {
        assertEquals(new UserStatus.Status("alice", false, null), status.of("alice"), "never seen");
        status.connected("alice", "c1");
        status.connected("alice", "c2"); // a second tab
        WebhookReceiver.Request online = receiver.nextDelivered(WAIT);
        assertEquals("user.online", online.type());
        assertEquals("alice", online.data().getString("user"));
        assertTrue(status.of("alice").online());

        status.disconnected("alice", "c1");
        status.disconnected("alice", "c2"); // the page reloads...
        clock.advance(Duration.ofSeconds(10));
        status.connected("alice", "c3"); // ...and is back within the grace
        clock.advance(Duration.ofSeconds(40));
        settleEverywhere();
        assertTrue(status.of("alice").online(), "she came back within the grace");

        status.disconnected("alice", "c3");
        Instant lastSeen = clock.instant();
        clock.advance(Duration.ofSeconds(29));
        settleEverywhere();
        assertTrue(status.of("alice").online(), "still within the grace");
        clock.advance(Duration.ofSeconds(2));
        settleEverywhere();
        assertEquals(new UserStatus.Status("alice", false, lastSeen.toString()), status.of("alice"));

        List<WebhookReceiver.Request> events = deliveredBeforeAMarker();
        assertEquals(1, events.size(), "only the offline: no offline and online again for the reload: " + events);
        assertEquals("user.offline", events.get(0).type());
        assertEquals("alice", events.get(0).data().getString("user"));
        assertEquals(lastSeen.toString(), events.get(0).data().getString("lastSeen"));
    }

    /** Runs a round of looking for graces that ran out now, on the moved clock (the server's own rounds run too). */
    private void settleEverywhere() {
        status.settle();
    }

    @Test
    void nodesThatSettleAtOnceTellAnOfflineOnce() throws Exception {
        UserStatus otherNode = TestOnline.userStatus(node, webhooks, clock); // the same engine: another node
        status.connected("bob", "c1");
        assertEquals("user.online", receiver.nextDelivered(WAIT).type());
        otherNode.disconnected("bob", "c1");
        clock.advance(Duration.ofSeconds(31));
        CompletableFuture<?>[] rounds = new CompletableFuture<?>[8];
        for (int i = 0; i < rounds.length; i++) {
            UserStatus which = i % 2 == 0 ? status : otherNode;
            rounds[i] = CompletableFuture.runAsync(() -> {
                which.leftWithANode("bob"); // a sweep finding the same departure again changes nothing
                which.settle(); // and both nodes' rounds find the grace over at once
            });
        }
        CompletableFuture.allOf(rounds).join();
        Awaitility.await().atMost(WAIT).until(() -> !status.of("bob").online());
        List<WebhookReceiver.Request> events = deliveredBeforeAMarker();
        assertEquals(List.of("user.offline"), events.stream().map(WebhookReceiver.Request::type).toList());
    }

    @Test
    void watchersAreToldTheStatusNowAndEachChangeAsItIsDecided() throws Exception {
        Watchers watchers = TestOnline.watchers(node, status);
        TestTransports.Recorded carol = TestTransports.connect(node.registry, ChatService.CHANNEL, "carol-1", "carol");
        status.connected("dave", "d1");
        watchers.watch(carol.connection(), List.of("dave", "erin"), "w1");
        assertEquals("{\"type\":\"watching\",\"cid\":\"w1\",\"users\":[{\"online\":true,\"user\":\"dave\"},"
                + "{\"online\":false,\"user\":\"erin\"}]}", carol.last());

        status.connected("erin", "e1");
        Awaitility.await().atMost(WAIT).until(() -> carol.last().equals("{\"type\":\"online\",\"user\":\"erin\"}"));
        status.disconnected("dave", "d1");
        Instant lastSeen = clock.instant();
        clock.advance(Duration.ofSeconds(31));
        settleEverywhere();
        Awaitility.await().atMost(WAIT).until(() -> carol.last().equals(
                "{\"type\":\"offline\",\"user\":\"dave\",\"lastSeen\":\"" + lastSeen + "\"}"));

        watchers.watch(carol.connection(), List.of("a", "b", "c", "d"), "w2");
        assertEquals("{\"type\":\"error\",\"cid\":\"w2\",\"code\":\"too_many_watched\",\"message\":\"A connection watches at most 3 users\"}",
                carol.last());
        watchers.watch(carol.connection(), List.of(), "w3");
        assertEquals("{\"type\":\"watching\",\"cid\":\"w3\",\"users\":[]}", carol.last());
        int before = carol.texts().get().size();
        status.connected("dave", "d2"); // nobody watches dave any more
        webhooks.emit("user.online", new UserStatus.Online("marker"));
        receiver.deliveredUntil(r -> r.data().getString("user").equals("marker"), WAIT);
        assertEquals(before, carol.texts().get().size(), "no frame after the watch list was emptied");
        assertFalse(carol.connection().isClosed());
    }
}
