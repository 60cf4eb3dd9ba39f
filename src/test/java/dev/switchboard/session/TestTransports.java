package dev.switchboard.session;

import dev.switchboard.config.ServerExecutors;
import dev.switchboard.config.SwitchboardConfig;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Registry and subscribers for unit tests of other packages, without a WebSocket server. */
public final class TestTransports {

    private TestTransports() {
    }

    public static SessionRegistry registry(ServerExecutors executors) {
        SessionRegistry registry = new SessionRegistry();
        registry.config = SwitchboardConfig.of(Map.of());
        registry.node = dev.switchboard.config.NodeId.of("test");
        registry.executors = executors;
        registry.meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        registry.readSettings();
        return registry;
    }

    /** A connection whose transport records what was written to it. */
    public record Recorded(Connection connection, Supplier<List<String>> texts) {
    }

    /** Registers a recording connection of the user (may be null). */
    public static Recorded connect(SessionRegistry registry, Channel channel, String id, String user) {
        RecordingTransport transport = new RecordingTransport(id, true);
        return new Recorded(registry.register(transport, channel, user, null), transport::texts);
    }

    /** Registers a recording connection; the supplier returns the texts it has received so far. */
    public static Supplier<List<String>> subscribe(SessionRegistry registry, Channel channel, String id) {
        RecordingTransport transport = new RecordingTransport(id, true);
        registry.register(transport, channel, null, null);
        return transport::texts;
    }
}
