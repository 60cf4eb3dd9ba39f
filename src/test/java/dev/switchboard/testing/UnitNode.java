package dev.switchboard.testing;

import dev.switchboard.config.ServerExecutors;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.memory.InMemoryEngine;
import dev.switchboard.engine.memory.InMemoryLogs;
import dev.switchboard.reply.Replies;
import dev.switchboard.reply.TestReplies;
import dev.switchboard.session.SessionRegistry;
import dev.switchboard.session.TestTransports;
import dev.switchboard.stream.Streams;
import dev.switchboard.stream.TestStreams;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.Map;

/**
 * One node's shared layers on the in-memory engine, for unit tests of a feature: its settings, the
 * session registry, the engine, streams and replies, wired as the server wires them.
 */
public final class UnitNode implements AutoCloseable {

    public final ServerExecutors executors = new ServerExecutors();
    public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    public final SwitchboardConfig config;
    public final SessionRegistry registry;
    public final InMemoryEngine engine;
    /** The engine's logs, which are also its bus. */
    public final InMemoryLogs logs;
    public final Streams streams;
    public final Replies replies;

    /** A node with these settings, as name-value pairs (the rest default). */
    public UnitNode(String... namesAndValues) {
        Map<String, String> settings = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            settings.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        config = SwitchboardConfig.of(settings);
        registry = TestTransports.registry(executors, settings, meters);
        engine = InMemoryEngine.create(config);
        logs = (InMemoryLogs) engine.bus();
        streams = TestStreams.streams(logs, executors);
        replies = TestReplies.replies(registry, engine.acknowledgements(), config);
    }

    /** Stops the timer and work pool this node started outside a server. */
    @Override
    public void close() {
        executors.shutdownOwnExecutors();
    }
}
