package dev.switchboard.engine.memory;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Acknowledgements;
import dev.switchboard.engine.Bus;
import dev.switchboard.engine.Documents;
import dev.switchboard.engine.Engine;
import dev.switchboard.engine.Holds;
import dev.switchboard.engine.Logs;
import dev.switchboard.engine.Presence;
import dev.switchboard.engine.Places;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.time.Clock;

/** Everything in this JVM: one node, nothing else to run. */
public final class InMemoryEngine implements Engine {

    private final InMemoryLogs logs;
    private final InMemoryPresence presence = new InMemoryPresence();
    private final InMemoryAcknowledgements acknowledgements = new InMemoryAcknowledgements();
    private final InMemoryHolds holds = new InMemoryHolds();
    private final Map<String, InMemoryHolds> holdSets = new ConcurrentHashMap<>();
    private final InMemoryDocuments documents = new InMemoryDocuments(Clock.systemUTC());

    private InMemoryEngine(InMemoryLogs logs) {
        this.logs = logs;
    }

    public static InMemoryEngine create(SwitchboardConfig config) {
        return new InMemoryEngine(InMemoryLogs.create(config, Clock.systemUTC()));
    }

    @Override
    public Logs logs() {
        return logs;
    }

    @Override
    public Bus bus() {
        return logs;
    }

    @Override
    public Presence presence() {
        return presence;
    }

    @Override
    public Acknowledgements acknowledgements() {
        return acknowledgements;
    }

    /** One node: its own places (the handshake's) are all there is to count. */
    @Override
    public Places places() {
        return ONE_NODE_PLACES;
    }

    private static final Places ONE_NODE_PLACES = new Places() {
        @Override
        public boolean take(String user, String place, int max) {
            return true;
        }

        @Override
        public boolean anyTaken(String user) {
            return false;
        }

        @Override
        public void giveBack(String user, String place) {
        }
    };

    @Override
    public Holds holds() {
        return holds;
    }

    @Override
    public Holds holds(String set) {
        return holdSets.computeIfAbsent(set, s -> new InMemoryHolds());
    }

    @Override
    public Documents documents() {
        return documents;
    }

    @Override
    public void meter(MeterRegistry meters) {
        Gauge.builder("switchboard.history.logs", logs, InMemoryLogs::logCount)
                .description("Logs (rooms, whisper logs, transcripts) whose history this node keeps").register(meters);
        Gauge.builder("switchboard.history.bytes", logs, InMemoryLogs::bytes).baseUnit("bytes")
                .description("Bytes of message text kept in history").register(meters);
    }

    @Override
    public boolean reachable() {
        return true;
    }

    @Override
    public String describe() {
        return "in memory (one node)";
    }

    @Override
    public void close() {
        // nothing held outside the heap
    }
}
