package dev.switchboard.clock;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.ServerExecutors;
import dev.switchboard.session.Channel;
import dev.switchboard.session.SessionRegistry;
import dev.switchboard.session.TestTransports;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ClockTickerTest {

    @Test
    void aTickIsTheServerLocalTimeInTheDocumentedShape() {
        LocalDateTime local = LocalDateTime.of(2026, 11, 21, 14, 59, 21);
        assertEquals("{\"time\":\"2026.11.21 14:59:21\"}",
                ClockTicker.tickFor(local.atZone(ZoneId.systemDefault()).toInstant()));
    }

    @Test
    void ticksFlowOnceStartedAndStopWhenTheApplicationStops() {
        ServerExecutors executors = new ServerExecutors();
        SessionRegistry registry = TestTransports.registry(executors);
        Supplier<List<String>> received = TestTransports.subscribe(registry, ClockTicker.CHANNEL, "subscriber");
        ClockTicker ticker = new ClockTicker();
        ticker.registry = registry;
        ticker.executors = executors;

        ticker.start(new Object());
        await("two ticks").atMost(Duration.ofSeconds(5)).until(() -> received.get().size() >= 2);
        ticker.stop();
        assertTrue(ticker.isStopped(), "the scheduled tick was cancelled");
        int afterStop = received.get().size();
        await("no tick after stop").during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> received.get().size() == afterStop);
    }
}
