package dev.switchboard.session;

import dev.switchboard.config.NodeId;
import dev.switchboard.config.ServerExecutors;
import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.EngineUnavailable;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.MessageSize;
import dev.switchboard.protocol.ProtocolViolation;
import dev.switchboard.protocol.RefusalLog;
import dev.switchboard.protocol.SharedFrame;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DecodeException;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Who is connected, on which endpoint; the one place connections are opened, found and forgotten. */
@ApplicationScoped
public class SessionRegistry {

    private static final Logger LOG = Logger.getLogger(SessionRegistry.class.getName());

    @Inject
    SwitchboardConfig config;

    @Inject
    ServerExecutors executors;

    @Inject
    RefusalLog refusals;

    @Inject
    NodeId node;

    @Inject
    MeterRegistry meters;

    /** Told of every connection that goes, whatever the reason, so features can clean up after it. */
    @Inject
    Event<ConnectionClosed> closedEvents;

    private final Map<String, Connection> byId = new ConcurrentHashMap<>();
    private final Map<Channel, Map<String, Connection>> byChannel = new ConcurrentHashMap<>();
    private final Map<Channel, ChannelMeters> channelMeters = new ConcurrentHashMap<>();
    private int sendQueueLimit;
    private long sendBufferLimitBytes;
    private int maxMessageBytes;
    private long containerIdleTimeoutMillis;
    private InboundBudget.Limits inboundLimits;
    private final AtomicBoolean goingAway = new AtomicBoolean();
    /** Set once the connections to tell have been taken: any that opens after it is told at once. */
    private volatile boolean draining;
    /** Connections closed with 1008 so far (a client that floods may see its socket reset before the close frame). */
    private final AtomicLong policyCloses = new AtomicLong();
    private static final CloseReason GOING_AWAY = CloseCodes.reason(CloseCodes.GOING_AWAY, "Server going away");
    static final long DRAIN_BATCH_MILLIS = 100;
    /** A clean-up waiting for the engine is tried again after 0.5, 1, 2, 4, then every 5 s: for about 5 minutes. */
    static final int CLEAN_UP_TRIES = 64;
    static final long CLEAN_UP_PAUSE_MILLIS = 500;
    static final long CLEAN_UP_PAUSE_MAX_MILLIS = 5_000;

    @PostConstruct
    void readSettings() {
        sendQueueLimit = config.positiveInt(Setting.SEND_QUEUE_LIMIT);
        sendBufferLimitBytes = config.positiveInt(Setting.SEND_BUFFER_MAX_BYTES);
        maxMessageBytes = config.positiveInt(Setting.MESSAGE_MAX_BYTES);
        // The container's default too (TyrusIdleTimerScheduler sets it at start); set again on each session.
        containerIdleTimeoutMillis = config.containerIdleTimeoutMillis();
        inboundLimits = new InboundBudget.Limits(config.positiveInt(Setting.INBOUND_PER_SECOND),
                config.positiveInt(Setting.INBOUND_BURST), config.positiveInt(Setting.RATE_STRIKES));
    }

    /**
     * Registers a new session. The {@code greeting}, if any, is queued before the connection can
     * receive broadcasts, so it is always the first frame the client sees.
     */
    public Connection register(Session session, Channel channel, Frame greeting) {
        return register(session, channel, null, greeting);
    }

    /** Registers a session of an authenticated user. */
    public Connection register(Session session, Channel channel, String user, Frame greeting) {
        session.setMaxTextMessageBufferSize(maxMessageBytes);
        session.setMaxBinaryMessageBufferSize(maxMessageBytes);
        session.setMaxIdleTimeout(containerIdleTimeoutMillis);
        if (session.getUserPrincipal() instanceof HeldPlaces held) {
            held.hold(); // given back when the session closes (unregister)
        }
        return register(new WebSocketTransport(session), channel, user, greeting);
    }

    Connection register(Transport transport, Channel channel, String user, Frame greeting) {
        String id = transport.id();
        Connection[] registered = new Connection[1];
        String nodeScoped = node.get() + "-" + id;
        Map<String, Connection> onChannel = byChannel.computeIfAbsent(channel, c -> new ConcurrentHashMap<>());
        ChannelMeters counted = channelMeters.computeIfAbsent(channel, c -> new ChannelMeters(meters, c, onChannel));
        counted.connects.increment();
        SessionSender sender = new SessionSender(transport, sendQueueLimit, sendBufferLimitBytes, executors.work(),
                () -> forget(registered[0]), counted::written);
        Connection connection = new Connection(nodeScoped, id, channel, user, sender,
                new InboundBudget(inboundLimits, System.nanoTime()), counted);
        registered[0] = connection;
        if (greeting != null) {
            sender.send(greeting);
        }
        byId.put(id, connection);
        onChannel.put(id, connection);
        if (draining) {
            sender.close(GOING_AWAY); // opened while the server drains: told at once, as the others were
        }
        return connection;
    }

    public Optional<Connection> find(Session session) {
        return Optional.ofNullable(byId.get(session.getId()));
    }

    /**
     * Takes in one frame of any kind (a message, a pong): notes the client was heard, closes the
     * connection with 1009 if the frame is over the size limit, and charges the connection's inbound
     * budget. Empty when the frame is not to be handled: refused (and answered so), or its connection gone.
     */
    public Optional<Connection> receive(Session session, long receivedBytes) {
        Connection connection = byId.get(session.getId());
        if (connection == null) {
            return Optional.empty();
        }
        connection.heard();
        connection.meters().framesIn.increment();
        connection.meters().bytesIn.increment(receivedBytes);
        if (closeIfTooBig(connection, receivedBytes)) {
            return Optional.empty();
        }
        if (!connection.budget().take(System.nanoTime())) {
            refuse(connection, SharedFrame.Error.of(ErrorCode.RATE_LIMITED,
                    "Over " + (int) inboundLimits.perSecond() + " frames a second; slow down"));
            return Optional.empty();
        }
        return Optional.of(connection);
    }

    /**
     * Takes in a pong. It costs from the inbound budget like any frame (a refused one is a strike, never
     * answered), and if it answers one of our pings it confirms what the client has read, budget or not.
     */
    public void pong(Session session, PongMessage pong) {
        Connection connection = byId.get(session.getId());
        if (connection == null) {
            return;
        }
        connection.heard();
        if (!connection.budget().take(System.nanoTime()) && struckOut(connection)) {
            return;
        }
        connection.sender().pong(pong.getApplicationData());
    }

    /**
     * Answers a refused frame with its error (on endpoints that speak JSON frames; echo answers nothing)
     * and counts a strike against the connection; past the strikes allowed, closes it with 1008.
     */
    public void refuse(Connection connection, SharedFrame.Error error) {
        countRefusal(error);
        if (!struckOut(connection) && connection.channel().speaksJson()) {
            connection.send(new Frame.Encoded(error));
        }
    }

    /** Counts an error frame (a refusal) by its code, for {@code /metrics}. */
    public void countRefusal(SharedFrame.Error error) {
        meters.counter("switchboard.refusals", "code", String.valueOf(error.code())).increment();
    }

    /** Counts a strike against the connection; true when that was one too many, and it is closed with 1008. */
    private boolean struckOut(Connection connection) {
        if (!connection.budget().strike(System.nanoTime())) {
            return false;
        }
        closeForPolicy(connection, "Flooding: over " + inboundLimits.strikesAllowed() + " refused frames within 10 s");
        return true;
    }

    /** Closes a connection with 1008 and logs it, naming the user (or the connection) and the reason. */
    private void closeForPolicy(Connection connection, String reason) {
        if (!connection.isClosed()) {
            policyCloses.incrementAndGet();
            refusals.refused("connection (close 1008) on " + connection.channel(),
                    connection.user() != null ? "user " + connection.user() : "connection " + connection.id(), reason);
        }
        connection.close(CloseCodes.reason(CloseCodes.POLICY_VIOLATION, reason));
    }

    /**
     * Forgets a session that closed, and gives back the places its handshake reserved (only now that
     * its socket is gone, not when the server decided to close it: a client that ignores the close
     * still counts against the caps); safe to call any number of times, from @OnClose and @OnError,
     * and for a session an endpoint refused before registering it.
     */
    public void unregister(Session session) {
        unregister(session, null);
    }

    /** As {@link #unregister(Session)}, for a session closed with this reason (the client's, when it closed first). */
    public void unregister(Session session, CloseReason reason) {
        unregister(session.getId(), reason == null ? CloseCodes.ABNORMAL : reason.getCloseCode().getCode());
        if (session.getUserPrincipal() instanceof HeldPlaces held) {
            held.release();
        }
    }

    void unregister(String id) {
        unregister(id, CloseCodes.ABNORMAL);
    }

    private void unregister(String id, int code) {
        Connection connection = byId.get(id);
        if (connection != null) {
            connection.sender().discard(code);
        }
    }

    /**
     * Answers an endpoint's error: a bad frame gets an error frame and the connection stays open;
     * a dropped connection is forgotten; anything else is logged and closes the connection with 1011.
     */
    public void failed(Session session, Throwable error) {
        if (error instanceof DecodeException decode && error.getCause() instanceof ProtocolViolation violation) {
            long bytes = decode.getText() == null ? 0 : MessageSize.utf8Length(decode.getText());
            receive(session, bytes).ifPresent(c -> refuse(c, violation.toFrame()));
            return;
        }
        Optional<Connection> connection = find(session);
        if (error instanceof IOException || connection.isEmpty()) {
            LOG.log(Level.FINE, error, () -> "Session " + session.getId() + " dropped");
            unregister(session);
            return;
        }
        LOG.log(Level.WARNING, error, () -> "Session " + session.getId() + " on "
                + connection.get().channel() + " failed; closing it with 1011");
        connection.get().close(CloseCodes.reason(CloseCodes.INTERNAL_ERROR, "Internal error"));
    }

    /**
     * Closes the connection with 1009 when a received message is over the size limit, and says so.
     * Servers differ in whether they enforce the session's limit themselves; this is the same answer everywhere.
     */
    private boolean closeIfTooBig(Connection connection, long receivedBytes) {
        if (receivedBytes <= maxMessageBytes) {
            return false;
        }
        connection.close(CloseCodes.reason(CloseCodes.TOO_BIG, "Message over " + maxMessageBytes + " bytes"));
        return true;
    }

    /** Whether the server is going away: readiness says 503, and connections are being (or have been) told 1001. */
    public boolean goingAway() {
        return goingAway.get();
    }

    /**
     * Marks the server as going away (readiness answers 503 from now on), waits {@code unreadyFirstMillis}
     * so that load balancers stop sending new clients (a connection opened meanwhile is served, and told
     * with the others), then closes every connection with 1001, in batches every
     * {@value #DRAIN_BATCH_MILLIS} ms spread over {@code drainMillis}, and waits (a second at most) until
     * the scheduler has run the closes. A connection opened once the batches have begun is closed as it registers.
     * Once: later calls return 0.
     *
     * @return how many connections were told
     */
    public int closeAllGoingAway(long unreadyFirstMillis, long drainMillis) {
        if (!goingAway.compareAndSet(false, true)) {
            return 0;
        }
        try {
            Thread.sleep(unreadyFirstMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        draining = true;
        List<Connection> all = new ArrayList<>(byId.values());
        long batches = Math.max(1, drainMillis / DRAIN_BATCH_MILLIS);
        int perBatch = (int) Math.max(1, (all.size() + batches - 1) / batches);
        try {
            for (int i = 0; i < all.size(); i++) {
                if (i > 0 && i % perBatch == 0) {
                    Thread.sleep(DRAIN_BATCH_MILLIS);
                }
                all.get(i).close(GOING_AWAY);
            }
            // The closes run on the work pool: give them a moment to go out before the server goes.
            executors.awaitQuietWork(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return all.size();
    }

    /** Sends the same, already serialized text to every connection on a channel. */
    public void deliverToChannel(Channel channel, String text) {
        Frame frame = new Frame.Text(text);
        for (Connection connection : byChannel.getOrDefault(channel, Map.of()).values()) {
            connection.send(frame);
        }
    }

    public Collection<Connection> connections() {
        return byId.values();
    }

    public int count(Channel channel) {
        return byChannel.getOrDefault(channel, Map.of()).size();
    }

    public int count() {
        return byId.size();
    }

    /** How many connections this node has closed with 1008 since it started. */
    public long policyCloses() {
        return policyCloses.get();
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /**
     * Notes that the connection follows a topic (a room's log, a user's whispers), so that whoever
     * cleans up after it when it closes ({@link ConnectionClosed}) knows; false if it is closed already.
     */
    public boolean subscribe(Connection connection, String topic) {
        if (connection.isClosed()) {
            return false;
        }
        connection.mutableTopics().add(topic);
        if (connection.isClosed()) {
            // Closed meanwhile: its cleanup may have missed this topic, so undo here.
            unsubscribe(connection, topic);
            return false;
        }
        return true;
    }

    public void unsubscribe(Connection connection, String topic) {
        connection.mutableTopics().remove(topic);
    }

    /**
     * Tells the features a connection went; while the engine is away, tries again (to every observer:
     * their clean-ups are safe to repeat) with a growing pause, for as long as {@link #CLEAN_UP_TRIES} allow.
     */
    private void notifyClosed(ConnectionClosed event, int tries) {
        try {
            closedEvents.fire(event);
        } catch (RuntimeException e) {
            if (engineAway(e) && tries < CLEAN_UP_TRIES) {
                long pause = Math.min(CLEAN_UP_PAUSE_MAX_MILLIS, CLEAN_UP_PAUSE_MILLIS << Math.min(tries, 5));
                LOG.fine(() -> "Cleaning up after session " + event.connection().id() + " waits for the engine: " + e);
                try {
                    executors.later(() -> notifyClosed(event.again(), tries + 1), pause, TimeUnit.MILLISECONDS);
                    return;
                } catch (RejectedExecutionException shuttingDown) {
                    // going away: nothing left to clean up for
                }
            }
            LOG.log(Level.WARNING, e, () -> "Cleaning up after session " + event.connection().id() + " failed");
        }
    }

    private static boolean engineAway(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof EngineUnavailable) {
                return true;
            }
        }
        return false;
    }

    private void forget(Connection connection) {
        connection.meters().closed(connection.sender().closeCode());
        byId.remove(connection.sessionId());
        byChannel.get(connection.channel()).remove(connection.sessionId());
        Set<String> topics = Set.copyOf(connection.topics());
        if (closedEvents != null) {
            // Observers take feature locks (a chat room's); a connection is often dropped while such a
            // lock is held by whoever was sending to it, so they run on another thread, never this one.
            ConnectionClosed event = new ConnectionClosed(connection, topics);
            try {
                executors.work().execute(() -> notifyClosed(event, 0));
            } catch (RejectedExecutionException shuttingDown) {
                notifyClosed(event, 0);
            }
        }
    }
}
