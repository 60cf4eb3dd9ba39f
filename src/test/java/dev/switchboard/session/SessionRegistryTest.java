package dev.switchboard.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.ServerExecutors;
import dev.switchboard.config.SwitchboardConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SessionRegistryTest {

    private static final Channel ECHO = new Channel("echo", false);
    private static final Channel CLOCK = new Channel("clock", true);

    private SessionRegistry registry;

    @BeforeEach
    void newRegistry() {
        registry = new SessionRegistry();
        registry.config = SwitchboardConfig.of(Map.of("switchboard.send.queue.limit", "4"));
        registry.node = dev.switchboard.config.NodeId.of("test");
        registry.executors = new ServerExecutors();
        registry.meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        registry.readSettings();
    }

    @Test
    void connectionsAreCountedPerChannel() {
        registry.register(new RecordingTransport("e1", true), ECHO, null, null);
        registry.register(new RecordingTransport("c1", true), CLOCK, null, null);
        registry.register(new RecordingTransport("c2", true), CLOCK, null, null);
        assertEquals(1, registry.count(ECHO));
        assertEquals(2, registry.count(CLOCK));
        assertEquals(3, registry.count());
    }

    @Test
    void goingAwayClosesEveryConnectionWith1001InBatchesSpreadOverTheDrainTime() {
        List<RecordingTransport> transports = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            RecordingTransport transport = new RecordingTransport("g" + i, true);
            transports.add(transport);
            registry.register(transport, ECHO, null, null);
        }
        long started = System.nanoTime();
        assertEquals(50, registry.closeAllGoingAway(0, 500));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        for (RecordingTransport transport : transports) {
            await("the close of " + transport.id()).atMost(Duration.ofSeconds(5)).until(() -> !transport.closes.isEmpty());
            assertEquals(1001, transport.closes.get(0).getCloseCode().getCode(), transport.id());
        }
        // Five batches of ten, 100 ms apart: the last goes out about 400 ms after the first.
        assertTrue(tookMillis >= 400, "spread over " + tookMillis + " ms");
        assertEquals(0, registry.closeAllGoingAway(0, 500), "once only");
    }

    @Test
    void unregisterIsIdempotent() {
        RecordingTransport t = new RecordingTransport("c1", true);
        registry.register(t, CLOCK, null, null);
        registry.unregister("c1");
        registry.unregister("c1");
        registry.unregister("never-there");
        assertEquals(0, registry.count(CLOCK));
        assertEquals(0, registry.count());
        assertTrue(t.closes.isEmpty(), "a session that closed itself is not closed again");
    }

    @Test
    void aChannelDeliveryReachesEveryMemberOnceAndNoOneElse() {
        List<RecordingTransport> clock = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RecordingTransport t = new RecordingTransport("c" + i, true);
            clock.add(t);
            registry.register(t, CLOCK, null, null);
        }
        RecordingTransport echo = new RecordingTransport("e", true);
        registry.register(echo, ECHO, null, null);
        registry.deliverToChannel(CLOCK, "{\"time\":\"x\"}");
        for (RecordingTransport t : clock) {
            assertEquals(List.of("{\"time\":\"x\"}"), t.texts());
        }
        assertTrue(echo.written.isEmpty());
        Object shared = clock.get(0).texts().get(0);
        assertTrue(clock.stream().allMatch(t -> t.texts().get(0) == shared), "serialized once, the same text for all");
    }

    @Test
    void theGreetingIsTheFirstFrame() {
        RecordingTransport t = new RecordingTransport("c", true);
        registry.register(t, CLOCK, null, new Frame.Text("hello"));
        registry.deliverToChannel(CLOCK, "broadcast");
        assertEquals(List.of("hello", "broadcast"), t.texts());
    }

    @Test
    void anOverflowingConnectionLeavesTheRegistryAndOthersStillGetEverything() throws Exception {
        RecordingTransport stuck = new RecordingTransport("stuck", false);
        RecordingTransport fine = new RecordingTransport("fine", true);
        registry.register(stuck, CLOCK, null, null);
        registry.register(fine, CLOCK, null, null);
        for (int i = 0; i < 10; i++) {
            registry.deliverToChannel(CLOCK, "tick " + i);
        }
        assertEquals(10, fine.texts().size());
        assertEquals(1, registry.count(CLOCK), "the stuck connection was dropped");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> stuck.closes.size() == 1);
        assertEquals(4001, stuck.closes.get(0).getCloseCode().getCode());
    }
}
