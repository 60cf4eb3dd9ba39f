package dev.switchboard.support;

import dev.switchboard.config.NodeId;
import dev.switchboard.config.ServerExecutors;
import dev.switchboard.protocol.ClientFrame;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.ProtocolViolation;
import dev.switchboard.security.Role;
import dev.switchboard.session.Channel;
import dev.switchboard.session.TestTransports;
import dev.switchboard.testing.DeskClient;
import dev.switchboard.testing.UnitNode;
import dev.switchboard.webhooks.TestWebhooks;
import dev.switchboard.webhooks.Webhooks;
import jakarta.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
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
    final DeskEvents events = new DeskEvents();
    /** The desk's round, run by a test when it wants one (never on its own). */
    final DeskTicker ticker = new DeskTicker();
    final Webhooks webhooks;
    private final Channel staff;
    private int connections;

    /** A customer's or an agent's connection, and what it received. */
    record Party(DeskViews.Participant participant, TestTransports.Recorded recorded) {
        List<String> texts() {
            return recorded.texts().get();
        }

        /** What it received, as JSON objects, oldest first. */
        List<JsonObject> frames() {
            return texts().stream().map(DeskClient::parse).toList();
        }

        /** The last frame it received. */
        JsonObject last() {
            return DeskClient.parse(recorded.last());
        }

        /** The last frame it received of this type; fails if there is none. */
        JsonObject last(String type) {
            List<JsonObject> all = frames().stream().filter(f -> type.equals(f.getString("type"))).toList();
            if (all.isEmpty()) {
                throw new AssertionError(participant.user + " received no " + type + " frame: " + texts());
            }
            return all.get(all.size() - 1);
        }

        /** The answer (ack, error, or another reply with the cid) to its frame with this client id; fails if none came. */
        JsonObject answer(String cid) {
            List<JsonObject> answers = frames().stream().filter(f -> cid.equals(f.getString("cid", null))).toList();
            if (answers.size() != 1) {
                throw new AssertionError(participant.user + " got " + answers.size() + " answers to " + cid + ": " + texts());
            }
            return answers.get(0);
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
        webhooks = TestWebhooks.of(node, "test");
        events.webhooks = webhooks;
        conversations.events = events;
        customers.events = events;
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
        ticker.store = store;
        ticker.views = views;
        ticker.conversations = conversations;
        ticker.presence = node.engine.presence();
        ticker.config = node.config;
        ticker.time = time;
        ticker.events = events;
        ticker.readSettings();
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

    /**
     * The party sends a frame, written with {@code '} for {@code "} to be readable in a test: read as the
     * endpoint reads it, and handed to the service as the endpoint does.
     */
    void send(Party from, String json) {
        service.handle(TestTransports.session(from.participant().connection), frame(json.replace('\'', '"')));
    }

    /**
     * The party sends a frame of the type about the conversation, with {@code more} fields (written as
     * for {@link #send}: {@code ",'to':'bob'"}) and the type as its cid; returns the answer.
     */
    JsonObject about(Party from, String type, String conversation, String more) {
        send(from, "{'type':'" + type + "','conversation':'" + conversation + "'" + more + ",'cid':'" + type + "'}");
        return from.answer(type);
    }

    /** The agent says they are available. */
    void available(Party agent) {
        send(agent, "{'type':'status','status':'available','cid':'available'}");
        assertAck(agent.answer("available"), null);
    }

    /** The customer starts a conversation and is in it (queued, or offered to an agent); returns its id. */
    String start(Party customer) {
        send(customer, "{'type':'start','cid':'start'}");
        JsonObject ack = customer.answer("start");
        assertAck(ack, ack.getString("conversation", null));
        return ack.getString("conversation");
    }

    /** Carol waits, offered to ann (available, one seat), who accepts it; returns the conversation's id. */
    String carolWithAnn(Party carol, Party ann) {
        available(ann);
        String id = start(carol);
        send(ann, "{'type':'accept','conversation':'" + id + "','cid':'accept'}");
        assertAck(ann.answer("accept"), id);
        return id;
    }

    /** A JSON object written with {@code '} for {@code "}, to compare with a frame received (field order aside). */
    static JsonObject json(String singleQuoted) {
        return DeskClient.parse(singleQuoted.replace('\'', '"'));
    }

    /** The conversation's transcript as a client that follows it reads it: each entry with its offset. */
    List<JsonObject> transcript(String conversation) {
        return transcripts.read(conversation).toCompletableFuture().join().entries().stream()
                .map(entry -> DeskClient.parse(Transcripts.wire(entry))).toList();
    }

    /** The conversation's last transcript entry, as a client that follows it reads it. */
    JsonObject lastEntry(String conversation) {
        List<JsonObject> transcript = transcript(conversation);
        return transcript.get(transcript.size() - 1);
    }

    /** The frame is an ack of the conversation (or of none), and carries nothing else but its cid. */
    static void assertAck(JsonObject frame, String conversation) {
        if (!"ack".equals(frame.getString("type")) || !Objects.equals(conversation, frame.getString("conversation", null))
                || frame.size() != (conversation == null ? 2 : 3)) {
            throw new AssertionError("not an ack of conversation " + conversation + ": " + frame);
        }
    }

    /** The frame is an error with this code (and a message saying why). */
    static void assertRefused(JsonObject frame, String code) {
        if (!"error".equals(frame.getString("type")) || !code.equals(frame.getString("code", null))
                || frame.getString("message", "").isBlank()) {
            throw new AssertionError("not an error " + code + ": " + frame);
        }
    }

    /** A desk frame as the endpoint reads it. */
    static ClientFrame frame(String json) {
        try {
            return FrameCodec.decode(json, SupportFrames.SCHEMA);
        } catch (ProtocolViolation e) {
            throw new IllegalArgumentException("Not a desk frame: " + json, e);
        }
    }

    @Override
    public void close() {
        TestWebhooks.stop(webhooks);
        node.close();
    }
}
