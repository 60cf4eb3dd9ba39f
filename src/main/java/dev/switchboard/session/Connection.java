package dev.switchboard.session;

import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import java.time.Instant;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** One open WebSocket connection as the registry sees it: where it came in, its sender, when it was last heard. */
public final class Connection {

    private final String id;
    /** The container's id of the WebSocket session: unique on this node only. */
    private final String sessionId;
    private final Channel channel;
    private final String user;
    private final SessionSender sender;
    private final InboundBudget budget;
    private final ChannelMeters meters;
    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    private volatile long lastHeardNanos = System.nanoTime();
    /** When the identity this connection was opened with expires (epoch millis); never on endpoints without one. */
    private volatile long identityExpiresAtMillis = Long.MAX_VALUE;
    /** What the site's back end said of the user as the connection opened (name, avatar, roles); null: nothing. */
    private volatile JsonObject info;

    Connection(String id, String sessionId, Channel channel, String user, SessionSender sender, InboundBudget budget,
            ChannelMeters meters) {
        this.meters = meters;
        this.id = id;
        this.sessionId = sessionId;
        this.channel = channel;
        this.user = user;
        this.sender = sender;
        this.budget = budget;
    }

    /** The authenticated user, or null on endpoints without identity. */
    public String user() {
        return user;
    }

    /** The topics this connection is subscribed to. */
    public Set<String> topics() {
        return Collections.unmodifiableSet(topics);
    }

    Set<String> mutableTopics() {
        return topics;
    }

    public boolean isClosed() {
        return sender.isClosed();
    }

    /** Unique across the nodes of a site: the node's id and the container's session id. */
    public String id() {
        return id;
    }

    String sessionId() {
        return sessionId;
    }

    public Channel channel() {
        return channel;
    }

    /** Queues a frame for this connection; false if it is closed or just overflowed. */
    public boolean send(Frame frame) {
        return sender.send(frame);
    }

    /**
     * Queues a frame without writing it yet, for callers that queue under a lock that orders frames and
     * write after it ({@link #flush()}); false if the connection is closed or just overflowed.
     */
    public boolean queue(Frame frame) {
        return sender.enqueue(frame);
    }

    /** Starts writing what {@link #queue} left, in order. */
    public void flush() {
        sender.flush();
    }

    public void close(CloseReason reason) {
        sender.close(reason);
    }

    /** The connection's identity holds until then (a token's expiry), and no longer unless renewed. */
    public void identityValidUntil(Instant expiresAt) {
        identityExpiresAtMillis = expiresAt.toEpochMilli();
    }

    public boolean identityExpired(long nowMillis) {
        return nowMillis >= identityExpiresAtMillis;
    }

    /** The user's info as the site's back end gave it when the connection opened; null when it gave none. */
    public JsonObject info() {
        return info;
    }

    public void info(JsonObject given) {
        info = given;
    }

    /** Anything arrived from the client, a message or a pong. */
    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    public long silentForNanos(long nowNanos) {
        return nowNanos - lastHeardNanos;
    }

    SessionSender sender() {
        return sender;
    }

    InboundBudget budget() {
        return budget;
    }

    /** Its channel's meters, which it counts its frames into. */
    ChannelMeters meters() {
        return meters;
    }
}
