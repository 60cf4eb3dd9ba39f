package dev.switchboard.stream;

import dev.switchboard.config.ServerExecutors;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.memory.InMemoryLogs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;

/** Streams over the in-memory engine, for unit tests of the features whose connections follow logs. */
public final class TestStreams {

    private TestStreams() {
    }

    /** Streams listening to the in-memory engine; positions are never checked on a timer (a test checks when it says). */
    public static Streams streams(InMemoryLogs engine, ServerExecutors executors) {
        Streams streams = new Streams();
        streams.bus = engine;
        streams.logs = engine;
        streams.executors = executors;
        streams.meters = new SimpleMeterRegistry();
        streams.config = SwitchboardConfig.of(Map.of("switchboard.position-check", "1h"));
        streams.listen();
        return streams;
    }
}
