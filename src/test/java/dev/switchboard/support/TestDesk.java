package dev.switchboard.support;

import dev.switchboard.config.NodeId;
import dev.switchboard.config.ServerExecutors;
import dev.switchboard.protocol.ClientFrame;
import dev.switchboard.protocol.EnvelopeCodec;
import dev.switchboard.protocol.ProtocolViolation;
import dev.switchboard.security.Role;
import dev.switchboard.session.Channel;
import dev.switchboard.session.TestTransports;
import dev.switchboard.testing.UnitNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
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

    final UnitNode node;
    final DeskStore store = new DeskStore();
    final DeskClock time = new DeskClock();
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
        node = new UnitNode(namesAndValues);
        store.documents = node.engine.documents();
        store.bus = node.logs;
        time.config = node.config;
        time.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        time.readSettings();
        transcripts.logs = node.logs;
        transcripts.streams = node.streams;
        transcripts.registry = node.registry;
        transcripts.config = node.config;
        transcripts.readSettings();
        views.store = store;
        views.transcripts = transcripts;
        views.streams = node.streams;
        views.executors = new NoLaterRefreshes();
        views.config = node.config;
        views.listen();
        conversations.store = store;
        conversations.views = views;
        conversations.transcripts = transcripts;
        conversations.bus = node.logs;
        conversations.replies = node.replies;
        conversations.config = node.config;
        conversations.time = time;
        customers.store = store;
        customers.views = views;
        customers.transcripts = transcripts;
        customers.replies = node.replies;
        customers.conversations = conversations;
        customers.config = node.config;
        customers.time = time;
        customers.readSettings();
        agents.store = store;
        agents.views = views;
        agents.transcripts = transcripts;
        agents.replies = node.replies;
        agents.conversations = conversations;
        agents.config = node.config;
        agents.time = time;
        service.registry = node.registry;
        service.store = store;
        service.views = views;
        service.transcripts = transcripts;
        service.presence = node.engine.presence();
        service.customers = customers;
        service.agents = agents;
        service.conversations = conversations;
        service.accounts = new Accounts();
        service.accounts.config = node.config;
        service.accounts.readSettings();
        service.replies = node.replies;
        service.node = NodeId.of("test");
        service.config = node.config;
        service.time = time;
        service.readSettings();
        staff = new Channel("support-staff", true, node.config.duration(dev.switchboard.config.Setting.SUPPORT_AGENT_TIMEOUT));
    }

    /** A timer that takes no task: a signalled change is not read again later (see the class comment). */
    private static final class NoLaterRefreshes extends ServerExecutors {
        private final ScheduledExecutorService refused = new ScheduledThreadPoolExecutor(1);

        NoLaterRefreshes() {
            refused.shutdown();
        }

        @Override
        public synchronized ScheduledExecutorService timer() {
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
        TestTransports.Recorded recorded = TestTransports.connect(node.registry, channel, "s" + ++connections, user);
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
        node.close();
    }
}
