package dev.switchboard.session;

import dev.switchboard.config.NodeId;
import dev.switchboard.config.ServerExecutors;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.protocol.RefusalLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Registry and subscribers for unit tests of other packages, without a WebSocket server. */
public final class TestTransports {

    private TestTransports() {
    }

    public static SessionRegistry registry(ServerExecutors executors) {
        return registry(executors, Map.of(), new SimpleMeterRegistry());
    }

    /** A registry with these settings (strikes allowed, say), counting into {@code meters}. */
    public static SessionRegistry registry(ServerExecutors executors, Map<String, String> settings, MeterRegistry meters) {
        SessionRegistry registry = new SessionRegistry();
        registry.config = SwitchboardConfig.of(settings);
        registry.node = NodeId.of("test");
        registry.executors = executors;
        registry.meters = meters;
        registry.refusals = new RefusalLog(); // a connection struck out is logged before it is closed
        registry.readSettings();
        return registry;
    }

    /**
     * A connection whose transport records what was written to it: {@code texts} as the client read
     * them (replies encoded as on the wire), {@code closes} the close frames it was sent.
     */
    public record Recorded(Connection connection, Supplier<List<String>> texts, Supplier<List<CloseReason>> closes) {

        /** The last text the client read. */
        public String last() {
            List<String> all = texts.get();
            if (all.isEmpty()) {
                throw new AssertionError("connection " + connection.id() + " received nothing");
            }
            return all.get(all.size() - 1);
        }

        /**
         * What the client read but frames of these types: those another thread sends whenever it learns
         * something (a whisper's receipts), which a test of what one call answers passes over.
         */
        public List<String> textsBut(String... types) {
            List<String> prefixes = Arrays.stream(types).map(type -> "{\"type\":\"" + type + "\"").toList();
            return texts.get().stream().filter(text -> prefixes.stream().noneMatch(text::startsWith)).toList();
        }
    }

    /** Registers a recording connection of the user (may be null). */
    public static Recorded connect(SessionRegistry registry, Channel channel, String id, String user) {
        RecordingTransport transport = new RecordingTransport(id, true);
        return new Recorded(registry.register(transport, channel, user, null), transport::texts, () -> transport.closes);
    }

    /** Registers a recording connection; the supplier returns the texts it has received so far. */
    public static Supplier<List<String>> subscribe(SessionRegistry registry, Channel channel, String id) {
        RecordingTransport transport = new RecordingTransport(id, true);
        registry.register(transport, channel, null, null);
        return transport::texts;
    }

    /**
     * The WebSocket session of a registered connection as a service sees it: it answers {@code getId}
     * only, which is all a service asks of it to find the connection in the registry.
     */
    public static Session session(Connection connection) {
        return (Session) Proxy.newProxyInstance(TestTransports.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getId" -> connection.sessionId();
                    case "toString" -> "session " + connection.sessionId();
                    default -> throw new UnsupportedOperationException("Session." + method.getName() + " in a unit test");
                });
    }
}
