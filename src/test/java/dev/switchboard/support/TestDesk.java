package dev.switchboard.support;

import dev.switchboard.config.NodeId;
import dev.switchboard.config.ServerExecutors;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.memory.InMemoryEngine;
import dev.switchboard.engine.memory.InMemoryLogs;
import dev.switchboard.protocol.ClientFrame;
import dev.switchboard.protocol.EnvelopeCodec;
import dev.switchboard.protocol.ProtocolViolation;
import dev.switchboard.reply.Replies;
import dev.switchboard.reply.TestReplies;
import dev.switchboard.security.Role;
import dev.switchboard.session.Channel;
import dev.switchboard.session.SessionRegistry;
import dev.switchboard.session.TestTransports;
import dev.switchboard.stream.Streams;
import dev.switchboard.stream.TestStreams;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * A whole support desk on the in-memory engine, wired as the server wires it, at a fixed time, for
 * unit tests of the desk's parts. Customers and agents connect with recording transports.
 *
 * <p>One difference from a server: the views never read the desk again on their own after a change
 * is signalled (that is for other nodes' changes, and would race the test's thread). Every handler
 * shows the desk it changed itself; a test that plays another node calls {@code views.refresh()}.
 */
final class TestDesk implements AutoCloseable {

    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    final Map<String, String> settings = new HashMap<>();
    final ServerExecutors executors = new ServerExecutors();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final SwitchboardConfig config;
    final SessionRegistry registry;
    final InMemoryEngine engine;
    final InMemoryLogs logs;
    final Streams streams;
    final Replies replies;
    final DeskStore store = new DeskStore();
    final DeskTime time = new DeskTime();
    final Transcripts transcripts = new Transcripts();
    final DeskViews views = new DeskViews();
    final ConversationFrames conversations = new ConversationFrames();
    final CustomerFrames customers = new CustomerFrames();
    final AgentFrames agents = new AgentFrames();
    final SupportService service = new SupportService();
    private final Channel staff;
    private int connections;

    /** A customer's or an agent's connection, and what it received. */
    record Party(DeskViews.Participant participant, TestTransports.Recorded recorded) {
        List<String> texts() {
            return recorded.texts().get();
        }
    }

    /** A desk with these settings, as name-value pairs (the rest default). */
    TestDesk(String... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            settings.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        config = SwitchboardConfig.of(settings);
        registry = TestTransports.registry(executors, settings, meters);
        engine = InMemoryEngine.create(config);
        logs = (InMemoryLogs) engine.bus();
        streams = TestStreams.streams(logs, executors);
        replies = TestReplies.replies(registry, engine.acknowledgements(), config);
        store.documents = engine.documents();
        store.bus = logs;
        time.config = config;
        time.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        time.readSettings();
        transcripts.logs = logs;
        transcripts.streams = streams;
        transcripts.registry = registry;
        transcripts.config = config;
        transcripts.readSettings();
        views.store = store;
        views.transcripts = transcripts;
        views.streams = streams;
        views.executors = new NoLaterRefreshes();
        views.config = config;
        views.listen();
        conversations.store = store;
        conversations.views = views;
        conversations.transcripts = transcripts;
        conversations.bus = logs;
        conversations.replies = replies;
        conversations.config = config;
        conversations.time = time;
        customers.store = store;
        customers.views = views;
        customers.transcripts = transcripts;
        customers.replies = replies;
        customers.conversations = conversations;
        customers.config = config;
        customers.time = time;
        customers.readSettings();
        agents.store = store;
        agents.views = views;
        agents.transcripts = transcripts;
        agents.replies = replies;
        agents.conversations = conversations;
        agents.config = config;
        agents.time = time;
        service.registry = registry;
        service.store = store;
        service.views = views;
        service.transcripts = transcripts;
        service.presence = engine.presence();
        service.customers = customers;
        service.agents = agents;
        service.conversations = conversations;
        service.accounts = new Accounts();
        service.accounts.config = config;
        service.accounts.readSettings();
        service.replies = replies;
        service.node = NodeId.of("test");
        service.config = config;
        service.time = time;
        service.readSettings();
        staff = new Channel("support-staff", true, config.duration(dev.switchboard.config.Setting.SUPPORT_AGENT_TIMEOUT));
    }

    /** A scheduler that takes no task: a signalled change is not read again later (see the class comment). */
    private static final class NoLaterRefreshes extends ServerExecutors {
        private final ScheduledExecutorService refused = new ScheduledThreadPoolExecutor(1);

        NoLaterRefreshes() {
            refused.shutdown();
        }

        @Override
        public synchronized ScheduledExecutorService scheduler() {
            return refused;
        }
    }

    /** A customer connects (their name and email as they gave them); not yet in any conversation. */
    Party customer(String user) {
        return connect(SupportService.CUSTOMERS, Role.CUSTOMER, user, "Customer " + user, user + "@example.com");
    }

    /** An agent connects and is online at the desk, with this many seats; away until they say otherwise. */
    Party agent(String user, int capacity) {
        return staff(Role.AGENT, user, capacity);
    }

    Party supervisor(String user) {
        return staff(Role.SUPERVISOR, user, 1);
    }

    private Party staff(Role role, String user, int capacity) {
        Party party = connect(staff, role, user, null, null);
        store.change(desk -> {
            desk.agentOnline(user, capacity, List.of(), time.now());
            return null;
        });
        return party;
    }

    private Party connect(Channel channel, Role role, String user, String displayName, String email) {
        TestTransports.Recorded recorded = TestTransports.connect(registry, channel, "s" + ++connections, user);
        DeskViews.Participant participant = new DeskViews.Participant(recorded.connection(), role, user, displayName, email);
        views.add(participant);
        return new Party(participant, recorded);
    }

    /** A desk frame as the endpoint reads it. */
    static ClientFrame frame(String json) {
        try {
            return EnvelopeCodec.decode(json, SupportFrames.SCHEMA);
        } catch (ProtocolViolation e) {
            throw new IllegalArgumentException("Not a desk frame: " + json, e);
        }
    }

    @Override
    public void close() {
        executors.scheduler().shutdownNow();
    }
}
