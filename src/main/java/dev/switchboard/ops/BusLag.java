package dev.switchboard.ops;

import dev.switchboard.config.NodeId;
import dev.switchboard.config.ServerExecutors;
import dev.switchboard.engine.Bus;
import dev.switchboard.stream.Streams;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * How long the bus takes, measured: every few seconds this node sends a signal to itself through the
 * bus (with Redis, a round trip through pub/sub) and times its return ({@code switchboard_bus_lag_seconds}).
 */
@ApplicationScoped
public class BusLag {

    static final long EVERY_SECONDS = 5;

    @Inject
    Streams streams;

    @Inject
    Bus bus;

    @Inject
    NodeId node;

    @Inject
    ServerExecutors executors;

    @Inject
    MeterRegistry meters;

    private ScheduledFuture<?> probing;

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        Timer lag = Timer.builder("switchboard.bus.lag")
                .description("A signal's round trip through the bus, from this node back to it").register(meters);
        String topic = "ops:lag:" + node.get();
        streams.hear(topic, new Streams.TopicListener() {
            @Override
            public void signal(String sentAt) {
                lag.record(System.nanoTime() - Long.parseLong(sentAt), TimeUnit.NANOSECONDS);
            }

            @Override
            public void mayHaveMissed() {
                // A lost probe is a missing sample, nothing more.
            }
        });
        try {
            probing = executors.every("Probing the bus's lag", () -> probe(topic), EVERY_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            // Nothing to measure.
        }
    }

    private void probe(String topic) {
        try {
            bus.signal(topic, Long.toString(System.nanoTime()), null);
        } catch (RuntimeException e) {
            // Redis away: no sample this time (failed commands are counted by the engine).
        }
    }

    @PreDestroy
    void stop() {
        if (probing != null) {
            probing.cancel(false);
        }
    }
}
